# A DB written by another drydock version is refused with what to do.
command -v sqlite3 >/dev/null || { echo "no sqlite3" >&2; exit 77; }
sqlite3 "$WORK/vuln.db" "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES('schema_version','0');"
DRYDOCK_DB="$WORK/vuln.db" "$DD" db status 2>err; s=$?
sed "s#$WORK#WORK#g" err >&2; exit $s
