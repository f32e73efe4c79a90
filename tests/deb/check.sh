#!/usr/bin/env bash
# The Linux package, as a user gets it: builds it (packaging/build-deb), checks what is inside
# (programs, desktop entry with the notebook type, the darwinix:// links and shared project files,
# icons, dependencies, compression), lets dpkg check that it would install here, installs it into a
# clean folder (where xdg-mime must name it as the program for notebooks, darwinix:// links and
# `.darwinix.zip` files) and runs what was installed — `darwinix --version`, `doctor --json` (it must pick the bundled uv), a setup that installs with the
# bundled uv, and the installed app under Xvfb through the tray test (a real window, the tray,
# a real JupyterLab started by the installed CLI). Reports the package's size and fails above
# 20 MB.
#
# Usage: tests/deb/check.sh [PACKAGE.deb]   (default: build it)
# Artifacts: tests/artifacts/deb/ (size.md, the package's file list, logs).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
ART=tests/artifacts/deb
LIMIT_MB=20
mkdir -p "$ART"

log() { printf '[deb-check] %s\n' "$*" >&2; }
fail() {
    log "FAIL: $*"
    exit 1
}

deb=${1:-$(packaging/build-deb)}
[[ -f $deb ]] || fail "no package at $deb"
log "package: $deb"

TMP=$(mktemp -d /tmp/darwinix-deb-check.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
INSTALL=$TMP/root

# ---- what is inside ---------------------------------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == darwinix ]] || fail "Package is '$(field Package)', not darwinix"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
    [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
ar t "$deb" | grep -qx data.tar.xz || fail "the data is not xz-compressed: $(ar t "$deb" | tr '\n' ' ')"
dpkg-deb --contents "$deb" >"$ART/contents.txt"
for path in usr/bin/darwinix-app usr/bin/darwinix usr/bin/darwinix-uv usr/bin/darwinix-tray \
    usr/share/applications/Darwinix.desktop usr/share/icons/hicolor/128x128/apps/darwinix-app.png \
    usr/share/mime/packages/darwinix.xml; do
    grep -q " \./$path\$" "$ART/contents.txt" || fail "the package has no /$path (list: $ART/contents.txt)"
done

# dpkg's own check that it would install here: its dependencies are met by what is installed.
dpkg --dry-run --install "$deb" >"$ART/dpkg-dry-run.log" 2>&1 ||
    fail "dpkg would not install it: $(cat "$ART/dpkg-dry-run.log")"

# ---- installed into a clean folder ------------------------------------------------------------
dpkg-deb --extract "$deb" "$INSTALL"
desktop-file-validate "$INSTALL/usr/share/applications/Darwinix.desktop" ||
    fail "the desktop entry does not validate"
desktop=$INSTALL/usr/share/applications/Darwinix.desktop
# %U: files (as paths or file:// addresses) and darwinix:// links (%F would drop the links).
grep -qx 'Exec=darwinix-app %U' "$desktop" ||
    fail "the desktop entry does not start darwinix-app with the files and links it is given: $(grep Exec= "$desktop")"
grep -qx 'MimeType=application/x-ipynb+json;x-scheme-handler/darwinix;application/x-darwinix-project;' "$desktop" ||
    fail "the desktop entry does not declare notebooks, darwinix:// links and shared project files: $(grep MimeType= "$desktop" || echo 'no MimeType')"
# Installed, and no other program handles these: a double-click or a clicked link opens Darwinix.
# (dpkg's triggers run update-desktop-database and update-mime-database on a real install; here
# they are run by hand.)
update-desktop-database "$INSTALL/usr/share/applications"
XDG_DATA_DIRS="$INSTALL/usr/share" update-mime-database "$INSTALL/usr/share/mime"
for type in application/x-ipynb+json x-scheme-handler/darwinix application/x-darwinix-project; do
    handler=$(env -u XDG_CURRENT_DESKTOP -u DESKTOP_SESSION XDG_DATA_DIRS="$INSTALL/usr/share" \
        XDG_DATA_HOME="$TMP/xdg-data" XDG_CONFIG_HOME="$TMP/xdg-config" XDG_CONFIG_DIRS="$TMP/xdg-config" \
        xdg-mime query default "$type")
    [[ $handler == Darwinix.desktop ]] || fail "xdg-mime names '$handler' for $type, not Darwinix.desktop"
done
log "notebooks, darwinix:// links and shared project files open with: $handler"
# A shared project file is its own type (other zips keep their archive manager): as GLib sees it.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("a", "b")' "$TMP/Course.darwinix.zip"
shared_type=$(XDG_DATA_DIRS="$INSTALL/usr/share:/usr/share" XDG_DATA_HOME="$TMP/xdg-data" \
    gio info -a standard::content-type "$TMP/Course.darwinix.zip" | sed -n 's/.*content-type: //p')
[[ $shared_type == application/x-darwinix-project ]] ||
    fail "Course.darwinix.zip is '$shared_type' to GLib, not application/x-darwinix-project"
for bin in darwinix-app darwinix darwinix-uv darwinix-tray; do
    missing=$(ldd "$INSTALL/usr/bin/$bin" 2>&1 | grep 'not found' || true)
    [[ -z $missing ]] || fail "$bin needs libraries that are not here: $missing"
done

version=$("$INSTALL/usr/bin/darwinix" --version)
[[ $version == "darwinix $(field Version)" ]] || fail "installed darwinix --version says '$version', the package $(field Version)"
uv_version=$("$INSTALL/usr/bin/darwinix-uv" --version)
pinned=$(python3 -c 'import json; print(json.load(open("packaging/uv-wheels.json"))["version"])')
[[ $uv_version == "uv $pinned "* ]] || fail "the bundled uv says '$uv_version', pinned is $pinned"
log "installed: $version, bundled $uv_version"

export DARWINIX_HOME=$TMP/home
"$INSTALL/usr/bin/darwinix" doctor --json >"$ART/doctor.json" || true
python3 - "$ART/doctor.json" "$INSTALL/usr/bin/darwinix-uv" <<'PY' || fail "doctor does not report the bundled uv"
import json, sys
uv = json.load(open(sys.argv[1]))["python"]["uv"]
sys.exit(0 if uv == sys.argv[2] else f"doctor's uv is {uv!r}, not the bundled {sys.argv[2]!r}")
PY

# A setup installs with the bundled uv, even though another uv may be on PATH.
mkdir "$TMP/project"
printf 'six\n' >"$TMP/project/requirements.txt"
"$INSTALL/usr/bin/darwinix" setup "$TMP/project" >"$ART/setup.log" 2>&1 || fail "setup failed: $(tail -n 20 "$ART/setup.log")"
grep -rqF "$INSTALL/usr/bin/darwinix-uv" "$DARWINIX_HOME"/data/logs/ ||
    fail "the setup log does not show the bundled uv at work"
"$TMP/project/.venv/bin/python" -c 'import six' || fail "six is not installed in the project's .venv"
unset DARWINIX_HOME

# ---- size -------------------------------------------------------------------------------------
python3 - "$deb" "$INSTALL" "$(field Installed-Size)" "$LIMIT_MB" >"$ART/size.md" <<'PY'
import os, sys
deb, root, installed_kib, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
mb = lambda n: f"{n / 1e6:.1f} MB"
size = os.path.getsize(deb)
rows = [(f"`{os.path.basename(deb)}` (xz)", mb(size)), ("installed (dpkg's Installed-Size)", mb(installed_kib * 1024))]
for name in ("darwinix-app", "darwinix", "darwinix-uv", "darwinix-tray"):
    rows.append((f"  `/usr/bin/{name}`", mb(os.path.getsize(os.path.join(root, "usr/bin", name)))))
print("| package | size |\n|---|---|")
print("\n".join(f"| {a} | {b} |" for a, b in rows))
print(f"\nTarget: the .deb ≤ {limit} MB: {'met' if size <= limit * 1e6 else 'MISSED'}.")
PY
cat "$ART/size.md" >&2
deb_bytes=$(stat -c %s "$deb")
((deb_bytes <= LIMIT_MB * 1000000)) || fail "the package is $deb_bytes bytes, over $LIMIT_MB MB"

# ---- the installed app, for real --------------------------------------------------------------
log "the installed app under Xvfb (tests/tray/run.sh)"
DARWINIX_CLI=$INSTALL/usr/bin/darwinix tests/tray/run.sh "$INSTALL/usr/bin/darwinix-app"
log "PASS"
