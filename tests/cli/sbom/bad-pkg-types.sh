"$DD" sbom --pkg-types os,python dir:.
