# Bulk mode: one answer per line; a bad line says why and makes the exit 2.
printf '1.0\t1.0-0\n1:0\t2\n1.0~rc1\t1.0\nno tab here\n1:\t1\n' | "$DD" vercmp dpkg -
