# A record whose finding names a package the SBOM lacks: the error names the file and the place.
export DRYDOCK_STORE="$WORK/store.db"
printf '{"image":{"digest":"sha256:1"},"packages":[{"type":"apk","name":"musl"}],"findings":[{"id":"CVE-1","package":"zlib"}]}' >bad.json
"$DD" scans import bad.json --asset web
