# Scan, rescan, triage, verify: remediation order, states, history.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
"$DD" assets add web --criticality 5 --exposure internet >/dev/null &&
DRYDOCK_NOW=2026-03-02T10:00:00Z "$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
DRYDOCK_NOW=2026-03-05T12:00:00Z "$DD" scans import "$SRC/tests/data/store/web-2.json" --asset web >/dev/null &&
export DRYDOCK_NOW=2026-03-12T09:00:00Z &&
echo '== open, remediation order' && "$DD" findings list &&
echo '== overdue' && "$DD" findings list --overdue &&
echo '== fixed' && "$DD" findings list --state fixed &&
echo '== triage' && DRYDOCK_USER=bob "$DD" findings triage 3 --state risk_accepted --reason "WAF rule 77 blocks it" --expires 2026-04-01 &&
printf 'uid=0(root) gid=0(root)\n' >poc.log &&
DRYDOCK_USER=bob "$DD" findings verify 2 --result reproduced --conditions "busybox wget on default config" --evidence poc.log &&
echo '== show' && "$DD" findings show 2 &&
echo '== show fixed' && "$DD" findings show 1
