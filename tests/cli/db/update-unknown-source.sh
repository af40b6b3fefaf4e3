"$DD" db update --db "$WORK/vuln.db" --source nope --mirror http://127.0.0.1:9/
