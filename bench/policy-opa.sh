#!/usr/bin/env bash
# Evaluates the 20-rule benchmark policy of policy/bench_test.go with
# shipshape (go test -bench) and, written in Rego (bench/policy-opa/policy.rego),
# with OPA on the same input, and prints both timings and each side's
# violations per rule. OPA is built in a throwaway module under a temp
# directory (through the Go module proxy); nothing is added to go.mod.
#   usage: bash bench/policy-opa.sh [OPA_VERSION]   (default v1.22.2)
set -euo pipefail
cd "$(dirname "$0")/.."
opa_version="${1:-v1.22.2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== exporting the benchmark input and shipshape's decision"
SHIPSHAPE_POLICY_EXPORT="$work" go test -count=1 -run '^TestExportBenchInput$' ./policy/ >/dev/null

echo "== building OPA $opa_version in a throwaway module"
mkdir "$work/opabench"
cp bench/policy-opa/main.go.in "$work/opabench/main.go"
(
  cd "$work/opabench"
  export GOWORK=off GOFLAGS=-mod=mod
  go mod init opabench >/dev/null 2>&1
  go get "github.com/open-policy-agent/opa@$opa_version" >/dev/null 2>&1
  go build -o "$work/opabench.bin" .
)

echo "== shipshape (go test -bench BenchmarkEvaluate20Rules, 5 runs)"
go test -run '^$' -bench '^BenchmarkEvaluate20Rules$' -count 5 ./policy/ | grep -E '^Benchmark'

echo "== OPA"
"$work/opabench.bin" bench/policy-opa/policy.rego "$work/input.json" "$work/decision.json"
