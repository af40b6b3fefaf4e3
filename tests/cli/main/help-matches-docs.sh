# Every command in 'drydock --help' has a page docs/cli/<command>.md whose
# block between the help markers is exactly what 'drydock <command> --help'
# prints (the docs mirror the help text; this keeps them from drifting).
fail=0
for cmd in $("$DD" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
  [ "$cmd" = help ] && continue
  doc="$SRC/docs/cli/$cmd.md"
  if [ ! -f "$doc" ]; then echo "$cmd: no $doc"; fail=1; continue; fi
  "$DD" "$cmd" --help >help.txt 2>&1
  sed -n '/<!-- help:begin -->/,/<!-- help:end -->/p' "$doc" | sed '1,2d;$d' | sed '$d' >docs.txt
  if ! diff -u docs.txt help.txt; then echo "$cmd: docs/cli/$cmd.md differs from --help"; fail=1; fi
done
exit $fail
