# Every format from one dir: image with a dpkg database; CycloneDX and SPDX
# against the official schemas, json against ours; the same run twice gives
# the same bytes. Needs: image dir: source, os-release and dpkg catalogers.
. "$SRC/tests/cli/sbom/lib/common"
mkrootfs_debian rootfs
export SOURCE_DATE_EPOCH=1700000000
for f in table json cyclonedx spdx; do
  run_sbom --format $f --output "bom.$f" dir:rootfs || { cat err.txt; exit 1; }
  [ -s out.txt ] && echo "$f: stdout not empty with --output"
  run_sbom --format $f dir:rootfs || exit 1
  cmp -s out.txt "bom.$f" || echo "$f: not deterministic"
done
validate_own bom.json || exit 1
validate_cdx bom.cyclonedx || exit 1
validate_spdx bom.spdx || exit 1
grep -c 'pkg:deb/debian/' bom.json
sed -n '3,$p' bom.table
