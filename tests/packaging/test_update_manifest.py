"""packaging/update-manifest.py: the release's signed packages → the updater's `latest.json`.

Run: python3 -m unittest discover -s tests/packaging   (./dev test does)
"""

import base64
import importlib.util
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "update-manifest.py"


def load():
    spec = importlib.util.spec_from_file_location("update_manifest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


M = load()
MINISIGN_TEXT = "untrusted comment: signature\nRUQ...\ntrusted comment: version:0.2.0\nabc==\n"


class UpdateManifest(unittest.TestCase):
    def test_each_package_names_its_platforms(self):
        self.assertEqual(M.platforms_of("Darwinix_0.2.0_amd64.deb"), ["linux-x86_64-deb"])
        self.assertEqual(M.platforms_of("Darwinix_aarch64.app.tar.gz"), ["darwin-aarch64-app", "darwin-aarch64"])
        self.assertEqual(M.platforms_of("Darwinix_x64.app.tar.gz"), ["darwin-x86_64-app", "darwin-x86_64"])
        self.assertEqual(M.platforms_of("Darwinix_0.2.0_x64-setup.exe"), ["windows-x86_64-nsis", "windows-x86_64"])
        self.assertEqual(M.platforms_of("Darwinix_0.2.0_x64_en-US.msi"), ["windows-x86_64-msi"])
        self.assertEqual(M.platforms_of("Darwinix_0.2.0_aarch64.dmg"), [])

    def test_notes_stop_at_the_install_instructions(self):
        body = "## What changed\n* Faster starts\n\n---\nInstall: see the README."
        self.assertEqual(M.notes_of(body), "## What changed\n* Faster starts")
        self.assertEqual(M.notes_of(None), "")

    def test_the_manifest_from_sig_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            sigs = Path(tmp)
            tauri_sig = base64.b64encode(MINISIGN_TEXT.encode()).decode()
            (sigs / "Darwinix_0.2.0_amd64.deb.sig").write_text(MINISIGN_TEXT)
            (sigs / "Darwinix_0.2.0_x64-setup.exe.sig").write_text(tauri_sig + "\n")
            (sigs / "Darwinix_0.2.0_x64_en-US.msi.sig").write_text(tauri_sig)
            notes = sigs / "body.md"
            notes.write_text("Faster starts.\n---\nInstall: …")
            out = subprocess.run(
                [sys.executable, SCRIPT, "--tag", "v0.2.0", "--repo", "darwinix/darwinix", "--sigs", tmp, "--notes", notes],
                check=True, capture_output=True, text=True,
            ).stdout
        m = json.loads(out)
        self.assertEqual(m["version"], "0.2.0")
        self.assertEqual(m["notes"], "Faster starts.")
        self.assertRegex(m["pub_date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(set(m["platforms"]), {"linux-x86_64-deb", "windows-x86_64-nsis", "windows-x86_64", "windows-x86_64-msi"})
        deb = m["platforms"]["linux-x86_64-deb"]
        self.assertEqual(deb["url"], "https://github.com/darwinix/darwinix/releases/download/v0.2.0/Darwinix_0.2.0_amd64.deb")
        self.assertEqual(deb["signature"], tauri_sig, "both .sig spellings give the same base64")
        self.assertEqual(m["platforms"]["windows-x86_64"]["url"].rsplit("/", 1)[1], "Darwinix_0.2.0_x64-setup.exe")

    def test_no_signed_package_is_an_error(self):
        with self.assertRaises(SystemExit):
            M.manifest("0.2.0", "", {"Darwinix_0.2.0_aarch64.dmg": "x"}, "https://x", "2026-01-01T00:00:00Z")


if __name__ == "__main__":
    unittest.main()
