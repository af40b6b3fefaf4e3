"$DD" vercmp --help
