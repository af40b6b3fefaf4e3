# --output is checked before the image is read, and nothing is created.
"$DD" sbom --output "$WORK/no/such/dir/bom.json" dir:. 2>err.txt
status=$?
[ -e "$WORK/no" ] && echo "created something"
grep -q "^drydock: error: --output $WORK/no/such/dir/bom.json: directory $WORK/no/such/dir: No such file or directory\$" err.txt &&
  echo "names the directory"
exit $status
