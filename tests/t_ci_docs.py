#!/usr/bin/env python3
"""docs/ci.md's snippets are usable: every ```yaml block parses (PyYAML: Debian's
python3-yaml, installed by tools/deps.sh --tests; its absence is a failure, not a skip),
the GitHub workflow uploads the SARIF file its step writes, the GitLab job's report
artifacts are the files its commands write, and every `--format` the page names is one the
analyzer accepts."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AA_BIN = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
try:
    import yaml
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")  # Debian's, under another interpreter
    try:
        import yaml
    except ImportError:
        sys.exit("FAIL: PyYAML is missing (apt-get install python3-yaml; tools/deps.sh --tests)")

failures = []
text = open(os.path.join(ROOT, "docs", "ci.md"), encoding="utf-8").read()
blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
if len(blocks) < 5:
    failures.append(f"expected the workflow, the GitLab job, two baseline steps and pre-commit; got {len(blocks)}")
docs = []
for i, b in enumerate(blocks):
    try:
        docs.append(yaml.safe_load(b))
    except yaml.YAMLError as e:
        failures.append(f"yaml block {i + 1} does not parse: {e}")


def output_of(command, fmt):
    m = re.search(r"--format " + fmt + r" -o (\S+)", command)
    return m.group(1) if m else None


workflow = next((d for d in docs if isinstance(d, dict) and "jobs" in d), None)
if not workflow:
    failures.append("no GitHub workflow")
else:
    steps = workflow["jobs"]["analyze"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    sarif = output_of(runs, "sarif")
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    if not upload or not sarif or upload[0]["with"]["sarif_file"] != sarif:
        failures.append(f"the workflow uploads {upload and upload[0]['with']} but writes {sarif}")
    if workflow["jobs"]["analyze"].get("permissions", {}).get("security-events") != "write":
        failures.append("upload-sarif needs security-events: write")
    if "--format github" not in runs:
        failures.append("the workflow makes no annotations")

job = next((d["async-analyzer"] for d in docs if isinstance(d, dict) and "async-analyzer" in d), None)
if not job:
    failures.append("no GitLab job")
else:
    script = " ".join(job["script"])
    reports = job["artifacts"]["reports"]
    for fmt, key in (("gitlab", "codequality"), ("junit", "junit")):
        if output_of(script, fmt) != reports.get(key):
            failures.append(f"GitLab: reports.{key} is {reports.get(key)}, the {fmt} report goes to "
                            f"{output_of(script, fmt)}")

with tempfile.TemporaryDirectory() as empty:
    for fmt in sorted(set(re.findall(r"--format (\w+)", text))):
        p = subprocess.run([AA_BIN, "check", "--format", fmt, "."], cwd=empty, capture_output=True)
        if p.returncode != 0:
            failures.append(f"--format {fmt}: exit {p.returncode}: {p.stderr.decode()[:200]}")

for f in failures:
    print("FAIL:", f)
print("ci docs:", "all checks passed" if not failures else f"{len(failures)} failures")
sys.exit(1 if failures else 0)
