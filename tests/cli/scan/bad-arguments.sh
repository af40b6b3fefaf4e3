# Wrong arguments fail before any image is read, each with its own message.
export DRYDOCK_DB=none.db
"$DD" scan; echo "exit $?"
"$DD" scan --fail-on SEVERE x.tar; echo "exit $?"
"$DD" scan --severity HIGH,BAD x.tar; echo "exit $?"
"$DD" scan --format spdx x.tar; echo "exit $?"
"$DD" scan --pkg-types library --asset web x.tar; echo "exit $?"
printf 'ignore:\n  - id: CVE-1\n    expire: 2024-01-01\n    reason: x\n' > bad.yaml
"$DD" scan --ignore-file bad.yaml x.tar; echo "exit $?"
"$DD" scan --ignore-file missing.yaml x.tar; echo "exit $?"
"$DD" scan x.tar; echo "exit $?"
