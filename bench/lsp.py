"""Benchmark: `impactdsl lsp` on rulesets/umea-2022/ruleset.impact, the time from a didChange sent to
its publishDiagnostics received (goal: every median <= 100 ms), against two baselines measured in
the same run: the project's `python -c "import lark, attrs, yaml, jinja2"`, and the server's own
round trip for a request that does no work (the protocol's floor). For comparison it also times,
in this process, the same text compiled whole (`workspace.compile_text` with Lark reading it all,
the static checks too): what every change would cost without the statements kept.

The server runs as a user's install runs it (compiled bytecode, the parser's tables in the cache
as after any earlier run), is opened on Umeå's text once, and is then sent REPEAT changes of each
kind, interleaved, as an editor sends them (incremental, one range each):

  keystroke   a letter of a name typed and taken back: `deltagare` misspelt (an unknown-name
              error) and mended (compiles, static checks run)
  new line    a line put in at the top and taken out: every statement below moves
  syntax      a bracket typed into a rule and taken out: the text does not parse (the whole text
              is parsed again, for the usual messages)

Timing belongs here, never in a unit test.

    python bench/lsp.py [--repeat 41]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "umea-2022" / "ruleset.impact"
BUDGET_MS = 100


class Server:
    """`impactdsl lsp` in a subprocess, spoken to with Content-Length framed JSON-RPC."""

    def __init__(self):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "impactdsl", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.process.stdout
        while True:
            length = None
            while (line := out.readline().strip()):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                self.messages.put(None)
                return
            self.messages.put(json.loads(out.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def wait(self, wanted, timeout: float = 60) -> dict:
        end = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(end - time.monotonic(), 0.01))
            if message is None:
                raise SystemExit("the server stopped")
            if wanted(message):
                return message

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        number = self.next_id
        self.send({"id": number, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == number and "method" not in m)

    def change(self, uri: str, version: int, line: int, start: int, end: int, text: str) -> float:
        """Seconds from the change sent to its diagnostics received."""
        began = time.perf_counter()
        self.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                          "end": {"line": line, "character": end}}, "text": text}]}})
        self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        return time.perf_counter() - began


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=41)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "impactdsl", quiet=1)     # as a user's install has it
    subprocess.run([sys.executable, "-m", "impactdsl", "check", str(RULESET)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})   # the parser's tables
    text = RULESET.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = RULESET.as_uri()
    name_line = next(i for i, line in enumerate(lines) if "ratio(avslut, deltagare) >= 40%" in line)
    name_at = lines[name_line].index("deltagare") + len("deltagar")
    rule_line = name_line
    rule_at = lines[rule_line].index("ratio(") + len("ratio(")

    server = Server()
    server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}, "locale": "sv"})
    server.send({"method": "initialized", "params": {}})
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "impactdsl", "version": 1, "text": text}}})
    server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    baseline = [sys.executable, "-c", "import lark, attrs, yaml, jinja2"]
    version = 1
    runs: dict[str, list[float]] = {"keystroke": [], "new line": [], "syntax": [], "round trip": [], "baseline": [],
                                     "whole": []}
    sys.path.insert(0, str(ROOT))
    from impactdsl.compile.checks import run_checks
    from impactdsl.parse.parser import parser as lark_parser
    from impactdsl.workspace import compile_text
    lark_parser()
    timed(baseline)
    for _ in range(args.repeat):
        for kind, (line, at, typed) in {"keystroke": (name_line, name_at, "e"),
                                        "new line": (1, 0, "\n"),
                                        "syntax": (rule_line, rule_at, "(")}.items():
            version += 1                        # typed: deltagare → deltagaree, a new line, ratio((
            runs[kind].append(server.change(uri, version, line, at, at, typed))
            version += 1                        # taken back
            end = (line + 1, 0) if typed == "\n" else (line, at + 1)
            began = time.perf_counter()
            server.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": at},
                                              "end": {"line": end[0], "character": end[1]}}, "text": ""}]}})
            server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
            runs[kind].append(time.perf_counter() - began)
        began = time.perf_counter()
        server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
        runs["round trip"].append(time.perf_counter() - began)
        runs["baseline"].append(timed(baseline))
        began = time.perf_counter()
        ruleset, _, _ = compile_text(RULESET, text)
        run_checks(ruleset)
        runs["whole"].append(time.perf_counter() - began)
    server.request("shutdown", None)
    server.send({"method": "exit", "params": None})
    server.process.wait(timeout=30)

    base = statistics.median(runs["baseline"])
    print(f"baseline python -c 'import lark, attrs, yaml, jinja2'    median {base * 1000:6.1f} ms")
    trip = statistics.median(runs["round trip"])
    print(f"baseline hover on a comment (the protocol's round trip)  median {trip * 1000:6.1f} ms  ratio {trip / base:.2f}")
    whole = statistics.median(runs["whole"])
    print(f"for comparison: the text compiled whole, in-process        median {whole * 1000:6.1f} ms  "
          f"ratio {whole / base:.2f}")
    worst = 0.0
    for kind in ("keystroke", "new line", "syntax"):
        times = sorted(runs[kind])
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"didChange → publishDiagnostics, {kind:<10}            median {median * 1000:6.1f} ms  "
              f"p90 {times[int(len(times) * 0.9)] * 1000:6.1f} ms  ratio {median / base:.2f}")
    print(f"goal: every median <= {BUDGET_MS} ms (ratio <= {BUDGET_MS / 1000 / base:.2f} on this machine); "
          f"{2 * args.repeat} changes of each kind, interleaved; {'met' if worst * 1000 <= BUDGET_MS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
