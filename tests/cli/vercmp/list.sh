"$DD" vercmp --list
