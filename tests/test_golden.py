"""Every bundled ruleset's outputs, byte for byte, as committed in tests/golden/.

Behaviour is kept when code moves: before a refactor or a hardening change
the outputs of every command on every bundled ruleset are committed here, and
afterwards they must be byte-identical. After a change that is meant to alter
an output, regenerate with

    IMPACTDSL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and read the diff before committing it."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

import impactdsl.cli
from impactdsl.core.kinds import Format, Lang, choices

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
ALLOW = ("--allow", "rulesets")
RULESETS = ("umea-2022", "hbs-2022", "sofvast-2022", "example-peer", "kommun-exempel")
# Every format and language the CLI offers, but PDF: it is the HTML (kept here) laid out by WeasyPrint,
# whose bytes are its own release's; tests/test_board_papers.py checks the PDF's text and repeatability.
FORMATS = tuple(form for form in choices(Format) if form != Format.PDF)
LANGUAGES = choices(Lang)


def _cases() -> list[tuple[str, tuple[str, ...]]]:
    cases = []
    for name in RULESETS:
        path = f"rulesets/{name}"
        cases.append((f"{name}.check.txt", ("check", path, *ALLOW)))
        cases.append((f"{name}.export.yaml", ("export", path, "--yaml", *ALLOW)))
        for lang in LANGUAGES:
            for form in FORMATS:
                cases.append((f"{name}.{lang}.{form}", ("evaluate", path, "--format", form, "--lang", lang,
                                                         *ALLOW)))
    cases.append(("umea-2022-raw.sv.json", ("evaluate", "rulesets/umea-2022", "--data", "rulesets/umea-2022/raw",
                                            "--format", "json")))
    cases.append(("diff.umea-2022.example-peer.txt", ("diff", "rulesets/umea-2022", "rulesets/example-peer",
                                                       *ALLOW)))
    return cases


def _explain_cases() -> list[tuple[str, str, str]]:
    return [(name, lang, f"{name}.{lang}.explain.txt") for name in RULESETS for lang in LANGUAGES]


class _Captured:
    """stdout and stderr as bytes, the way a terminal or a pipe receives them."""

    def __init__(self):
        self.buffer = io.BytesIO()
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        self.buffer.write(text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run(monkeypatch, *args: str) -> tuple[int, bytes, bytes]:
    out, err = _Captured(), _Captured()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = impactdsl.cli.main(list(args))
    monkeypatch.undo()
    return code, out.buffer.getvalue(), err.buffer.getvalue()


def _compare(name: str, produced: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("IMPACTDSL_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(produced)
        return
    assert path.is_file(), f"no golden file {name}: run with IMPACTDSL_UPDATE_GOLDEN=1"
    assert produced == path.read_bytes(), f"{name} differs from its golden file"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("name, args", _cases(), ids=[c[0] for c in _cases()])
def test_output_is_the_committed_one(monkeypatch, name, args):
    code, out, err = run(monkeypatch, *args)
    _compare(name, b"exit %d\n--- stdout\n%s--- stderr\n%s" % (code, out, err))


@pytest.mark.parametrize("name, lang, golden", _explain_cases(), ids=[c[2] for c in _explain_cases()])
def test_every_explanation_is_the_committed_one(monkeypatch, name, lang, golden):
    ruleset, problems = impactdsl.check(REPO / "rulesets" / name, [REPO / "rulesets"])
    assert ruleset is not None, problems
    results = impactdsl.run(REPO / "rulesets" / name, allow=[REPO / "rulesets"])
    parts = []
    for wanted in results.ids():
        code, out, err = run(monkeypatch, "explain", f"rulesets/{name}", wanted, "--lang", lang, *ALLOW)
        parts.append(b"=== %s exit %d\n%s%s" % (wanted.encode(), code, out, err))
    _compare(golden, b"".join(parts))
