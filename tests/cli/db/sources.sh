"$DD" db sources
