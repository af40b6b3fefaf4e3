# A rescan that fixes a finding drafts a KB entry; people add their own.
export DRYDOCK_STORE="$WORK/store.db" DRYDOCK_USER=ci
DRYDOCK_NOW=2026-03-02T10:00:00Z "$DD" scans import "$SRC/tests/data/store/web-1.json" --asset web >/dev/null &&
DRYDOCK_NOW=2026-03-05T12:00:00Z "$DD" scans import "$SRC/tests/data/store/web-2.json" --asset web >/dev/null &&
DRYDOCK_NOW=2026-03-06T12:00:00Z "$DD" kb add --vuln CVE-2018-20679 --package busybox --title "busybox udhcpc: rebuild on 3.10.5" \
  --fixed-version 1.30.1-r3 --base-image alpine:3.10.5 --steps "bump FROM; rebuild; rescan" --refs https://security.alpinelinux.org/ &&
"$DD" kb search musl &&
"$DD" kb show 1 &&
"$DD" kb search BUSYBOX
