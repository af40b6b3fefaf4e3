export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_NOW=2026-03-02T10:00:00Z
"$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
"$DD" findings list --priority P1 --format json
