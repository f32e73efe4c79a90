#!/usr/bin/env bash
# Benchmark: the desktop app's launch → window painted (target ≤ 1 s), and its idle memory
# summed over its processes, with the window open and tray-only (window closed, webview freed).
# Run with `./dev bench app` (release build, under Xvfb with a tray, like a fresh login).
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${DARWINIX_APP:-$PWD/target/release/darwinix-app}
RUNS=${RUNS:-10}
WORK=$(mktemp -d)
trap 'pkill -P $$ >/dev/null 2>&1 || true; [ -n "${XVFB:-}" ] && kill "$XVFB" 2>/dev/null; rm -rf "$WORK"' EXIT

n=120; while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
export DISPLAY=:$n
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & XVFB=$!
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

# The Start button's colour at a point inside it (the window is centred at 980x700).
BUTTON_AT=${BUTTON_AT:-520,278}
BUTTON_COLOUR=4F46E5

painted() {
  local c
  c=$(import -silent -window root -depth 8 -crop "1x1+${BUTTON_AT%,*}+${BUTTON_AT#*,}" -format '%[hex:u.p{0,0}]' info: 2>/dev/null || true)
  [ "$c" = "$BUTTON_COLOUR" ]
}

# Resident and proportional memory of the app and every process under it, in MiB.
memory() {
  local root=$1 pids rss=0 pss=0
  pids="$root $(pgrep -P "$root" | tr '\n' ' ')"
  for p in $pids; do
    [ -r "/proc/$p/smaps_rollup" ] || continue
    rss=$((rss + $(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup")))
    pss=$((pss + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")))
  done
  echo "$((rss / 1024)) $((pss / 1024)) $(echo "$pids" | wc -w)"
}

launches=()
open_mem=""; tray_mem=""
run_once() {
  local home=$WORK/home-$1 t0 t1 pid
  mkdir -p "$home/config"
  echo '{"tray_notice_shown": true}' >"$home/config/settings.json"
  t0=$(date +%s%N)
  DARWINIX_HOME=$home DARWINIX_BROWSER=true dbus-run-session -- "$APP" >"$WORK/app-$1.log" 2>&1 &
  for _ in $(seq 300); do painted && break; sleep 0.01; done
  t1=$(date +%s%N)
  painted || { echo "the window never showed its Start button (see $WORK/app-$1.log)" >&2; exit 1; }
  launches+=($(((t1 - t0) / 1000000)))
  pid=$(pgrep -n -f "^$APP")
  if [ "$1" = 1 ]; then
    sleep 5
    open_mem=$(memory "$pid")
    python3 tests/support/xclose.py "$(xdotool search --name '^Darwinix$' | head -1)"
    sleep 5
    tray_mem=$(memory "$pid")
  fi
  kill "$pid"; wait 2>/dev/null || true
  sleep 0.5
}

for i in $(seq "$RUNS"); do run_once "$i"; done
sorted=$(printf '%s\n' "${launches[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
read -r orss opss oprocs <<<"$open_mem"
read -r trss tpss tprocs <<<"$tray_mem"
echo
echo "| measure ($RUNS runs, release build, Xvfb) | result | target |"
echo "|---|---|---|"
echo "| launch → window painted, median | $median ms | ≤ 1000 ms |"
echo "| launch → window painted, min / max | $(echo "$sorted" | head -1) / $(echo "$sorted" | tail -1) ms | |"
echo "| idle memory, window open ($oprocs processes) | RSS $orss MiB, PSS $opss MiB | measured |"
echo "| idle memory, tray only ($tprocs processes) | RSS $trss MiB, PSS $tpss MiB | measured |"
