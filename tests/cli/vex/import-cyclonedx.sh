export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_NOW=2026-03-06T10:00:00Z
"$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
cp "$SRC/tests/data/store/vendor.cdx.json" vendor.json && "$DD" vex import vendor.json &&
"$DD" findings list --state not_affected --format json | grep -E '"(vulnerability|state|why)"'
