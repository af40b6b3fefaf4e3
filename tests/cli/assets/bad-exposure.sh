export DRYDOCK_STORE="$WORK/store.db"
"$DD" assets add web --exposure public
