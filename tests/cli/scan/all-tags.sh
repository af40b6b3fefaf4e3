# scan --all-tags: every tag of a repository in a real registry on
# 127.0.0.1 (alpine-310 as 3.10, and the rebuilt image with upgraded musl,
# busybox and apk-tools as 3.10-r1), one report per tag in tag order, each
# saved as its own asset; JSON goes to DIR/TAG.json; the gate trips if any
# tag trips it.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
[ -x /usr/bin/docker-registry ] && [ -x /usr/bin/skopeo ] || { echo "no docker-registry/skopeo" >&2; exit 77; }
. "$SRC/tests/cli/registry/lib/registry"
start_registry || exit 1
export DRYDOCK_DB="$WORK/vuln.db" DRYDOCK_STORE="$WORK/store.db"
"$DD" db import "$DATA/vulndb/alpine-secdb-final/v3.10" "$DATA/vulndb/nvd/records.jsonl.gz" \
  "$DATA/vulndb/nvd/records-vulnlist.jsonl.gz" >/dev/null || exit 1
gzip -dc "$DATA/images/alpine-310.docker.tar.gz" > alpine.tar
/usr/bin/python3 "$SRC/tests/cli/scan/lib-derive-alpine.py" "$DATA/images/alpine-310.docker.tar.gz" \
  rebuilt.tar musl=1.1.22-r4 musl-utils=1.1.22-r4 busybox=1.30.1-r5 ssl_client=1.30.1-r5 apk-tools=2.10.7-r0
push docker-archive:alpine.tar alpine:3.10 || exit 1
push docker-archive:rebuilt.tar alpine:3.10-r1 || exit 1
reg="--insecure-registry $HOST"
"$DD" scan --all-tags $reg registry:$HOST/alpine 2>/dev/null | grep -E "^(Total|[^ ]+ \(alpine)" | sed "s/$PORT/PORT/g"
mkdir out
"$DD" scan --all-tags $reg --save --fail-on CRITICAL -f json -o out registry:$HOST/alpine 2>err.txt
echo "gate over every tag: exit $?"
sed "s/$PORT/PORT/g" err.txt | grep -E "saved|gate"
for f in out/*.json; do echo "$(basename "$f"): $(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]), "findings")' "$f")"; done
"$DD" scan --all-tags $reg -f json registry:$HOST/alpine; echo "json without --output: exit $?"
