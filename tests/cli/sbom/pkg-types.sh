# --pkg-types: os keeps only the distribution's packages, library only the
# language packages (the distro is still found), both is the default.
. "$SRC/tests/cli/sbom/lib/common"
mkrootfs_alpine rootfs
mkdir -p rootfs/app/node_modules/left-pad
printf '{"name":"left-pad","version":"1.3.0"}\n' >rootfs/app/node_modules/left-pad/package.json
for types in "" os library library,os; do
  echo "== ${types:-default}"
  run_sbom --format json ${types:+--pkg-types $types} dir:rootfs || { cat err.txt; exit 1; }
  /usr/bin/python3 - out.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("distro", d["distro"]["id"])
for p in d["packages"]:
    print(p["type"], p["name"], p["version"])
PY
done
