"""Problems as data: each with a code, a place and a hint, shown all at once.

Stages never raise on a user's mistake; they return diagnostics beside their
value. This module also renders them the way compilers for people do: the
place, the line with a caret under the culprit, what is wrong, what to do."""

from __future__ import annotations

import difflib
import enum
import os
from collections.abc import Iterable, Mapping

import attrs

from impactdsl.core.redact import redact, redact_optional
from impactdsl.core.source import Source, Span

MESSAGE_CHARACTERS = 600        # a message, hint or note longer than this is cut with "…"
SNIPPET_CHARACTERS = 160        # of a long source line, this much around the caret is quoted


def _redacted(text: str) -> str:
    return redact(text, MESSAGE_CHARACTERS)


@attrs.frozen
class Said:
    """A sentence in Swedish and in English, written together where the problem is found, so that
    neither is forgotten and each reads naturally in its own word order. What the user reads is
    chosen when it is shown (`in_language`): Swedish unless they ask for English."""

    sv: str = attrs.field(converter=_redacted)
    en: str = attrs.field(converter=_redacted)

    def in_language(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv

    @classmethod
    def joined(cls, *parts: "str | Said") -> "Said":
        """Pieces put together in each language: a text (a path, a name) is the same in both."""
        return cls("".join(p.sv if isinstance(p, Said) else p for p in parts),
                   "".join(p.en if isinstance(p, Said) else p for p in parts))


def _said(text: "Said | str") -> Said:
    if not isinstance(text, Said):
        raise TypeError(f"STRICT: a diagnostic text that is not Said: {text!r}")
    return text


def _hint(text: "Said | str | None") -> Said | None:
    return None if text is None else _said(text)


def _notes(notes) -> tuple[Said, ...]:
    return tuple(_said(n) for n in notes)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Diagnostic:
    """A problem as data. Every text in it passes `redact` when it is made, so no message, hint,
    note or quoted line can carry an identity number or a control character, whoever built it."""

    code: str
    message: Said = attrs.field(converter=_said)
    span: Span | None = None
    hint: Said | None = attrs.field(default=None, converter=_hint)
    severity: Severity = Severity.ERROR
    notes: tuple[Said, ...] = attrs.field(default=(), converter=_notes)
    snippet: str | None = attrs.field(default=None, converter=redact_optional)   # the source line, for
                                                                                # ruleset and tally files only

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(code: str, message: Said, span: Span | None = None, hint: Said | None = None,
          notes: tuple[Said, ...] = ()) -> Diagnostic:
    return Diagnostic(code, message, span, hint, Severity.ERROR, notes)


def warning(code: str, message: Said, span: Span | None = None, hint: Said | None = None,
            notes: tuple[Said, ...] = ()) -> Diagnostic:
    return Diagnostic(code, message, span, hint, Severity.WARNING, notes)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


NAME_CHARACTERS = 200           # a longer word is no misspelling of a name: no search for a close one
MANY_NAMES = 200                # of more known names, the closest by their beginning are compared


def did_you_mean(word: str, candidates: Iterable[str]) -> Said | None:
    """A hint naming the closest known name, or the known names when there are few.

    Comparing texts costs the product of their lengths, so a word or a name
    longer than NAME_CHARACTERS is never compared (a cell of a million
    characters is answered at once)."""
    names = sorted(set(candidates))
    close = []
    if len(word) <= NAME_CHARACTERS:
        comparable = [n for n in names if len(n) <= NAME_CHARACTERS]
        if len(comparable) > MANY_NAMES:        # only the names that begin most like the word are compared
            folded = word.casefold()
            comparable = sorted(comparable, key=lambda n: -len(os.path.commonprefix((folded, n.casefold()))))
            comparable = sorted(comparable[:MANY_NAMES])
        close = difflib.get_close_matches(word, comparable, n=1, cutoff=0.6) or \
            difflib.get_close_matches(word.casefold(), comparable, n=1, cutoff=0.6)
    if close:
        return Said(f"menade du '{close[0]}'?", f"did you mean '{close[0]}'?")
    if names and len(names) <= 8:
        known = ", ".join(f"'{n}'" for n in names)
        return Said(f"kända namn: {known}", f"known names: {known}")
    return None


def sort_key(d: Diagnostic):
    s = d.span
    return (s.path, s.line, s.column) if s else ("", 0, 0)


def with_snippets(diagnostics: Iterable[Diagnostic], sources: Mapping[str, Source]) -> list[Diagnostic]:
    """Attach the quoted source line to each diagnostic whose file is in `sources`.

    Only sources handed in are quoted: raw data files about people never are."""
    out = []
    for d in diagnostics:
        source = sources.get(d.span.path) if d.span else None
        if source is not None and d.snippet is None:
            d = attrs.evolve(d, snippet=source.line(d.span.line))
        out.append(d)
    return out


LABELS = {"sv": {"error": "fel", "warning": "varning", "note": "obs", "hint": "tips"},
          "en": {"error": "error", "warning": "warning", "note": "note", "hint": "hint"}}


def render(diagnostics: Iterable[Diagnostic], lang: str = "sv") -> str:
    """All diagnostics as text, in file order, each with its source line and caret, in `lang`."""
    return "\n".join(_render_one(d, lang) for d in sorted(diagnostics, key=sort_key))


def _render_one(d: Diagnostic, lang: str) -> str:
    label = LABELS["en" if lang == "en" else "sv"]
    lines = [f"{label[d.severity.value]}[{d.code}]: {d.message.in_language(lang)}"]
    if d.span:
        lines.append(f"  --> {d.span}")
        if d.snippet is not None:
            width = 1
            if d.span.end_line == d.span.line and d.span.end_column > d.span.column:
                width = d.span.end_column - d.span.column
            text, column, width = _window(d.snippet.expandtabs(1), d.span.column, width)
            number = str(d.span.line)
            pad = " " * len(number)
            lines += [f"{pad} |", f"{number} | {text}", f"{pad} | {' ' * (column - 1)}{'^' * width}"]
    for note in d.notes:
        lines.append(f"  = {label['note']}: {note.in_language(lang)}")
    if d.hint:
        lines.append(f"  = {label['hint']}: {d.hint.in_language(lang)}")
    return "\n".join(lines) + "\n"


def _window(text: str, column: int, width: int) -> tuple[str, int, int]:
    """Of a long line, the part around the caret: (text, its caret column, caret width)."""
    if len(text) <= SNIPPET_CHARACTERS:
        return text, column, width
    start = max(0, min(column - 1 - SNIPPET_CHARACTERS // 3, len(text) - SNIPPET_CHARACTERS))
    part = text[start:start + SNIPPET_CHARACTERS]
    lead = "…" if start > 0 else ""
    tail = "…" if start + SNIPPET_CHARACTERS < len(text) else ""
    column = column - start + len(lead)
    return lead + part + tail, max(column, 1), max(1, min(width, SNIPPET_CHARACTERS - (column - 1)))


def as_records(diagnostics: Iterable[Diagnostic], lang: str = "sv") -> list[dict]:
    """The diagnostics as plain records, in file order (`check --format json`): code, severity, file,
    line, column, end line and column, message, hint, notes in `lang`; never the quoted source line."""
    out = []
    for d in sorted(diagnostics, key=sort_key):
        s = d.span
        out.append({"code": d.code, "severity": d.severity.value, "file": s.path if s else None,
                    "line": s.line if s else None, "column": s.column if s else None,
                    "end_line": (s.end_line or None) if s else None, "end_column": (s.end_column or None) if s else None,
                    "message": d.message.in_language(lang),
                    "hint": d.hint.in_language(lang) if d.hint else None,
                    "notes": [n.in_language(lang) for n in d.notes]})
    return out


def as_sarif(diagnostics: Iterable[Diagnostic], version: str, lang: str = "sv") -> dict:
    """The diagnostics as a SARIF 2.1.0 log (`check --format sarif`), the form code-scanning tools
    and editors read: one run of impactdsl, a rule per code, a result per diagnostic."""
    records = as_records(diagnostics, lang)
    hint = LABELS["en" if lang == "en" else "sv"]["hint"]
    results = []
    for r in records:
        result = {"ruleId": r["code"], "level": r["severity"],
                  "message": {"text": r["message"] + (f" ({hint}: {r['hint']})" if r["hint"] else "")}}
        if r["file"]:
            region = {"startLine": r["line"], "startColumn": r["column"]}
            if r["end_line"]:
                region |= {"endLine": r["end_line"], "endColumn": r["end_column"] or r["column"]}
            result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": r["file"]}, "region": region}}]
        results.append(result)
    rules = [{"id": code, "helpUri": f"docs/diagnostics.md#{code}"}
             for code in sorted({r["code"] for r in records})]
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "impactdsl", "version": version, "rules": rules}},
                      "results": results}]}


def summary(diagnostics: Iterable[Diagnostic], lang: str = "sv") -> str:
    ds = list(diagnostics)
    errors = sum(d.is_error for d in ds)
    warnings = len(ds) - errors
    parts = []
    if lang == "en":
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        return ", ".join(parts) if parts else "no problems"
    if errors:
        parts.append(f"{errors} fel")
    if warnings:
        parts.append(f"{warnings} varning{'ar' if warnings != 1 else ''}")
    return ", ".join(parts) if parts else "inga problem"


def to_json(d: Diagnostic, lang: str = "sv") -> dict:
    out = {"code": d.code, "severity": d.severity.value, "message": d.message.in_language(lang)}
    if d.span:
        out.update(file=d.span.path, line=d.span.line, column=d.span.column)
    if d.hint:
        out["hint"] = d.hint.in_language(lang)
    return out
