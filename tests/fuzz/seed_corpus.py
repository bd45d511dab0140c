#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora from the repository (they are never committed).

Usage: tests/fuzz/seed_corpus.py OUT_DIR

OUT_DIR/pipeline/: every .py and .pyi file under fixtures/ and examples/ (the fuzz target
reads Python source).
OUT_DIR/config/: every pyproject.toml, setup.cfg, pytest.ini, .pytest.ini and tox.ini under
fixtures/ and examples/, and every INI and TOML text of tests/pytest_config_test.c (its
regression tests, such as a key before any table, so stay in the corpus).

Each seed is named by the SHA-1 of its bytes, as libFuzzer names its corpus files, so a
text found twice is one seed. The directories are emptied first. Exit 0, or 2 when a
source is missing.
"""
import ast
import hashlib
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG_NAMES = {"pyproject.toml", "setup.cfg", "pytest.ini", ".pytest.ini", "tox.ini"}
# INI(&t, "what", "text" "text"..., ...) and TOML(&t, "what", "text"..., ...): the text is
# the third argument, one or more adjacent C string literals.
LITERAL = r'"(?:[^"\\\n]|\\.)*"'
CALL = re.compile(r"\b(?:INI|TOML)\(&t,\s*" + LITERAL + r",\s*((?:" + LITERAL + r"\s*)+)")


def c_string(literals):
    """The bytes of adjacent C string literals (the simple escapes the tests use)."""
    out = b""
    for lit in re.findall(LITERAL, literals):
        # A C string literal with simple escapes reads as a Python bytes literal.
        out += ast.literal_eval("b" + lit)
    return out


def put(directory, data):
    with open(os.path.join(directory, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def walk(*tops):
    for top in tops:
        for dirpath, dirnames, files in os.walk(os.path.join(REPO, top)):
            dirnames.sort()
            for name in sorted(files):
                yield name, os.path.join(dirpath, name)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: tests/fuzz/seed_corpus.py OUT_DIR")
    dirs = {kind: os.path.join(sys.argv[1], kind) for kind in ("pipeline", "config")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            os.unlink(os.path.join(d, name))
    counts = {"pipeline": 0, "config": 0}
    for name, path in walk("fixtures", "examples"):
        kind = "pipeline" if name.endswith((".py", ".pyi")) else "config" if name in CONFIG_NAMES else None
        if kind:
            with open(path, "rb") as f:
                put(dirs[kind], f.read())
            counts[kind] += 1
    test = os.path.join(REPO, "tests", "pytest_config_test.c")
    try:
        with open(test, encoding="utf-8") as f:
            source = f.read()
    except OSError as e:
        print(f"seed_corpus: {e}", file=sys.stderr)
        sys.exit(2)
    texts = [c_string(m.group(1)) for m in CALL.finditer(source)]
    if not texts:
        print(f"seed_corpus: no INI or TOML text found in {test}", file=sys.stderr)
        sys.exit(2)
    for data in texts:
        put(dirs["config"], data)
    counts["config"] += len(texts)
    for kind, d in dirs.items():
        print(f"seed_corpus: {kind}: {counts[kind]} sources, {len(os.listdir(d))} distinct seeds in {d}")


if __name__ == "__main__":
    main()
