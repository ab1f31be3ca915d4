"""Results → a report in one of the formats people read, every one from the same view.

    render(results, "html" | "md" | "text" | "xlsx" | "json" | "pdf", lang="sv", date=None) -> str | bytes

HTML and Markdown come from Jinja2 templates in the package (autoescaped for
HTML, so a ruleset text holding <script> shows as text); they read the
report view and compute nothing. Jinja2 is imported only for those two. A PDF
is the HTML laid out by WeasyPrint, an optional extra."""

from __future__ import annotations

import datetime
import functools
import json
import re
from typing import TYPE_CHECKING

from impactdsl.core.diagnostics import Said
from impactdsl.core.kinds import Format
from impactdsl.core.redact import mask_identities
from impactdsl.evaluation.results import Results
from impactdsl.render.words import Words

if TYPE_CHECKING:
    from impactdsl.render.view import ReportView


@functools.cache
def environment(form: str):
    """The template environment of a format: HTML autoescaped; in Markdown every value that is
    printed passes `markdown_text` (Jinja's finalize), so no template can forget it; the `md`
    filter also squeezes a text's spaces for a table cell."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from impactdsl.render.view import ink

    if form == "html":
        env = Environment(loader=PackageLoader("impactdsl.render", "templates"), autoescape=True,
                          undefined=StrictUndefined, keep_trailing_newline=True)
        env.filters["ink"] = ink
        env.filters["css_string"] = css_string
        return env
    env = Environment(loader=PackageLoader("impactdsl.render", "templates"), autoescape=False,
                      finalize=markdown_text, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["md"] = markdown_cell
    return env


def css_string(value):
    """A text as a CSS string for a printed page's margin ("Samordningsförbundet · 2022"): every
    character but ASCII letters and digits written as its code in six digits (\\0000e5, a space
    \\000020, so none follows an escape to be eaten by it), so no text can end the string, the rule
    or the style element; HTML's escaping does not apply inside <style>."""
    from markupsafe import Markup

    return Markup('"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}"
                                for c in str(value)) + '"')


MARKDOWN_ESCAPED = re.compile(r"([\\`*_\[\]|@~])")
AUTOLINKS = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")


class MarkdownText(str):
    """A text already made safe for Markdown (by the `md` filter): finalize leaves it as it is."""


def markdown_text(value) -> str:
    """Any printed value made inert in Markdown: no raw HTML, no link, image or code syntax (a fence
    of ``` or ~~~ included), no table pipe, no line break, and no bare address a renderer would make
    a link of ("https://…",
    "www.…", "namn@…" are broken with a backslash, which readers do not see)."""
    if isinstance(value, MarkdownText):
        return value
    text = re.sub(r"[\r\n]+", " ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_ESCAPED.sub(r"\\\1", text)
    return AUTOLINKS.sub(lambda match: "\\" + match.group(0), text)


def markdown_cell(text) -> MarkdownText:
    """A text for a table cell or a line: its spaces squeezed, then made inert."""
    return MarkdownText(markdown_text(" ".join(str(text).split())))


def render(results: Results, form: str, lang: str = "sv", colour: bool = False,
           date: datetime.date | None = None) -> str | bytes:
    """The report in one format, every format made from the same view in the one language chosen
    here, evaluated on `date` (else the last day of the ruleset's period). Every text in it has
    passed `redact`; a text report, Markdown and HTML pass `mask_identities` once more as a whole,
    for what they set side by side (an id before a title); JSON does so string by string, and XLSX
    cell by cell. MissingExtra when the format's engine is not installed (see `missing_extra`)."""
    from impactdsl.render.view import build

    return RENDERERS[Format(form)](build(results, Words(lang, results.ruleset.method), date), colour)


def _json(view: ReportView, colour: bool) -> str:
    from impactdsl.render.json_document import to_json

    return json.dumps(to_json(view), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _text(view: ReportView, colour: bool) -> str:
    from impactdsl.render.text import render_text

    return mask_identities(render_text(view, colour))


def _xlsx(view: ReportView, colour: bool) -> bytes:
    from impactdsl.render.xlsx import render_xlsx

    return render_xlsx(view)


class MissingExtra(Exception):
    """A format whose engine is an optional extra that is not installed; the message says which (in
    English; `said` in both languages)."""

    def __init__(self, said: Said):
        super().__init__(said.en)
        self.said = said


def missing_extra(form: str) -> Said | None:
    """Why a format cannot be made here (its extra is not installed, or not usable), or None: asked
    before any work, so the command stops at once with a usage error."""
    if Format(form) is not Format.PDF:
        return None
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):          # OSError: installed, but Pango (a system library) is missing
        return Said("en PDF görs av WeasyPrint, tillägget 'pdf', som inte är installerat eller inte kan laddas",
                    "a PDF is made by WeasyPrint, the optional extra 'pdf', which is not installed or cannot load")
    return None


def _pdf(view: ReportView, colour: bool) -> bytes:
    """The printed report: the HTML laid out on A4 by WeasyPrint (the 'pdf' extra), which embeds the
    fonts it used, makes a bookmark of each heading (a unit, a table, the summary), and writes the
    same bytes for the same HTML (its document date is the evaluation's, from the HTML's meta)."""
    html = _template("report.html.j2", Format.HTML)(view, colour)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        raise MissingExtra(missing_extra(Format.PDF)) from None
    return HTML(string=html, base_url=None, url_fetcher=_no_fetching).write_pdf()


def _no_fetching(url: str, *args, **kwargs):
    """WeasyPrint fetches nothing: the report is self-contained, and no text in it names a resource."""
    raise ValueError("impactdsl reports load no resources")


def _template(name: str, form: Format):
    def rendered(view: ReportView, colour: bool) -> str:
        return mask_identities(environment(form).get_template(name).render(r=view))
    return rendered


RENDERERS = {Format.TEXT: _text, Format.MD: _template("report.md.j2", Format.MD),
             Format.HTML: _template("report.html.j2", Format.HTML), Format.XLSX: _xlsx, Format.JSON: _json,
             Format.PDF: _pdf}
