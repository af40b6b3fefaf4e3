# sarif is a scan format, not an SBOM format.
"$DD" sbom --format sarif dir:.
