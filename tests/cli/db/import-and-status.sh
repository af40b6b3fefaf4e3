# Import real feeds (a secdb branch, KEV, NVD records) and show the status;
# times and the work directory are masked.
[ -d "$DATA/vulndb" ] || { echo "no shared data" >&2; exit 77; }
"$DD" db import --db "$WORK/vuln.db" "$DATA/vulndb/alpine-secdb/v3.10/main.json" \
  "$DATA/vulndb/kev.json" "$DATA/vulndb/nvd/records.jsonl.gz" || exit $?
"$DD" db status --db "$WORK/vuln.db" | sed -e "s#$WORK#WORK#g; s#$DATA#DATA#g" \
  -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z/TIME/g'
