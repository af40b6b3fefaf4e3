# A docker-archive that does not exist: exit 2 and the message names it.
. "$SRC/tests/cli/sbom/lib/common"
run_sbom docker-archive:"$WORK/nope.tar"
status=$?
grep -q "nope.tar" err.txt && echo "names the file"
[ -s out.txt ] && echo "stdout not empty"
exit $status
