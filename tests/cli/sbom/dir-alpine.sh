# dir: image with Alpine's apk database: distro and both packages with
# origin and layer-less location; nothing on stderr (not a terminal, so no
# progress line). Needs: image dir: source, os-release and apk catalogers.
. "$SRC/tests/cli/sbom/lib/common"
mkrootfs_alpine rootfs
run_sbom --format json dir:rootfs || { cat err.txt; exit 1; }
[ -s err.txt ] && { echo "unexpected stderr:"; cat err.txt; }
validate_own out.txt || exit 1
/usr/bin/python3 - out.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("distro", d["distro"]["id"], d["distro"]["versionId"])
for p in d["packages"]:
    print(p["type"], p["name"], p["version"], (p["source"] or {}).get("name"), p["purl"])
PY
