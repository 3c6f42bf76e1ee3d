#!/usr/bin/env bash
# The one-pass goal of shipshape.Inspect, side by side in one session:
# `shipshape inspect` (SBOM, secrets, hardening) against `shipshape sbom`
# alone and against the floor (decompress and read every entry), all
# without the layer cache; then the layer cache: a first scan into an
# empty cache, and a rescan. Medians of RUNS alternating runs: wall, CPU
# (user+sys), peak RSS.
#
#   bash bench/inspect-compare.sh [small|large|app ...]
#
# Needs GNU time and the images of ../shared/bench/build-images.sh in
# $W/images (default ~/.cache/shipshape-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${W:-$HOME/.cache/shipshape-bench}
RUNS=${RUNS:-3}
IMAGES=${*:-small large app}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

go build -o "$out/shipshape" ./examples/shipshape
go build -o "$out/floor" ./internal/cmd/floor

measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out/t" "$@" > /dev/null 2> "$out/err" || { cat "$out/err" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2+$3, $4}' "$out/t" >> "$out/$name"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v c="$2" '{print $c}' "$out/$1" | median; }
ratio() { echo "$(col "$1" "$3") / $(col "$2" "$3")" | bc -l; }

printf '%-6s %-14s %9s %9s %10s\n' image run wall_s cpu_s peak_MB
for img in $IMAGES; do
  tar_path="$W/images/$img.tar"
  [ -f "$tar_path" ] || { echo "missing $tar_path: run ../shared/bench/build-images.sh $img" >&2; continue; }
  rm -f "$out"/*-"$img"
  for _ in $(seq "$RUNS"); do
    measure "sbom-$img" "$out/shipshape" sbom "docker-archive:$tar_path" --format cyclonedx-json --no-layer-cache
    measure "inspect-$img" "$out/shipshape" inspect "docker-archive:$tar_path" --format json --no-layer-cache
    measure "floor-$img" "$out/floor" -parallel "docker-archive:$tar_path"
    rm -rf "$out/cache"
    measure "cold-$img" "$out/shipshape" inspect "docker-archive:$tar_path" --format json --layer-cache "$out/cache"
    measure "rescan-$img" "$out/shipshape" inspect "docker-archive:$tar_path" --format json --layer-cache "$out/cache"
  done
  for run in sbom inspect floor cold rescan; do
    printf '%-6s %-14s %9s %9s %10.0f\n' "$img" "$run" "$(col $run-$img 1)" "$(col $run-$img 2)" "$(echo "$(col $run-$img 3) / 1024" | bc -l)"
  done
  printf '%-6s inspect/sbom wall %.2f cpu %.2f | inspect/floor wall %.2f cpu %.2f | cold cache/inspect wall %.2f | rescan/inspect wall %.3f\n' "$img" \
    "$(ratio inspect-$img sbom-$img 1)" "$(ratio inspect-$img sbom-$img 2)" \
    "$(ratio inspect-$img floor-$img 1)" "$(ratio inspect-$img floor-$img 2)" \
    "$(ratio cold-$img inspect-$img 1)" "$(ratio rescan-$img inspect-$img 1)"
done
