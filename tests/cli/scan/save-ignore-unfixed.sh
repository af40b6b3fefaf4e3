# --ignore-unfixed with --save filters the report, not what is recorded: a
# saved scan closes the asset's findings it no longer has, and the finding
# without a fix (node-app has one against the shared npm advisories) must
# stay open, not be "fixed by this rescan".
[ -f "$DATA/images/node-app.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
set -e
export DRYDOCK_DB="$WORK/vuln.db" DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
"$DD" db import "$DATA/vulndb/osv-npm" >/dev/null
img="docker-archive:$DATA/images/node-app.docker.tar.gz"
DRYDOCK_NOW=2026-11-02T10:00:00Z "$DD" scan --asset app -f json "$img" >scan1.json 2>err1.txt
grep saved err1.txt
DRYDOCK_NOW=2026-11-03T10:00:00Z "$DD" scan --asset app --ignore-unfixed -f json "$img" >scan2.json 2>err2.txt
grep saved err2.txt
/usr/bin/python3 - scan1.json scan2.json <<'PY'
import json, sys
for p in sys.argv[1:]:
    f = json.load(open(p))["findings"]
    print(p, len(f), "findings,", sum(1 for x in f if x["fixed"] is None), "without a fix")
PY
export DRYDOCK_NOW=2026-11-03T12:00:00Z
"$DD" findings list --asset app --state fixed | tail -1
"$DD" findings list --asset app --state open | tail -1
