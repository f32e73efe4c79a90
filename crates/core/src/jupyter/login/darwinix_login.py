"""Darwinix's sign-in links: single-use, short-lived addresses that log a browser into this
JupyterLab without the token ever being handed to the browser.

Darwinix (holding the token) asks for a link with `POST /darwinix/login-links`; the browser is
given `/darwinix/login/NONCE`, which sets JupyterLab's normal login cookie once and redirects to
JupyterLab (or to one notebook). A used, expired or unknown link gets a page that says so.
Written by Darwinix into the server's private folder and loaded by the config file beside it.
"""

import hashlib
import json
import os
import posixpath
import socket
import struct
import time
import uuid
from urllib.parse import quote

from tornado import web

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join

try:
    # jupyter_server 2.13+: a server configured to allow no unauthenticated handler at all must
    # still let a browser in through its sign-in link.
    from jupyter_server.auth.decorator import allow_unauthenticated
except ImportError:

    def allow_unauthenticated(method):
        return method

try:
    from jupyter_core.utils import ensure_async
except ImportError:  # jupyter_core 4, with jupyter_server 1.x

    async def ensure_async(obj):
        return (await obj) if hasattr(obj, "__await__") else obj


# A link is worth nothing after this many seconds, and after its first use.
LIFETIME = 60.0
# Used and expired links are remembered a while longer, to say which of the two a page is.
REMEMBER = 600.0

# sha256(nonce) -> {"expires": monotonic seconds, "target": path on this server, "used": bool}
_links = {}


def _jupyter_server_extension_points():
    return [{"module": "darwinix_login"}]


def _load_jupyter_server_extension(serverapp):
    base = serverapp.web_app.settings.get("base_url", "/")
    serverapp.web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "darwinix/login-links"), NewLinkHandler),
            (url_path_join(base, "darwinix/login/([^/]*)"), LinkLoginHandler),
        ],
    )


# jupyter_server 1.x looks for the name without the underscore.
load_jupyter_server_extension = _load_jupyter_server_extension


def _digest(nonce):
    return hashlib.sha256(nonce.encode("utf-8", "replace")).hexdigest()


def _forget_old(now):
    for key in [k for k, v in _links.items() if v["expires"] + REMEMBER < now]:
        del _links[key]


def _target(base, path):
    """Where the link leads: JupyterLab, or one file below the server's root."""
    if not path:
        return url_path_join(base, "lab")
    if not isinstance(path, str) or "\\" in path or "\x00" in path:
        raise web.HTTPError(400, "path must be a relative path with / separators")
    clean = posixpath.normpath(path)
    if clean.startswith(("/", "../")) or clean in (".", ".."):
        raise web.HTTPError(400, "path must be inside the server's root folder")
    return url_path_join(base, "lab/tree", quote(clean, safe="/"))


async def _start_kernel_ahead(handler, path):
    """Starts the notebook's kernel session before its page loads: JupyterLab drops a cell run
    that comes before the notebook's kernel exists, so a Shift+Enter pressed as soon as the
    notebook shows would do nothing. Only for the kernel the notebook asks for (or the default),
    and only when it has no session yet; anything amiss leaves it to JupyterLab, as before."""
    sessions = handler.settings.get("session_manager")
    contents = handler.settings.get("contents_manager")
    specs = handler.settings.get("kernel_spec_manager")
    if sessions is None or contents is None or not path.endswith(".ipynb"):
        return
    try:
        if await ensure_async(sessions.session_exists(path=path)):
            return
        model = await ensure_async(contents.get(path, content=True, type="notebook"))
        wanted = ((model.get("content") or {}).get("metadata") or {}).get("kernelspec") or {}
        name = wanted.get("name") or None
        if name is not None and specs is not None:
            known = await ensure_async(specs.get_all_specs())
            if name not in known:
                return
        await sessions.create_session(
            path=path, name=posixpath.basename(path), type="notebook", kernel_name=name
        )
    except Exception as e:  # noqa: BLE001 - the page starts the kernel itself, as it always did
        handler.log.info("Darwinix did not start the kernel of %s ahead: %s", path, e)


class NewLinkHandler(APIHandler):
    """Makes a sign-in link; only for whoever holds the token (or is logged in already)."""

    @web.authenticated
    async def post(self):
        body = self.get_json_body() or {}
        target = _target(self.base_url, body.get("path"))
        if isinstance(body.get("path"), str):
            await _start_kernel_ahead(self, posixpath.normpath(body["path"]))
        # A caller may ask for a shorter life (tests do), never a longer one.
        lifetime = body.get("lifetime")
        if not isinstance(lifetime, (int, float)) or not 0 < lifetime < LIFETIME:
            lifetime = LIFETIME
        now = time.monotonic()
        _forget_old(now)
        nonce = uuid.uuid4().hex + uuid.uuid4().hex
        _links[_digest(nonce)] = {"expires": now + lifetime, "target": target, "used": False}
        self.set_header("Cache-Control", "no-store")
        self.finish(
            json.dumps(
                {
                    "path": url_path_join(self.base_url, "darwinix/login", nonce),
                    "target": target,
                    "expires_in": lifetime,
                }
            )
        )


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}}
h1{{font-size:1.4em}}@media (prefers-color-scheme: dark){{body{{background:#1e1e1e;color:#eee}}}}</style>
</head><body><h1>{title}</h1><p>{why}</p>
<p>Go back to <strong>Darwinix</strong> and click <strong>Open in browser</strong> (or
<strong>Start Notebook</strong>): it opens JupyterLab with a new link.</p>
<p>For your safety, each link Darwinix gives the browser works once, within a minute.</p>
</body></html>
"""


def _inside_wsl():
    try:
        with open("/proc/sys/kernel/osrelease") as f:
            return "microsoft" in f.read().lower()
    except OSError:
        return False


def _peer_uid(client, server):
    """The user account that owns the TCP connection from `client` to `server` ((ip, port)
    pairs), from the kernel's socket table; None where there is none to read (not Linux)."""
    def hex_address(ip, port):
        return "%08X:%04X" % (struct.unpack("=I", socket.inet_aton(ip))[0], port)

    want = (hex_address(*client[:2]), hex_address(*server[:2]))
    try:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if (fields[1], fields[2]) == want:
                    return int(fields[7])
    except (OSError, ValueError, IndexError):
        pass
    return None


class LinkLoginHandler(JupyterHandler):
    """Logs the browser in with a link, once."""

    def _same_user(self):
        """A link is on the browser's command line, which other users of this computer can
        read: only a browser of the account the server runs as may use it. (Inside WSL the
        Windows browser's connection arrives through WSL's own relay, of another account.)"""
        if not hasattr(os, "getuid") or _inside_wsl():
            return True
        try:
            sock = self.request.connection.stream.socket
            uid = _peer_uid(sock.getpeername(), sock.getsockname())
        except (AttributeError, OSError):
            return True
        return uid is None or uid == os.getuid()

    @allow_unauthenticated
    def get(self, nonce):
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        now = time.monotonic()
        link = _links.get(_digest(nonce))
        if not self._same_user():
            self.log.warning("Darwinix sign-in link refused: opened by another user account")
            return self._refuse(
                "This link belongs to another user",
                "It was opened from another account on this computer.",
            )
        if link is not None and not link["used"] and now <= link["expires"]:
            link["used"] = True
            self._log_in()
            return self.redirect(link["target"])
        if self.current_user:
            # A browser that is logged in already (a tab restored, the link opened twice).
            return self.redirect(link["target"] if link else url_path_join(self.base_url, "lab"))
        if link is not None and link["used"]:
            title, why = "This link has already been used", "A Darwinix sign-in link logs in only once."
        elif link is not None:
            title, why = "This link has expired", "A Darwinix sign-in link is only valid for a minute."
        else:
            title, why = (
                "This link is not valid",
                "It has expired, or JupyterLab was restarted since it was made.",
            )
        self.log.info("Darwinix sign-in link refused: %s", title)
        self._refuse(title, why)

    def _refuse(self, title, why):
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(PAGE.format(title=title, why=why))

    def _log_in(self):
        provider = getattr(self, "identity_provider", None)
        if provider is not None and hasattr(provider, "generate_anonymous_user"):
            # jupyter_server 2: the identity provider's own cookie, as the token login sets it.
            provider.set_login_cookie(self, provider.generate_anonymous_user(self))
        else:
            # jupyter_server 1: the login handler's class method.
            self.settings["login_handler_class"].set_login_cookie(self, uuid.uuid4().hex)
