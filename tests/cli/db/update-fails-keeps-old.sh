# Nothing listens on the mirror: the update fails (exit 2) and says the old DB stays.
printf '{"catalogVersion": "1", "vulnerabilities": [{"cveID": "CVE-2020-0001", "dateAdded": "2021-11-03"}]}' >kev.json
"$DD" db import --db "$WORK/vuln.db" kev.json >/dev/null || exit 1
DRYDOCK_RETRY_DELAY_MS=1 "$DD" db update --db "$WORK/vuln.db" --source kev --retries 0 \
  --mirror http://127.0.0.1:9/ 2>err; s=$?
sed "s#$WORK#WORK#g; s/: Couldn't connect to server/: CONNECT/; s/: Failed to connect.*/: CONNECT/" err >&2
"$DD" db status --db "$WORK/vuln.db" | grep '^kev:'
exit $s
