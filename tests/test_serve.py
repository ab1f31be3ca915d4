"""`impactdsl serve`: the report on 127.0.0.1, made again when the ruleset or its data change and
reloaded by the page itself; a ruleset with errors shows them, with line and caret. Driven in
headless Chromium: an edit shows on the page within 2 s."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .browser import Page
from .conftest import ROOT
from .tools import need


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "hbs"
    shutil.copytree(ROOT / "rulesets" / "hbs-2022", folder)
    process = subprocess.Popen([sys.executable, "-m", "impactdsl", "serve", str(folder), "--port", "0"],
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                               env=dict(os.environ, LANGUAGE="sv"))       # as a Swedish user sees it
    try:
        ready, _, _ = select.select([process.stderr], [], [], 30)
        assert ready, "impactdsl serve said nothing in 30 s"
        line = process.stderr.readline()
        assert "rapporten visas på http://127.0.0.1:" in line, line
        yield folder, line.split("på ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert "Traceback" not in process.stderr.read()


def _shows(page: Page, text: str, within: float = 2.0) -> float:
    """Seconds until the page's text holds `text`; fails past `within`."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        try:
            if text in (page.evaluate("document.body ? document.body.innerText : ''") or ""):
                return time.monotonic() - started
        except RuntimeError:                    # the page is between two loads
            pass
        time.sleep(0.05)
    raise AssertionError(f"the page did not show {text!r} within {within} s")


def test_an_edit_shows_on_the_page_within_2_seconds_and_an_error_in_its_place(served):
    need("chromium")
    folder, url = served
    page = Page(url)
    try:
        _shows(page, "Insats 1: Lyra")
        ruleset = folder / "ruleset.impact"
        text = ruleset.read_text(encoding="utf-8")
        ruleset.write_text(text.replace('area 1 "Lyra"', 'area 1 "Lyra ändrad"'), encoding="utf-8")
        _shows(page, "Insats 1: Lyra ändrad")
        ruleset.write_text(text + 'indicator 4.2.9 "x" okänd >= 1 -> 1\n', encoding="utf-8")
        _shows(page, "fel[")
        shown = page.evaluate("document.getElementById('problems').innerText")
        assert "ruleset.impact:" in shown and "^" in shown and "okänd" in shown
        ruleset.write_text(text, encoding="utf-8")
        _shows(page, "Insats 1: Lyra")
        data = folder / "data" / "outcomes.yaml"                 # the data are watched too
        data.write_text(data.read_text(encoding="utf-8") + "\nfacts:\n  okänt: 1\n", encoding="utf-8")
        _shows(page, "fel[")
        assert page.errors == [] or all("Content Security Policy" not in e for e in page.errors)
    finally:
        page.close()


def test_only_the_page_and_its_stamp_are_served_and_only_to_this_host(served):
    _, url = served
    with urllib.request.urlopen(url, timeout=30) as answer:
        page = answer.read().decode("utf-8")
        policy = answer.headers["Content-Security-Policy"]
    assert page.count("<script>") == 1 and "script-src 'sha256-" in policy and "default-src 'none'" in policy
    assert len(urllib.request.urlopen(url + "stamp", timeout=10).read()) == 20
    for path, headers, status in (("../ruleset.impact", {}, 404), ("data/outcomes.yaml", {}, 404),
                                  ("", {"Host": "evil.example"}, 403)):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url + path, headers=headers), timeout=10)
        assert refused.value.code == status, path
