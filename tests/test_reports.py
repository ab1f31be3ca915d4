"""Reports as people read them: HTML (opened in headless Chromium), Markdown,
XLSX and the terminal, in Swedish and English, byte for byte deterministic."""

from __future__ import annotations

import io
import json
import os
import re
from fractions import Fraction

import pytest

import impactdsl
from impactdsl.core import formats
from impactdsl.render.output import render
from impactdsl.render.view import build, wilson
from impactdsl.render.words import Words

from .browser import Page, chromium
from .conftest import ROOT, compile_text


@pytest.mark.parametrize("form", ["text", "md", "html", "xlsx", "json"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_format_is_deterministic(umea, form, lang):
    assert render(umea, form, lang) == render(umea, form, lang)


@pytest.mark.parametrize("value, sv, en", [
    (Fraction(112, 10), "11,2\u00a0%", "11.2%"), (Fraction(80), "80\u00a0%", "80%"),
    (Fraction(-3), "-3\u00a0%", "-3%"), (Fraction(1, 3), "0,3\u00a0%", "0.3%"),
])
def test_percent_formats(value, sv, en):
    assert (formats.percent(value, "sv"), formats.percent(value, "en")) == (sv, en)


def test_kronor_and_thousands():
    assert formats.kronor_thousands(2450) == "2\u00a0450\u00a0tkr"
    assert formats.kronor_thousands(2008, "en") == "2,008 kSEK"
    assert formats.number(1234567) == "1\u00a0234\u00a0567" and formats.number(Fraction(25, 2)) == "12,5"


def test_wilson_interval():
    low, high = wilson(75, 95)                     # 3.2.6: 79 % of 95
    assert (round(low, 1), round(high, 1)) == (69.7, 85.9)
    low, high = wilson(20, 20)
    assert high == 100.0 and round(low, 1) == 83.9


def test_outcome_sentences_in_the_reports_style(umea):
    rows = {row.id: row for area in build(umea, Words("sv")).areas for row in area.rows}
    nb = "\u00a0"
    assert rows["3.2.6"].outcome == f"79{nb}% (75 av 95) av personalen har svarat: till mycket stor del eller till stor del"
    assert rows["1.1.1"].outcome == f"38{nb}% (271 av 705)"
    assert rows["2.4.1"].outcome == f"92{nb}% (54 av 59) och 81{nb}% (54 av 67); skillnad 11 procentenheter"
    assert rows["3.2.6"].within_margin and "95" in rows["3.2.6"].interval      # 80 % lies in 70–86 %
    assert not rows["5.3.3"].within_margin                                      # 40 % against 80 %
    english = {row.id: row for area in build(umea, Words("en")).areas for row in area.rows}
    assert english["3.2.6"].outcome.startswith("79% (75 of 95) of personalen answered:")


def test_overrides_and_readings_are_shown(umea):
    html = render(umea, "html")
    assert "Manuellt beslut" in html and "troligen avsågs" in html              # 1.3.1's override and reason
    assert "Regelverkets läsning av källan" in html and "27/179" in html        # 1.2.7's reading
    md = render(umea, "md")
    assert "*Manuellt beslut:*" in md and "Inga beskrivningar har inlämnats" in md


def test_html_is_self_contained_and_prints_on_a4(umea):
    html = render(umea, "html")
    assert "@page { size: A4" in html and "<style>" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html
    assert html.count('<div class="explanation">') == len(umea.indicators)  # an explanation per row, no JS
    assert html.count('class="toggle"') == len(set(re.findall(r'id="(x-[^"]+)"', html))) == len(umea.indicators)


HOSTILE = """
ruleset "<b>Elak</b>"
association "<script>alert('a')</script>"
period 2022
minimum n 5
fact f percent
fact n number
subgroups kön: kvinnor "kvinnor", män "män"
scale del: 'ja' "Ja", 'nej' "Nej"
group g "gruppen"
question q1 scale del
area 1 "Område <i>ett</i> | två"
goal 1.1 "Mål"
indicator 1.1.1 "Text med <script>alert(1)</script> i" f >= 40% -> 2
indicator 1.1.2 "Liten grupp" share(g[kvinnor], q1, 'ja') >= 50% -> 1
"""


def test_ruleset_texts_are_escaped_and_small_groups_suppressed(tmp_path):
    ruleset, problems = compile_text(tmp_path, HOSTILE, "facts:\n  f: 50%\n  n: 1\nsurveys:\n  g:\n"
                                     "    q1: {n: 10, ja: 6, by: {kvinnor: {n: 3, ja: 2}}}\n")
    assert ruleset is not None, impactdsl.render_problems(problems)
    outcomes, _ = impactdsl.load(tmp_path / "data", ruleset)
    results = impactdsl.evaluate(ruleset, outcomes)
    html = render(results, "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;ett&lt;/i&gt;" in html
    md = render(results, "md")
    assert "<script>" not in md and "&lt;script&gt;" in md and "Område &lt;i&gt;ett&lt;/i&gt; \\| två" in md
    row = next(r for a in build(results, Words("sv")).areas for r in a.rows if r.id == "1.1.2")
    assert row.outcome == "färre än 5 svar" and "(2 av 3)" not in html and "2 av 3" not in md


def test_xlsx_layout_numbers_and_percentages(umea):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(umea, "xlsx")))
    assert book.sheetnames == ["Sammanfattning"] + [f"Målområde {i}" for i in range(1, 6)]
    area = book["Målområde 3"]
    assert [c.value for c in area[1]][0] == "Målområde 3: Samordning"
    assert area["A2"].value == "Samordningsförbundet Umeåregionen · Impact Index 2022 · 2022"
    assert [c.value for c in area[5]] == ["Mål", None, "Ind nr", "Indikator", "Målvärde", "Utfall", "Bedömning",
                                         "Indikatorvärde", "Poäng", "Maximalt värde", "Utfallet i ord"]
    rows = {r[2].value: r for r in area.iter_rows(min_row=6) if r[2].value}
    six = [c.value for c in rows["3.2.6"]]
    assert six[4:10] == ["≥ 80\u00a0%", pytest.approx(0.79), "Nära målet", 2, 0, 2]   # 79 %, as compared
    assert six[10].startswith("79\u00a0% (75 av 95)")                              # and in words
    assert rows["3.2.6"][5].number_format == "0%"
    assert rows["3.3.4"][8].value == 4 and isinstance(rows["3.3.4"][8].value, int)
    summary = book["Sammanfattning"]
    assert summary["A1"].value == "Impact Index 2022" and summary["A3"].value.startswith("Utvärderad 2022-12-31")
    first = [c for c in summary[6]]
    assert first[1].value == 0.35 and first[1].number_format == "0%" and first[2].value == 0.34
    total = [c.value for c in summary[11]]
    assert first[9].value == "=H6-I6"
    assert total[0] == "Totalt" and total[3:7] == ["=SUM(D6:D10)", "=SUM(E6:E10)", "=SUM(F6:F10)", "=SUM(G6:G10)"]
    assert total[7] == "=ROUND(G11/F11*100,0)" and first[5].value == "='Målområde 1'!$C$35"
    assert area.print_title_rows == "$5:$5" and area.page_setup.orientation == "landscape"
    assert book.properties.title == "Impact Index 2022" and book.properties.creator == "Samordningsförbundet Umeåregionen"
    assert book.properties.created.date().isoformat() == "2022-12-31"


def test_xlsx_formulas_hold_the_engines_figures(umea):
    """Each formula's stored value is the engine's figure (a reader that does not recalculate shows it)."""
    from openpyxl import load_workbook

    data = render(umea, "xlsx")
    cached = load_workbook(io.BytesIO(data), data_only=True)
    summary = cached["Sammanfattning"]
    assert [c.value for c in summary[11]][3:10] == [21, 99, 244, 171, 70, 70, 0]
    assert [summary.cell(6 + i, 8).value for i in range(5)] == [int(a.index) for a in umea.areas]
    formulas = load_workbook(io.BytesIO(data))["Sammanfattning"]
    assert sum(1 for row in formulas.iter_rows() for c in row if c.data_type == "f") >= 5 * 5 + 6


def test_text_is_plain_when_piped_and_coloured_on_a_terminal(umea):
    assert "\033[" not in render(umea, "text")
    assert "\033[32m" in render(umea, "text", colour=True)


def test_cli_formats_output_file_and_language(tmp_path, capsys):
    from impactdsl.cli import main

    for form in ("html", "md", "xlsx", "json", "text"):
        out = tmp_path / f"rapport.{form}"
        assert main(["evaluate", str(ROOT / "rulesets" / "umea-2022"), "--format", form, "-o", str(out)]) == 0
        assert out.stat().st_size > 1000
    assert main(["evaluate", str(ROOT / "rulesets" / "umea-2022"), "--format", "md", "--lang", "en"]) == 0
    assert "Goal area 1" in capsys.readouterr().out
    ruleset_file = ROOT / "rulesets" / "umea-2022" / "ruleset.impact"
    before = ruleset_file.read_bytes()
    assert main(["evaluate", str(ROOT / "rulesets" / "umea-2022"), "--format", "md", "-o", str(ruleset_file)]) == 2
    assert ruleset_file.read_bytes() == before and "never writes over" in capsys.readouterr().err


# ---- the page in a real browser -------------------------------------------

@pytest.mark.parametrize("ruleset", ["umea-2022", "hbs-2022", "sofvast-2022"])
def test_html_report_in_headless_chromium(ruleset, tmp_path):
    """Opened in Chromium: no console errors, the figures on the page equal the JSON, and a screenshot."""
    umea = impactdsl.run(ROOT / "rulesets" / ruleset)
    if chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    page_file = tmp_path / "rapport.html"
    page_file.write_text(render(umea, "html"), encoding="utf-8")
    document = json.loads(render(umea, "json"))
    page = Page(page_file.as_uri())
    try:
        figures = page.evaluate("Object.fromEntries([...document.querySelectorAll('[data-figure]')]"
                                ".map(e => [e.dataset.figure, e.textContent.trim()]))")
        statuses = page.evaluate("Object.fromEntries([...document.querySelectorAll('tr[data-status]')]"
                                 ".map(e => [e.id.slice(4), e.dataset.status]))")
        page.screenshot(tmp_path / "rapport.png")
        assert page.errors == []
    finally:
        page.close()
    has_index, has_points = document["method"]["index"] is not None, document["max"] > 0
    assert ("total-index" in figures) == has_index and (f"points-{document['areas'][0]['indicators'][0]['id']}"
                                                         in figures) == has_points
    if has_index:
        assert figures["total-index"] == str(document["index"])
        assert (figures["total-achieved"], figures["total-max"]) == (str(document["achieved"]), str(document["max"]))
    for area in document["areas"]:
        if has_index:
            assert figures[f"area-{area['id']}-index"] == str(area["index"])
        if has_points:
            assert figures[f"area-{area['id']}-max"] == str(area["max"])
        for indicator in area["indicators"]:
            if has_points:
                assert figures[f"points-{indicator['id']}"] == str(indicator["points"])
            assert statuses[indicator["id"]] == indicator["status"]
        if area["grade"]:
            assert figures[f"grade-{area['id']}"].endswith(area["grade"]["grade"])
    assert (tmp_path / "rapport.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_ruleset_without_a_period_shows_no_none_in_the_terminal(tmp_path):
    """The terminal header printed "(None)" after the association when no period was set."""
    from .conftest import compile_text

    ruleset, problems = compile_text(tmp_path, 'ruleset "r"\nassociation "Förbundet"\nfact f number "ett antal"\n'
                                     'area 1 "A"\ngoal 1.1 "g"\nindicator 1.1.1 "x" f >= 1 -> 1\n', "facts:\n  f: 2\n")
    assert ruleset is not None, problems
    outcomes, problems = impactdsl.load(tmp_path / "data", ruleset)
    text = render(impactdsl.evaluate(ruleset, outcomes), "text")
    assert text.splitlines()[0] == "r — Förbundet" and "None" not in text
