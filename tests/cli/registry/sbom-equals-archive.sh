# drydock sbom of an image in a registry (docker-registry on 127.0.0.1, pushed
# by skopeo) is the sbom of the same image read from its archive: byte for byte
# in JSON, apart from the fields that name where it was read from (image name,
# reference, transport, repoTags) and, for a docker-archive, which stores
# layers uncompressed, the stored layer digest/size/mediaType and the manifest
# digest. The Debian OCI archive pushed as is keeps its manifest, so there
# everything else, layers included, is identical.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
[ -x /usr/bin/docker-registry ] && [ -x /usr/bin/skopeo ] || { echo "no docker-registry/skopeo" >&2; exit 77; }
. "$SRC/tests/cli/registry/lib/registry"
start_registry || exit 1
gzip -dc "$DATA/images/alpine-310.docker.tar.gz" > alpine.tar
push docker-archive:alpine.tar alpine:3.10 || exit 1
push oci-archive:"$DATA/images/debian-bookworm-minbase.oci.tar" debian:bookworm || exit 1
export SOURCE_DATE_EPOCH=0
sbom() { "$DD" sbom --no-cache --format json --insecure-registry "$HOST" "$@"; }
sbom "registry:$HOST/alpine:3.10" > reg-alpine.json || exit 1
sbom "docker-archive:$DATA/images/alpine-310.docker.tar.gz" > arc-alpine.json || exit 1
sbom "$HOST/debian:bookworm" > reg-debian.json || exit 1
sbom "oci-archive:$DATA/images/debian-bookworm-minbase.oci.tar" > arc-debian.json || exit 1
/usr/bin/python3 - <<'PY'
import json
def strip(path, layers):
    text = open(path).read()
    d = json.loads(text)
    for k in ("name", "reference", "transport", "repoTags"):
        d["image"].pop(k)
    if layers:
        d["image"].pop("manifestDigest")
        for l in d["image"]["layers"]:
            for k in ("digest", "size", "mediaType"):
                l.pop(k)
    return d
for name, layers in (("alpine", True), ("debian", False)):
    r, a = strip(f"reg-{name}.json", layers), strip(f"arc-{name}.json", layers)
    print(name, "same" if r == a else "DIFFERENT", len(r["packages"]), "packages")
PY
# Outside the image block the two documents are the same bytes.
for n in alpine debian; do
  sed -n '/"distro"/,$p' reg-$n.json > a; sed -n '/"distro"/,$p' arc-$n.json > b
  cmp -s a b && echo "$n: bytes after the image block identical"
done
grep -c '"transport": "registry"' reg-debian.json
