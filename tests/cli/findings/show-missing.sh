export DRYDOCK_STORE="$WORK/store.db"
"$DD" findings show 42
