"""Helpers for the tests that attack impactdsl: a project folder built from parts, every command
run in-process with its whole output caught (stdout, stderr and any file written), a guard that
turns a hang into a failure, and the identity numbers the tests try to leak."""

from __future__ import annotations

import io
import signal
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import impactdsl.cli

# Identity numbers in every shape the redaction step must catch, and their digits alone.
IDENTITIES = ("850101-1234", "8501011234", "19850101-1234", "198501011234", "850161+1234", "20010229 5678")


def digits(identity: str) -> str:
    return "".join(c for c in identity if c.isdigit())


class Hang(BaseException):
    """Raised by `time_limit` (a BaseException, so no `except Exception` in the code swallows it)."""


@contextmanager
def time_limit(seconds: int):
    """Fail instead of hanging: a guard against a hang, not a measure of speed (bench/ measures)."""
    def alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Output(NamedTuple):
    code: int
    out: bytes
    err: bytes

    @property
    def text(self) -> str:
        return (self.out + self.err).decode("utf-8", "replace")


class _Stream:
    def __init__(self):
        self.buffer = io.BytesIO()
        self.encoding = "utf-8"

    def write(self, text: str) -> int:
        self.buffer.write(text.encode("utf-8", "surrogateescape"))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        pass


def run(*args, seconds: int = 20) -> Output:
    """`impactdsl ARGS...` in this process, with its exit status and every byte it printed."""
    out, err = _Stream(), _Stream()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        with time_limit(seconds):
            code = impactdsl.cli.main([str(a) for a in args])
    finally:
        sys.stdout, sys.stderr = saved
    return Output(code, out.buffer.getvalue(), err.buffer.getvalue())


def project(folder: Path, ruleset: str, data: dict[str, str | bytes] | None = None) -> Path:
    """A ruleset folder: ruleset.impact and data/ with the given files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ruleset.impact").write_text(ruleset, encoding="utf-8")
    if data is not None:
        (folder / "data").mkdir(exist_ok=True)
        for name, content in data.items():
            path = folder / "data" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def readable(data: bytes) -> str:
    """A written file as text to search: an XLSX workbook's members unpacked, anything else decoded."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


def leaks(text: str) -> list[str]:
    """The identity numbers (in any of the tested shapes, or as bare digits) found in `text`."""
    return [i for i in IDENTITIES if i in text or digits(i) in text]


RULESET = """
ruleset "Förbundet"
association "Samordningsförbundet Test"
period 2022
rounding half-up to 1%
status met "uppfyllt" when met
status near "nära målet" when within 5pp below target
status missed "ej uppfyllt" otherwise
minimum n 3
scale del: 'mycket stor' "Till mycket stor del", 'stor' "Till stor del", 'liten' "Till liten del"
  subset top2 = ['mycket stor', 'stor']
  unanswered = ['vet ej']
group staff "personalen"
subgroups kön: kvinnor "kvinnor", män "män"
question q1 scale del "Fråga ett"
question q2 scale del "Fråga två"
register reg "deltagarregistret"
count deltagare "deltagare" = reg
count avslut "avslut" = reg where exited
fact rapport yes/no "en rapport"
area 1 "Område A" weight 100%
goal 1.1 "Mål ett"
indicator 1.1.1 "Fråga ett" share(staff, q1, top2) >= 80% -> 2
indicator 1.1.2 "Fråga två" share(staff, q2, top2) >= 50% -> 1; note "en anteckning"
indicator 1.1.3 "Genomströmning" ratio(avslut, deltagare) >= 40% -> 1
indicator 1.1.4 "Rapport" rapport = yes -> 1
"""

WIDE = """Respondent;Kön;q1;q2
R1;K;Till mycket stor del;Till stor del
R2;M;Till stor del;Till liten del
R3;K;Till liten del;Vet ej
R4;M;Till stor del;Till stor del
"""

REGISTER = """Kön;Födelseår;Start;Slut;Avslutsorsak
K;1998;2021-05-01;2022-03-01;arbete
M;1990;2022-01-15;2022-10-15;studier
K;2001;2022-02-01;;
"""

MANIFEST = """files:
  - path: personal.csv
    kind: survey
    layout: wide
    group: staff
    respondent: Respondent
    subgroup: Kön
    values: {K: kvinnor, M: män}
  - path: register.csv
    kind: register
    register: reg
    columns: {gender: Kön, birth_year: Födelseår, start: Start, end: Slut, exit_reason: Avslutsorsak}
    values: {K: kvinnor, M: män}
facts:
  rapport: ja
"""


def good_data() -> dict[str, str]:
    return {"manifest.yaml": MANIFEST, "personal.csv": WIDE, "register.csv": REGISTER}
