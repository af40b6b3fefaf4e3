# --platform picks from a multi-platform index in a registry (docker-registry on
# 127.0.0.1; the index is PUT here over alpine and Debian, labelled amd64 and
# arm64/v8); a platform the index lacks is a clear error listing those it has.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
[ -x /usr/bin/docker-registry ] && [ -x /usr/bin/skopeo ] || { echo "no docker-registry/skopeo" >&2; exit 77; }
. "$SRC/tests/cli/registry/lib/registry"
start_registry || exit 1
gzip -dc "$DATA/images/alpine-310.docker.tar.gz" > alpine.tar
push docker-archive:alpine.tar multi:alpine "--format oci" || exit 1
push oci-archive:"$DATA/images/debian-bookworm-minbase.oci.tar" multi:debian || exit 1
desc() {
  "$DD" registry manifest --insecure-registry "$HOST" "$HOST/multi:$1" > m-$1.json || exit 1
  printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":%s}' \
    "$(sha256sum < m-$1.json | cut -d' ' -f1)" "$(wc -c < m-$1.json)" "$2"
}
a=$(desc alpine '{"os":"linux","architecture":"amd64"}')
d=$(desc debian '{"os":"linux","architecture":"arm64","variant":"v8"}')
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s]}' "$a" "$d" > index.json
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' \
  --data-binary @index.json "http://$HOST/v2/multi/manifests/latest" || exit 1
sbom() { "$DD" sbom --no-cache --format json --insecure-registry "$HOST" "$@"; }
sbom "registry:$HOST/multi:latest" | grep -m1 '"id": "alpine"'
sbom --platform linux/arm64/v8 "registry:$HOST/multi:latest" | grep -m1 '"id": "debian"'
sbom --platform linux/s390x "registry:$HOST/multi:latest" 2>&1 | sed "s/$PORT/PORT/g"
