# node-app: its npm packages and the esbuild Go binary, matched against the
# real GitHub advisories for those packages (osv-npm, most not affecting the
# installed versions, 4 withdrawn, one naming "Axios") and the Go vulndb.
# drydock must report exactly what an independent OSV evaluation implies.
[ -f "$DATA/images/node-app.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
set -e
export DRYDOCK_DB="$WORK/vuln.db"
img="docker-archive:$DATA/images/node-app.docker.tar.gz"
"$DD" db import "$DATA/vulndb/osv-npm" "$DATA/vulndb/osv-go/golang-vulndb-osv.tar.gz" >/dev/null
"$DD" sbom -f json "$img" > sbom.json
/usr/bin/python3 "$SRC/tests/cli/scan/lib-osv-oracle.py" "$DD" sbom.json \
  "$DATA/vulndb/osv-npm" "$DATA/vulndb/osv-go/golang-vulndb-osv.tar.gz" > expected.txt
"$DD" scan -f json "$img" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["package"]["type"] in ("npm", "golang"):
        print(f["package"]["name"], f["id"])' | sort > got.txt
diff expected.txt got.txt
echo "npm: $(grep -vc '^stdlib\|^golang.org\|^github.com' got.txt) findings, go: $(grep -c '^stdlib\|^golang.org\|^github.com' got.txt) findings, as the OSV rules imply"
