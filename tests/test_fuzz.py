"""A fuzz target in the test suite: mutated copies of the bundled rulesets and their data, each run
through a command, must end with exit status 0, 1 or 2 — never a traceback, never an internal
error, never a hang — and must show no identity number the mutation put in.

The cases are drawn from a fixed seed, so a failure is the same on every machine and its id
names the seed that makes it; FUZZ_CASES and FUZZ_SEED run more or other cases, e.g.

    FUZZ_CASES=5000 FUZZ_SEED=7 python -m pytest tests/test_fuzz.py -q -x
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from .hostile import IDENTITIES, leaks, run

REPO = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("FUZZ_CASES", "300"))
SEED = int(os.environ.get("FUZZ_SEED", "2026"))
SECONDS = 20                            # per case: a hang guard, far above any case's real time

# What a hostile file holds: tokens of the language, YAML and CSV structure, huge and odd numbers,
# control characters, identity numbers, paths and link syntax.
PIECES = [
    "indicator", "goal", "area", "each", "end", "import", "template", "scale", "share(", "ratio(", "gap(",
    "outcome(", "previous(", "->", ">=", "<=", "between", "and", "%", "pp", "relative", ";", ",", ":", "[", "]",
    "(", ")", "'", '"', '"""', "#", "\n", "  ", "\t", "0", "-1", "9" * 40, "1e999999999", "1/0", "NaN", "∞",
    "&a", "*a", "<<: *a", "!!python/object:os.system", "{", "}", "- ", "? ", "|", ">-", "\x00", "\x1b[31m",
    "\x07", "\u202e", "\ud800", "\r", "../", "/etc/passwd", "~", "=cmd|' /C calc'!A0", "[x](javascript:1)",
    "<script>", "{kommun}", "{x}", ".*", "1.1.1", "ja", "nej", "vet ej", "total", "n:", "files:", "path:",
    "kind: survey", "kind: register", "layout: long", "sheet: x", "period 99999", "minimum n 0",
] + list(IDENTITIES)

SEEDS = [
    ("umea-2022", "ruleset.impact"), ("umea-2022", "data/outcomes.yaml"), ("umea-2022", "raw/manifest.yaml"),
    ("umea-2022", "raw/personalenkat.csv"), ("umea-2022", "raw/forteckning.csv"),
    ("hbs-2022", "ruleset.impact"), ("hbs-2022", "data/outcomes.yaml"),
    ("sofvast-2022", "ruleset.impact"), ("sofvast-2022", "data/outcomes.yaml"),
    ("example-peer", "ruleset.impact"), ("example-peer", "data/outcomes.yaml"), ("example-peer", "ruleset.lock"),
]

COMMANDS = [
    ["check"], ["evaluate"], ["evaluate", "--format", "json"], ["evaluate", "--format", "md"],
    ["evaluate", "--format", "html"], ["evaluate", "--format", "xlsx", "-o", "{out}/r.xlsx"],
    ["explain", "1.1.1"], ["explain", "2"], ["export", "--yaml"], ["lock"], ["fmt", "--check"],
    ["diff", "{self}"],
]


def mutate(text: str, rng: random.Random) -> str:
    """One to four edits: a piece put in, a span cut out, repeated or moved, or a line doubled."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        span = rng.randint(1, 80)
        kind = rng.randrange(6)
        if kind <= 1:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif kind == 2:
            text = text[:at] + text[at + span:]
        elif kind == 3:
            text = text[:at] + text[at:at + span] * rng.randint(2, 5) + text[at + span:]
        elif kind == 4:
            cut = text[at:at + span]
            text = text[:at] + text[at + span:]
            where = rng.randrange(len(text) + 1)
            text = text[:where] + cut + text[where:]
        else:
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            lines.insert(line, lines[line])
            text = "\n".join(lines)
    return text


def case(number: int) -> tuple[str, str, list[str], bytes]:
    """(ruleset, file, command, the file's mutated bytes), in the file's own encoding."""
    rng = random.Random(SEED * 1_000_003 + number)
    name, file = rng.choice(SEEDS)
    raw = (REPO / "rulesets" / name / file).read_bytes()
    encoding = "utf-8"
    try:
        original = raw.decode(encoding)
    except UnicodeDecodeError:                  # the staff survey is Windows-1252, as Excel writes it
        encoding = "cp1252"
        original = raw.decode(encoding)
    text = mutate(original, rng)
    return name, file, rng.choice(COMMANDS), text.encode(encoding, "surrogatepass" if encoding == "utf-8"
                                                         else "replace")


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The bundled rulesets, copied once; each case copies the one it mutates."""
    root = tmp_path_factory.mktemp("bundled")
    for name in ("umea-2022", "hbs-2022", "sofvast-2022", "example-peer"):
        shutil.copytree(REPO / "rulesets" / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.parametrize("number", range(CASES), ids=lambda n: f"seed{SEED}-case{n}")
def test_a_mutated_input_ends_in_a_clear_status(copies, tmp_path, monkeypatch, number):
    monkeypatch.setenv("IMPACTDSL_NO_CACHE", "1")
    name, file, command, text = case(number)
    work = tmp_path / "rulesets"
    work.mkdir()
    for peer in ("umea-2022", name):
        if not (work / peer).exists():
            shutil.copytree(copies / peer, work / peer, symlinks=True)
    (work / name / file).write_bytes(text)
    folder = work / name
    data = ["--data", folder / "raw"] if file.startswith("raw/") and command[0] in ("evaluate", "explain") else []
    args = [a.replace("{out}", str(tmp_path)).replace("{self}", str(folder)) for a in command[1:]]
    done = run(command[0], folder, *args, *data, "--allow", work, seconds=SECONDS) if command[0] != "fmt" \
        else run("fmt", "--check", folder, seconds=SECONDS)
    written = b"".join(p.read_bytes() for p in tmp_path.glob("r.xlsx"))
    shown = done.text + written.decode("latin-1")
    assert done.code in (0, 1, 2), f"{name}/{file} {command}: exit {done.code}\n{done.text[-2000:]}"
    assert "Traceback" not in shown and "impactdsl failed inside" not in shown, done.text[-2000:]
    put_in = [i for i in IDENTITIES if i.encode() in text]
    assert not [i for i in leaks(done.text) if i in put_in], done.text[-2000:]
    assert "\x1b" not in done.text and "\u202e" not in done.text
