"$DD" db import --db "$WORK/vuln.db"
