"""Benchmark: `impactdsl evaluate rulesets/umea-2022` end to end, against the
baseline `python -c "import lark, attrs, yaml, jinja2"` measured in the same run.

Runs the commands interleaved, REPEAT times each, and reports medians and
their ratios (goal: ratio <= 1.0). "warm" is the usual case: the compiled
ruleset and tallies are in the user's cache, as after any earlier run on the
same files; "cold" turns the cache off (IMPACTDSL_NO_CACHE=1), so every run
imports Lark and PyYAML, parses and compiles. Timing belongs here, never in a
unit test.

    python bench/run.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, **env})
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "impactdsl", quiet=1)     # as a user's install has it
    script = shutil.which("impactdsl", path=str(Path(sys.executable).parent)) or shutil.which("impactdsl")
    evaluate = ([script] if script else [sys.executable, "-m", "impactdsl"]) + \
        ["evaluate", "rulesets/umea-2022"]
    baseline = [sys.executable, "-c", "import lark, attrs, yaml, jinja2"]
    timed(evaluate)                      # warm the caches and the file system
    warm, cold, base = [], [], []
    for _ in range(args.repeat):
        warm.append(timed(evaluate))
        cold.append(timed(evaluate, IMPACTDSL_NO_CACHE="1"))
        base.append(timed(baseline))
    b = statistics.median(base)
    print(f"baseline python -c 'import lark, attrs, yaml, jinja2'  median {b * 1000:6.1f} ms")
    for name, runs in (("warm", warm), ("cold", cold)):
        a = statistics.median(runs)
        print(f"impactdsl evaluate rulesets/umea-2022 ({name})  median {a * 1000:6.1f} ms  "
              f"ratio {a / b:.2f}")
    print(f"goal: ratio <= 1.00; {args.repeat} runs of each, interleaved")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
