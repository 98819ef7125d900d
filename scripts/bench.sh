#!/usr/bin/env bash
# Times whole processes side by side with the tools users would otherwise run
# (helm template, helm lint), with hyperfine. Not a test: figures go into the README.
# Usage: bash scripts/bench.sh [EXTRA HYPERFINE ARGS]   (writes .cache/bench/*.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/tools.sh
if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine
fi
out=.cache/bench
mkdir -p "$out"
# The figures are for the binary this reports (statically linked on Linux with glibc).
bash scripts/build-release.sh 2>&1 | tee "$out/binary.txt"
tool=./target/release/osmo-chart
helm3=.cache/tools/helm3/helm
helm4=.cache/tools/helm4/helm
example=examples/backend_operator_values.yaml

run() { # $1 = name of the comparison; the rest: commands
  local name=$1; shift
  echo "== $name"
  hyperfine --warmup 3 --min-runs 60 -N -i --export-markdown "$out/$name.md" "$@" "${EXTRA[@]}"
}
EXTRA=("$@")

# Schema: the check CI runs on every commit.
run schema-check "$tool schema --check"
# values-lint against what users run today to check a values file.
run values-lint \
  "$tool values-lint $example" \
  "$helm3 lint --strict chart -f $example" \
  "$helm4 lint --strict chart -f $example"
# The native renderer against helm template (both versions), whole processes.
run render \
  "$tool render osmo-operator -f $example" \
  "$helm3 template osmo-operator chart -f $example" \
  "$helm4 template osmo-operator chart -f $example"
# 1,000 values files in one process: the install guide's values 1,000 times, and 1,000
# files from the differential test's generator (seed 1).
batch="$out/batch"
rm -rf "$batch" && mkdir -p "$batch/example" "$batch/generated"
for i in $(seq -w 1 1000); do cp "$example" "$batch/example/values-$i.yaml"; done
"$tool" generate-values --seed 1 --count 1000 --out "$batch/generated"
hyperfine --warmup 1 --min-runs 5 -N -i --export-markdown "$out/render-batch.md" \
  "$tool render osmo-operator --batch $batch/example" \
  "$tool render osmo-operator --batch $batch/generated" "${EXTRA[@]}"
# check (values-lint, render, every check) against the Helm steps it replaces.
run check \
  "$tool check -f $example" \
  "$helm4 lint --strict chart -f $example" \
  "$helm4 template osmo-operator chart -f $example"
# golden-diff of two renders, and of one render against a golden file.
run golden-diff \
  "$tool golden-diff --base-values examples/token-login.yaml --head-values $example" \
  "$tool golden-diff --golden snapshots/golden -f $example"
