# The handbook's loop on real data: an asset is scanned (alpine-310 with the
# branch's final secdb), then rescanned three working days later from an image
# rebuilt on the same base layer with upgraded musl, busybox and apk-tools.
# Checks new / fixed-verified-by-rescan / still-open, the knowledge-base
# draft, MTTR in working days and SLA compliance, with the clock injected.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
set -e
export DRYDOCK_DB="$WORK/vuln.db" DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
"$DD" db import "$DATA/vulndb/alpine-secdb-final/v3.10" "$DATA/vulndb/nvd/records.jsonl.gz" \
  "$DATA/vulndb/nvd/records-vulnlist.jsonl.gz" "$DATA/vulndb/kev.json" >/dev/null
/usr/bin/python3 "$SRC/tests/cli/scan/lib-derive-alpine.py" "$DATA/images/alpine-310.docker.tar.gz" \
  rebuilt.tar musl=1.1.22-r4 musl-utils=1.1.22-r4 busybox=1.30.1-r5 ssl_client=1.30.1-r5 apk-tools=2.10.7-r0
# Monday 2 November 2026, then Thursday 5 November.
DRYDOCK_NOW=2026-11-02T10:00:00Z "$DD" scan --asset edge -f json \
  "docker-archive:$DATA/images/alpine-310.docker.tar.gz" >scan1.json 2>err1.txt
grep saved err1.txt
DRYDOCK_NOW=2026-11-05T10:00:00Z "$DD" scan --asset edge -f json docker-archive:rebuilt.tar >scan2.json 2>err2.txt
grep saved err2.txt
export DRYDOCK_NOW=2026-11-05T12:00:00Z
"$DD" findings list --asset edge --state fixed --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
rows = d["findings"] if isinstance(d, dict) else d
for f in sorted(rows, key=lambda f: (f["package"], f["vulnerability"])):
    print("fixed:", f["package"], f["vulnerability"], f["priority"], "in scan", f.get("fixed_in_scan"))'
"$DD" findings list --asset edge --state open | tail -1
"$DD" kb search musl | head -3
"$DD" metrics --asset edge --format json | /usr/bin/python3 -c '
import json, sys
m = json.load(sys.stdin)
print("scans", m["scans"], "P1 per scan", m["p1_per_scan"], "open", m["open"], "overdue", m["overdue"])
for p, v in sorted(m["priorities"].items()):
    print(p, "fixed", v["fixed"], "MTTR", v["mttr_working_days"], "working days, SLA",
          v["sla_working_days"], "compliance", v["sla_compliance_pct"])'
# A rescan that cannot assess the packages (this DB has no Alpine data)
# closes nothing: absence is not proof of a fix.
"$DD" db import --db nofeed.db "$DATA/vulndb/kev.json" >/dev/null
DRYDOCK_NOW=2026-11-06T10:00:00Z "$DD" scan --db nofeed.db --asset edge -f json docker-archive:rebuilt.tar >/dev/null 2>err3.txt
grep saved err3.txt
"$DD" findings list --asset edge --state open | tail -1
