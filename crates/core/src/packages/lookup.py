"""Looks up packages on a package index (PEP 691 JSON, or PEP 503 HTML) for Darwinix.

Reads {"index": URL, "names": [{"name": ..., "spec": ...}], "timeout": seconds, "summary": bool}
as JSON from
the environment variable DARWINIX_LOOKUP (the index address may hold credentials: never an
argument) and prints one JSON list: per name {"name", "found", "versions", "latest", "summary",
"matches"}, {"name", "error"} when the index cannot be reached, or {"name", "failed"} when it
was (or may have been) but the look-up did not finish: an error status, an answer that cannot be
read. Standard library only (`packaging`, when the environment has it, compares versions
exactly).
"""
import html.parser
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

try:
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version
except ImportError:  # pragma: no cover - every Jupyter environment has packaging
    SpecifierSet = Version = None
    InvalidVersion = ValueError

ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
ARCHIVE = re.compile(r"\.(tar\.gz|zip|tar\.bz2|whl)$")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def get(url, timeout, accept=ACCEPT):
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "darwinix"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.headers.get("Content-Type", ""), response.read(), response.geturl()


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.files, self._href = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs)

    def handle_data(self, data):
        if self._href is not None and data.strip():
            attrs = self._href
            self.files.append({
                "filename": data.strip(),
                "url": attrs.get("href", ""),
                "yanked": "data-yanked" in attrs,
                "core-metadata": "data-core-metadata" in attrs or "data-dist-info-metadata" in attrs,
            })
            self._href = None


def version_of(filename, key):
    stem = ARCHIVE.sub("", filename)
    if filename.endswith(".whl"):
        parts = stem.split("-")
        return parts[1] if len(parts) >= 5 else None
    # An sdist: NAME-VERSION, where NAME may itself contain dashes.
    for at in range(len(stem)):
        if stem[at] == "-" and normalise(stem[:at]) == key:
            return stem[at + 1:]
    return None


def parsed(version):
    if Version is None:
        return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.+-]", version))
    try:
        return Version(version)
    except InvalidVersion:
        return None


def is_final(version):
    v = parsed(version)
    return v is not None and not getattr(v, "is_prerelease", False)


def lookup(index, name, spec, timeout, want_summary):
    key = normalise(name)
    # Appended and quoted, never joined: a name that looks like an address (`http://host/`,
    # `../x`) stays a path below the index instead of replacing it.
    page = index.rstrip("/") + "/" + urllib.parse.quote(key, safe="") + "/"
    try:
        kind, body, where = get(page, timeout)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return {"name": name, "found": False}
        # It answered: the index was reached.
        return {"name": name, "failed": f"{page} answered {e.code} {e.reason}"}
    except (urllib.error.URLError, OSError) as e:
        return {"name": name, "error": f"{page}: {getattr(e, 'reason', e)}"}
    if "json" in kind:
        data = json.loads(body)
        files = data.get("files", [])
        display = data.get("name", name)
    else:
        links = Links()
        links.feed(body.decode("utf-8", "replace"))
        files, display = links.files, name
    by_version = {}
    for f in files:
        version = version_of(f.get("filename", ""), key)
        if version and parsed(version) is not None:
            entry = by_version.setdefault(version, {"yanked": True, "files": []})
            entry["yanked"] = entry["yanked"] and bool(f.get("yanked"))
            entry["files"].append(f)
    versions = sorted(by_version, key=parsed)
    usable = [v for v in versions if not by_version[v]["yanked"]]
    finals = [v for v in usable if is_final(v)]
    latest = (finals or usable or [None])[-1]
    matches = None
    if spec and SpecifierSet is not None:
        matches = any(SpecifierSet(spec).contains(v, prereleases=True) for v in usable)
    elif spec.startswith("==") and "," not in spec and "*" not in spec:
        matches = parsed(spec[2:].strip()) in [parsed(v) for v in usable]
    summary = None
    if latest and want_summary:
        summary = summary_of(index, key, by_version[latest]["files"], where, timeout)
    return {"name": display, "found": True, "versions": usable, "latest": latest,
            "summary": summary, "matches": matches}


def summary_of(index, key, files, page, timeout):
    """PyPI's JSON API, or the latest wheel's core metadata (PEP 658) when the index has it."""
    try:
        if urllib.parse.urlparse(index).hostname in ("pypi.org", "test.pypi.org"):
            base = index.split("/simple")[0]
            _, body, _ = get(f"{base}/pypi/{key}/json", timeout, "application/json")
            return json.loads(body)["info"].get("summary") or None
        for f in files:
            if f.get("filename", "").endswith(".whl") and f.get("core-metadata"):
                url = urllib.parse.urljoin(page, f["url"]).split("#")[0] + ".metadata"
                _, body, _ = get(url, timeout, "*/*")
                for line in body.decode("utf-8", "replace").splitlines():
                    if not line.strip():
                        break
                    if line.lower().startswith("summary:"):
                        return line.split(":", 1)[1].strip() or None
    except Exception:  # only a nicety: the version is what matters
        return None
    return None


def main():
    ask = json.loads(os.environ["DARWINIX_LOOKUP"])
    out = []
    for n in ask["names"]:
        try:
            out.append(lookup(ask["index"], n["name"], n.get("spec") or "",
                              ask.get("timeout", 15), ask.get("summary", True)))
        except Exception as e:  # an unreadable answer is not an unreachable index
            out.append({"name": n["name"], "failed": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


main()
