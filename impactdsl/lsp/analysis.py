"""What the language server knows of one open ruleset, and what it answers from it, without the
protocol: the diagnostics of the text as held in memory, the hover of a name or id, completion,
the declaration of a name, the outline and the formatted text. Places are (line, column), both
0-based and counted in characters, as `Span` counts them less one; server.py turns them into the
client's units.

Every answer is read from the syntax (its spans) and the compiled model; the text is not read
again by hand where the parser knows it. A ruleset whose text does not compile is answered from
the last one that did (names and scales), with the places of the text as it is."""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, has_errors
from impactdsl.core.limits import DEFAULT
from impactdsl.core.source import Span, display_path
from impactdsl.parse import syntax as s
from impactdsl.parse.errors import STATEMENT_KEYWORDS, SWEDISH_STATEMENT_KEYWORDS
from impactdsl.parse.incremental import Incremental
from impactdsl.parse.keywords import PHRASES

Place = tuple[int, int]                         # (line, column), 0-based
Range = tuple[Place, Place]

KINDS = {"group": Said("grupp", "group"), "question": Said("fråga", "question"),
         "count": Said("antal", "count"), "fact": Said("fakta", "fact"), "register": Said("register", "register"),
         "param": Said("param", "param"), "template": Said("mall", "template"), "status": Said("status", "status"),
         "scale": Said("skala", "scale"), "subset": Said("delmängd", "subset"),
         "subgroups": Said("undergrupper", "subgroups"), "entities": Said("enheter", "entities"),
         "key": Said("enhet eller undergrupp", "entity or subgroup"), "answer": Said("svar", "answer"), "keyword": Said("nyckelord", "keyword"),
         "unanswered": Said("räknas som obesvarat", "counted as not answered"),
         "parameter": Said("parameter i mallen", "parameter of the template"),
         "no_data": Said("Inga data i {data}: utfallet visas när de finns.", "No data in {data}: the outcome is "
                         "shown once there are."),
         "expansion": Said("med dessa värden", "with these values")}
ALL_KEYWORDS = tuple(sorted(set(PHRASES) | set(PHRASES.values()) | set(STATEMENT_KEYWORDS)))
OPENING = tuple(sorted(set(STATEMENT_KEYWORDS) | set(PHRASES[w] for w in STATEMENT_KEYWORDS if w in PHRASES)
                       | set(SWEDISH_STATEMENT_KEYWORDS) - {"för"}))


def word(key: str, lang: str, **values) -> str:
    return KINDS[key].in_language(lang).format(**values)


@attrs.frozen
class Analysis:
    """One text as compiled: `document` its syntax (None when it does not parse), `ruleset` its
    model (None when it has errors), `problems` every diagnostic; `known`, the last analysis of the
    same file whose text compiled (itself when this one did)."""

    path: Path
    shown: str                                  # the path as its spans name it
    text: str
    document: s.Document | None
    ruleset: m.Ruleset | None
    problems: tuple[Diagnostic, ...]
    known: "Analysis | None" = None

    @property
    def model(self) -> m.Ruleset | None:
        return self.ruleset or (self.known.ruleset if self.known else None)

    @property
    def syntax(self) -> s.Document | None:
        """The syntax names are looked up in: this text's, else the last that parsed."""
        return self.document or (self.known.document if self.known else None)

    @property
    def syntax_text(self) -> str:
        """The text `syntax` was parsed from, which its spans point into."""
        return self.text if self.document is not None or self.known is None else self.known.text


class Analyser:
    """Compiles the texts an editor holds, as `check` does (the static checks too), keeping the
    syntax of what did not change (parse/incremental.py) and writing nothing."""

    def __init__(self):
        self.parser = Incremental()
        self._results: tuple | None = None      # (key, results, files read) of the last evaluation
        self._configs: dict[Path, tuple] = {}   # folder -> (the config file's stamp, Config, its problems)

    def config(self, path: Path):
        """What `impactdsl.toml` beside the ruleset says (its data folder and allowed folders), as the
        command line reads it, and its problems; read again only when it changed."""
        from impactdsl.core.kinds import Format, Lang, choices
        from impactdsl.read import config

        found = config.find(path)
        stamp = _stamps(found, ()) if found is not None else None
        known = self._configs.get(path.parent)
        if known is None or known[0] != stamp:
            given, problems = config.read(found, choices(Format), choices(Lang)) if found else (None, [])
            known = self._configs[path.parent] = (stamp, given or config.Config(), tuple(problems))
        return known[1], known[2]

    def analyse(self, path: Path, text: str, known: Analysis | None = None) -> Analysis:
        from impactdsl.compile.checks import run_checks
        from impactdsl.workspace import compile_text

        given, problems = self.config(path)
        ruleset, found, _ = compile_text(path, text, given.allow, DEFAULT, self.parser.parse)
        problems = list(problems) + found
        if ruleset is not None:
            problems = problems + run_checks(ruleset)
        shown = display_path(path)
        document = self.parser.parsed(shown, text)
        made = Analysis(path, shown, text, document, ruleset, tuple(problems), None)
        if ruleset is not None:
            return attrs.evolve(made, known=made)
        last = known.known if known is not None else None
        if document is not None and (last is None or last.ruleset is None):
            last = made
        return attrs.evolve(made, known=last)

    def results(self, analysis: Analysis):
        """The results of the ruleset on its data folder (`data/` beside it): of this text, else of the
        last that compiled; None when none did or there are no data that load without an error.
        Loaded again only when the ruleset or a file of the data changed."""
        import impactdsl
        from impactdsl.workspace import DATA_FOLDER

        compiled = analysis.known if analysis.ruleset is None else analysis
        ruleset = compiled.ruleset if compiled is not None else None
        given, _ = self.config(analysis.path)
        data = given.data or analysis.path.parent / DATA_FOLDER
        if ruleset is None or not data.is_dir():
            return None
        read = self._results[2] if self._results else ()
        key = (compiled.text, tuple(c for _, _, c in ruleset.imports), str(data), _stamps(data, read))
        if self._results is None or self._results[0] != key:
            outcomes, problems = impactdsl.load(data, ruleset, allow=given.allow)
            found = None if outcomes is None or has_errors(problems) else impactdsl.evaluate(ruleset, outcomes)
            self._results = (key, found, outcomes.inputs if outcomes is not None else ())
        return self._results[1]


def _stamps(folder: Path, read, most: int = 10_000) -> tuple:
    """Size and time of a file, or of every file below a folder, and of each file the last load read."""
    found = [str(folder)] if folder.is_file() else []
    for root, _, names in os.walk(folder):
        found += [os.path.join(root, n) for n in names]
        if len(found) > most:
            break
    stamps = []
    for name in sorted(set(found) | set(read)):
        try:
            info = os.stat(name)
        except OSError:
            continue
        stamps.append((name, info.st_size, info.st_mtime_ns))
    return tuple(stamps)


# ---- places -------------------------------------------------------------------------

def span_range(span: Span | None) -> Range:
    """A span as a range (a span without an end covers one character)."""
    if span is None:
        return (0, 0), (0, 0)
    start = (span.line - 1, span.column - 1)
    if span.end_line:
        end = (span.end_line - 1, span.end_column - 1)
        return (start, end) if end >= start else (start, start)
    return start, (start[0], start[1] + 1)


def offset(text: str, place: Place) -> int:
    """Characters into the text at a place (a column past its line's end is its end)."""
    line, column = place
    at = 0
    for _ in range(line):
        found = text.find("\n", at)
        if found < 0:
            return len(text)
        at = found + 1
    end = text.find("\n", at)
    return min(at + column, len(text) if end < 0 else end)


def inside(span: Span | None, place: Place) -> bool:
    if span is None:
        return False
    start, end = span_range(span)
    return start <= place <= end if end > start else place == start


def nodes(node, parent=None):
    """Every syntax node of a tree with the node it stands in, the root first."""
    if isinstance(node, tuple):
        for part in node:
            yield from nodes(part, parent)
    elif attrs.has(type(node)) and not isinstance(node, Span):
        yield node, parent
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if isinstance(value, tuple) or attrs.has(type(value)) and not isinstance(value, Span):
                yield from nodes(value, node)


def name_span(span: Span, name: str) -> Span:
    """Of a span opening with a name (a template call), the name's own."""
    return Span(span.path, span.line, span.column, span.line, span.column + len(name))


# ---- declarations ---------------------------------------------------------------------

@attrs.frozen
class Declared:
    """A name the document declares: its kind, the statement and where the name is written."""

    kind: str
    name: str
    node: object
    span: Span | None
    scale: str | None = None                    # a subset's scale


def declarations(document: s.Document | None) -> dict[str, list[Declared]]:
    """Every name the document declares, by name (one name may be several kinds: a subset in two scales)."""
    found: dict[str, list[Declared]] = {}

    def add(kind, name, node, span, scale=None):
        found.setdefault(name, []).append(Declared(kind, name, node, span or getattr(node, "span", None), scale))
    for st in document.statements if document is not None else ():
        if isinstance(st, s.NameDecl):
            add(st.kind, st.name, st, st.name_span)
        elif isinstance(st, (s.ParamDecl, s.TemplateDecl, s.StatusDecl)):
            add({s.ParamDecl: "param", s.TemplateDecl: "template", s.StatusDecl: "status"}[type(st)], st.name, st,
                st.name_span)
        elif isinstance(st, s.ScaleDecl):
            add("scale", st.name, st, st.name_span)
            for sub in st.subsets:
                add("subset", sub.name, sub, sub.name_span, st.name)
        elif isinstance(st, s.KeysDecl):
            add(st.kind, st.name, st, st.name_span)
            for key in st.keys:
                add("key", key.name, key, key.span)
    return found


def scale_of(analysis: Analysis, question: str) -> m.Scale | None:
    """The scale of a question, from the model (a peer's question too), else from the syntax."""
    model = analysis.model
    found = model.question(question) if model is not None else None
    if found is not None:
        return found.scale
    declared = next((d.node for d in declarations(analysis.syntax).get(question, ()) if d.kind == "question"), None)
    return scale_named(analysis, declared.detail.name) if declared is not None else None


def scale_named(analysis: Analysis, name: str) -> m.Scale | None:
    model = analysis.model
    found = next((x for x in model.scales if x.name == name), None) if model is not None else None
    if found is not None:
        return found
    scale = next((d.node for d in declarations(analysis.syntax).get(name, ()) if d.kind == "scale"), None)
    if scale is None:
        return None
    return m.Scale(scale.name, tuple(o.key for o in scale.options), tuple(o.label or o.key for o in scale.options),
                   tuple((x.name, frozenset(x.answers.answers)) for x in scale.subsets),
                   scale.unanswered.answers if scale.unanswered else ())


# ---- what stands at a place -----------------------------------------------------------

@attrs.frozen
class Found:
    """What stands at a place: `kind` name (a Ref or a declaration's name), template (a call's name),
    indicator (an id), with its node, the node it stands in, and its span."""

    kind: str
    name: str
    node: object
    parent: object
    span: Span
    template: s.TemplateDecl | None = None      # the template it is written in, for its parameters


def at(document: s.Document | None, place: Place) -> Found | None:
    """The name, template call or indicator id at a place of the document, the smallest first."""
    if document is None:
        return None
    best: list[tuple[int, Found]] = []

    def consider(kind, name, node, parent, span, template=None):
        if span is not None and inside(span, place):
            size = (span.end_line - span.line) * 10_000 + (span.end_column - span.column)
            best.append((size, Found(kind, name, node, parent, span, template)))
    for st in document.statements:
        template = st if isinstance(st, s.TemplateDecl) else None
        for node, parent in nodes(st):
            if isinstance(node, s.Ref):
                consider("name", node.name, node, parent, node.span, template)
            elif isinstance(node, s.TemplateCall) and node.span is not None:
                consider("template", node.name, node, parent, name_span(node.span, node.name))
            elif isinstance(node, s.Outcome):
                consider("indicator", node.indicator, node, parent, node.span)
            elif isinstance(node, s.IndicatorDecl):
                consider("indicator", node.id, node, parent, node.id_span)
            elif isinstance(node, s.OverrideClause | s.NoteClause) and node.entity:
                continue
            elif getattr(node, "name_span", None) is not None:
                consider("name", node.name, node, parent, node.name_span, template)
    return min(best, key=lambda pair: pair[0])[1] if best else None
