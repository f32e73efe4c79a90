"""A git smart-HTTP server on 127.0.0.1 for the course-link tests: `git http-backend` run as CGI
by hand (CGIHTTPRequestHandler runs git as `nobody` when root, drops `Git-Protocol`, and is gone
in Python 3.15). Extra paths stand in for what real hosts do wrong:

    /drop/REPO.git/...   a fetch whose pack is cut off half-way (the connection closes)
    /slow/REPO.git/...   a fetch whose pack comes 16 KB every 20 ms, as over a slow network
    /html/ANYTHING       200 with a web page, as a host's "not found" page or a login wall
    /private/ANYTHING    401 with a sign-in prompt, as GitHub answers for a private repository

    python3 tests/support/git_server.py ROOT   prints the port, then serves until killed
"""

import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = sys.argv[1]
BACKEND = os.path.join(subprocess.check_output(["git", "--exec-path"], text=True).strip(), "git-http-backend")
PAGE = b"<!doctype html><html><body><h1>Welcome to our course site</h1></body></html>\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.serve(b"")

    def do_POST(self):
        self.serve(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def serve(self, body):
        path, _, query = self.path.partition("?")
        if path.startswith("/html/"):
            return self.reply("200 OK", {"Content-Type": "text/html"}, PAGE)
        if path.startswith("/private/"):
            return self.reply("401 Unauthorized", {"WWW-Authenticate": 'Basic realm="GitHub"'}, b"")
        mode = path.split("/")[1] if path.startswith(("/drop/", "/slow/")) else None
        env = dict(os.environ, GIT_PROJECT_ROOT=ROOT, GIT_HTTP_EXPORT_ALL="1", REMOTE_ADDR="127.0.0.1",
                   PATH_INFO=path[len(f"/{mode}"):] if mode else path, QUERY_STRING=query,
                   REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(body)), GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        out = subprocess.run([BACKEND], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n") if ": " in line)
        status = headers.pop("Status", "200 OK")
        # Only the pack (protocol v2's fetch command, v1's wants) is cut or slowed: the refs
        # were listed, so the download had begun.
        pack = b"command=fetch" in body or b"command=" not in body and b"want " in body
        self.reply(status, headers, payload, mode=mode if pack else None)

    def reply(self, status, headers, payload, mode=None):
        self.send_response_only(int(status.split()[0]), status.partition(" ")[2])
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if mode == "drop":
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return self.connection.shutdown(2)
        step = 16384 if mode == "slow" else len(payload) or 1
        try:
            for start in range(0, len(payload), step):
                self.wfile.write(payload[start : start + step])
                self.wfile.flush()
                time.sleep(0.02 if mode == "slow" else 0)
        except ConnectionError:
            self.close_connection = True  # the client stopped reading: a stopped download

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
