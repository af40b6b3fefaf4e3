"$DD" vercmp frobnitz 1 2
