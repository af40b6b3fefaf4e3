# The real alpine:3.10 image (shared data): Alpine 3.10.4 and the 14
# packages of its apk database; CycloneDX and SPDX valid against the
# official schemas. Needs: docker-archive source, apk cataloger.
. "$SRC/tests/cli/sbom/lib/common"
img="$DATA/images/alpine-310.docker.tar.gz"
[ -f "$img" ] || { echo "shared data absent: $img" >&2; exit 77; }
run_sbom --format json "docker-archive:$img" || { cat err.txt; exit 1; }
validate_own out.txt || exit 1
/usr/bin/python3 - out.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("distro", d["distro"]["id"], d["distro"]["versionId"])
print(len(d["packages"]), "packages")
PY
run_sbom --format cyclonedx -o bom.cdx.json "docker-archive:$img" && validate_cdx bom.cdx.json || exit 1
run_sbom --format spdx -o bom.spdx.json "docker-archive:$img" && validate_spdx bom.spdx.json || exit 1
