"$DD" frobnicate
