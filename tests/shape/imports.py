#!/usr/bin/env python3
"""The workspace's import graph, file by file: which file's code names which other file's items.

An arrow A -> B means a non-test line of A names an item that B defines (through `use`, a
qualified path such as `crate::x::y` or `super::z`, or a re-export that leads to B). `mod x;`
declarations are ownership, not arrows. Test code (`#[cfg(test)]` blocks, `*_tests.rs`,
`tests.rs`, tests/ folders) is left out: tests may reach anywhere.

Prints the circles (strongly connected groups of files) and the upward arrows: an arrow from
a file on a lower floor to one on a higher floor (FLOORS below). Exits 1 when core has a
circle or the workspace has more than MAX_UPWARD upward arrows.

Usage: tests/shape/imports.py [--graph] [--parts] [--quiet]
(--graph: every file arrow; --parts: the arrows between parts; --quiet: the ground floor counted,
not listed)
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CRATES = {
    "darwinix_core": ROOT / "crates/core/src",
    "darwinix_cli": ROOT / "crates/cli/src",
    "darwinix_tray": ROOT / "crates/tray/src",
    "darwinix_app": ROOT / "src-tauri/src",
}
MAX_UPWARD = 2


def floor(crate, module):
    """0: the ground floor (imports nothing above it); 1: core's parts; 2: the top of core;
    3: the programs on top of core."""
    if crate != "darwinix_core":
        return 3
    head = module[0] if module else ""
    if head in ("fs", "error", "format", "version"):
        return 0
    if head in ("", "hints", "target"):
        return 2
    return 1


def module_of(crate_dir, path):
    rel = path.relative_to(crate_dir).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod" or (len(parts) == 1 and parts[0] in ("lib", "main")):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for line in text.splitlines():
        # Not inside a string: good enough for code (URLs in strings keep their //).
        m = re.search(r'(?<![:"])//', line)
        out.append(line[: m.start()] if m and line[: m.start()].count('"') % 2 == 0 else line)
    return "\n".join(out)


def block_end(text, start):
    """Index just past the item that starts at `start`: a `;` item or a balanced `{}` block."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == ";" and depth == 0:
            return i + 1
        i += 1
    return len(text)


def strip_tests(text):
    """Removes `#[cfg(test)]` items; returns the text and the modules they declared by file."""
    test_mods = set()
    while True:
        m = re.search(r"#\[cfg\((?:all\()?\s*test\b[^\]]*\)\]\s*(?:#\[[^\]]*\]\s*)*", text)
        if not m:
            return text, test_mods
        item = re.match(r"(pub(\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text[m.end():])
        if item:
            test_mods.add(item.group(3))
        end = block_end(text, m.end())
        text = text[: m.start()] + text[end:]


def expand_use(tree):
    """`a::{b, c::{d, e}}` -> [[a, b], [a, c, d], [a, c, e]] (aliases and globs dropped)."""
    tree = re.sub(r"\s+as\s+\w+", "", tree)
    tree = re.sub(r"\s+", "", tree)

    def split_top(s):
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        return parts

    def walk(s):
        brace = s.find("{")
        if brace == -1:
            return [[p for p in s.split("::") if p and p != "*"]]
        prefix = [p for p in s[:brace].split("::") if p]
        inner = s[brace + 1: s.rfind("}")]
        out = []
        for part in split_top(inner):
            for rest in walk(part):
                out.append(prefix + rest)
        return out

    return walk(tree)


class Workspace:
    def __init__(self):
        self.files = {}  # (crate, module) -> Path
        self.text = {}
        self.reexports = {}  # (crate, module) -> {name: (crate, abs segments)}
        test_files = set()
        for crate, d in CRATES.items():
            for path in sorted(d.rglob("*.rs")):
                rel = path.relative_to(d)
                if "tests" in rel.parts[:-1] or path.name == "tests.rs" or path.stem.endswith("_tests"):
                    continue
                key = (crate, module_of(d, path))
                text, test_mods = strip_tests(strip_comments(path.read_text()))
                for t in test_mods:
                    test_files.add((crate, key[1] + (t,)))
                self.files[key] = path
                self.text[key] = text
        for t in test_files:
            self.files.pop(t, None)
            self.text.pop(t, None)
        for key, text in self.text.items():
            self.reexports[key] = {}
            for m in re.finditer(r"\bpub(\([^)]*\))?\s+use\s+([^;]+);", text):
                for segs in expand_use(m.group(2)):
                    absolute = self.absolute(key, segs)
                    if absolute and segs:
                        self.reexports[key][segs[-1]] = absolute

    def absolute(self, key, segs):
        crate, module = key
        if not segs:
            return None
        head = segs[0]
        if head == "crate":
            return (crate, tuple(segs[1:]))
        if head in CRATES:
            return (head, tuple(segs[1:]))
        if head in ("super", "self"):
            base = list(module)
            rest = list(segs)
            while rest and rest[0] in ("super", "self"):
                if rest.pop(0) == "super":
                    base = base[:-1]
            return (crate, tuple(base + rest))
        if (crate, module + (head,)) in self.files:
            return (crate, module + tuple(segs))
        return None

    def resolve(self, target, depth=0):
        crate, segs = target
        for n in range(len(segs), -1, -1):
            key = (crate, segs[:n])
            if key in self.files:
                rest = segs[n:]
                if rest and depth < 8 and rest[0] in self.reexports.get(key, {}):
                    via = self.reexports[key][rest[0]]
                    return self.resolve((via[0], via[1] + rest[1:]), depth + 1)
                return key
        return None

    def arrows(self):
        edges = {k: set() for k in self.files}
        for key, text in self.text.items():
            targets = []
            for m in re.finditer(r"\buse\s+([^;]+);", text):
                targets += expand_use(m.group(1))
            body = re.sub(r"\buse\s+[^;]+;", "", text)
            for m in re.finditer(r"\b((?:crate|super|self|darwinix_\w+)(?:::\w+)+)", body):
                targets.append(m.group(1).split("::"))
            for segs in targets:
                absolute = self.absolute(key, segs)
                if not absolute:
                    continue
                to = self.resolve(absolute)
                if to and to != key:
                    edges[key].add(to)
        return edges


def circles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def part(key):
    """A file's part: core's top-level module (`install`, `jupyter`, …), or the crate above it."""
    crate, module = key
    if crate != "darwinix_core":
        return crate.replace("darwinix_", "")
    return "core::" + (module[0] if module else "lib")


def print_parts(edges):
    """Every arrow between parts, once, with how many file arrows it stands for."""
    counts = {}
    for a, tos in edges.items():
        for b in tos:
            if part(a) != part(b):
                counts[(part(a), part(b))] = counts.get((part(a), part(b)), 0) + 1
    print(f"arrows between parts: {len(counts)}")
    for (a, b), n in sorted(counts.items()):
        print(f"  {a} -> {b} ({n})")


def name(ws, key):
    return str(ws.files[key].relative_to(ROOT))


def main():
    ws = Workspace()
    edges = ws.arrows()
    groups = circles(edges)
    upward = sorted(
        (name(ws, a), name(ws, b))
        for a, tos in edges.items()
        for b in tos
        if floor(*a) < floor(*b)
    )
    n_arrows = sum(len(v) for v in edges.values())
    if "--graph" in sys.argv:
        for a in sorted(edges, key=lambda k: name(ws, k)):
            for b in sorted(edges[a], key=lambda k: name(ws, k)):
                print(f"{name(ws, a)} -> {name(ws, b)}")
    print(f"{len(ws.files)} files, {n_arrows} arrows")
    ground = sorted(name(ws, k) for k in ws.files if floor(*k) == 0)
    if "--quiet" in sys.argv:
        print(f"ground floor: {len(ground)} files")
    else:
        print(f"ground floor ({len(ground)} files): " + ", ".join(ground))
    if "--parts" in sys.argv:
        print_parts(edges)
    core_groups = [g for g in groups if any(k[0] == "darwinix_core" for k in g)]
    print(f"circles: {len(groups)} ({len(core_groups)} in core)")
    for g in groups:
        print(f"  {len(g)} files: " + ", ".join(name(ws, k) for k in g))
    print(f"upward arrows: {len(upward)} (at most {MAX_UPWARD})")
    for a, b in upward:
        print(f"  {a} -> {b}")
    ok = not core_groups and len(upward) <= MAX_UPWARD
    print("import graph: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
