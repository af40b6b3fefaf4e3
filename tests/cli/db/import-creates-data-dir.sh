# A new user's first import goes to the default data directory, which does
# not exist yet on a fresh machine: it is created (regression: the import
# failed with "unable to open database file").
[ -f "$DATA/vulndb/kev.json" ] || { echo "no shared data" >&2; exit 77; }
unset DRYDOCK_DB XDG_DATA_HOME
export HOME="$WORK/home"
mkdir -p "$HOME"
"$DD" db import "$DATA/vulndb/kev.json" | tail -1
ls "$HOME/.local/share/drydock"
