#!/usr/bin/env bash
# Side-by-side benchmark of `shipshape sbom` against Syft and against the
# floor (a program that only decompresses every layer and reads every tar
# entry), on the images ../shared/bench/build-images.sh builds. All tools
# run in the same session, alternating, RUNS times each; the median of wall
# time, CPU time (user+sys) and peak RSS is reported with the ratios.
#
#   bash bench/compare.sh [small|large|app ...]
#
# Needs: GNU time (/usr/bin/time), syft on PATH (go install
# github.com/anchore/syft/cmd/syft@v1.54.1), and the images in
# $W/images (default ~/.cache/shipshape-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${W:-$HOME/.cache/shipshape-bench}
RUNS=${RUNS:-3}
IMAGES=${*:-small large app}
SYFT=${SYFT:-$(command -v syft || echo "$HOME/go/bin/syft")}
export SYFT_CHECK_FOR_APP_UPDATE=false
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

go build -o "$out/shipshape" ./examples/shipshape
go build -o "$out/floor" ./internal/cmd/floor

# measure NAME CMD... : appends "wall cpu rss_kb" to $out/NAME
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out/t" "$@" > /dev/null 2> "$out/err" || { cat "$out/err" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2+$3, $4}' "$out/t" >> "$out/$name"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v c="$2" '{print $c}' "$out/$1" | median; }

printf '%-6s %-10s %9s %9s %10s\n' image tool wall_s cpu_s peak_MB
for img in $IMAGES; do
  tar_path="$W/images/$img.tar"
  [ -f "$tar_path" ] || { echo "missing $tar_path: run ../shared/bench/build-images.sh $img" >&2; continue; }
  rm -f "$out"/{shipshape,syft,floor}-$img
  for _ in $(seq "$RUNS"); do
    measure "shipshape-$img" "$out/shipshape" sbom "docker-archive:$tar_path" --format cyclonedx-json --no-layer-cache
    measure "syft-$img" "$SYFT" "docker-archive:$tar_path" -o cyclonedx-json
    measure "floor-$img" "$out/floor" -parallel "docker-archive:$tar_path"
  done
  for tool in shipshape syft floor; do
    printf '%-6s %-10s %9s %9s %10.0f\n' "$img" "$tool" "$(col $tool-$img 1)" "$(col $tool-$img 2)" "$(echo "$(col $tool-$img 3) / 1024" | bc -l)"
  done
  s_w=$(col shipshape-$img 1); s_c=$(col shipshape-$img 2); s_m=$(col shipshape-$img 3)
  printf '%-6s ratios: vs syft wall %.2f cpu %.2f mem %.3f | vs floor wall %.2f cpu %.2f\n' "$img" \
    "$(echo "$s_w / $(col syft-$img 1)" | bc -l)" "$(echo "$s_c / $(col syft-$img 2)" | bc -l)" \
    "$(echo "$s_m / $(col syft-$img 3)" | bc -l)" \
    "$(echo "$s_w / $(col floor-$img 1)" | bc -l)" "$(echo "$s_c / $(col floor-$img 2)" | bc -l)"
done
