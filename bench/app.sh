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

# What a person sees, by the colour of one pixel: the page's own background (the first paint of
# the window's content) and the Start button (Home is ready to use). The window is 980x700,
# centred.
PAGE_AT=640,600; PAGE_COLOUR=F6F7FB
BUTTON_AT=520,278; BUTTON_COLOUR=4F46E5

shows() {
  local at=$1 colour=$2 c
  c=$(import -silent -window root -depth 8 -crop "1x1+${at%,*}+${at#*,}" -format '%[hex:u.p{0,0}]' info: 2>/dev/null || true)
  [ "$c" = "$colour" ]
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

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

mapped=(); painted=(); ready=()
open_mem=""; tray_mem=""
run_once() {
  local home=$WORK/home-$1 t0 pid session
  mkdir -p "$home/config"
  echo '{"tray_notice_shown": true}' >"$home/config/settings.json"
  t0=$(date +%s%N)
  DARWINIX_HOME=$home DARWINIX_BROWSER=true dbus-run-session -- "$APP" >"$WORK/app-$1.log" 2>&1 &
  session=$!
  xdotool search --sync --onlyvisible --name '^Darwinix$' >/dev/null
  mapped+=("$(ms_since "$t0")")
  for _ in $(seq 300); do shows "$PAGE_AT" "$PAGE_COLOUR" && break; sleep 0.005; done
  painted+=("$(ms_since "$t0")")
  for _ in $(seq 300); do shows "$BUTTON_AT" "$BUTTON_COLOUR" && break; sleep 0.005; done
  ready+=("$(ms_since "$t0")")
  shows "$BUTTON_AT" "$BUTTON_COLOUR" || { echo "the window never showed its Start button (see $WORK/app-$1.log)" >&2; exit 1; }
  pid=$(pgrep -n -f "^$APP")
  if [ "$1" = 1 ]; then
    sleep 5
    open_mem=$(memory "$pid")
    python3 tests/support/xclose.py "$(xdotool search --name '^Darwinix$' | head -1)"
    sleep 5
    tray_mem=$(memory "$pid")
  fi
  kill "$pid"; wait "$session" 2>/dev/null || true
  sleep 0.5
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
range() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd/ | sed 's#/# – #'; }

for i in $(seq "$RUNS"); do run_once "$i"; done
read -r orss opss oprocs <<<"$open_mem"
read -r trss tpss tprocs <<<"$tray_mem"
echo
echo "| measure ($RUNS launches, release build, Xvfb; polling adds ≈ 40 ms) | median | range | target |"
echo "|---|---|---|---|"
echo "| launch → window mapped | $(median "${mapped[@]}") ms | $(range "${mapped[@]}") ms | |"
echo "| launch → window painted (the page's first paint) | $(median "${painted[@]}") ms | $(range "${painted[@]}") ms | ≤ 1000 ms |"
echo "| launch → Start button shown (Home usable) | $(median "${ready[@]}") ms | $(range "${ready[@]}") ms | |"
echo
echo "| idle memory, summed over the app's processes | RSS | PSS |"
echo "|---|---|---|"
echo "| window open ($oprocs processes: app, web, network) | $orss MiB | $opss MiB |"
echo "| tray only, window closed ($tprocs processes) | $trss MiB | $tpss MiB |"
