#!/usr/bin/env bash
# Benchmark: warm `darwinix start` → ready against bare `jupyter lab` → ready (bench/start.py).
# Run with `./dev bench start`.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap './target/release/darwinix stop --all >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
export DARWINIX_HOME="$WORK/home"
./target/release/darwinix new "$WORK/project" --template minimal >/dev/null
python3 bench/start.py ./target/release/darwinix "$WORK/project" "${RUNS:-7}"
