# Assets with business impact; add twice updates.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_NOW=2026-03-02T10:00:00Z
"$DD" assets add web --criticality 5 --exposure internet --team payments --owner alice \
  --image registry.example/web --image registry.example/web-canary --sla-p1 2 &&
"$DD" assets add batch --criticality 2 --exposure isolated --frequency monthly &&
"$DD" assets add batch --criticality 3 --exposure isolated --frequency weekly --sla-p3 none &&
"$DD" assets list &&
"$DD" assets show web &&
"$DD" assets list --format json
