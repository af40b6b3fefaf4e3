# Two scans of one asset: history, details, and the diff between them.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
DRYDOCK_NOW=2026-03-02T10:00:00Z "$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web --duration 4.2 &&
DRYDOCK_NOW=2026-03-05T12:00:00Z "$DD" scans import "$SRC/tests/data/store/web-2.json" --asset web &&
"$DD" scans list &&
"$DD" scans show 2 &&
"$DD" scans diff 1 2 &&
"$DD" scans show 2 --sbom | grep -o '"name":"zlib","version":"1.2.11-r1"'
