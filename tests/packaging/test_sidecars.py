"""packaging/sidecars.py against a local package index (PEP 691 JSON, like PyPI's): the pinned
SHA-256 decides which wheel is used, whatever the index serves.

Run: python3 -m unittest discover -s tests/packaging   (./dev test does)
The real wheel from PyPI is exercised by tests/deb/check.sh and tests/windows/smoke.sh.
"""

import hashlib
import importlib.util
import io
import json
import os
import tempfile
import threading
import unittest
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The local index must not be reached through a proxy the machine may set.
os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1"
TRIPLE = "x86_64-unknown-linux-gnu"
VERSION = "9.9.9"
WHEEL = f"uv-{VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"


def load_sidecars():
    spec = importlib.util.spec_from_file_location("sidecars", ROOT / "packaging" / "sidecars.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_wheel(binary=b"#!/bin/sh\necho uv\n", member=f"uv-{VERSION}.data/scripts/uv"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, binary)
        z.writestr(f"uv-{VERSION}.dist-info/METADATA", "Name: uv\n")
    return buf.getvalue()


class Index:
    """A one-project index on 127.0.0.1: GET /simple/uv/ and the wheel; counts downloads."""

    def __init__(self, wheel):
        self.wheel, self.downloads = wheel, 0
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/simple/uv/":
                    body = json.dumps({"files": [{
                        "filename": WHEEL,
                        "url": f"../../files/{WHEEL}",  # relative, as a mirror may answer
                        "hashes": {"sha256": hashlib.sha256(index.wheel).hexdigest()},
                    }]}).encode()
                elif self.path == f"/files/{WHEEL}":
                    index.downloads += 1
                    body = index.wheel
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/simple"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SidecarTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        self.sidecars = load_sidecars()
        self.sidecars.CACHE = self.tmp / "cache"
        self.sidecars.BINARIES = self.tmp / "binaries"
        self.sidecars.PINS = self.tmp / "uv-wheels.json"
        self.dest = self.tmp / "binaries" / f"darwinix-uv-{TRIPLE}"

    def serve(self, wheel, pinned_sha256):
        index = Index(wheel)
        self.addCleanup(index.close)
        self.sidecars.INDEX = index.url
        self.sidecars.PINS.write_text(json.dumps(
            {"version": VERSION, "wheels": {TRIPLE: {"file": WHEEL, "sha256": pinned_sha256}}}))
        return index

    def test_the_pinned_wheel_gives_an_executable_and_is_downloaded_once(self):
        wheel = make_wheel()
        index = self.serve(wheel, hashlib.sha256(wheel).hexdigest())
        self.sidecars.uv_sidecar(TRIPLE)
        self.assertEqual(self.dest.read_bytes(), b"#!/bin/sh\necho uv\n")
        self.assertTrue(os.access(self.dest, os.X_OK))
        self.sidecars.uv_sidecar(TRIPLE)
        self.assertEqual(index.downloads, 1, "the second run must use the cached wheel")

    def test_a_wheel_that_does_not_match_the_pin_is_refused_and_nothing_is_kept(self):
        wheel = make_wheel(binary=b"#!/bin/sh\necho tampered\n")
        self.serve(wheel, hashlib.sha256(b"the real one").hexdigest())
        with self.assertRaises(SystemExit) as refused:
            self.sidecars.uv_sidecar(TRIPLE)
        self.assertNotEqual(refused.exception.code, 0)
        self.assertFalse(self.dest.exists())
        self.assertEqual(list((self.tmp / "cache").iterdir()), [], "a refused download must not stay in the cache")

    def test_a_damaged_cached_wheel_is_downloaded_again(self):
        wheel = make_wheel()
        index = self.serve(wheel, hashlib.sha256(wheel).hexdigest())
        self.sidecars.uv_sidecar(TRIPLE)
        (self.tmp / "cache" / WHEEL).write_bytes(b"damaged")
        self.sidecars.uv_sidecar(TRIPLE)
        self.assertEqual(index.downloads, 2)
        self.assertEqual(self.dest.read_bytes(), b"#!/bin/sh\necho uv\n")

    def test_a_target_without_a_pin_is_an_error_naming_the_known_ones(self):
        self.serve(make_wheel(), "0" * 64)
        with self.assertRaises(SystemExit):
            self.sidecars.uv_sidecar("riscv64gc-unknown-linux-gnu")
        self.assertFalse((self.tmp / "binaries").exists())

    def test_a_wheel_without_the_uv_binary_is_an_error(self):
        wheel = make_wheel(member="somewhere/else/uv")
        self.serve(wheel, hashlib.sha256(wheel).hexdigest())
        with self.assertRaises(SystemExit):
            self.sidecars.uv_sidecar(TRIPLE)
        self.assertFalse(self.dest.exists())

    def test_the_pins_name_a_wheel_for_every_release_target(self):
        pins = json.loads((ROOT / "packaging" / "uv-wheels.json").read_text())
        for triple in ("x86_64-unknown-linux-gnu", "aarch64-apple-darwin", "x86_64-apple-darwin", "x86_64-pc-windows-msvc"):
            pin = pins["wheels"][triple]
            self.assertTrue(pin["file"].startswith(f"uv-{pins['version']}-py3-none-"), pin["file"])
            self.assertRegex(pin["sha256"], r"^[0-9a-f]{64}$")

    def test_the_light_tray_ships_on_linux_only_and_the_deb_lists_it(self):
        self.assertIn(("darwinix-tray", "darwinix-tray"), self.sidecars.cargo_programs("x86_64-unknown-linux-gnu"))
        for triple in ("aarch64-apple-darwin", "x86_64-pc-windows-msvc"):
            self.assertEqual(self.sidecars.cargo_programs(triple), [("darwinix-cli", "darwinix")])
        deb = json.loads((ROOT / "src-tauri" / "tauri.deb.conf.json").read_text())
        bundle = json.loads((ROOT / "src-tauri" / "tauri.bundle.conf.json").read_text())
        # The deb's list replaces the shared one (a JSON merge patch): it must keep every entry.
        self.assertEqual(deb["bundle"]["externalBin"], bundle["bundle"]["externalBin"] + ["binaries/darwinix-tray"])


if __name__ == "__main__":
    unittest.main()
