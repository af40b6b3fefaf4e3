# A path that does not exist: nothing is imported, exit 2.
"$DD" db import --db "$WORK/vuln.db" "$WORK/nope.json" 2>err; s=$?
sed "s#$WORK#WORK#g" err >&2; exit $s
