# Without a vulnerability DB the scan says what to run.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
DRYDOCK_DB=none.db "$DD" scan "docker-archive:$DATA/images/alpine-310.docker.tar.gz"
