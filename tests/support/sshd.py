"""A real OpenSSH server on 127.0.0.1 for remote projects (the bench's remote row, the app's
end-to-end test): its own host key, config and client key, logging in as the user who runs it
(root may: key only), as host `dxlocal` of the client config it writes. The "remote" is this
machine, so it reaches the package index the way this machine does (its certificate settings
are passed on with SetEnv).

    python3 tests/support/sshd.py [NAME=VALUE ...]   prints DARWINIX_SSH_CONFIG=FILE, then runs
                                                     until its standard input closes
"""

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time

SSHD = "/usr/sbin/sshd"
NETWORK = ("SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy", "UV_INDEX_URL", "PIP_INDEX_URL")


def available():
    return os.path.isfile(SSHD) and shutil.which("ssh") and shutil.which("ssh-keygen")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    """`with Sshd() as s:` then `s.env` (DARWINIX_SSH_CONFIG) and `s.address(path)`."""

    def __init__(self, setenv=None):
        self.setenv = setenv or {}

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="dx-sshd-")
        os.chmod(self.dir, 0o755)
        d = self.dir
        for key in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{d}/{key}"], check=True)
        shutil.copy(f"{d}/client_key.pub", f"{d}/authorized_keys")
        self.port = _free_port()
        user = getpass.getuser()
        passed = {n: os.environ[n] for n in NETWORK if n in os.environ} | self.setenv
        setenv = " ".join(f'"{n}={v}"' for n, v in passed.items())
        with open(f"{d}/sshd_config", "w") as f:
            f.write(f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n"
                    f"AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                    f"PermitRootLogin prohibit-password\nAllowUsers {user}\nAllowTcpForwarding local\n"
                    + (f"SetEnv {setenv}\n" if setenv else ""))
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        self.log = open(f"{d}/sshd.log", "w")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", f"{d}/sshd_config"], stderr=self.log)
        host_key = open(f"{d}/host_key.pub").read().split()[:2]
        with open(f"{d}/known_hosts", "w") as f:
            f.write(f"[127.0.0.1]:{self.port} {' '.join(host_key)}\n")
        with open(f"{d}/ssh_config", "w") as f:
            f.write(f"Host dxlocal\n  HostName 127.0.0.1\n  Port {self.port}\n  User {user}\n"
                    f"  IdentityFile {d}/client_key\n  IdentitiesOnly yes\n  IdentityAgent none\n"
                    f"  UserKnownHostsFile {d}/known_hosts\n  StrictHostKeyChecking yes\n")
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise SystemExit(f"sshd did not start: {open(f'{d}/sshd.log').read()}")
                time.sleep(0.05)
        self.env = {"DARWINIX_SSH_CONFIG": f"{d}/ssh_config"}
        return self

    @staticmethod
    def address(path):
        return f"ssh://dxlocal{path}"

    def __exit__(self, *_):
        self.proc.terminate()
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    import sys
    pairs = dict(arg.split("=", 1) for arg in sys.argv[1:])
    with Sshd(pairs) as server:
        print(f"DARWINIX_SSH_CONFIG={server.env['DARWINIX_SSH_CONFIG']}", flush=True)
        sys.stdin.read()
