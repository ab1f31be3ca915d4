"""Benchmark: `impactdsl evaluate rulesets/umea-2022` end to end, against the
baseline `python -c "import lark, attrs, yaml, jinja2"` measured in the same run.

Runs the two commands interleaved, REPEAT times each, and reports medians and
their ratio (goal: ratio <= 1.0). Timing belongs here, never in a unit test.

    python bench/run.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    script = shutil.which("impactdsl", path=str(Path(sys.executable).parent)) or shutil.which("impactdsl")
    evaluate = ([script] if script else [sys.executable, "-m", "impactdsl"]) + \
        ["evaluate", "rulesets/umea-2022"]
    baseline = [sys.executable, "-c", "import lark, attrs, yaml, jinja2"]
    timed(evaluate)                      # warm the parser cache and the file system
    ours, theirs = [], []
    for _ in range(args.repeat):
        ours.append(timed(evaluate))
        theirs.append(timed(baseline))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"impactdsl evaluate rulesets/umea-2022   median {a * 1000:7.1f} ms")
    print(f"python -c 'import lark, attrs, yaml, jinja2'  median {b * 1000:7.1f} ms")
    print(f"ratio {a / b:.2f} (goal <= 1.00, {args.repeat} runs each, interleaved)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
