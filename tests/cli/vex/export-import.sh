# Import a vendor's OpenVEX (closes openssl's finding), then export our decisions.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci DRYDOCK_NOW=2026-03-06T10:00:00Z
"$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
cp "$SRC/tests/data/store/vendor.openvex.json" vendor.json && "$DD" vex import vendor.json &&
"$DD" findings list --state not_affected &&
"$DD" findings triage 3 --state false_positive --reason "busybox built without the applet" >/dev/null &&
"$DD" vex export --author "Example security" --output out.json && cat out.json
