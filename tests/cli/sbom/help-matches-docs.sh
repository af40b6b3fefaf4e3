# drydock sbom --help prints exactly the block between the help markers of
# docs/cli/sbom.md (the docs mirror the help text).
"$DD" sbom --help >help.txt || exit 1
sed -n '/<!-- help:begin -->/,/<!-- help:end -->/p' "$SRC/docs/cli/sbom.md" |
  sed '1,2d;$d' | sed '$d' >docs.txt
diff -u docs.txt help.txt && echo same
