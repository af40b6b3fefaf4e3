# A real registry on 127.0.0.1 (docker-registry), alpine-310 pushed by skopeo:
# list the catalog and tags (one name per page to follow Link headers), and
# fetch the manifest whose sha256 is the digest skopeo reports.
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
[ -x /usr/bin/docker-registry ] && [ -x /usr/bin/skopeo ] || { echo "no docker-registry/skopeo" >&2; exit 77; }
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > cfg.yml <<CFG
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/storage
http:
  addr: 127.0.0.1:$port
CFG
/usr/bin/docker-registry serve cfg.yml >registry.log 2>&1 &
pid=$!
trap 'kill $pid; wait $pid 2>/dev/null' EXIT
for i in $(seq 100); do /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
gzip -dc "$DATA/images/alpine-310.docker.tar.gz" > alpine.tar
for dest in alpine:3.10 tools/alpine:1; do
  skopeo copy --insecure-policy --dest-tls-verify=false docker-archive:alpine.tar docker://127.0.0.1:$port/$dest >/dev/null 2>&1 || exit 1
done
"$DD" registry list 127.0.0.1:$port --insecure-registry 127.0.0.1:$port --page-size 1
"$DD" registry list 127.0.0.1:$port/alpine --insecure-registry 127.0.0.1:$port --format json | sed "s/$port/PORT/"
"$DD" registry manifest registry:127.0.0.1:$port/alpine:3.10 --insecure-registry 127.0.0.1:$port > m.json
want=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' docker://127.0.0.1:$port/alpine:3.10)
[ "sha256:$(sha256sum < m.json | cut -d' ' -f1)" = "$want" ] && echo "manifest digest matches skopeo"
# Plain HTTP without --insecure-registry: refused, with the way out named.
"$DD" registry list 127.0.0.1:$port 2>&1 | grep -c -- "--insecure-registry 127.0.0.1:$port"
