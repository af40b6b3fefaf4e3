export DRYDOCK_STORE="$WORK/store.db"
printf 'bands:\n  P1: {min: 7.0}\n  P5: {min: 1}\n' >policy.yml
"$DD" findings list --policy policy.yml
