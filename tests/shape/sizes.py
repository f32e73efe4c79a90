#!/usr/bin/env python3
"""The workspace's longest functions and largest files, outside tests.

A file counts whole (its inline `#[cfg(test)]` module too); test files (`*_tests.rs`,
`tests.rs`, tests/ folders, `*.test.ts`) and generated bindings do not count. A function counts
from its `fn` line to its closing brace, found by matching braces outside strings and comments;
functions inside `#[cfg(test)]` items do not count.

Exits 1 when a function is over MAX_FN lines or a file over MAX_FILE lines.
Usage: tests/shape/sizes.py [--top N]
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["crates/core/src", "crates/cli/src", "crates/tray/src", "crates/testkit/src", "src-tauri/src", "ui/src"]
MAX_FN = 60
MAX_FILE = 500


def is_test_file(path):
    rel = path.relative_to(ROOT)
    return (
        "tests" in rel.parts
        or "bindings" in rel.parts
        # Installed and built JavaScript (the JupyterLab extension's), not ours to size.
        or "node_modules" in rel.parts
        or "built" in rel.parts
        or path.name == "tests.rs"
        or path.stem.endswith("_tests")
        or path.name.endswith((".test.ts", ".d.ts"))
    )


def files():
    for src in SOURCES:
        base = ROOT / src
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix in (".rs", ".ts") and path.is_file() and not is_test_file(path):
                yield path


def code_mask(text):
    """`text` with strings, chars and comments blanked (newlines kept), so braces can be counted."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j == -1 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j == -1 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not text[i - 1].isalnum()):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            j = n if end == -1 else end + 1 + len(hashes)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            j = i + len(re.match(r"'(\\.|[^\\'])'", text[i:i + 4]).group(0))
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching(masked, open_at):
    depth = 0
    for i in range(open_at, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(masked) - 1


def test_spans(masked):
    spans = []
    for m in re.finditer(r"#\[cfg\((?:all\()?\s*test\b[^\]]*\)\]", masked):
        brace = masked.find("{", m.end())
        semi = masked.find(";", m.end())
        if brace != -1 and (semi == -1 or brace < semi):
            spans.append((m.start(), matching(masked, brace)))
    return spans


def functions(path):
    masked = code_mask(path.read_text())
    tests = test_spans(masked)
    for m in re.finditer(r"\bfn\s+(\w+)\s*(<[^{;]*?>)?\s*\(", masked):
        if any(a <= m.start() <= b for a, b in tests):
            continue
        brace = masked.find("{", m.end())
        semi = masked.find(";", m.end())
        if brace == -1 or (semi != -1 and semi < brace):
            continue  # a declaration in a trait
        end = matching(masked, brace)
        first = masked.count("\n", 0, m.start()) + 1
        last = masked.count("\n", 0, end) + 1
        yield m.group(1), first, last - first + 1


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 5
    sizes, fns = [], []
    for path in files():
        rel = str(path.relative_to(ROOT))
        sizes.append((len(path.read_text().splitlines()), rel))
        if path.suffix == ".rs":
            fns += [(n, f"{rel}:{line} {name}") for name, line, n in functions(path)]
    sizes.sort(reverse=True)
    fns.sort(reverse=True)
    print(f"largest files (at most {MAX_FILE} lines):")
    for n, rel in sizes[:top]:
        print(f"  {n:5d}  {rel}")
    print(f"longest functions (at most {MAX_FN} lines):")
    for n, where in fns[:top]:
        print(f"  {n:5d}  {where}")
    over = [s for s in sizes if s[0] > MAX_FILE] + [f for f in fns if f[0] > MAX_FN]
    for n, where in over:
        print(f"too long: {where} ({n} lines)")
    print("sizes: " + ("OK" if not over else "FAILED"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
