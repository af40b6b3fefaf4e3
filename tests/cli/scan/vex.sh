# --vex: an OpenVEX document's not_affected statements suppress the findings
# they name (by the finding's id or an alias, and the package's purl or
# name); the justification shows in the JSON; the gate ignores them; a
# broken document fails before the image is read.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
export DRYDOCK_DB="$WORK/vuln.db"
img="docker-archive:$DATA/images/alpine-310.docker.tar.gz"
"$DD" db import "$DATA/vulndb/alpine-secdb-final/v3.10" "$DATA/vulndb/nvd/records.jsonl.gz" \
  "$DATA/vulndb/nvd/records-vulnlist.jsonl.gz" >/dev/null || exit 1
cat > openvex.json <<'JSON'
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/edge-1",
  "author": "Platform security",
  "timestamp": "2026-11-01T00:00:00Z",
  "version": 1,
  "statements": [
    { "vulnerability": { "name": "CVE-2021-36159" },
      "products": [ { "@id": "pkg:apk/alpine/apk-tools" } ],
      "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path" },
    { "vulnerability": { "name": "CVE-2021-28831" },
      "products": [ { "@id": "busybox" } ],
      "status": "under_investigation" }
  ]
}
JSON
"$DD" scan -f json --vex openvex.json --fail-on CRITICAL "$img" >scan.json 2>/dev/null
echo "gate with the VEX: exit $?"
/usr/bin/python3 - scan.json <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["suppressed"]:
        print(f["package"]["name"], f["id"], "->", f["suppressed"])
PY
"$DD" scan -f json --fail-on CRITICAL "$img" >/dev/null 2>&1; echo "without the VEX: exit $?"
printf '{"statements": [ {"status": 3} ]}' > bad.json
"$DD" scan --vex bad.json "$img"; echo "bad VEX: exit $?"
