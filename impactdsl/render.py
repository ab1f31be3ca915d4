"""Results → a report in one of the formats people read.

    render(results, "html" | "md" | "text" | "xlsx" | "json", lang="sv") -> str | bytes

HTML and Markdown come from Jinja2 templates in the package (autoescaped for
HTML, so a ruleset text holding <script> shows as text); they read the
report view and compute nothing. Jinja2 is imported only for those two."""

from __future__ import annotations

import functools
import json

from .results import Results

FORMATS = ("text", "md", "html", "xlsx", "json")


@functools.cache
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("impactdsl", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=False)
    env.filters["md"] = markdown_cell
    return env


def markdown_cell(text) -> str:
    """Text safe inside a Markdown table cell: no pipes, no line breaks, no raw HTML."""
    text = " ".join(str(text).split())
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|"))


def render(results: Results, form: str, lang: str = "sv", colour: bool = False) -> str | bytes:
    if form == "text":
        from .render_text import render_text

        return render_text(results, lang, colour)
    if form == "json":
        from .json_output import to_json

        return json.dumps(to_json(results, lang), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    from .report import build

    view = build(results, lang)
    if form == "xlsx":
        from .render_xlsx import render_xlsx

        return render_xlsx(view)
    template = {"html": "report.html.j2", "md": "report.md.j2"}[form]
    return environment().get_template(template).render(r=view)
