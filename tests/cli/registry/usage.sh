# No arguments, an unknown subcommand, a password on the command line: usage errors.
"$DD" registry
"$DD" registry frob x
"$DD" registry list h --username bob
"$DD" registry list "ghcr.io/org/app:1.2"
