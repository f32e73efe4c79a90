#!/usr/bin/env python3
"""Writes the update manifest `latest.json` of a release, the file the app's updater reads
(tauri.conf.json `plugins.updater.endpoints`: the latest release's `latest.json`).

It is made once, after every platform's job has uploaded its packages and their `.sig` files
(signed with the key in the TAURI_SIGNING_PRIVATE_KEY secret), so no two jobs write it at once:

  packaging/update-manifest.py --tag v0.2.0 --repo darwinix/darwinix --sigs DIR \
      [--notes FILE] > latest.json

DIR holds the release's `*.sig` files (`gh release download TAG -p '*.sig'`). Each signed
package becomes a platform entry (`linux-x86_64-deb`, `darwin-aarch64`, `windows-x86_64`…):
the download address on the release and the signature text. The notes ("what changed", shown in
the app's notice) are the release text up to its first line `---` (what follows is the install
instructions every release repeats).
"""

import argparse
import base64
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

# Package name → the platform keys the updater looks up (`{os}-{arch}-{bundle}`, then
# `{os}-{arch}`). The first match wins; the Windows default is the NSIS installer (per-user).
PATTERNS = [
    (r"_amd64\.deb$", ["linux-x86_64-deb"]),
    (r"_arm64\.deb$", ["linux-aarch64-deb"]),
    (r"_(aarch64|arm64)\.app\.tar\.gz$", ["darwin-aarch64-app", "darwin-aarch64"]),
    (r"_(x64|x86_64)\.app\.tar\.gz$", ["darwin-x86_64-app", "darwin-x86_64"]),
    (r"_x64-setup\.exe$", ["windows-x86_64-nsis", "windows-x86_64"]),
    (r"_x64_[^_]+\.msi$", ["windows-x86_64-msi"]),
]


def platforms_of(package):
    """The platform keys a package serves ([] for one the updater does not install)."""
    for pattern, keys in PATTERNS:
        if re.search(pattern, package):
            return keys
    return []


def notes_of(body):
    """The release text up to the first `---` line, trimmed."""
    lines = []
    for line in (body or "").splitlines():
        if line.strip() == "---":
            break
        lines.append(line)
    return "\n".join(lines).strip()


def manifest(version, notes, signatures, base_url, pub_date):
    """`signatures`: package file name → its `.sig` file's text."""
    platforms = {}
    for package in sorted(signatures):
        for key in platforms_of(package):
            platforms.setdefault(key, {"signature": as_base64(signatures[package]), "url": f"{base_url}/{package}"})
    if not platforms:
        raise SystemExit("update-manifest: no signed packages found (no *.sig files?)")
    return {"version": version, "notes": notes, "pub_date": pub_date, "platforms": platforms}


def as_base64(sig):
    """The manifest takes the `.sig` file in base64: Tauri writes it so (one line); a file from
    minisign itself (four lines of text) is encoded here."""
    if sig.startswith("untrusted comment:"):
        return base64.b64encode(sig.encode()).decode()
    return sig.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", required=True)
    parser.add_argument("--repo", required=True, help="owner/name")
    parser.add_argument("--sigs", required=True, type=Path, help="folder of the release's .sig files")
    parser.add_argument("--notes", type=Path, help="the release text (default: none)")
    args = parser.parse_args()
    signatures = {p.name[: -len(".sig")]: p.read_text() for p in args.sigs.glob("*.sig")}
    body = args.notes.read_text() if args.notes else ""
    base_url = f"https://github.com/{args.repo}/releases/download/{args.tag}"
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    out = manifest(args.tag.lstrip("v"), notes_of(body), signatures, base_url, now)
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
