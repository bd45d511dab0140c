#!/usr/bin/env python3
"""The floor plan holds (docs/architecture.md): folders are the pipeline's stages and
their includes point one way; the engine names no rule.

Checked over every .c, .h and .inc file of analyzer/, parsers/ and rules/:
  1. a folder includes only folders of lower layers (LAYERS below); the rule families
     (rules/<family>/) may include one another, without a circle; rules/shared/ includes
     no family;
  2. no string literal starting with a rule code ("AA" and a digit) outside rules/;
  3. no rule descriptor symbol (aa_rule_<name>, defined in rules/) outside rules/.
Exit 0 when all hold, 1 with each violation on stderr.
"""
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Bottom to top. A folder may include its own files and those of folders before it.
LAYERS = [
    "analyzer/base",
    "analyzer/input",
    "parsers/toml",
    "parsers/python",
    "parsers/c",
    "analyzer/facts",
    "analyzer/check",
    "analyzer/index",
    "rules",  # rules.h and the registry; rules/<family>/ are this layer's rooms
    "analyzer/engine",
    "analyzer/fix",
    "analyzer/report",
    "analyzer/server",  # the language server: the engine and the reports, behind LSP
    "analyzer/app",
]
RANK = {name: i for i, name in enumerate(LAYERS)}
# What rules of several families share (docs/architecture.md): it includes no family.
SHARED = "rules/shared"
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder(path):
    parts = path.split("/")
    if parts[0] == "rules":
        return "/".join(parts[:2]) if len(parts) > 2 else "rules"
    return "/".join(parts[:2])


def layer(fold):
    return "rules" if fold.startswith("rules") else fold


def sources():
    for top in ("analyzer", "parsers", "rules"):
        for dirpath, _, files in os.walk(os.path.join(REPO, top)):
            for f in sorted(files):
                if f.endswith((".c", ".h", ".inc")):
                    path = os.path.relpath(os.path.join(dirpath, f), REPO)
                    with open(os.path.join(REPO, path), encoding="utf-8") as fh:
                        yield path, fh.read()


def strip_comments(text):
    """C text without comments; string literals kept (a comment marker inside a string
    is rare enough in this code base, and a string is what rule 2 looks for)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text[i] == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def family_cycle(edges):
    """A circle among the rule families, as a list of folders, or None."""
    state = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if not state.get(nxt):
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if not state.get(node):
            found = visit(node, [])
            if found:
                return found
    return None


def main():
    problems = []
    files = dict(sources())
    descriptors = set()
    for path, text in files.items():
        if path.startswith("rules/"):
            descriptors.update(re.findall(r"\bconst struct aa_rule (aa_rule_\w+)\s*=", text))
    if len(descriptors) < 30:
        problems.append(f"found only {len(descriptors)} rule descriptors under rules/: the scan is broken")
    family_edges = {}
    for path, text in sorted(files.items()):
        src = folder(path)
        if layer(src) not in RANK:
            problems.append(f"{path}: folder {src} is not a known stage (tests/t_layers.py LAYERS)")
            continue
        for inc in INCLUDE.findall(text):
            if not inc.startswith(("analyzer/", "parsers/", "rules/")):
                continue
            dst = folder(inc)
            if dst == src:
                continue
            if layer(dst) not in RANK:
                problems.append(f"{path}: includes {inc}, in unknown folder {dst}")
            elif src == SHARED and dst.startswith("rules/"):
                problems.append(f"{path}: {SHARED} includes {inc}: what families share builds on no family")
            elif src.startswith("rules/") and dst.startswith("rules/"):
                family_edges.setdefault(src, set()).add(dst)
            elif RANK[layer(dst)] > RANK[layer(src)] or (
                RANK[layer(dst)] == RANK[layer(src)] and layer(src) != "rules"
            ):
                problems.append(f"{path}: {src} includes {inc} from {dst}, a later stage")
            elif src == "rules" and dst == "rules/testonly":
                continue  # the registry appends the test-only rules in the test build
            elif src == "rules" and dst.startswith("rules/"):
                problems.append(f"{path}: rules/ includes {inc}: the families build on rules.h, not the reverse")
        if path.startswith("rules/"):
            continue
        code = strip_comments(text)
        for m in re.finditer(r'"AA[0-9]', code):
            line = code.count("\n", 0, m.start()) + 1
            problems.append(f"{path}: a rule code in a string literal (near line {line}): the engine names no rule")
        for sym in sorted(descriptors):
            if re.search(r"\b" + sym + r"\b", code):
                problems.append(f"{path}: names the descriptor {sym}: the engine names no rule")
    cycle = family_cycle(family_edges)
    if cycle:
        problems.append("a circle among the rule families: " + " -> ".join(cycle))
    for p in problems:
        print(p, file=sys.stderr)
    print(f"layers: {len(files)} files, {len(descriptors)} descriptors, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
