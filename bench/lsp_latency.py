#!/usr/bin/env python3
"""bench/lsp_latency.py BIN [LINES] [EDITS]: how long the language server takes to give
the findings of one open file after a keystroke.

Starts `BIN server` as an editor would (LSP over stdio, pull diagnostics), opens a
generated LINES-line module (default 5000: async handlers, sync helpers, classes, with a
blocking call in every tenth handler), then makes EDITS (default 40) one-character edits
at different places. After each edit it pulls the document's diagnostics at once (a pull
skips the server's debounce), so the time from sending the edit to the answer is the
analysis of the whole file plus the round trip. Prints the median, the 90th percentile and
the maximum in milliseconds, and checks each answer has the findings the text has.
Exit 0, or 1 when the server misbehaved. Not a test: no time limit is asserted.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def module(lines):
    out = ["import asyncio", "import time", "", ""]
    i = 0
    while len(out) < lines:
        if i % 3 == 0:
            out += [f"class Store{i}:", f"    def __init__(self):", f"        self.rows = {{}}", "",
                    f"    async def get(self, key):", f"        await asyncio.sleep(0)",
                    f"        return self.rows.get(key)", "", ""]
        body = "time.sleep(0.1)" if i % 10 == 0 else "await asyncio.sleep(0)"
        out += [f"def helper{i}(values):", f"    total = 0", f"    for v in values:",
                f"        total += v * {i}", f"    return total", "", "",
                f"async def handler{i}(request, store):", f"    data = await store.get(request)",
                f"    {body}", f"    if data is None:", f"        return helper{i}([1, 2, 3])",
                f"    return [x async for x in agen{i}()]", "", "",
                f"async def agen{i}():", f"    yield {i}", "", ""]
        i += 1
    return "\n".join(out[:lines]) + "\n", (i + 9) // 10


class Server:
    def __init__(self, binary):
        self.p = subprocess.Popen([binary, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 1

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            c = self.p.stdout.read(1)
            if not c:
                raise RuntimeError("the server closed its output")
            header += c
        n = int(header.split(b":")[1].split(b"\r")[0])
        return json.loads(self.p.stdout.read(n))

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = self.recv()
            if msg.get("id") == rid:
                return msg

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def main():
    binary = sys.argv[1]
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    text, blocking = module(lines)
    uri = "file:///tmp/aa-lsp-latency/module.py"
    s = Server(binary)
    s.request("initialize", {"capabilities": {"textDocument": {"diagnostic": {}}}})
    s.notify("initialized", {})
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                       "text": text}})
    first = s.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    ok = len(first["result"]["items"]) == blocking
    times = []
    rows = text.split("\n")
    for k in range(edits):
        # A trailing space typed, then deleted, on a different line each time: the text
        # keeps its findings, and every edit is a real change the server must analyze.
        line = 20 + (k // 2 * 97) % (lines - 40)
        end = len(rows[line])
        if k % 2 == 0:
            rng, new_text = (end, end), " "
        else:
            rng, new_text = (end, end + 1), ""
        change = {"range": {"start": {"line": line, "character": rng[0]}, "end": {"line": line, "character": rng[1]}},
                  "text": new_text}
        t0 = time.perf_counter()
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": k + 2}, "contentChanges": [change]})
        answer = s.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        times.append((time.perf_counter() - t0) * 1000)
        ok = ok and len(answer.get("result", {}).get("items", [])) == blocking
    s.request("shutdown", None)
    s.notify("exit", None)
    ok = ok and s.p.wait(timeout=10) == 0
    times.sort()
    p90 = times[max(0, int(len(times) * 0.9) - 1)]
    print(f"lsp edit -> diagnostics, {lines} lines ({len(text.encode()) / 1e3:.0f} KB, {blocking} findings), "
          f"{edits} edits: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms")
    if not ok:
        print("lsp_latency: the server's answers were wrong", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
