"$DD" vercmp dpkg 1.0
