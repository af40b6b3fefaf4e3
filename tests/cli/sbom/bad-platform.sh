"$DD" sbom --platform amd64 dir:.
