"$DD" db status --frobnicate
