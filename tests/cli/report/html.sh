# One self-contained HTML file: three inline SVG charts, nothing fetched.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
DRYDOCK_NOW=2026-02-02T10:00:00Z "$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
DRYDOCK_NOW=2026-03-05T12:00:00Z "$DD" scans import "$SRC/tests/data/store/web-2.json" --asset web >/dev/null &&
export DRYDOCK_NOW=2026-03-20T00:00:00Z &&
"$DD" report --format html --output r.html --title "web <team>" &&
echo "svg charts: $(grep -c '<svg ' r.html)" &&
echo "external refs: $(grep -cE '(src|href)=' r.html)" &&
grep -o '<title>[^<]*</title>' r.html | head -1 &&
grep -o '<polyline[^>]*stroke="#c0392b"' r.html | head -1 &&
"$DD" report --format json | head -c 60; echo
