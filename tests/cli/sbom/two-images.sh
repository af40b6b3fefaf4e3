"$DD" sbom dir:a dir:b
