#!/usr/bin/env bash
# Windows smoke run: the CLI cross-built for Windows with mingw runs `darwinix.exe doctor --json`
# under Wine. It must finish without panicking and describe a Windows machine sensibly (Wine
# here: no WSL, no Python, no NVIDIA library). Needs wine64 and gcc-mingw-w64-x86-64 (Debian;
# `./dev test` installs them) and the x86_64-pc-windows-gnu Rust target.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=x86_64-pc-windows-gnu
OUT=target/$TARGET/debug
WINE=${WINE:-/usr/lib/wine/wine64}
ART=tests/artifacts/windows
mkdir -p "$ART"

cargo build -p darwinix-cli --target "$TARGET"
# Wine 8 (Debian 12) has no bcryptprimitives.dll, where Rust's standard library asks for random
# bytes; a small stand-in forwarding to RtlGenRandom sits next to the program (Wine 9 has it).
x86_64-w64-mingw32-gcc -shared -O2 -o "$OUT/bcryptprimitives.dll" tests/windows/bcryptprimitives.c -ladvapi32

export WINEPREFIX=$PWD/target/wine-prefix WINEDEBUG=-all
run() { timeout 300 "$WINE" "$OUT/darwinix.exe" "$@"; }
version=$(run --version)
[[ $version == "darwinix "* ]] || { echo "unexpected --version: $version" >&2; exit 1; }

set +e
run doctor --json >"$ART/doctor.json" 2>"$ART/doctor.stderr"
code=$?
set -e
if grep -q "panicked" "$ART/doctor.stderr" || [[ $code != 0 && $code != 1 ]]; then
    echo "darwinix.exe doctor failed (exit $code):" >&2
    cat "$ART/doctor.stderr" >&2
    exit 1
fi
python3 - "$ART/doctor.json" "$code" <<'PY'
import json, sys
report, code = json.load(open(sys.argv[1])), int(sys.argv[2])
problems = []
if report["os"]["family"] != "windows":
    problems.append(f"os.family is {report['os']['family']!r}")
if report["os"]["wsl"] is not None:
    problems.append("a Windows program cannot be a WSL guest")
if report["wsl"]["status"] not in ("not_installed", "no_distros", "installed"):
    problems.append(f"wsl.status {report['wsl']['status']!r}")
if not isinstance(report["python"]["interpreters"], list):
    problems.append("python.interpreters is not a list")
if report["gpu"]["devices"] and not report["gpu"]["driver_version"]:
    problems.append("GPU devices without a driver version")
if report["ready"] != (code == 0):
    problems.append(f"exit code {code} but ready={report['ready']}")
if not report["ready"] and not report["ready_reason"]:
    problems.append("not ready, and no reason given")
if problems:
    sys.exit("darwinix.exe doctor: " + "; ".join(problems))
print(f"darwinix.exe doctor under Wine: {report['os']['name']}, WSL {report['wsl']['status']}, "
      f"{len(report['python']['interpreters'])} Python(s), ready={report['ready']} "
      f"({report['ready_reason'] or 'ok'}), exit {code}, {report['elapsed_ms']} ms")
PY
