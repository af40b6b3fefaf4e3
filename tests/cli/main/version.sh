"$DD" --version
