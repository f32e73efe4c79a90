# Written by Darwinix into this server's private folder, found through JUPYTER_CONFIG_PATH:
# loads Darwinix's sign-in links (darwinix_login.py) and its help inside JupyterLab
# (darwinix_lab.py), both beside this file. Your own Jupyter
# configuration is read as always.
import os as _os
import sys as _sys

_here = _os.path.dirname(_os.path.abspath(__file__))
if _here not in _sys.path:
    _sys.path.insert(0, _here)
# darwinix_lab.py: the Install button's endpoint and saving before a stop.
c.ServerApp.jpserver_extensions.update({"darwinix_login": True, "darwinix_lab": True})  # noqa: F821

# Kernels and terminals inherit the server's environment: this folder is for the server alone.
_rest = [
    p
    for p in _os.environ.get("JUPYTER_CONFIG_PATH", "").split(_os.pathsep)
    if p and _os.path.abspath(p) != _here
]
if _rest:
    _os.environ["JUPYTER_CONFIG_PATH"] = _os.pathsep.join(_rest)
else:
    _os.environ.pop("JUPYTER_CONFIG_PATH", None)
