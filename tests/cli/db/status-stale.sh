# --max-age 0: any DB is older than that; the status still prints (exit 0).
printf '{"catalogVersion": "1", "vulnerabilities": [{"cveID": "CVE-2020-0001", "dateAdded": "2021-11-03"}]}' >kev.json
"$DD" db import --db "$WORK/vuln.db" kev.json >/dev/null || exit 1
"$DD" db status --db "$WORK/vuln.db" --max-age 0 >/dev/null
