#!/usr/bin/env bash
# End-to-end test of the desktop app's tray icon.
#
# Starts a real JupyterLab server with the CLI, then runs the app under Xvfb with trayer as the
# only system tray (inside a private D-Bus session, so there is no StatusNotifier host and
# libayatana-appindicator falls back to an XEmbed icon that trayer hosts). Clicks the icon,
# picks "Stop all" in the menu with the keyboard, and passes only if the server then stops:
# `darwinix list --json` prints [] and its jupyter process is gone.
# Then the window's life, with real clicks and keys: closing the window (WM_DELETE_WINDOW) leaves
# the app running in the tray without its webview (no WebKitWebProcess left; on Linux the same
# pid becomes the light tray, darwinix-tray, when it is installed beside the app) and shows the
# one-time "still running" notice, which is saved in settings.json; "Show Darwinix" brings the
# window back; a second close shows no notice; a second launch of the binary on the same D-Bus
# session exits by itself and brings the first instance's window back; "Quit Darwinix" ends it.
#
# Usage: tests/tray/run.sh [path/to/darwinix-app]
#   DARWINIX_APP   the app binary (default: target/debug/darwinix-app; $1 wins)
#   DARWINIX_CLI   the CLI binary (default: target/debug/darwinix)
#   KEEP_TMP=1     keep the temporary folder (DARWINIX_HOME, project, logs) for inspection
# Screenshots and logs go to tests/artifacts/tray/.
# Needs: Xvfb, trayer, xdotool, xwininfo (x11-utils), ImageMagick, dbus-run-session, python3 with
# libX11 (tests/support/xclose.py), network access to PyPI (the CLI installs JupyterLab with uv;
# uv's own cache is reused between runs).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APP=${1:-${DARWINIX_APP:-$ROOT/target/debug/darwinix-app}}
CLI=${DARWINIX_CLI:-$ROOT/target/debug/darwinix}
ART=$ROOT/tests/artifacts/tray
T0=$SECONDS

log() { printf '[tray-test %3ss] %s\n' "$((SECONDS - T0))" "$*" >&2; }
fail() {
    log "FAIL: $*"
    exit 1
}

for tool in Xvfb trayer xdotool xwininfo import convert dbus-run-session setsid python3; do
    command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
[[ -x $APP ]] || fail "app binary not found: $APP (cargo build -p darwinix-app)"
[[ -x $CLI ]] || fail "CLI binary not found: $CLI (cargo build -p darwinix-cli)"
APP=$(cd "$(dirname "$APP")" && pwd)/$(basename "$APP")
CLI=$(cd "$(dirname "$CLI")" && pwd)/$(basename "$CLI")

TMP=$(mktemp -d /tmp/darwinix-tray-test.XXXXXX)
HOME_DIR=$TMP/home
PROJ=$TMP/proj
mkdir -p "$ART"
rm -f "$ART"/*.png "$ART"/*.log

XVFB_PID="" SESSION_PID="" SERVER_PID="" DISPLAY_NUM="" APP2_PID=""

# PID 1 here does not reap orphans: a zombie (state Z) counts as dead.
alive() {
    local state
    [[ -n ${1:-} && -r /proc/$1/stat ]] || return 1
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

# Sends TERM, waits up to $2 seconds, then KILL.
stop_pid() {
    local pid=$1 wait_s=${2:-5} i
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 10; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# Every live process of a process group.
group_pids() { ps -eo pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ {print $1}'; }

dx() { DISPLAY=:$DISPLAY_NUM "$@"; }
cli() { DARWINIX_HOME=$HOME_DIR DARWINIX_BROWSER=true "$CLI" "$@"; }

cleanup() {
    local rc=$? pid i
    trap - EXIT INT TERM
    set +e
    log "cleaning up"
    for f in app trayer; do
        [[ -s $TMP/$f.pid ]] && stop_pid "$(cat "$TMP/$f.pid")" 5
    done
    # The second instance runs in its own process group.
    if [[ -n $APP2_PID ]]; then
        for pid in $(group_pids "$APP2_PID"); do stop_pid "$pid" 3; done
        wait "$APP2_PID" 2>/dev/null
    fi
    if [[ -n $SESSION_PID ]]; then
        # With the app and trayer gone the session script ends and dbus-run-session stops the bus.
        for ((i = 0; i < 30; i++)); do
            alive "$SESSION_PID" || break
            sleep 0.1
        done
        # dbus-run-session, the bus and anything started in that session (WebKit helpers, ...)
        for pid in $(group_pids "$SESSION_PID"); do kill -TERM "$pid" 2>/dev/null; done
        sleep 0.5
        for pid in $(group_pids "$SESSION_PID"); do kill -KILL "$pid" 2>/dev/null; done
        wait "$SESSION_PID" 2>/dev/null
    fi
    if [[ -n $SERVER_PID ]] && alive "$SERVER_PID"; then
        log "server $SERVER_PID still running; stopping it"
        cli stop --all >/dev/null 2>&1
        stop_pid "$SERVER_PID" 5
    fi
    # Anything else still running from the project's environment (kernels, ...).
    for pid in $(pgrep -f "$PROJ/.venv/" 2>/dev/null); do
        alive "$pid" && stop_pid "$pid" 3
    done
    if [[ -n $XVFB_PID ]]; then
        stop_pid "$XVFB_PID" 5
        wait "$XVFB_PID" 2>/dev/null
    fi
    for f in "$TMP"/*.log "$HOME_DIR"/data/logs/*.log; do
        [[ -f $f ]] && cp "$f" "$ART/" 2>/dev/null
    done
    if [[ ${KEEP_TMP:-} == 1 ]]; then
        log "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    if ((rc == 0)); then
        log "PASS (${SECONDS}s; screenshots in ${ART#"$ROOT"/})"
    else
        log "FAILED with status $rc (screenshots and logs in ${ART#"$ROOT"/})"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

shot() {
    dx import -window root "$ART/$1.png" 2>/dev/null || log "warning: screenshot $1 failed"
    log "screenshot ${ART#"$ROOT"/}/$1.png"
}

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local timeout=$1 end
    shift
    end=$((SECONDS + timeout))
    until "$@"; do
        ((SECONDS < end)) || return 1
        sleep 0.2
    done
}

server_count() { cli list --json 2>/dev/null | grep -c '"pid"' || true; }
registry_empty() { [[ $(cli list --json 2>/dev/null | tr -d '[:space:]') == "[]" ]]; }
project_procs() {
    local pid
    for pid in $(pgrep -f "$PROJ/.venv/" 2>/dev/null); do alive "$pid" && echo "$pid"; done
    return 0
}

# ---- 1. a real JupyterLab server, started by the CLI ----------------------------------------
log "temporary DARWINIX_HOME: $HOME_DIR"
cli new --template minimal "$PROJ" >"$TMP/cli-new.log" 2>&1 || fail "darwinix new failed: $(cat "$TMP/cli-new.log")"
# Its own JupyterLab (the test finds the server's processes by the project's .venv).
printf 'jupyterlab\n' >"$PROJ/requirements.txt"
log "starting JupyterLab with the CLI (installs it with uv; may take a minute)"
cli start --no-browser --json "$PROJ" >"$TMP/cli-start.log" 2>&1 ||
    fail "darwinix start failed: $(tail -n 20 "$TMP/cli-start.log")"
SERVER_PID=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$TMP/cli-start.log" | tail -n 1)
PORT=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$TMP/cli-start.log" | tail -n 1)
[[ -n $SERVER_PID && -n $PORT ]] || fail "could not read pid/port from: $(cat "$TMP/cli-start.log")"
alive "$SERVER_PID" || fail "server process $SERVER_PID is not running"
[[ $(server_count) == 1 ]] || fail "expected 1 server in 'darwinix list --json', got: $(cli list --json)"
log "server running: pid $SERVER_PID, port $PORT"

# ---- 2. X server, tray and app ----------------------------------------------------------------
for n in $(seq 90 199); do
    [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
    XVFB_PID=$!
    DISPLAY_NUM=$n
    # Ours once the lock file holds our pid (another server may have taken :$n meanwhile).
    if wait_for 10 eval 'alive $XVFB_PID && [[ $(tr -d " " 2>/dev/null <"/tmp/.X$n-lock") == "$XVFB_PID" ]] &&
        dx xwininfo -root >/dev/null 2>&1'; then
        break
    fi
    stop_pid "$XVFB_PID" 2
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID="" DISPLAY_NUM=""
done
[[ -n $DISPLAY_NUM ]] || fail "could not start Xvfb on any display :90-:199"
log "Xvfb running on :$DISPLAY_NUM (pid $XVFB_PID)"

# The first close of the window must show the one-time notice (checked below), so the settings
# must not say it was shown already.
SETTINGS=$HOME_DIR/config/settings.json
notice_saved() {
    python3 - "$SETTINGS" <<'PY'
import json, sys
try:
    sys.exit(0 if json.load(open(sys.argv[1])).get("tray_notice_shown") is True else 1)
except (OSError, ValueError, AttributeError):
    sys.exit(1)
PY
}
notice_saved && fail "$SETTINGS already says tray_notice_shown before the app started"

cat >"$TMP/session.sh" <<'EOF'
# Runs inside dbus-run-session: trayer first, then the app once the tray is there.
trayer --edge top --align right --widthtype request --height 32 --transparent false \
    --expand true >"$TMP/trayer.log" 2>&1 &
echo $! >"$TMP/trayer.pid"
for _ in $(seq 50); do
    xwininfo -root -tree 2>/dev/null | grep -q '("panel" "trayer")' && break
    sleep 0.2
done
# The bus address lets the test launch a second instance on this bus from outside.
printf '%s\n' "$DBUS_SESSION_BUS_ADDRESS" >"$TMP/bus-address"
"$APP" >"$TMP/app.log" 2>&1 &
app=$!
echo "$app" >"$TMP/app.pid"
wait "$app"
echo $? >"$TMP/app.rc"
wait
EOF
# Its own process group, so cleanup finds everything started in the session.
DISPLAY=:$DISPLAY_NUM TMP=$TMP APP=$APP DARWINIX_HOME=$HOME_DIR DARWINIX_BROWSER=true \
    NO_AT_BRIDGE=1 GTK_A11Y=none \
    setsid dbus-run-session -- bash "$TMP/session.sh" >"$TMP/dbus.log" 2>&1 &
SESSION_PID=$!
wait_for 15 test -s "$TMP/app.pid" || fail "the session did not start the app (see dbus.log, trayer.log)"
APP_PID=$(cat "$TMP/app.pid")
log "trayer (pid $(cat "$TMP/trayer.pid")) and app (pid $APP_PID) started in a private D-Bus session"

# ---- 3. find the icon in trayer ---------------------------------------------------------------
# The fallback icon is an XEmbed window of class "tray-icon tray app main", reparented into the
# trayer panel ("panel" "trayer"); look for it only inside the panel's subtree.
find_icon() {
    local panel
    panel=$(dx xwininfo -root -tree 2>/dev/null | awk '/\("panel" "trayer"\)/ {print $1; exit}')
    [[ -n $panel ]] || return 1
    ICON=$(dx xwininfo -id "$panel" -tree 2>/dev/null |
        awk '/"tray-icon tray app main"/ {print $1; exit}')
    [[ -n $ICON ]] || return 1
    local info
    info=$(dx xwininfo -id "$ICON" 2>/dev/null) || return 1
    ICON_X=$(awk '/Absolute upper-left X/ {print $NF}' <<<"$info")
    ICON_Y=$(awk '/Absolute upper-left Y/ {print $NF}' <<<"$info")
    ICON_W=$(awk '/Width:/ {print $NF}' <<<"$info")
    ICON_H=$(awk '/Height:/ {print $NF}' <<<"$info")
    grep -q 'IsViewable' <<<"$info" && ((ICON_W >= 8 && ICON_H >= 8))
}
wait_for 30 find_icon || {
    shot no-icon
    alive "$APP_PID" || fail "the app exited: $(tail -n 20 "$TMP/app.log")"
    fail "no tray icon of the app appeared in trayer within 30 s"
}
log "tray icon $ICON in trayer at ${ICON_X},${ICON_Y} size ${ICON_W}x${ICON_H}"

# The app lists the servers as soon as it starts and every 3 s after; let the first listing
# (which probes the server) land in the menu before opening it.
sleep 4
alive "$SERVER_PID" || fail "the server stopped before the tray was used"
[[ $(server_count) == 1 ]] || fail "the server left the registry before the tray was used"
shot 1-tray

# ---- 4. open the menu with a click on the icon ------------------------------------------------
viewable_toplevels() {
    local id
    for id in $(dx xwininfo -root -children 2>/dev/null | awk '/^ +0x/ {print $1}'); do
        dx xwininfo -id "$id" 2>/dev/null | grep -q IsViewable && echo "$id"
    done
    return 0
}
# The menu: a viewable top-level that was not there before the click.
find_menu() {
    local id info w h
    for id in $(viewable_toplevels); do
        grep -qx "$id" <<<"$BEFORE" && continue
        info=$(dx xwininfo -id "$id" 2>/dev/null) || continue
        w=$(awk '/Width:/ {print $NF}' <<<"$info")
        h=$(awk '/Height:/ {print $NF}' <<<"$info")
        ((w >= 50 && h >= 50)) || continue
        MENU=$id MENU_W=$w MENU_H=$h
        MENU_X=$(awk '/Absolute upper-left X/ {print $NF}' <<<"$info")
        MENU_Y=$(awk '/Absolute upper-left Y/ {print $NF}' <<<"$info")
        return 0
    done
    return 1
}
open_menu() {
    local attempt
    BEFORE=$(viewable_toplevels)
    for attempt in 1 2 3; do
        dx xdotool mousemove "$((ICON_X + ICON_W / 2))" "$((ICON_Y + ICON_H / 2))" click 1
        if wait_for 3 find_menu; then
            log "menu $MENU open at ${MENU_X},${MENU_Y} size ${MENU_W}x${MENU_H} (click $attempt)"
            sleep 0.3
            return 0
        fi
        log "warning: no menu after click $attempt on the icon"
    done
    return 1
}
open_menu || { shot no-menu; fail "clicking the tray icon did not open its menu"; }
shot 2-menu-open

# ---- 5. pick "Stop all" -----------------------------------------------------------------------
# Items: one submenu per server, a separator, "Stop all", "Show Darwinix", "Quit Darwinix".
# Down moves over the sensitive items only, so with 1 server the 2nd Down lands on "Stop all".
dx xdotool key Down
sleep 0.2
dx xdotool key Down
sleep 0.4
shot 3-stop-all-selected
# Check that the highlighted item is the one right below the separator, i.e. "Stop all" (with no
# server in the menu it would be disabled and the highlight would sit lower): read one pixel
# column near the menu's left edge into runs of equal colour.
runs=$(convert "$ART/3-stop-all-selected.png" -crop "1x$((MENU_H - 2))+$((MENU_X + 12))+$((MENU_Y + 1))" \
    +repage -depth 8 txt:- | awk 'NR > 1 {print $3}' | uniq -c | awk '{print $1, $2}')
bg=$(awk '{n[$2] += $1} END {for (c in n) print n[c], c}' <<<"$runs" | sort -nr | awk 'NR == 1 {print $2}')
selected=$(awk -v bg="$bg" '
    { len[NR] = $1; col[NR] = $2 }
    END {
        for (i = 1; i < NR; i++)
            if (col[i] != bg && len[i] <= 3 && col[i + 1] != bg && col[i + 1] != col[i] && len[i + 1] >= 10) {
                print "yes"; exit
            }
    }' <<<"$runs")
if [[ $selected != yes ]]; then
    log "pixel runs down the menu (count colour), background $bg:"
    sed 's/^/    /' <<<"$runs" >&2
    dx xdotool key Escape
    fail "the highlighted menu item is not the one after the separator (\"Stop all\")"
fi
log "\"Stop all\" is highlighted; pressing Return"
alive "$SERVER_PID" || fail "the server stopped before \"Stop all\" was activated"
dx xdotool key Return

# ---- 6. the server must stop ------------------------------------------------------------------
wait_for 30 registry_empty || {
    shot after-stop-all
    fail "'darwinix list --json' still lists servers 30 s after \"Stop all\": $(cli list --json)"
}
log "'darwinix list --json' prints []"
wait_for 15 eval '! alive "$SERVER_PID" && [[ -z $(project_procs) ]]' ||
    fail "jupyter process(es) still running after \"Stop all\": $SERVER_PID $(project_procs)"
log "jupyter server process $SERVER_PID is gone"
alive "$APP_PID" || fail "the app exited (was \"Quit Darwinix\" activated instead of \"Stop all\"?)"

# The menu, rebuilt by the app, now says there is nothing running.
sleep 1
if open_menu; then
    shot 4-menu-after
    dx xdotool key Escape
else
    log "warning: could not reopen the menu for the final screenshot"
    shot 4-after
fi
alive "$APP_PID" || fail "the app exited"
log "the server was stopped from the tray menu"

# ---- 7. closing the window keeps the app in the tray, without its webview ---------------------
# The app's window: a viewable top-level titled exactly "Darwinix" (no window manager here, so
# no frame around it either).
main_window() {
    WIN=$(dx xdotool search --onlyvisible --name '^Darwinix$' 2>/dev/null | head -n 1)
    [[ -n $WIN ]] && WIN=$(printf '0x%x' "$WIN")
}
no_main_window() { [[ -z $(dx xdotool search --onlyvisible --name '^Darwinix$' 2>/dev/null) ]]; }
# The one-time GTK message dialog "Darwinix is still running".
notice_window() {
    DLG=$(dx xdotool search --onlyvisible --name 'still running' 2>/dev/null | head -n 1)
    [[ -n $DLG ]] && DLG=$(printf '0x%x' "$DLG")
}
no_notice_window() { ! notice_window; }
# Live descendants of process $1, one "pid command" a line.
descendants() {
    ps -eo pid=,ppid=,stat=,comm= | awk -v root="$1" '
        { pid[NR] = $1; ppid[NR] = $2; st[NR] = $3; comm[NR] = $4 }
        END {
            want[root] = 1
            do {
                more = 0
                for (i = 1; i <= NR; i++)
                    if ((ppid[i] in want) && !(pid[i] in want)) { want[pid[i]] = 1; more = 1 }
            } while (more)
            for (i = 1; i <= NR; i++)
                if (pid[i] != root && (pid[i] in want) && st[i] !~ /^Z/) print pid[i], comm[i]
        }'
}
# The app's WebKit web content processes (the kernel cuts comm to "WebKitWebProces").
web_procs() { descendants "$APP_PID" | awk '$2 ~ /^WebKitWebProc/ {print $1}' | tr '\n' ' '; }
has_web_procs() { [[ -n $(web_procs) ]]; }
no_web_procs() { [[ -z $(web_procs) ]]; }
app_tree() { descendants "$APP_PID" | tr '\n' ',' | sed 's/,$//; s/,/, /g'; }
# What is known about an app that is not running any more.
app_gone() {
    local rc
    rc=$(cat "$TMP/app.rc" 2>/dev/null || echo "?")
    echo "the app exited (status $rc); app.log: $(tail -n 5 "$TMP/app.log")"
}
xclose() { dx python3 "$ROOT/tests/support/xclose.py" "$1"; }
# The window must belong to the first instance.
check_window_owner() {
    local owner
    owner=$(dx xdotool getwindowpid "$WIN" 2>/dev/null) || owner=""
    [[ -z $owner || $owner == "$APP_PID" ]] ||
        fail "window $WIN belongs to pid $owner, not to the first instance ($APP_PID)"
}
# The window shows the UI, not a blank page: its own picture has many colours.
window_painted() {
    local colours
    dx import -window "$WIN" "$TMP/win.png" 2>/dev/null || return 1
    colours=$(identify -format '%k' "$TMP/win.png" 2>/dev/null) || return 1
    ((colours >= 50))
}

log "--- window lifecycle ---"
main_window || { shot no-window; fail "CHECK window-open: no viewable window named Darwinix"; }
check_window_owner
wait_for 15 has_web_procs ||
    fail "CHECK webview-running: no WebKitWebProcess under the app while its window is open (its processes: $(app_tree))"
log "main window $WIN is shown; app processes: $(app_tree)"
notice_window && fail "CHECK notice-once: a \"still running\" notice is shown before any close"
xclose "$WIN"
wait_for 10 no_main_window || { shot close-ignored; fail "CHECK close: the window is still shown 10 s after WM_DELETE_WINDOW"; }
log "window closed (WM_DELETE_WINDOW)"
wait_for 10 notice_window || {
    shot no-notice
    alive "$APP_PID" || fail "CHECK stays-in-tray: closing the window ended the app: $(app_gone)"
    fail "CHECK notice-once: no \"Darwinix is still running\" notice within 10 s of the first close"
}
log "notice $DLG \"$(dx xdotool getwindowname "$DLG")\" is shown"
shot 5-closed-notice
wait_for 5 notice_saved ||
    fail "CHECK notice-once: the notice was shown but $SETTINGS does not say tray_notice_shown: true ($(cat "$SETTINGS" 2>&1))"
log "settings.json says tray_notice_shown: true"
# Dismiss it like a user: focus it and press Return (its OK button is the default).
dx xdotool windowfocus --sync "$DLG" 2>/dev/null || true
sleep 0.3
dx xdotool key Return
wait_for 5 no_notice_window || {
    shot notice-stuck
    fail "CHECK notice-once: Return on the notice did not close it"
}
log "notice dismissed with Return"
sleep 1
alive "$APP_PID" || fail "CHECK stays-in-tray: the app exited after its window was closed: $(app_gone)"
no_main_window || fail "CHECK close: a window named Darwinix is shown again without being asked for"
wait_for 10 no_web_procs ||
    fail "CHECK webview-freed: WebKitWebProcess $(web_procs)still runs 10 s after the window closed (app processes: $(app_tree))"
log "the app (pid $APP_PID) runs on without a window and without a WebKitWebProcess; its processes: $(app_tree)"
# Linux: where the light tray is installed beside the app, the app has become it (same pid).
if [[ -x $(dirname "$APP")/darwinix-tray ]]; then
    wait_for 10 eval '[[ $(cat /proc/$APP_PID/comm 2>/dev/null) == darwinix-tray ]]' ||
        fail "CHECK light-tray: pid $APP_PID runs $(cat /proc/$APP_PID/comm 2>/dev/null), not darwinix-tray, 10 s after the close"
    log "pid $APP_PID is now the light tray: $(ps -o rss=,args= -p "$APP_PID") (RSS in KiB)"
fi
shot 6-closed-in-tray

# ---- 8. "Show Darwinix" re-creates the window -------------------------------------------------
# Index of the highlighted menu item counted from the bottom (0 = the last, "Quit Darwinix"), or
# "none": the one run of a non-background colour at least 10 px tall in a pixel column near the
# menu's left edge, measured against the menu's height (items are of equal height).
highlight_from_bottom() {
    convert "$1" -crop "1x$((MENU_H - 2))+$((MENU_X + 12))+$((MENU_Y + 1))" +repage -depth 8 txt:- |
        awk 'NR > 1 {print $3}' | uniq -c | awk '
        { len[NR] = $1; col[NR] = $2; n[$2] += $1 }
        END {
            for (c in n) if (n[c] > best) { best = n[c]; bg = c }
            pos = 0; found = 0
            for (i = 1; i <= NR; i++) {
                if (col[i] != bg && len[i] >= 10) { found++; s = pos; l = len[i] }
                pos += len[i]
            }
            if (found == 1) printf "%d\n", (pos - s - l) / l + 0.5; else print "none"
        }'
}
# Opens the menu, presses Down $2 times, checks that item $3 from the bottom is highlighted (a
# screenshot named $4 shows it) and presses Return. $1 names the item for the messages.
pick_item() {
    local name=$1 downs=$2 want=$3 shot_name=$4 i got
    open_menu || { shot no-menu; fail "clicking the tray icon did not open its menu (for \"$name\")"; }
    for ((i = 0; i < downs; i++)); do
        dx xdotool key Down
        sleep 0.2
    done
    sleep 0.3
    shot "$shot_name"
    got=$(highlight_from_bottom "$ART/$shot_name.png")
    if [[ $got != "$want" ]]; then
        dx xdotool key Escape
        fail "the highlighted menu item is not \"$name\" (item $got from the bottom, wanted $want)"
    fi
    log "\"$name\" is highlighted; pressing Return"
    dx xdotool key Return
}
# No servers: "No notebook servers running" and "Stop all" are disabled, so the first Down lands
# on "Show Darwinix", the second on "Quit Darwinix".
pick_item "Show Darwinix" 1 1 7-show-selected
wait_for 15 main_window || {
    shot show-failed
    alive "$APP_PID" || fail "CHECK show: $(app_gone)"
    fail "CHECK show: no window named Darwinix 15 s after \"Show Darwinix\""
}
check_window_owner
wait_for 15 has_web_procs ||
    fail "CHECK show: the window is back but no WebKitWebProcess runs under the app (its processes: $(app_tree))"
wait_for 15 window_painted || { shot show-blank; fail "CHECK show: the re-created window stays blank"; }
log "\"Show Darwinix\" re-created window $WIN with its webview; app processes: $(app_tree)"
shot 8-shown-again

# ---- 9. the notice is shown once only ---------------------------------------------------------
xclose "$WIN"
wait_for 10 no_main_window || { shot close-ignored; fail "CHECK close: the window is still shown 10 s after the second WM_DELETE_WINDOW"; }
sleep 2
if notice_window; then
    shot notice-again
    fail "CHECK notice-once: the \"still running\" notice was shown again on the second close"
fi
alive "$APP_PID" || fail "CHECK stays-in-tray: the second close ended the app: $(app_gone)"
wait_for 10 no_web_procs ||
    fail "CHECK webview-freed: WebKitWebProcess $(web_procs)still runs 10 s after the second close"
log "second close: no notice, the app runs on without its webview"
shot 9-closed-again

# ---- 10. a second launch hands over to the first instance -------------------------------------
BUS=$(cat "$TMP/bus-address" 2>/dev/null || true)
[[ -n $BUS ]] || fail "the session did not record its D-Bus address"
DISPLAY=:$DISPLAY_NUM DBUS_SESSION_BUS_ADDRESS=$BUS DARWINIX_HOME=$HOME_DIR DARWINIX_BROWSER=true \
    NO_AT_BRIDGE=1 GTK_A11Y=none setsid "$APP" >"$TMP/app2.log" 2>&1 &
APP2_PID=$!
log "second launch: pid $APP2_PID (same DISPLAY, DARWINIX_HOME and D-Bus session)"
wait_for 10 eval '! alive "$APP2_PID"' || {
    shot second-instance
    fail "CHECK single-instance: the second launch (pid $APP2_PID) still runs 10 s later; its processes: $(descendants "$APP2_PID" | tr '\n' ' ')"
}
rc=0
wait "$APP2_PID" || rc=$?
APP2_PID=""
((rc == 0)) || fail "CHECK single-instance: the second launch exited with status $rc: $(tail -n 5 "$TMP/app2.log")"
log "the second launch exited by itself (status 0)"
wait_for 10 main_window || {
    shot no-handover
    alive "$APP_PID" || fail "CHECK single-instance: $(app_gone)"
    fail "CHECK single-instance: the second launch did not bring the first instance's window back"
}
check_window_owner
alive "$APP_PID" || fail "CHECK single-instance: $(app_gone)"
wait_for 15 window_painted || { shot handover-blank; fail "CHECK single-instance: the window brought back stays blank"; }
log "the second launch brought back window $WIN of the first instance (pid $APP_PID)"
shot 10-second-launch

# ---- 11. "Quit Darwinix" ends the app ---------------------------------------------------------
# Its helpers (WebKit's network and web processes) must go with it.
HELPERS=$(descendants "$APP_PID" | awk '{print $1}' | tr '\n' ' ')
helpers_gone() {
    local pid
    for pid in $HELPERS; do alive "$pid" && return 1; done
    return 0
}
pick_item "Quit Darwinix" 2 0 11-quit-selected
wait_for 10 eval '! alive "$APP_PID"' || {
    shot quit-ignored
    fail "CHECK quit: the app (pid $APP_PID) still runs 10 s after \"Quit Darwinix\""
}
wait_for 5 test -s "$TMP/app.rc" || fail "CHECK quit: the app's exit status was not recorded"
rc=$(cat "$TMP/app.rc")
[[ $rc == 0 ]] || fail "CHECK quit: the app exited with status $rc after \"Quit Darwinix\": $(tail -n 5 "$TMP/app.log")"
wait_for 5 no_main_window || fail "CHECK quit: a window named Darwinix is still shown after Quit"
wait_for 5 eval '! find_icon' || fail "CHECK quit: the tray icon is still there after Quit"
wait_for 5 helpers_gone || {
    left=$(for pid in $HELPERS; do alive "$pid" && echo "$pid $(cat "/proc/$pid/comm" 2>/dev/null)"; done | tr '\n' ' ')
    fail "CHECK quit: helper processes of the app still run 5 s after it exited: $left"
}
log "\"Quit Darwinix\" ended the app (status 0); its window and tray icon are gone"
shot 12-quit
