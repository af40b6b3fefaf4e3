# --severity filters what is shown, --fail-on is the gate and counts every
# unsuppressed finding; an ignore file suppresses; an expired entry does not.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
export DRYDOCK_DB="$WORK/vuln.db" DRYDOCK_NOW=2026-11-26
img="docker-archive:$DATA/images/alpine-310.docker.tar.gz"
"$DD" db import "$DATA/vulndb/alpine-secdb-final/v3.10" "$DATA/vulndb/nvd/records.jsonl.gz" \
  "$DATA/vulndb/nvd/records-vulnlist.jsonl.gz" >/dev/null || exit 1
count() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(len([f for f in d["findings"] if not f.get("suppressed")]), len(d["findings"]))'; }
echo "all: $("$DD" scan -f json "$img" 2>/dev/null | count)"
echo "low only: $("$DD" scan -f json --severity LOW "$img" 2>/dev/null | count)"
"$DD" scan -f json --severity LOW --fail-on CRITICAL "$img" >/dev/null 2>err.txt
echo "gate critical while showing low: exit $?"; tail -1 err.txt
cat > ignore.yaml <<'YAML'
ignore:
  - id: CVE-2021-36159
    package: apk-tools
    reason: libfetch is not used by our images at run time
  - id: CVE-2020-28928
    reason: accepted until the rebuild
    expires: 2026-01-31
YAML
"$DD" scan -f json --ignore-file ignore.yaml --fail-on CRITICAL "$img" 2>err.txt | count
echo "gate critical with the critical one accepted: exit $?"
grep expired err.txt
