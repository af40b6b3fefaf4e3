# The dpkg vectors of ../shared/data through the bulk CLI: every answer must
# equal the file's third column.
f="$DATA/versions/deb.tsv"
[ -f "$f" ] || { echo "no $f" >&2; exit 77; }
grep -v '^#' "$f" | cut -f1,2 | "$DD" vercmp dpkg - >got || exit 1
grep -v '^#' "$f" | cut -f3 >want
cmp -s got want && echo "deb.tsv: $(wc -l <want) answers agree"
