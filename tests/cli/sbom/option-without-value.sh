"$DD" sbom dir:. --output
