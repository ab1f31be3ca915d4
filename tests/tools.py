"""The programs some tests drive (a browser, an office suite, PDF tools): found, or the test skips
with the reason and the package to install; under CI (CI=true) a missing one fails the test, since
.ci/run installs each."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

PACKAGES = {"chromium": "chromium", "soffice": "libreoffice-calc-nogui", "pdftotext": "poppler-utils",
            "pdffonts": "poppler-utils"}


def need(program: str) -> str:
    """The program's path; skips (fails under CI) when it is not installed."""
    found = shutil.which(program) or (shutil.which("chromium-browser") if program == "chromium" else None)
    if found is None:
        why = f"{program} is not installed (apt-get install {PACKAGES[program]})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {why}: .ci/run installs it")
        pytest.skip(why)
    return found


def need_module(name: str, extra: str) -> None:
    """A Python package of an optional extra; skips (fails under CI, which installs '.[test]')."""
    try:
        __import__(name)
    except (ImportError, OSError) as exc:
        why = f"{name} cannot be imported ({type(exc).__name__}): pip install -e '.[{extra}]'"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {why}")
        pytest.skip(why)


def pdf_text(path: Path) -> str:
    """A PDF's text as pdftotext reads it in the order it is drawn (-raw: a line of a table or of a
    two-column explanation stays one line), spaces squeezed per line; pages end in a form feed."""
    out = subprocess.run([need("pdftotext"), "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                         timeout=120).stdout.decode("utf-8")
    return "\f".join("\n".join(" ".join(line.split()) for line in page.splitlines()) for page in out.split("\f"))


RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def office_convert(source: Path, to: str, folder: Path) -> Path:
    """A file converted by LibreOffice headless (`soffice --convert-to`), in a profile of its own that
    recalculates every formula on loading (as a user's 'Recalculation on file load: always')."""
    profile = Path(tempfile.mkdtemp(prefix="impactdsl-office-"))
    try:
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE, encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([need("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", to, "--outdir", str(folder), str(source)],
                       capture_output=True, check=True, timeout=240)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = folder / (source.stem + "." + to.split(":")[0])
    assert made.is_file(), f"LibreOffice made no {made.name}"
    return made
