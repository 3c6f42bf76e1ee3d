#!/usr/bin/env bash
# Side-by-side benchmark of `shipshape secrets` against gitleaks and against
# the read floor (find | xargs cat, which only reads every file), on a tree
# of about 1 GB of real files: the Go source tree, the Python standard
# library, /usr/share/doc and a ~600 MB slice of the Go module cache. All
# tools run in the same session, alternating, RUNS times each; the median of
# wall time, CPU time (user+sys) and peak RSS is reported with MB/s and the
# ratios. Then both tools scan the labeled corpus of tools/secretcorpus
# and tools/secretcorpus/cmd/secretscore reports their recall and precision.
#
#   bash bench/secrets-compare.sh
#
# Environment:
#   SHIPSHAPE_BENCH_CACHE  where the trees live (default ~/.cache/shipshape-bench);
#                          the throughput tree is built once, into secrets-tree/
#   RUNS                   timed runs per tool (default 3)
#   SHIPSHAPE_BIN          a shipshape binary to use instead of building
#                          ./examples/shipshape
#   SKIP_SHIPSHAPE=1       measure only the floor and gitleaks (until the
#                          `secrets` subcommand exists)
#   GITLEAKS               the gitleaks binary (default: on PATH, else ~/go/bin/gitleaks)
#   MODCACHE_MB            size of the module-cache slice (default 600)
#
# Needs GNU time (/usr/bin/time; installed with apt-get if missing) and
# gitleaks (go install github.com/zricethezav/gitleaks/v8@v8.30.1). gitleaks
# runs with its default configuration and limits: --max-target-megabytes is
# left at its default (0, no size limit), and its default path allowlist
# skips some files (go.mod/go.sum, vendor/, lockfiles, images, ...) that the
# floor still reads. Page cache is warm: the tree is read once before timing.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${SHIPSHAPE_BENCH_CACHE:-$HOME/.cache/shipshape-bench}
TREE=$CACHE/secrets-tree
CORPUS=$CACHE/secrets-corpus
RUNS=${RUNS:-3}
MODCACHE_MB=${MODCACHE_MB:-600}
GITLEAKS=${GITLEAKS:-$(command -v gitleaks || echo "$HOME/go/bin/gitleaks")}
SKIP_SHIPSHAPE=${SKIP_SHIPSHAPE:-0}
unset GITLEAKS_CONFIG GITLEAKS_CONFIG_TOML # gitleaks's default rules, always
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

die() { echo "secrets-compare: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >&2; else sudo apt-get install -y time >&2; fi
fi
[ -x "$GITLEAKS" ] || die "gitleaks not found (set GITLEAKS, or go install github.com/zricethezav/gitleaks/v8@v8.30.1)"
gitleaks_version=$(go version -m "$GITLEAKS" 2>/dev/null | awk '$1 == "mod" {print $3}')
echo "gitleaks: $GITLEAKS ${gitleaks_version:-(version unknown)}"

mkdir -p "$out/bin"
go build -o "$out/bin/secretscore" ./tools/secretcorpus/cmd/secretscore
go build -o "$out/bin/secretcorpus" ./tools/secretcorpus/cmd/secretcorpus

tools="floor gitleaks"
if [ "$SKIP_SHIPSHAPE" != 1 ]; then
  if [ -n "${SHIPSHAPE_BIN:-}" ]; then
    SHIP=$SHIPSHAPE_BIN
    [ -x "$SHIP" ] || die "SHIPSHAPE_BIN=$SHIP is not an executable"
  else
    SHIP=$out/bin/shipshape
    go build -o "$SHIP" ./examples/shipshape || die "cannot build ./examples/shipshape"
  fi
  if "$SHIP" secrets -h 2>&1 | grep -q 'unknown command'; then
    die "$SHIP has no 'secrets' subcommand yet; point SHIPSHAPE_BIN at a build that has it, or run with SKIP_SHIPSHAPE=1 to measure only the floor and gitleaks"
  fi
  tools="floor gitleaks shipshape"
fi

# --- the throughput tree, built once -------------------------------------------
if [ ! -f "$CACHE/secrets-tree.ok" ]; then
  echo "building $TREE (once)" >&2
  rm -rf "$TREE" "$TREE.tmp"
  mkdir -p "$TREE.tmp/gomodcache"
  cp -r "$(go env GOROOT)/src" "$TREE.tmp/goroot-src"
  # Under its own name: a path ending in lib/python3.11 would be skipped by
  # gitleaks's default allowlist, which would measure nothing.
  tar -C /usr/lib -cf - --exclude=__pycache__ python3.11 | tar -C "$TREE.tmp" -xf -
  cp -r /usr/share/doc "$TREE.tmp/doc"
  mc=$(go env GOMODCACHE)
  budget=$((MODCACHE_MB * 1000 * 1000)); used=0
  # Whole module directories (path@version), in sorted order, until the
  # budget is spent; the download cache (zips) is left out.
  while IFS= read -r -d '' m; do
    [ "$used" -lt "$budget" ] || break
    rel=${m#"$mc"/}
    mkdir -p "$TREE.tmp/gomodcache/$(dirname "$rel")"
    cp -r "$m" "$TREE.tmp/gomodcache/$rel"
    used=$((used + $(du -sb "$m" | cut -f1)))
  done < <(find "$mc" -path "$mc/cache" -prune -o -type d -name '*@*' -print0 -prune | sort -z)
  # Regular files only, writable, so every tool sees the same files and the
  # tree can be removed.
  find "$TREE.tmp" -type l -delete
  chmod -R u+w "$TREE.tmp"
  mv "$TREE.tmp" "$TREE"
  touch "$CACHE/secrets-tree.ok"
fi
tree_bytes=$(find "$TREE" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
tree_files=$(find "$TREE" -type f | wc -l)
tree_mb=$(echo "$tree_bytes / 1000000" | bc -l)
printf 'tree: %s  %.0f MB in %d files\n' "$TREE" "$tree_mb" "$tree_files"
for d in "$TREE"/*/; do
  printf '  %-12s %6.0f MB %7d files\n' "$(basename "$d")" \
    "$(echo "$(find "$d" -type f -printf '%s\n' | awk '{s += $1} END {print s+0}') / 1000000" | bc -l)" "$(find "$d" -type f | wc -l)"
done

# --- the labeled corpus ----------------------------------------------------------
"$out/bin/secretcorpus" -out "$CORPUS" -seed 1 -force

# --- timing ------------------------------------------------------------------------
# measure NAME OK_CODES CMD... : appends "wall cpu rss_kb" to $out/times-NAME. OK_CODES
# lists the exit codes that mean success ("0", or "0 1" when 1 means findings).
measure() {
  local name=$1 ok=$2; shift 2
  local rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$out/t" "$@" > /dev/null 2> "$out/err" || rc=$?
  case " $ok " in
    *" $rc "*) ;;
    *) cat "$out/err" >&2; die "$name exited with status $rc" ;;
  esac
  tail -n 1 "$out/t" | awk '{printf "%s %.2f %s\n", $1, $2+$3, $4}' >> "$out/times-$name"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v c="$2" '{print $c}' "$out/times-$1" | median; }

echo "warming the page cache" >&2
find "$TREE" -type f -print0 | xargs -0 cat > /dev/null
for i in $(seq "$RUNS"); do
  echo "run $i/$RUNS" >&2
  measure floor "0" bash -c 'find "$1" -type f -print0 | xargs -0 cat > /dev/null' _ "$TREE"
  measure gitleaks "0" "$GITLEAKS" dir "$TREE" --no-banner --report-format json --report-path "$out/gitleaks-tree.json" --exit-code 0
  if [ "$SKIP_SHIPSHAPE" != 1 ]; then
    measure shipshape "0 1" "$SHIP" secrets "dir:$TREE" --format json --output "$out/shipshape-tree.json"
  fi
done

echo
printf '%-10s %9s %9s %9s %10s\n' tool wall_s cpu_s MB/s peak_MB
for t in $tools; do
  printf '%-10s %9s %9s %9.0f %10.0f\n' "$t" "$(col "$t" 1)" "$(col "$t" 2)" \
    "$(echo "$tree_mb / $(col "$t" 1)" | bc -l)" "$(echo "$(col "$t" 3) / 1024" | bc -l)"
done
printf 'gitleaks findings on the tree: %s\n' "$(grep -o '"RuleID"' "$out/gitleaks-tree.json" | wc -l)"
printf 'ratios: gitleaks/floor wall %.2f cpu %.2f\n' \
  "$(echo "$(col gitleaks 1) / $(col floor 1)" | bc -l)" "$(echo "$(col gitleaks 2) / $(col floor 2)" | bc -l)"
if [ "$SKIP_SHIPSHAPE" != 1 ]; then
  printf 'shipshape findings on the tree: %s\n' "$(grep -o '"rule_id"' "$out/shipshape-tree.json" | wc -l)"
  printf 'ratios: gitleaks/shipshape wall %.2f cpu %.2f mem %.2f | shipshape/floor wall %.2f cpu %.2f\n' \
    "$(echo "$(col gitleaks 1) / $(col shipshape 1)" | bc -l)" "$(echo "$(col gitleaks 2) / $(col shipshape 2)" | bc -l)" \
    "$(echo "$(col gitleaks 3) / $(col shipshape 3)" | bc -l)" \
    "$(echo "$(col shipshape 1) / $(col floor 1)" | bc -l)" "$(echo "$(col shipshape 2) / $(col floor 2)" | bc -l)"
fi

# --- recall and precision on the labeled corpus ------------------------------------
echo
"$GITLEAKS" dir "$CORPUS/tree" --no-banner --report-format json --report-path "$out/gitleaks-corpus.json" --exit-code 0 2> "$out/err" \
  || { cat "$out/err" >&2; die "gitleaks failed on the corpus"; }
"$out/bin/secretscore" -v -labels "$CORPUS/labels.json" -tree "$CORPUS/tree" -format gitleaks "$out/gitleaks-corpus.json" > "$out/gitleaks-score.txt"
head -n 1 "$out/gitleaks-score.txt"
if [ "$SKIP_SHIPSHAPE" != 1 ]; then
  rc=0
  "$SHIP" secrets "dir:$CORPUS/tree" --format json --output "$out/shipshape-corpus.json" 2> "$out/err" || rc=$?
  [ "$rc" -le 1 ] || { cat "$out/err" >&2; die "shipshape failed on the corpus"; }
  "$out/bin/secretscore" -v -labels "$CORPUS/labels.json" -tree "$CORPUS/tree" -format shipshape "$out/shipshape-corpus.json" > "$out/shipshape-score.txt"
  head -n 1 "$out/shipshape-score.txt"
  # Per-format recall side by side.
  echo
  printf '%-34s %6s %9s %9s\n' format labels gitleaks shipshape
  join <(awk '/^format/{f=1; next} /^$/{f=0} f {print $1, $2, $3}' "$out/gitleaks-score.txt" | sort) \
       <(awk '/^format/{f=1; next} /^$/{f=0} f {print $1, $3}' "$out/shipshape-score.txt" | sort) |
    awk '{printf "%-34s %6d %9d %9d\n", $1, $2, $3, $4}'
else
  echo
  echo "gitleaks: formats with misses"
  awk '/^format/{f=1; print; next} /^$/{f=0} f && /</' "$out/gitleaks-score.txt"
fi
mkdir -p "$CACHE/secrets-results"
cp "$out"/*-score.txt "$CACHE/secrets-results/"
echo
echo "full score reports (secretscore -v: per format and carrier, misses, false positives) in $CACHE/secrets-results/; corpus in $CORPUS"
