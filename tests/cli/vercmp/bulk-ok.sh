printf '1.0.0\t1.0.0-alpha\n1.0.0-alpha.1\t1.0.0-alpha.beta\n' | "$DD" vercmp semver -
