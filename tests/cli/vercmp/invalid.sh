# An invalid version is an error with the reason, exit 2, nothing on stdout.
"$DD" vercmp pep440 '1.0' 'not-a-version'
