# 'drydock help sbom' is 'drydock sbom --help'.
"$DD" help sbom >a.txt && "$DD" sbom -h >b.txt && cmp a.txt b.txt && head -n 1 a.txt
