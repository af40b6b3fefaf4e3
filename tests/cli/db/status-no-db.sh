# No database yet: say how to get one.
"$DD" db status --db "$WORK/vuln.db" 2>err; s=$?
sed "s#$WORK#WORK#g" err >&2; exit $s
