# db --help prints the usage on stdout.
"$DD" db --help
