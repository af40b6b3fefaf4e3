# Debian: the real DSA list, a dpkg database made by our own script with
# versions just below and at each sampled source package's bullseye fix.
# Below: exactly the advisories' CVEs (dpkg itself is the oracle), matched
# through the source package; at the fix: none.
[ -f "$DATA/vulndb/debian-security-tracker/DSA-list.gz" ] || { echo "no shared data" >&2; exit 77; }
set -e
export DRYDOCK_DB="$WORK/vuln.db"
"$DD" db import "$DATA/vulndb/debian-security-tracker/DSA-list.gz" >/dev/null
/usr/bin/python3 "$SRC/tests/cli/scan/lib-debian-dsa.py" \
  "$DATA/vulndb/debian-security-tracker/DSA-list.gz" "$WORK/img" 40 > expected.txt
"$DD" scan --format json dir:img/below > below.json
/usr/bin/python3 - below.json > got.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    assert f["namespace"] == "debian:11", f["namespace"]
    print(f["package"]["name"], f["id"])
PY
sort -o got.txt got.txt
diff expected.txt got.txt
echo "below the fix: $(wc -l < got.txt) findings, as dpkg implies"
"$DD" scan --format json dir:img/at > at.json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("at the fix:", len(d["findings"]), "findings")' at.json
