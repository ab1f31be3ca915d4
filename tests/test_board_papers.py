"""Board papers as a board member gets them: the HTML printed to A4 in headless Chromium, the PDF
WeasyPrint makes, the workbook opened in LibreOffice, the page on a 390 px phone, and the output
file's name deciding the format. The programs are Debian's (installed by .ci/run); without them a
test skips with the package to install, and fails under CI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile

import pytest

import impactdsl
from impactdsl.cli import main
from impactdsl.render.output import render
from impactdsl.render.view import build
from impactdsl.render.words import Words

from .browser import Page
from .conftest import ROOT
from .tools import need, need_module, office_convert, pdf_text

UMEA, HBS = ROOT / "rulesets" / "umea-2022", ROOT / "rulesets" / "hbs-2022"


def squeezed(text: str) -> str:
    """A text with no whitespace and no hyphens: what survives a line broken anywhere on a page (and
    pdftotext joining a line that ends in a hyphen to the next without it)."""
    return "".join(str(text).split()).replace("-", "")


def explanation_lines(results) -> list[str]:
    return [line for area in build(results, Words("sv")).areas for row in area.rows
            for line in row.explanation.splitlines() if line.strip()]


def table_cells(results) -> list[str]:
    return [cell for table in build(results, Words("sv")).tables for row in table.rows for cell in row if cell]


def json_figures(results) -> list[str]:
    """Every figure of the JSON a board paper must carry: the index, points and maxima of the whole and
    of each unit, each indicator's points."""
    document = json.loads(render(results, "json"))
    out = [document["index"], document["achieved"], document["max"]]
    for area in document["areas"]:
        out += [area["index"], area["achieved"], area["max"]] + [i["points"] for i in area["indicators"]]
    return [str(figure) for figure in out if figure is not None]


def printed(results, tmp_path, width: int = 1200):
    """The HTML report printed by Chromium: (the PDF's pages as text, the page)."""
    need("chromium")
    page_file = tmp_path / "rapport.html"
    page_file.write_text(render(results, "html"), encoding="utf-8")
    page = Page(page_file.as_uri(), width=width)
    page.print_pdf(tmp_path / "utskrift.pdf")
    return page


# ---- 1. print ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [UMEA, HBS], ids=["umea", "hbs"])
def test_the_printed_report_is_complete_with_its_summary_first_and_every_page_named(path, tmp_path):
    results = impactdsl.run(path)
    page = printed(results, tmp_path)
    try:
        assert page.errors == []
    finally:
        page.close()
    text = pdf_text(tmp_path / "utskrift.pdf")
    whole = squeezed(text)
    missing = [line for line in explanation_lines(results) + table_cells(results) if squeezed(line) not in whole]
    assert missing == [], missing[:5]                          # every explanation line and table cell is on paper
    assert "Såräknadesdet" in whole and text.count("Så räknades det") == len(results.indicators)
    summary, first_area = text.index("Sammanfattning"), text.index(f"{results.areas[0].area.id}:")
    assert summary < first_area                                 # the summary comes first, after the headline
    pages = text.split("\f")[:-1]
    s = results.ruleset.settings
    for number, page_text in enumerate(pages, 1):
        assert f"sida {number} av {len(pages)}" in page_text, number
        assert squeezed(f"{s.association} · {s.name} · {s.period}") in squeezed(page_text), number
        assert "Utvärderad 2022-12-31 med impactdsl" in page_text, number
    for _, digest in results.inputs:                            # the inputs' hashes, in the footer on the last page
        assert digest in squeezed(pages[-1])


@pytest.mark.parametrize("path", [UMEA, HBS], ids=["umea", "hbs"])
def test_nothing_is_clipped_on_an_a4_page(path, tmp_path):
    """Laid out for print at an A4 page's width (landscape for a wide table), no table or line runs
    past the page's edge, and nothing scrolls."""
    results = impactdsl.run(path)
    page = printed(results, tmp_path)
    try:
        page.call("Emulation.setEmulatedMedia", media="print")
        overflow = {}
        for width, selector in ((688, "section:not(.wide) :is(table, td, th), pre, h2, p"),
                                (1016, "section.wide :is(table, td, th)")):
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=1100, deviceScaleFactor=1,
                      mobile=False)
            overflow[width] = page.evaluate(
                f"[...document.querySelectorAll('{selector}')].filter(e => e.getBoundingClientRect().right > "
                f"{width} + 1 || e.scrollWidth > e.clientWidth + 1).map(e => e.tagName + ' ' + e.textContent.slice(0, 40))")
        scrolling = page.evaluate("[...document.querySelectorAll('*')].filter(e => getComputedStyle(e).overflowX "
                                  "=== 'auto' || getComputedStyle(e).overflowX === 'scroll').length")
    finally:
        page.close()
    assert overflow == {688: [], 1016: []} and scrolling == 0


# ---- 2. --format pdf ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def umea_pdf(tmp_path_factory):
    need_module("weasyprint", "pdf")
    folder = tmp_path_factory.mktemp("pdf")
    assert main(["evaluate", str(UMEA), "-o", str(folder / "rapport.pdf")]) == 0      # the name says PDF
    return folder / "rapport.pdf"


def test_the_pdf_holds_every_figure_and_explanation_line(umea_pdf, umea):
    assert umea_pdf.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(umea_pdf)
    whole = squeezed(text)
    assert [line for line in explanation_lines(umea) if squeezed(line) not in whole] == []
    words = set(text.replace("\u00a0", " ").split())
    assert [figure for figure in json_figures(umea) if figure not in words] == []
    assert "Impact Index 70 — 171 av 244" in text.replace("\u00a0", " ")
    assert all(letter in text for letter in "åäöÅ")                                # Umeå, mål, Åtta


def test_the_pdf_is_a4_with_its_fonts_embedded_and_a_bookmark_per_unit(umea_pdf, umea):
    import pypdf

    reader = pypdf.PdfReader(umea_pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)       # A4 in points
    fonts = subprocess.run([need("pdffonts"), str(umea_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts                   # 'emb' of every font

    def titles(outline):
        return [t for item in outline for t in (titles(item) if isinstance(item, list) else [item.title])]
    marks = titles(reader.outline)
    assert [f"Målområde {a.area.id}: {a.area.title}" for a in umea.areas] == [m for m in marks if
                                                                              m.startswith("Målområde")]
    assert "Sammanfattning" in marks
    assert reader.metadata.title.startswith("Impact Index 2022") and "Umeåregionen" in reader.metadata.author


def test_the_pdf_is_the_same_bytes_on_repeat_and_dated_as_asked(tmp_path):
    need_module("weasyprint", "pdf")
    for name in ("a.pdf", "b.pdf"):
        assert main(["evaluate", str(HBS), "--format", "pdf", "-o", str(tmp_path / name), "--date", "2023-02-15"]) == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    import pypdf

    assert pypdf.PdfReader(tmp_path / "a.pdf").metadata.creation_date.date().isoformat() == "2023-02-15"
    assert "Utvärderad 2023-02-15" in pdf_text(tmp_path / "a.pdf")


def test_without_the_pdf_extra_the_command_says_so_and_writes_nothing(tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    assert main(["evaluate", str(HBS), "-o", str(tmp_path / "rapport.pdf")]) == 2
    err = capsys.readouterr().err
    assert "WeasyPrint" in err and "impactdsl[pdf]" in err and not (tmp_path / "rapport.pdf").exists()


# ---- 3. a workbook to keep ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def umea_workbook(tmp_path_factory, umea):
    folder = tmp_path_factory.mktemp("xlsx")
    (folder / "rapport.xlsx").write_bytes(render(umea, "xlsx"))
    return folder / "rapport.xlsx"


def test_libreoffice_prints_every_indicator_text_and_figure(umea_workbook, umea, tmp_path):
    text = pdf_text(office_convert(umea_workbook, "pdf", tmp_path))
    whole = squeezed(text)
    rows = [row for area in build(umea, Words("sv")).areas for row in area.rows]
    assert [row.id for row in rows if squeezed(row.text) not in whole] == []
    assert [row.id for row in rows if squeezed(row.outcome) not in whole] == []        # the outcome in words
    assert [row.id for row in rows if squeezed(row.target_text) not in whole] == []
    assert "Impact Index 2022" in text and "Samordningsförbundet Umeåregionen" in text


def _summary_csv(workbook, folder) -> list[list[str]]:
    made = office_convert(workbook, "csv:Text - txt - csv (StarCalc):44,34,76,1", folder)
    return list(csv.reader(io.StringIO(made.read_text(encoding="utf-8"))))


def test_libreoffice_recalculates_the_summary_to_the_engines_figures(umea_workbook, umea, tmp_path):
    rows = _summary_csv(umea_workbook, tmp_path)
    header = rows.index(next(r for r in rows if r and r[0] == "Målområde"))
    table = {r[0]: r for r in rows[header + 1:header + 7]}
    for area in umea.areas:
        row = table[f"{area.area.id} {area.area.title}"]
        assert row[3:10] == [str(len(area.goals)), str(sum(not i.indicator.is_bonus for i in area.indicators)),
                             str(area.maximum), str(area.achieved), str(area.index), str(area.target_index),
                             str(area.difference)], area.area.id
    assert table["Totalt"][5:9] == [str(umea.maximum), str(umea.achieved), str(umea.index), str(umea.target_index)]


def test_the_workbooks_sums_are_live_a_changed_point_changes_them(umea_workbook, tmp_path):
    """Points changed by hand in a unit's sheet change that unit's and the total's figures once the
    workbook is recalculated: the sums are formulas, not numbers written beside the points."""
    with zipfile.ZipFile(umea_workbook) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    sheet = entries["xl/worksheets/sheet2.xml"].decode()               # Målområde 1: 1.2.4's 10 points → 0
    row = sheet[sheet.index(">1.2.4<"):]
    cell = row[row.index('<c r="I'):row.index("</c>", row.index('<c r="I')) + 4]
    entries["xl/worksheets/sheet2.xml"] = sheet.replace(cell, cell.replace("<v>10</v>", "<v>0</v>"), 1).encode()
    changed = tmp_path / "ändrad.xlsx"
    with zipfile.ZipFile(changed, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    rows = _summary_csv(changed, tmp_path / "out")
    table = {r[0]: r for r in rows if r}
    assert table["1 Samhälls- och medlemsnytta"][5:8] == ["84", "36", "43"]     # 46 − 10 points; 36/84 → 43
    assert table["Totalt"][6:8] == ["161", "66"]                               # 171 − 10; 161/244 → 66


def test_every_row_is_as_high_as_its_wrapped_text(umea):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(umea, "xlsx")))
    for sheet in book:
        for row in sheet.iter_rows(min_row=5):
            height = sheet.row_dimensions[row[0].row].height
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    width = sheet.column_dimensions[cell.column_letter].width
                    assert height >= 15 * (len(cell.value) // (width * 1.3) + 1), (sheet.title, cell.coordinate)


def test_sheet_names_are_unique_within_31_characters_and_say_they_were_cut(tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(impactdsl.run(HBS), "xlsx")))
    names = book.sheetnames
    assert len(set(n.casefold() for n in names)) == len(names) and all(len(n) <= 31 for n in names)
    assert "Ekonomiskt utfall i förhålland…" in names


# ---- 4. phones ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [UMEA, HBS], ids=["umea", "hbs"])
def test_the_page_reflows_on_a_390_px_phone(path, tmp_path):
    need("chromium")
    results = impactdsl.run(path)
    (tmp_path / "rapport.html").write_text(render(results, "html"), encoding="utf-8")
    page = Page((tmp_path / "rapport.html").as_uri(), width=390, height=844)
    try:
        page.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        stacked = page.evaluate("getComputedStyle(document.querySelector('table.indicators td')).display")
        labels = page.evaluate("getComputedStyle(document.querySelector('td[data-label]'), '::before').content")
        page.screenshot(tmp_path / "telefon.png")
    finally:
        page.close()
    assert wide <= 390 and stacked == "block" and labels.startswith('"Ind nr')


# ---- 5. the output's name says the format -----------------------------------------------------

@pytest.mark.parametrize("name, looks", [("rapport.html", b"<!DOCTYPE html>"), ("rapport.htm", b"<!DOCTYPE html>"),
                                         ("rapport.md", b"# "), ("rapport.xlsx", b"PK"), ("rapport.json", b"{"),
                                         ("rapport.txt", "Måluppfyllelse".encode()), ("rapport", b"M")])
def test_the_output_files_ending_decides_the_format(tmp_path, name, looks):
    assert main(["evaluate", str(HBS), "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_bytes().startswith(looks)


@pytest.mark.parametrize("argv", [["-o", "rapport.xlsx", "--format", "text"], ["-o", "rapport.pdf", "--format", "html"],
                                  ["-o", "rapport.docx"], ["--date", "2023-02-30"], ["--date", "15/2/2023"]])
def test_a_format_the_name_contradicts_or_a_bad_date_is_a_usage_error(tmp_path, capsys, argv):
    argv = [str(tmp_path / a) if a.startswith("rapport") else a for a in argv]
    assert main(["evaluate", str(HBS), *argv]) == 2
    assert not list(tmp_path.iterdir()) and "error:" in capsys.readouterr().err


def test_the_date_is_the_periods_end_unless_given(tmp_path):
    results = impactdsl.run(HBS)
    assert json.loads(render(results, "json"))["evaluated"]["date"] == "2022-12-31"
    import datetime

    given = datetime.date(2023, 2, 15)
    assert "Utvärderad 2023-02-15 med impactdsl" in render(results, "html", date=given)
    assert json.loads(render(results, "json", date=given))["evaluated"]["date"] == "2023-02-15"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(results, "xlsx", date=given)))
    assert book.properties.created.date() == given
    assert render(results, "xlsx", date=given) == render(results, "xlsx", date=given)


# ---- what a ruleset's words can do on a printed page ------------------------------------------

def test_a_hostile_association_stays_text_in_the_page_margins_and_the_workbooks_header(tmp_path):
    from openpyxl import load_workbook

    from .conftest import compile_text

    name = '"; } body { display: none } @page { @top-left { content: "x</style><script>alert(1)</script> &P &D'
    ruleset, problems = compile_text(tmp_path, f'ruleset "r"\nassociation "{name.replace(chr(34), chr(39))}"\n'
                                     'period 2022\nfact f number "ett antal"\narea 1 "A"\ngoal 1.1 "g"\n'
                                     'indicator 1.1.1 "x" f >= 1 -> 1\n', "facts:\n  f: 2\n")
    assert ruleset is not None, impactdsl.render_problems(problems)
    outcomes, _ = impactdsl.load(tmp_path / "data", ruleset)
    results = impactdsl.evaluate(ruleset, outcomes)
    html = render(results, "html")
    style = html[html.index("<style>") + len("<style>"):html.index("</style>")]
    head = style[style.index("@top-left"):style.index("@bottom-left")]
    assert "<" not in style and "display: none" not in head and "'" not in head       # every sign as its code
    assert "<script>" not in html
    book = load_workbook(io.BytesIO(render(results, "xlsx")))
    header = book["Sammanfattning"].oddHeader.left.text
    assert "&&P &&D" in header and "&P &D" not in header.replace("&&", "")
