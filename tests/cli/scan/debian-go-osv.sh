# debian-bookworm-minbase: the Go binaries of Debian's `age` (go1.19.8) are
# matched against the Go vulndb even though dpkg owns them; gosu's binary,
# deleted by a whiteout in layer 3, is not there to match; the Python
# distributions in dist-packages belong to Debian packages and are not
# matched against PyPI. Findings equal an independent OSV evaluation.
[ -f "$DATA/images/debian-bookworm-minbase.oci.tar" ] || { echo "no shared data" >&2; exit 77; }
set -e
export DRYDOCK_DB="$WORK/vuln.db"
img="oci-archive:$DATA/images/debian-bookworm-minbase.oci.tar"
"$DD" db import "$DATA/vulndb/osv-go/golang-vulndb-osv.tar.gz" "$DATA/vulndb/osv-pypi/pypa-advisory-database-vulns.tar.gz" >/dev/null 2>&1
"$DD" sbom -f json "$img" > sbom.json
/usr/bin/python3 - sbom.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
go = sorted({(p["name"], p["version"], p.get("owner")) for p in d["packages"] if p["type"] == "golang"})
print("go packages:", go)
print("gosu binary present:", any("gosu" in (p.get("location") or "") for p in d["packages"] if p["type"] == "golang"))
py = [p for p in d["packages"] if p["type"] == "pypi"]
print("python distributions:", len(py), "owned by OS packages:", sum(1 for p in py if p.get("owner")))
PY
/usr/bin/python3 "$SRC/tests/cli/scan/lib-osv-oracle.py" "$DD" sbom.json \
  "$DATA/vulndb/osv-go/golang-vulndb-osv.tar.gz" > expected.txt
"$DD" scan -f json "$img" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert not [f for f in d["findings"] if f["package"]["type"] == "pypi"], "pypi matched"
for f in d["findings"]:
    if f["package"]["type"] == "golang":
        print(f["package"]["name"], f["id"])' | sort -u > got.txt
diff expected.txt got.txt
echo "go: $(wc -l < got.txt) findings, as the OSV rules imply"
