"""Darwinix inside JupyterLab, on the server's side.

- `POST /darwinix/install` installs a missing module's package (or packages a cell installed
  with pip) with Darwinix's own command line, which adds it to the project's setup file. Only
  a POST installs, and jupyter_server checks it: the user's login and the XSRF token that only
  JupyterLab's own pages carry. `GET /darwinix/install?...` is only the question, a page with
  an Install button that posts: what an output's link leads to where Darwinix's renderer is
  not loaded.
- `POST /darwinix/save-all` (Darwinix, holding the token, before it stops the server) asks every
  open JupyterLab page to save its documents and waits briefly for their answers.
- Pages say they are open (`POST /darwinix/pages`) and that they saved (`POST /darwinix/saved`).

Written by Darwinix into the server's private folder, with `darwinix_lab.json` beside it.
"""

import asyncio
import json
import os
import re
import time
import uuid
from html import escape

from tornado import web

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join

SAVE_SCHEMA = "https://darwinix.org/events/lab/save-all"
# A page that has not said it is open for this long is taken to be closed (pages say so every
# 10 s, and when they close).
PAGE_ALIVE = 25.0
# How long a stop waits for the pages to save.
SAVE_WAIT = 4.0

# A module as Python names it: never an option for the command line, never a path.
MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

_install_lock = None  # made on first use, inside the server's event loop
_pages = {}  # page id -> monotonic time last heard of
_saves = {}  # save id -> (asyncio.Event, set of page ids that answered)


def _config():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "darwinix_lab.json"), encoding="utf-8") as f:
        return json.load(f)


def _jupyter_server_extension_points():
    return [{"module": "darwinix_lab"}]


def _load_jupyter_server_extension(serverapp):
    base = serverapp.web_app.settings.get("base_url", "/")
    logger = getattr(serverapp, "event_logger", None)
    if logger is not None:
        _register_save_schema(serverapp, logger)
    serverapp.web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "darwinix/install"), InstallHandler),
            (url_path_join(base, "darwinix/save-all"), SaveAllHandler),
            (url_path_join(base, "darwinix/pages"), PagesHandler),
            (url_path_join(base, "darwinix/saved"), SavedHandler),
        ],
    )


load_jupyter_server_extension = _load_jupyter_server_extension


def _register_save_schema(serverapp, logger):
    schema = {
        "$id": SAVE_SCHEMA,
        "title": "Darwinix asks JupyterLab to save",
        "description": "Sent before Darwinix stops this server.",
        "type": "object",
        "properties": {"id": {"type": "string"}},
        "required": ["id"],
    }
    # jupyter_events 0.10+ wants the version as a string, older ones as an integer.
    for version in ("1", 1):
        try:
            return logger.register_event_schema(dict(schema, version=version))
        except Exception as e:  # noqa: BLE001 - an older event bus: no save before stop
            why = e
    serverapp.log.warning("Darwinix: no saving before stop: %s", why)


async def _run_cli(args):
    """Runs Darwinix's command line for this project; its last JSON line."""
    config = _config()
    process = await asyncio.create_subprocess_exec(
        config["cli"],
        *args,
        "--project",
        config["project"],
        "--json",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    last = None
    for line in out.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                last = json.loads(line)
            except ValueError:
                pass
    if last is None:
        said = err.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(said[-1] if said else "Darwinix's command line said nothing")
    return last


def _request(handler):
    """What to install: `module` (its package comes from Darwinix's import table, never from the
    request) or `packages` a cell installed with pip."""
    if handler.request.headers.get("Content-Type", "").startswith("application/json"):
        body = handler.get_json_body() or {}
        module, packages = body.get("module"), body.get("packages") or []
    else:
        module = handler.get_body_argument("module", None)
        packages = handler.get_body_arguments("package")
    if isinstance(module, str) and MODULE.match(module) and not packages:
        return ["add", "--for-import", module]
    if packages and all(isinstance(p, str) and p and not p.startswith("-") for p in packages):
        return ["add", *packages]
    raise web.HTTPError(400, "say which module or packages to install")


async def _install(args):
    """Installs, one at a time: `(ok, words, waited)`."""
    global _install_lock
    if _install_lock is None:
        _install_lock = asyncio.Lock()
    waited = _install_lock.locked()
    async with _install_lock:
        try:
            answer = await _run_cli(args)
        except (OSError, RuntimeError) as e:
            return False, "Darwinix could not install it: %s" % e, waited
    data = answer.get("data") or {}
    if answer.get("event") == "error":
        return False, data.get("message") or "The install failed.", waited
    return True, data.get("sentence") or _installed(args[1:], data), waited


def _installed(packages, changed):
    """What adding PACKAGES did, in words (an install for a module says it itself)."""
    names = ", ".join(packages)
    file = os.path.basename(str(changed.get("file") or "")) or "the setup file"
    if changed.get("file_changed"):
        return "Installed %s and added %s to %s." % (names, "it" if len(packages) == 1 else "them", file)
    return "Installed %s (%s already lists %s)." % (names, file, "it" if len(packages) == 1 else "them")


class InstallHandler(JupyterHandler):
    """GET: the question. POST: the install (checked by jupyter_server: login and XSRF)."""

    @web.authenticated
    async def get(self):
        module = self.get_query_argument("module", None)
        packages = self.get_query_arguments("package")
        if module is not None and not MODULE.match(module):
            raise web.HTTPError(400, "not a module name")
        if module:
            offer = await _run_cli(["package-for", module])
            if self.get_query_argument("format", None) == "json":
                # The renderer's question: the button's name comes from here, not the output.
                self.set_header("Content-Type", "application/json")
                return self.finish(json.dumps(offer))
            package = offer.get("package")
            question = offer.get("sentence", "")
            if not package:
                return self._page("Nothing to install", "<p>%s</p>" % escape(question))
            fields = '<input type="hidden" name="module" value="%s">' % escape(module)
            what = package
        elif packages:
            fields = "".join(
                '<input type="hidden" name="package" value="%s">' % escape(p) for p in packages
            )
            what = ", ".join(packages)
            question = ""
        else:
            raise web.HTTPError(400, "say which module or packages to install")
        body = (
            "<p>%s</p><p>Install <strong>%s</strong> into this project with Darwinix? "
            "It is added to the project's setup file, so the next setup has it too.</p>"
            '<form method="post">%s%s<button type="submit">Install %s</button></form>'
            % (escape(question), escape(what), self.xsrf_form_html(), fields, escape(what))
        )
        self._page("Install %s?" % what, body)

    @web.authenticated
    async def post(self):
        ok, words, waited = await _install(_request(self))
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            self.set_header("Content-Type", "application/json")
            return self.finish(json.dumps({"ok": ok, "message": words, "waited": waited}))
        title = "Installed" if ok else "Not installed"
        after = "Go back to your notebook and run the cell again." if ok else ""
        self._page(title, "<p>%s</p><p>%s</p>" % (escape(words), after))

    def _page(self, title, body):
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(PAGE.format(title=escape(title), body=body))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · Darwinix</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}}
h1{{font-size:1.4em}}button{{font:inherit;padding:.4em 1em}}
@media (prefers-color-scheme: dark){{body{{background:#1e1e1e;color:#eee}}}}</style>
</head><body><h1>{title}</h1>{body}</body></html>
"""


class PagesHandler(APIHandler):
    """A JupyterLab page says it is open (and again every little while)."""

    @web.authenticated
    def post(self):
        body = self.get_json_body() or {}
        page = body.get("page")
        if not isinstance(page, str) or not page:
            raise web.HTTPError(400, "page must be a string")
        now = time.monotonic()
        for old in [p for p, seen in _pages.items() if now - seen > PAGE_ALIVE]:
            del _pages[old]
        if body.get("closed"):
            _pages.pop(page, None)
        else:
            _pages[page] = now
        self.finish(json.dumps({"page": page}))


class SavedHandler(APIHandler):
    """A page has saved its documents for a save Darwinix asked for."""

    @web.authenticated
    def post(self):
        body = self.get_json_body() or {}
        save = _saves.get(body.get("id"))
        if save is not None:
            event, answered = save
            answered.add(body.get("page"))
            if len(answered) >= len(save_expected(answered)):
                event.set()
        self.finish("{}")


def save_expected(answered):
    now = time.monotonic()
    return {p for p, seen in _pages.items() if now - seen <= PAGE_ALIVE} | answered


class SaveAllHandler(APIHandler):
    """Darwinix is about to stop the server: every open page saves first."""

    @web.authenticated
    async def post(self):
        logger = getattr(self.serverapp, "event_logger", None)
        open_pages = save_expected(set())
        if logger is None or not open_pages:
            return self.finish(json.dumps({"pages": 0, "saved": 0}))
        save_id = uuid.uuid4().hex
        event, answered = asyncio.Event(), set()
        _saves[save_id] = (event, answered)
        try:
            logger.emit(schema_id=SAVE_SCHEMA, data={"id": save_id})
            await asyncio.wait_for(event.wait(), SAVE_WAIT)
        except asyncio.TimeoutError:
            self.log.warning("Darwinix: %d of %d pages saved in time", len(answered), len(open_pages))
        finally:
            _saves.pop(save_id, None)
        self.finish(json.dumps({"pages": len(open_pages), "saved": len(answered)}))
