#!/usr/bin/env python3
"""The JSON report's metadata object (docs/output.md): when the run read C files of
extensions (AA112), the array ends with {"c_files_read", "c_files_not_read_fully"}; a run
that read none prints findings only. A unit whose header is missing counts as not read
fully and still yields what libclang could read."""
import json
import os
import subprocess
import sys
import tempfile

AA_BIN = os.environ.get("AA_BIN")
if not AA_BIN:
    sys.exit("AA_BIN must name the analyzer")

SETUP = 'from setuptools import Extension, setup\n\nsetup(ext_modules=[Extension("pkg._ext", sources=["src/ext.c"])])\n'
EXT_C = """#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <unistd.h>
#include "generated_by_the_build.h"

static PyObject *ext_nap(PyObject *self, PyObject *arg)
{
\tsleep(1);
\tPy_RETURN_NONE;
}

static PyMethodDef ext_methods[] = {
\t{"nap", ext_nap, METH_O, NULL},
\t{NULL, NULL, 0, NULL},
};

static struct PyModuleDef ext_module = { PyModuleDef_HEAD_INIT, "_ext", NULL, -1, ext_methods };

PyMODINIT_FUNC PyInit__ext(void)
{
\treturn PyModule_Create(&ext_module);
}
"""
CALLER = "from pkg import _ext\n\n\nasync def main():\n    _ext.nap(1)\n"


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def report(cwd):
    r = subprocess.run([AA_BIN, "check", "--format", "json", "."], cwd=cwd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"analyzer failed ({r.returncode}): {r.stderr}")
    return json.loads(r.stdout)


def main():
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        write(tmp, "setup.py", SETUP)
        write(tmp, "pkg/__init__.py", "")
        write(tmp, "pkg/main.py", CALLER)
        write(tmp, "src/ext.c", EXT_C)
        got = report(tmp)
        if not got or got[-1] != {"c_files_read": 1, "c_files_not_read_fully": 1}:
            failures.append(f"a unit with a missing header: metadata {got[-1:] if got else got}")
        findings = [d for d in got if "code" in d]
        if [d["code"] for d in findings] != ["AA112"] or len(findings) != len(got) - 1:
            failures.append(f"a unit not read fully still yields its chain: {got}")
        # No extension reached: the same tree's caller removed, no metadata.
        write(tmp, "pkg/main.py", "async def main():\n    pass\n")
        got = report(tmp)
        if got != []:
            failures.append(f"a run that read no C file has no metadata object: {got}")
    print("\n".join(failures) or "JSON metadata: C files read and not read fully, only when some were read")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
