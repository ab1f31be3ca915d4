"""Results → a report in one of the formats people read, every one from the same view.

    render(results, "html" | "md" | "text" | "xlsx" | "json", lang="sv") -> str | bytes

HTML and Markdown come from Jinja2 templates in the package (autoescaped for
HTML, so a ruleset text holding <script> shows as text); they read the
report view and compute nothing. Jinja2 is imported only for those two."""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING

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
        return env
    env = Environment(loader=PackageLoader("impactdsl.render", "templates"), autoescape=False,
                      finalize=markdown_text, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["md"] = markdown_cell
    return env


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


def render(results: Results, form: str, lang: str = "sv", colour: bool = False) -> str | bytes:
    """The report in one format, every format made from the same view in the one language chosen
    here. Every text in it has passed `redact`; a text report, Markdown and HTML pass
    `mask_identities` once more as a whole, for what they set side by side (an id before a title);
    JSON does so string by string, and XLSX cell by cell."""
    from impactdsl.render.view import build

    return RENDERERS[Format(form)](build(results, Words(lang, results.ruleset.method)), colour)


def _json(view: ReportView, colour: bool) -> str:
    from impactdsl.render.json_document import to_json

    return json.dumps(to_json(view), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _text(view: ReportView, colour: bool) -> str:
    from impactdsl.render.text import render_text

    return mask_identities(render_text(view, colour))


def _xlsx(view: ReportView, colour: bool) -> bytes:
    from impactdsl.render.xlsx import render_xlsx

    return render_xlsx(view)


def _template(name: str, form: Format):
    def rendered(view: ReportView, colour: bool) -> str:
        return mask_identities(environment(form).get_template(name).render(r=view))
    return rendered


RENDERERS = {Format.TEXT: _text, Format.MD: _template("report.md.j2", Format.MD),
             Format.HTML: _template("report.html.j2", Format.HTML), Format.XLSX: _xlsx, Format.JSON: _json}
