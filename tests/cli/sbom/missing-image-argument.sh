"$DD" sbom --format json
