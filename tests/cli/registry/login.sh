# A registry with htpasswd (bcrypt) Basic auth: anonymous is refused with a
# hint, --username with --password-stdin works, a wrong password is refused,
# and no password ever appears in what drydock prints.
[ -x /usr/bin/docker-registry ] && [ -x /usr/bin/skopeo ] && [ -x /usr/bin/htpasswd ] || { echo "no docker-registry/skopeo/htpasswd" >&2; exit 77; }
[ -f "$DATA/images/alpine-310.docker.tar.gz" ] || { echo "no shared data" >&2; exit 77; }
. "$SRC/tests/cli/registry/lib/registry"
htpasswd -Bbc "$WORK/htpasswd" ci 'correct horse' 2>/dev/null
REGISTRY_EXTRA="auth:
  htpasswd:
    realm: drydock-test
    path: $WORK/htpasswd"
start_registry || exit 1
gzip -dc "$DATA/images/alpine-310.docker.tar.gz" > alpine.tar
skopeo copy --insecure-policy --dest-tls-verify=false --dest-creds 'ci:correct horse' \
  docker-archive:alpine.tar "docker://$HOST/alpine:3.10" >/dev/null 2>&1 || exit 1
list() { "$DD" registry list "$HOST/alpine" --insecure-registry "$HOST" "$@" 2>&1 | sed -e "s/$PORT/PORT/g" -e "s|$WORK|WORK|g"; }
DOCKER_CONFIG=$WORK/nodocker list
echo 'correct horse' | DOCKER_CONFIG=$WORK/nodocker list --username ci --password-stdin
echo 'wrong horse' | DOCKER_CONFIG=$WORK/nodocker list --username ci --password-stdin > out.txt
grep -c "horse" out.txt
sed 's/ (.*//' out.txt
# The same credentials from a docker config (auths.HOST.auth = base64 "ci:correct horse").
mkdir -p docker && printf '{"auths":{"%s":{"auth":"%s"}}}' "$HOST" "$(printf 'ci:correct horse' | base64)" > docker/config.json
DOCKER_CONFIG=$WORK/docker list
# The same credentials from a credential helper that credHelpers names for
# this registry (docker-credential-ddtest on PATH reads the host on stdin).
mkdir -p bin helper
cat > bin/docker-credential-ddtest <<EOF
#!/bin/sh
[ "\$1" = get ] && [ "\$(cat)" = "$HOST" ] || { echo 'credentials not found in native keychain'; exit 1; }
echo '{"ServerURL":"$HOST","Username":"ci","Secret":"correct horse"}'
EOF
chmod +x bin/docker-credential-ddtest
printf '{"auths":{"%s":{}},"credHelpers":{"%s":"ddtest"}}' "$HOST" "$HOST" > helper/config.json
PATH=$WORK/bin:$PATH DOCKER_CONFIG=$WORK/helper list
# A helper that is not installed: anonymous, and the refusal says why.
printf '{"credsStore":"absent"}' > helper/config.json
DOCKER_CONFIG=$WORK/helper list
