# Darwinix's help inside a project's kernel, run once at kernel start through the kernel spec
# Darwinix writes (`--IPKernelApp.exec_files`); nothing of it is installed into the project's
# .venv. After a cell fails with "No module named X", or ran `%pip install` / `!pip install`,
# it shows under the output an offer to install the package with Darwinix (which adds it to the
# project's setup file). Everything here runs inside one function, so the user's namespace gets
# no new names.


def _darwinix_kernel_hook(config_file):
    import importlib
    import json
    import re
    import subprocess

    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    if shell is None:
        return
    try:
        with open(config_file, encoding="utf-8") as f:
            config = json.load(f)
    except (OSError, ValueError):
        return
    mime = "application/vnd.darwinix.install+json"
    pip_line = re.compile(r"^\s*(?:[%!]\s*(?:pip3?|python3?\s+-m\s+pip)|%\s*uv\s+pip)\s+install\s+(.*)$")

    def offer_for(module):
        """What Darwinix says about a missing module: the package that provides it, or why none."""
        try:
            done = subprocess.run(
                [config["cli"], "package-for", module, "--project", config["project"], "--json"],
                capture_output=True,
                text=True,
                timeout=20,
                stdin=subprocess.DEVNULL,
            )
            return json.loads(done.stdout)
        except (OSError, ValueError, subprocess.SubprocessError):
            return None

    def missing_module(error):
        if not isinstance(error, ImportError) or not getattr(error, "name", None):
            return None
        if not str(error).startswith("No module named"):
            return None
        top = error.name.split(".")[0]
        # `sklearn.foo` missing while `sklearn` is there: not a package to install.
        if top != error.name:
            try:
                importlib.import_module(top)
                return None
            except ImportError:
                pass
        return top

    def show(data, text, html):
        display({mime: data, "text/plain": text, "text/html": html}, raw=True)

    def link(query, label):
        from html import escape
        from urllib.parse import urlencode

        address = "/darwinix/install?" + urlencode(query)
        return '<a href="%s" target="_blank">%s</a>' % (escape(address), escape(label))

    def after_failure(module):
        offer = offer_for(module)
        if not offer:
            return
        sentence = offer.get("sentence") or ("`%s` is not installed in this project." % module)
        package = offer.get("package")
        if not package:
            show({"module": module, "sentence": sentence}, sentence, "<p>%s</p>" % _escape(sentence))
            return
        label = "Install %s" % package
        data = {"module": module, "package": package, "sentence": sentence}
        text = "%s %s with Darwinix (the Install button, or Packages in Darwinix's window)." % (sentence, label)
        html = "<p>%s %s</p>" % (_escape(sentence), link({"module": module}, label))
        show(data, text, html)

    def pip_packages(cell):
        found = []
        for line in (cell or "").splitlines():
            match = pip_line.match(line)
            if not match:
                continue
            for word in match.group(1).split():
                if word.startswith("-") or "/" in word or "\\" in word or word.startswith("."):
                    break
                found.append(word.strip("'\""))
        return found

    def after_pip(packages):
        names = ", ".join(packages)
        sentence = (
            "pip installs into this kernel only, and the next setup of the project forgets it. "
            "Darwinix can install %s into the project and add %s to its setup file."
            % (names, "it" if len(packages) == 1 else "them")
        )
        label = "Install and record %s" % names
        data = {"packages": packages, "sentence": sentence}
        text = "%s %s: the button, or Packages in Darwinix's window." % (sentence, label)
        query = [("package", p) for p in packages]
        html = "<p>%s %s</p>" % (_escape(sentence), link(query, label))
        show(data, text, html)

    def _escape(text):
        from html import escape

        return escape(text)

    def post_run_cell(result):
        try:
            module = missing_module(result.error_in_exec)
            if module:
                after_failure(module)
                return
            packages = pip_packages(getattr(result.info, "raw_cell", ""))
            if packages:
                after_pip(packages)
        except Exception:  # noqa: BLE001 - Darwinix's help must never break the user's cell
            pass

    def pre_run_cell(info):
        # A package Darwinix installed a moment ago is importable without a kernel restart.
        importlib.invalidate_caches()

    shell.events.register("pre_run_cell", pre_run_cell)
    shell.events.register("post_run_cell", post_run_cell)


try:
    import os as _darwinix_os

    _darwinix_kernel_hook(
        _darwinix_os.path.join(_darwinix_os.path.dirname(__file__), "darwinix_lab.json")
    )
finally:
    del _darwinix_kernel_hook
    del _darwinix_os
