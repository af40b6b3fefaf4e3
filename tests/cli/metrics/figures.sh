# MTTR in working days and SLA compliance with the clock injected.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
DRYDOCK_NOW=2026-03-02T10:00:00Z "$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
DRYDOCK_NOW=2026-03-05T12:00:00Z "$DD" scans import "$SRC/tests/data/store/web-2.json" --asset web >/dev/null &&
export DRYDOCK_NOW=2026-03-20T00:00:00Z &&
"$DD" metrics &&
"$DD" metrics --format json
