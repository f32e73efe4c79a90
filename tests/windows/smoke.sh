#!/usr/bin/env bash
# Windows smoke run: the CLI cross-built for Windows with mingw runs `darwinix.exe doctor --json`
# under Wine. It must finish without panicking and describe a Windows machine sensibly (Wine
# here: no WSL, no Python, no NVIDIA library): first alone (not ready: nothing can make a venv),
# then as the installers ship it, with uv for Windows (from its pinned PyPI wheel) beside it as
# `darwinix-uv.exe`: that uv must run under Wine and be the one doctor picks (ready: it can
# install a Python). Needs wine64 and gcc-mingw-w64-x86-64 (Debian;
# `./dev test` installs them) and the x86_64-pc-windows-gnu Rust target.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=x86_64-pc-windows-gnu
OUT=target/$TARGET/debug
WINE=${WINE:-/usr/lib/wine/wine64}
ART=tests/artifacts/windows
mkdir -p "$ART"

export WINEPREFIX=$PWD/target/wine-prefix WINEDEBUG=-all
# While cargo builds (both cores): Wine makes its prefix (its first start, ~10 s, mostly waiting)
# and uv for Windows is fetched from its pinned PyPI wheel (packaging/sidecars.py), both used below.
mkdir -p "$(dirname "$WINEPREFIX")"
"$WINE" wineboot --init >/dev/null 2>&1 &
wineboot=$!
python3 packaging/sidecars.py --target x86_64-pc-windows-msvc --skip-cli &
uv_fetch=$!
cargo build -p darwinix-cli --target "$TARGET"
wait "$uv_fetch"
# A failed wineboot shows again, with its messages, in the first run below.
wait "$wineboot" || true
# Wine 8 (Debian 12) has no bcryptprimitives.dll, where Rust's standard library asks for random
# bytes; a small stand-in forwarding to RtlGenRandom sits next to the program (Wine 9 has it).
x86_64-w64-mingw32-gcc -shared -O2 -o "$OUT/bcryptprimitives.dll" tests/windows/bcryptprimitives.c -ladvapi32

run() { timeout 300 "$WINE" "$OUT/darwinix.exe" "$@"; }
version=$(run --version)
[[ $version == "darwinix "* ]] || { echo "unexpected --version: $version" >&2; exit 1; }

# doctor NAME EXPECTED_UV: runs `doctor --json`, checks the report, and that its uv is
# EXPECTED_UV ("" for none).
doctor() {
    local name=$1 expected_uv=$2 code
    set +e
    run doctor --json >"$ART/$name.json" 2>"$ART/$name.stderr"
    code=$?
    set -e
    if grep -q "panicked" "$ART/$name.stderr" || [[ $code != 0 && $code != 1 ]]; then
        echo "darwinix.exe doctor failed (exit $code):" >&2
        cat "$ART/$name.stderr" >&2
        exit 1
    fi
    python3 - "$ART/$name.json" "$code" "$expected_uv" <<'PY'
import json, sys
report, code, expected_uv = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3] or None
problems = []
if report["os"]["family"] != "windows":
    problems.append(f"os.family is {report['os']['family']!r}")
if report["os"]["wsl"] is not None:
    problems.append("a Windows program cannot be a WSL guest")
if report["wsl"]["status"] not in ("not_installed", "no_distros", "installed"):
    problems.append(f"wsl.status {report['wsl']['status']!r}")
if not isinstance(report["python"]["interpreters"], list):
    problems.append("python.interpreters is not a list")
if report["python"]["uv"] != expected_uv:
    problems.append(f"python.uv is {report['python']['uv']!r}, expected {expected_uv!r}")
if expected_uv and not report["ready"]:
    problems.append("with uv to install a Python, notebooks can run: ready should be true")
if report["gpu"]["devices"] and not report["gpu"]["driver_version"]:
    problems.append("GPU devices without a driver version")
if report["ready"] != (code == 0):
    problems.append(f"exit code {code} but ready={report['ready']}")
if not report["ready"] and not report["ready_reason"]:
    problems.append("not ready, and no reason given")
if problems:
    sys.exit("darwinix.exe doctor: " + "; ".join(problems))
print(f"darwinix.exe doctor under Wine: {report['os']['name']}, WSL {report['wsl']['status']}, "
      f"{len(report['python']['interpreters'])} Python(s), uv {report['python']['uv']}, ready={report['ready']} "
      f"({report['ready_reason'] or 'ok'}), exit {code}, {report['elapsed_ms']} ms")
PY
}

# Alone: no Python and no uv on this "Windows".
rm -f "$OUT/darwinix-uv.exe"
doctor doctor ""
# As installed: uv for Windows from its pinned PyPI wheel (fetched above), beside the program.
# It must run under Wine, and the engine must pick it (then uv can install a Python).
cp src-tauri/binaries/darwinix-uv-x86_64-pc-windows-msvc.exe "$OUT/darwinix-uv.exe"
uv_version=$(timeout 300 "$WINE" "$OUT/darwinix-uv.exe" --version)
[[ $uv_version == "uv "*"x86_64-pc-windows-msvc"* ]] || { echo "the bundled uv.exe says: $uv_version" >&2; exit 1; }
echo "bundled $uv_version runs under Wine"
# Wine shows the Linux root as drive Z:.
bundled=$PWD/$OUT/darwinix-uv.exe
doctor doctor-bundled-uv "Z:${bundled//\//\\}"
