"$DD" sbom --colour dir:.
