"""packaging/check-update-key: the release stops when its signing key is not the app's.

Real keys (`tauri signer generate`), real signatures, verified by the real `minisign`.
Run: python3 -m unittest discover -s tests/packaging   (./dev test does)
"""

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "check-update-key"
TAURI = ROOT / "ui" / "node_modules" / "@tauri-apps" / "cli" / "tauri.js"


def make_key(folder, password):
    """A throwaway key pair: (the private key text, the public key as tauri.conf.json holds it)."""
    key = Path(folder) / "key"
    subprocess.run(
        ["node", str(TAURI), "signer", "generate", "--ci", "-w", str(key), "-p", password],
        check=True,
        capture_output=True,
    )
    return key.read_text().strip(), Path(f"{key}.pub").read_text().strip()


def check(conf, private_key=None, password=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAURI_SIGNING_")}
    if private_key is not None:
        env.update(TAURI_SIGNING_PRIVATE_KEY=private_key, TAURI_SIGNING_PRIVATE_KEY_PASSWORD=password)
    return subprocess.run([str(SCRIPT), str(conf)], env=env, capture_output=True, text=True)


class UpdateKey(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        base = Path(cls.tmp.name)
        (base / "ours").mkdir()
        (base / "theirs").mkdir()
        cls.ours, pubkey = make_key(base / "ours", "right horse")
        cls.theirs, _ = make_key(base / "theirs", "other")
        cls.conf = base / "tauri.conf.json"
        cls.conf.write_text(json.dumps({"plugins": {"updater": {"pubkey": pubkey}}}))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_apps_own_key_passes(self):
        run = check(self.conf, self.ours, "right horse")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("matches", run.stdout)

    def test_another_key_stops_the_release(self):
        run = check(self.conf, self.theirs, "other")
        self.assertEqual(run.returncode, 1)
        self.assertIn("does not match the public key", run.stderr)
        self.assertNotIn(self.theirs, run.stdout + run.stderr, "the private key is never printed")

    def test_no_key_says_which_secret(self):
        run = check(self.conf)
        self.assertEqual(run.returncode, 1)
        self.assertIn("TAURI_SIGNING_PRIVATE_KEY is not set", run.stderr)


if __name__ == "__main__":
    unittest.main()
