#!/usr/bin/env python3
"""Puts the programs shipped beside the Darwinix app where `tauri build` looks for them
(`src-tauri/binaries/NAME-TARGET[.exe]`, the `externalBin` contract):

* `darwinix-uv`: uv, taken from its wheel on PyPI for the target platform (uv ships its binary
  inside a registry package), checked against the SHA-256 pinned in `packaging/uv-wheels.json`;
* `darwinix`: the command line, built with cargo for the same target;
* `darwinix-tray` (Linux only): the light tray the app becomes when its window closes, built
  with cargo too (`packaging/build-deb` adds it to `externalBin`).

Usage: python3 packaging/sidecars.py [--target TRIPLE] [--skip-cli]
       python3 packaging/sidecars.py --update-pins   (after changing the version in uv-wheels.json)

Only the standard library: it runs on the release runners (macOS, Windows, Linux) as is.
Downloaded wheels are kept in target/uv-wheels, so a second run downloads nothing.
"""

import argparse
import hashlib
import http.client
import json
import os
import shutil
import stat
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "packaging" / "uv-wheels.json"
BINARIES = ROOT / "src-tauri" / "binaries"
CACHE = ROOT / "target" / "uv-wheels"
# PyPI's simple index (its JSON form, PEP 691); pip's mirror setting is honoured, and the pinned
# hashes decide either way.
INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")


def shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def fail(message):
    print(f"sidecars: {message}", file=sys.stderr)
    sys.exit(1)


def host_triple():
    out = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("host:"):
            return line.split()[1]
    fail("`rustc -vV` did not say the host target")


def exe_suffix(triple):
    return ".exe" if "windows" in triple else ""


def release_files(version, index=None):
    url = f"{index or INDEX}/uv/"
    request = urllib.request.Request(url, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.load(response)
    except (OSError, ValueError, http.client.HTTPException) as e:
        fail(f"could not read the uv files listed at {url}: {e}")
    prefix = f"uv-{version}-"
    try:
        # A mirror may answer with addresses relative to the index's.
        return {
            f["filename"]: (urllib.parse.urljoin(url, f["url"]), f["hashes"].get("sha256"))
            for f in data["files"]
            if f["filename"].startswith(prefix)
        }
    except (KeyError, TypeError, AttributeError) as e:
        fail(f"{url} did not answer with a package index's file list ({e!r})")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel(version, pin):
    """The pinned wheel, from the cache or downloaded; never a file whose hash differs."""
    path = CACHE / pin["file"]
    if path.is_file() and sha256(path) == pin["sha256"]:
        return path
    url, _ = release_files(version).get(pin["file"], (None, None))
    if url is None:
        fail(f"PyPI has no {pin['file']} for uv {version}")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    print(f"sidecars: downloading {pin['file']}", file=sys.stderr)
    try:
        with urllib.request.urlopen(url, timeout=120) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except (OSError, http.client.HTTPException) as e:
        partial.unlink(missing_ok=True)
        fail(f"could not download {url}: {e}")
    got = sha256(partial)
    if got != pin["sha256"]:
        partial.unlink()
        fail(f"{pin['file']} has SHA-256 {got}, not the pinned {pin['sha256']}: refusing it")
    partial.replace(path)
    return path


def install(source, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if isinstance(source, bytes):
        tmp.write_bytes(source)
    else:
        shutil.copyfile(source, tmp)
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    tmp.replace(dest)
    print(f"sidecars: {shown(dest)}", file=sys.stderr)


def uv_sidecar(triple):
    pins = json.loads(PINS.read_text())
    pin = pins["wheels"].get(triple)
    if pin is None:
        fail(f"no uv wheel is pinned for {triple} in {shown(PINS)}; known: {', '.join(pins['wheels'])}")
    suffix = exe_suffix(triple)
    member = f"uv-{pins['version']}.data/scripts/uv{suffix}"
    with zipfile.ZipFile(wheel(pins["version"], pin)) as z:
        try:
            data = z.read(member)
        except KeyError:
            fail(f"{pin['file']} has no {member}")
    install(data, BINARIES / f"darwinix-uv-{triple}{suffix}")


def cargo_programs(triple):
    """The programs built with cargo for `triple`: (package, program)."""
    programs = [("darwinix-cli", "darwinix")]
    # The light tray exists on Linux only (see crates/tray/src/lib.rs).
    if "linux" in triple:
        programs.append(("darwinix-tray", "darwinix-tray"))
    return programs


def cli_sidecar(triple, host):
    programs = cargo_programs(triple)
    cmd = ["cargo", "build", "--release", "--locked"]
    for package, _ in programs:
        cmd += ["-p", package]
    # The app in the same command: cargo turns on, in a crate they share, the features of what
    # one command builds, so the programs built apart would compile most shared crates twice
    # (`packaging/build-deb` then bundles the app built here with `tauri bundle`; elsewhere
    # `tauri build` builds this same list, which then finds it done).
    cmd += ["-p", "darwinix-app"]
    # Without --target the CLI lands in target/release, beside the app built here.
    out = ROOT / "target" / "release"
    if triple != host:
        cmd += ["--target", triple]
        out = ROOT / "target" / triple / "release"
    subprocess.run(cmd, cwd=ROOT, check=True)
    suffix = exe_suffix(triple)
    for _, program in programs:
        install(out / f"{program}{suffix}", BINARIES / f"{program}-{triple}{suffix}")


def update_pins():
    pins = json.loads(PINS.read_text())
    # Pins come from PyPI itself, never from a mirror the machine happens to use.
    files = release_files(pins["version"], "https://pypi.org/simple")
    for triple, pin in pins["wheels"].items():
        name = pin["file"].split("-py3-none-", 1)[1]
        pin["file"] = f"uv-{pins['version']}-py3-none-{name}"
        if pin["file"] not in files:
            fail(f"PyPI has no {pin['file']}")
        pin["sha256"] = files[pin["file"]][1]
    PINS.write_text(json.dumps(pins, indent=2) + "\n")
    print(f"sidecars: pinned uv {pins['version']} in {shown(PINS)}; review the diff", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help="Rust target triple (default: this machine's)")
    parser.add_argument("--skip-cli", action="store_true", help="only uv")
    parser.add_argument("--update-pins", action="store_true", help="re-read the wheels' hashes from PyPI")
    args = parser.parse_args()
    if args.update_pins:
        return update_pins()
    host = host_triple()
    triple = args.target or host
    uv_sidecar(triple)
    if not args.skip_cli:
        cli_sidecar(triple, host)


if __name__ == "__main__":
    main()
