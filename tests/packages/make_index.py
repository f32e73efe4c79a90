"""Builds a small package index (PEP 503 HTML) for the packages tests: real wheels made here,
and a source package whose build fails. Usage: make_index.py OUT_DIR

    OUT_DIR/simple/<name>/index.html   links to ../../files/<file>
    OUT_DIR/files/<file>

darwinix-demo-a 1.0 and 2.0 need darwinix-demo-b; darwinix-demo-c needs nothing;
darwinix-broken 1.0 is an sdist whose build backend raises an error; torch 2.5.1 stands in for a
CUDA build of PyTorch (the real one is gigabytes, and this machine has no GPU): it says it was
built for CUDA 12.4 and that CUDA is not available, as such a build does without a driver.
"""
import base64
import hashlib
import io
import os
import sys
import tarfile
import zipfile

OUT = sys.argv[1]
FILES = os.path.join(OUT, "files")


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


TORCH = """__version__ = "2.5.1+cu124"


class version:
    cuda = "12.4"
    hip = None


class cuda:
    @staticmethod
    def is_available():
        return False


class backends:
    class mps:
        @staticmethod
        def is_available():
            return False
"""


def wheel(name, version, requires=(), summary="A demo package", body=None):
    module = name.replace("-", "_")
    dist_info = f"{module}-{version}.dist-info"
    metadata = [f"Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    metadata += [f"Requires-Dist: {r}" for r in requires]
    contents = {
        f"{module}/__init__.py": (body or f"VERSION = {version!r}\n").encode(),
        f"{dist_info}/METADATA": ("\n".join(metadata) + "\n").encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: darwinix-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [record_line(p, d) for p, d in contents.items()] + [f"{dist_info}/RECORD,,"]
    contents[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    filename = f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(FILES, filename), "w") as z:
        for path, data in contents.items():
            z.writestr(path, data)
    return name, filename


def broken_sdist(name, version):
    module = name.replace("-", "_")
    root = f"{module}-{version}"
    contents = {
        "pyproject.toml": b'[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
        "backend.py": b"def build_wheel(*args, **kwargs):\n    raise RuntimeError('darwinix-broken does not build, on purpose')\n\n"
                      b"def get_requires_for_build_wheel(*args, **kwargs):\n    return []\n\n"
                      b"def prepare_metadata_for_build_wheel(*args, **kwargs):\n    raise RuntimeError('darwinix-broken does not build, on purpose')\n",
        "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
    }
    filename = f"{root}.tar.gz"
    with tarfile.open(os.path.join(FILES, filename), "w:gz") as tar:
        for path, data in contents.items():
            info = tarfile.TarInfo(f"{root}/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return name, filename


def main():
    os.makedirs(FILES, exist_ok=True)
    made = [
        wheel("darwinix-demo-a", "1.0", ["darwinix-demo-b"], "Demo A, which needs B"),
        wheel("darwinix-demo-a", "2.0", ["darwinix-demo-b"], "Demo A, which needs B"),
        wheel("darwinix-demo-b", "1.0", [], "Demo B"),
        wheel("darwinix-demo-c", "1.0", [], "Demo C"),
        broken_sdist("darwinix-broken", "1.0"),
        wheel("torch", "2.5.1", [], "Stand-in for a CUDA build of PyTorch", TORCH),
    ]
    by_name = {}
    for name, filename in made:
        by_name.setdefault(name, []).append(filename)
    for name, files in by_name.items():
        page = os.path.join(OUT, "simple", name)
        os.makedirs(page, exist_ok=True)
        links = "".join(f'<a href="../../files/{f}">{f}</a><br>\n' for f in files)
        with open(os.path.join(page, "index.html"), "w") as out:
            out.write(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")


main()
