#!/usr/bin/env bash
# The project's test command: installs what the tests need (once, cached in .cache/),
# then runs every check CI runs. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/tools.sh
cargo build --quiet --bins
# Generated files must match the typed values they come from.
./target/debug/osmo-chart schema --check
./target/debug/osmo-chart docs --check
cargo test --quiet
