#!/usr/bin/env bash
# Side-by-side hardening checks: shipshape scan --checks hardening and
# Dockle on the benchmark images and on an image crafted with one of each
# misconfiguration (internal/cmd/hardimage). Prints wall, CPU and peak
# memory of each tool and what each reported.
#
# Dockle's module list is refused by the module proxy here, so it is built
# from its downloaded module:
#   go mod download -json github.com/goodwithtech/dockle@v0.4.15
#   cp -r $(go env GOMODCACHE)/github.com/goodwithtech/dockle@v0.4.15 /tmp/dockle && cd /tmp/dockle
#   go build -tags "exclude_graphdriver_btrfs exclude_graphdriver_devicemapper containers_image_openpgp" -o ~/go/bin/dockle ./cmd/dockle
set -euo pipefail
cd "$(dirname "$0")/.."
W="${W:-$HOME/.cache/shipshape-bench}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
go build -o "$out/shipshape" ./examples/shipshape
go run ./internal/cmd/hardimage "$out/hard.tar"
command -v dockle >/dev/null || { echo "dockle not found (see the comment at the top)"; exit 1; }
images=("$out/hard.tar")
for i in small app large; do
  [ -f "$W/images/$i.tar" ] && images+=("$W/images/$i.tar")
done
for img in "${images[@]}"; do
  echo "== $(basename "$img")"
  /usr/bin/time -f "dockle     %e s wall, %U+%S s CPU, %M KB peak" dockle --exit-code 0 -f json -o "$out/d.json" --input "$img" 2>&1 >/dev/null | tail -1
  /usr/bin/time -f "shipshape  %e s wall, %U+%S s CPU, %M KB peak" "$out/shipshape" scan "docker-archive:$img" --checks hardening --no-layer-cache --format json --output "$out/s.json" 2>&1 | tail -1
  python3 - "$out/d.json" "$out/s.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
print("  dockle:   ", ", ".join(f"{x['code']}×{len(x.get('alerts') or [1])}" for x in d.get("details", [])))
c = collections.Counter(h["id"] for h in s.get("hardening", []))
print("  shipshape:", ", ".join(f"{k}×{v}" for k, v in sorted(c.items())))
PY
done
