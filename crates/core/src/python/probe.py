# Darwinix interpreter probe. Run as `python -I -B -c <this>`; prints exactly one JSON object.
# Must run on any Python 3 (no f-strings, no walrus): an old one should say what it is, not crash.
import json
import os
import platform
import sys
import sysconfig


def has_module(name):
    try:
        import importlib.util
        return importlib.util.find_spec(name) is not None
    except Exception:
        return False


def has_ensurepip():
    # Debian ships an `ensurepip` whose wheels live in python3-venv; version() finds none without it.
    try:
        import ensurepip
        return bool(ensurepip.version())
    except Exception:
        return False


def externally_managed():
    stdlib = sysconfig.get_path("stdlib")
    return bool(stdlib) and os.path.isfile(os.path.join(stdlib, "EXTERNALLY-MANAGED"))


def depends_on():
    # What the answers below are read from: when any of these changes (python3.X-venv installed,
    # pip added to site-packages, the distro marks the Python externally managed), the cached
    # answer is stale. Directories change mtime when entries are added or removed.
    stdlib = sysconfig.get_path("stdlib") or ""
    paths = [
        stdlib,
        os.path.join(stdlib, "ensurepip"),
        os.path.join(stdlib, "ensurepip", "_bundled"),
        os.path.join(stdlib, "EXTERNALLY-MANAGED"),
        sysconfig.get_path("purelib") or "",
        "/usr/share/python-wheels",
    ]
    return [p for p in paths if p]


def main():
    info = sys.version_info
    is_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    return {
        "result": "success",
        "version": "%d.%d.%d" % (info[0], info[1], info[2]),
        "release_level": info[3],
        "implementation": sys.implementation.name,
        "arch": platform.machine(),
        "pointer_bits": 64 if sys.maxsize > 2 ** 32 else 32,
        "executable": sys.executable,
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "is_venv": is_venv,
        "has_venv": has_module("venv"),
        "has_ensurepip": has_ensurepip(),
        "has_pip": has_module("pip"),
        "externally_managed": externally_managed() and not is_venv,
        "depends_on": depends_on(),
    }


try:
    result = main()
except Exception as e:
    result = {"result": "error", "kind": type(e).__name__, "message": str(e)}
sys.stdout.write(json.dumps(result) + "\n")
