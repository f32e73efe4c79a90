#!/usr/bin/env bash
# Benchmark: `darwinix doctor` on this machine, cold (no probe cache) and warm, against the
# target of issue [1/7]: under 1.5 s with a cold cache. Prints a Markdown table.
# Run with `./dev bench` (builds the release binary and installs hyperfine first).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=./target/release/darwinix
TARGET_MS=1500
HOME_DIR=$(mktemp -d)
OUT=$(mktemp -d)
trap 'rm -rf "$HOME_DIR" "$OUT"' EXIT
export DARWINIX_HOME="$HOME_DIR"

"$BIN" doctor --json >/dev/null || true   # warm the page cache once, like a user's second try
hyperfine --style basic --warmup 1 --runs 10 --export-json "$OUT/cold.json" \
  --prepare "rm -rf '$HOME_DIR/cache'" -n "doctor, cold cache" "$BIN doctor --json" >/dev/null
hyperfine --style basic --warmup 1 --runs 20 --export-json "$OUT/warm.json" \
  -n "doctor, warm cache" "$BIN doctor --json" >/dev/null
interpreters=$("$BIN" doctor --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r["python"]["interpreters"]) + len(r["python"]["skipped"]))')

python3 - "$OUT/cold.json" "$OUT/warm.json" "$TARGET_MS" "$interpreters" <<'PY'
import json, sys
cold, warm, target, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
print(f"\n`darwinix doctor --json`, {n} interpreters probed, baseline: issue [1/7] target {target} ms cold\n")
print("| case | mean ms | min ms | max ms | target ms | verdict |")
print("|---|---:|---:|---:|---:|---|")
ok = True
for path, limit in ((cold, target), (warm, None)):
    r = json.load(open(path))["results"][0]
    mean, lo, hi = (r[k] * 1000 for k in ("mean", "min", "max"))
    verdict = "—" if limit is None else ("meets target" if mean < limit else "MISSES target")
    ok &= limit is None or mean < limit
    print(f"| {r['command']} | {mean:.0f} | {lo:.0f} | {hi:.0f} | {limit or '—'} | {verdict} |")
sys.exit(0 if ok else 1)
PY
