# A policy file replaces the bands and the SLA; "why" names its rules.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_NOW=2026-03-02T10:00:00Z
cat >policy.yml <<'YAML'
bands:
  P1: {min: 7.0, label: now}
  P2: {min: 5.0, label: soon}
unscored: P3
sla: {P1: 1, P2: 5}
rules:
  - name: openssl-is-crown-jewel
    when: {package: "openssl*"}
    then: set P1
YAML
"$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web --policy policy.yml >/dev/null &&
"$DD" findings list --format json --policy policy.yml | grep -E '"(vulnerability|priority|due|why)"'
