printf '1.2.3\t>=1.0.0 <2.0.0\n2.0.0\t1.x\n1.2.3\tblerg\n' | "$DD" vercmp semver --satisfies -
