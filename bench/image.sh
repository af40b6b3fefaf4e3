#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Image-loading benchmark (docs/internals/image.md, "Performance"). Prints,
# measured in this run:
#   cold load of the Debian image / `gzip -dc` of the same layers  (target <= 0.5)
#   warm load (layer cache) / cold load                            (target <= 0.05)
#   peak RSS of a cold load: the Debian image and a generated image of
#   1,000,000 small files                                           (target <= 64 MB)
# Wall times depend on how busy the machine is; CPU time (user+sys) is
# printed beside them. Usage: bench/image.sh [BUILD_DIR] (default build/).
# Needs ../shared/data (or DD_SHARED_DATA) and /usr/bin/time.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
data=${DD_SHARED_DATA:-$(cd .. && pwd)/shared/data}
bin=$build/bench_image
[ -x "$bin" ] || { echo "image.sh: build $bin first" >&2; exit 2; }
img=$data/images
[ -r "$img/debian-bookworm-minbase.oci.tar" ] || { echo "image.sh: $img is absent" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# t CMD...: runs CMD, leaves "wall cpu maxrss_kib" in $tmp/t
t() {
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/time" >"$tmp/t"
}
field() { awk -v f="$1" '{ print $f }' "$tmp/t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# The three layer blobs of the OCI archive, for the gzip baseline.
mkdir "$tmp/oci"
tar -C "$tmp/oci" -xf "$img/debian-bookworm-minbase.oci.tar"
layers=$(for d in 034807ab58c2966059557fc713b9ac1f50c043151ba66c5573b7ecab4d929e77 \
                  78957a873ecccde25568863d59a2f63ecb9d231a8005fdfc256a14164ceaccd3 \
                  af626e468075e673f04412e539209d26b3544d7a8a82788e0761412cbfb4a870; do
           echo "$tmp/oci/blobs/sha256/$d"; done)

report() { # name ref baseline-command...
  name=$1 ref=$2
  shift 2
  best_g_w=999 best_g_c=999
  for i in 1 2 3; do
    t sh -c "$*"
    w=$(field 1) c=$(field 2)
    best_g_w=$(awk -v a="$w" -v b="$best_g_w" 'BEGIN { print (a < b ? a : b) }')
    best_g_c=$(awk -v a="$c" -v b="$best_g_c" 'BEGIN { print (a < b ? a : b) }')
  done
  best_c_w=999 best_c_c=999 rss=0
  for i in 1 2 3; do
    rm -rf "$tmp/cache"
    t "$bin" --cold-only "$tmp/cache" "$ref"
    w=$(field 1) c=$(field 2) r=$(field 3)
    best_c_w=$(awk -v a="$w" -v b="$best_c_w" 'BEGIN { print (a < b ? a : b) }')
    best_c_c=$(awk -v a="$c" -v b="$best_c_c" 'BEGIN { print (a < b ? a : b) }')
    rss=$(awk -v a="$r" -v b="$rss" 'BEGIN { print (a > b ? a : b) }')
  done
  # warm: the cache of the last cold run; in-process timing is finer than
  # /usr/bin/time's 10 ms for runs this short
  warm=$("$bin" --warm-only "$tmp/cache" "$ref" | awk '/^warm/ { print $2 }')
  cold_inproc=$(rm -rf "$tmp/cache2"; "$bin" --cold-only "$tmp/cache2" "$ref" | awk '/^cold/ { print $2 }')
  printf '%s\n' "$name"
  printf '  gzip -dc baseline   wall %6.3f s  cpu %6.3f s\n' "$best_g_w" "$best_g_c"
  printf '  cold load           wall %6.3f s  cpu %6.3f s  peak RSS %d KiB\n' "$best_c_w" "$best_c_c" "$rss"
  printf '  warm load           %.4f s (cold in the same process %.4f s)\n' "$warm" "$cold_inproc"
  printf '  cold / gzip -dc     wall %s  cpu %s   (target <= 0.5)\n' \
    "$(ratio "$best_c_w" "$best_g_w")" "$(ratio "$best_c_c" "$best_g_c")"
  printf '  warm / cold         %s   (target <= 0.05)\n' "$(ratio "$warm" "$cold_inproc")"
}

report "debian-bookworm-minbase.oci.tar (oci-archive, 3 gzip layers read in parallel)" \
  "oci-archive:$img/debian-bookworm-minbase.oci.tar" "gzip -dc $(echo $layers) >/dev/null"
report "debian-bookworm-minbase.docker.tar.gz (gzipped docker-archive, one pass)" \
  "docker-archive:$img/debian-bookworm-minbase.docker.tar.gz" \
  "gzip -dc $img/debian-bookworm-minbase.docker.tar.gz >/dev/null"

# sbom NAME REF BASELINE...: cold dd_sbom_from_image with every cataloger
sbom() {
  name=$1 ref=$2
  shift 2
  echo "dd_sbom_from_image (the catalogers registered in this build), $name"
  sw=999 sc=999 gw=999 gc=999 sr=0
  for i in 1 2 3; do
    rm -rf "$tmp/cache"
    t "$bin" --sbom --cold-only "$tmp/cache" "$ref"
    sw=$(awk -v a="$(field 1)" -v b="$sw" 'BEGIN { print (a < b ? a : b) }')
    sc=$(awk -v a="$(field 2)" -v b="$sc" 'BEGIN { print (a < b ? a : b) }')
    sr=$(awk -v a="$(field 3)" -v b="$sr" 'BEGIN { print (a > b ? a : b) }')
    t sh -c "$*"
    gw=$(awk -v a="$(field 1)" -v b="$gw" 'BEGIN { print (a < b ? a : b) }')
    gc=$(awk -v a="$(field 2)" -v b="$gc" 'BEGIN { print (a < b ? a : b) }')
  done
  printf '  cold sbom           wall %6.3f s  cpu %6.3f s  peak RSS %d KiB\n' "$sw" "$sc" "$sr"
  printf '  cold sbom / gzip -dc  wall %s  cpu %s   (target <= 0.5; RSS <= 65536 KiB)\n' \
    "$(ratio "$sw" "$gw")" "$(ratio "$sc" "$gc")"
}
sbom docker-archive "docker-archive:$img/debian-bookworm-minbase.docker.tar.gz" \
  "gzip -dc $img/debian-bookworm-minbase.docker.tar.gz >/dev/null"
sbom oci-archive "oci-archive:$img/debian-bookworm-minbase.oci.tar" \
  "gzip -dc $(echo $layers) >/dev/null"

echo "generated image of 1,000,000 small files"
tests/tools/make-hostile-images "$tmp/h" --many >/dev/null
rm -rf "$tmp/cache"
t "$bin" --cold-only "$tmp/cache" "docker-archive:$tmp/h/many.tar"
printf '  cold load           wall %6.3f s  cpu %6.3f s  peak RSS %d KiB   (target <= 65536 KiB)\n' \
  "$(field 1)" "$(field 2)" "$(field 3)"
t "$bin" --warm-only "$tmp/cache" "docker-archive:$tmp/h/many.tar"
printf '  warm load           wall %6.3f s  cpu %6.3f s  peak RSS %d KiB\n' \
  "$(field 1)" "$(field 2)" "$(field 3)"
