"""The answers of the language server, each from an `Analysis` (analysis.py): hover, completion,
definition, outline, formatting and diagnostics, as plain values in 0-based places. Words are in
the client's language (`lang`); an indicator's outcome is said in the ruleset's own words, as its
reports say it, from aggregated figures only."""

from __future__ import annotations

import attrs

from impactdsl.core.diagnostics import LABELS
from impactdsl.core.source import Span
from impactdsl.lsp.analysis import (
    ALL_KEYWORDS,
    OPENING,
    Analyser,
    Analysis,
    Declared,
    Found,
    Place,
    Range,
    at,
    declarations,
    offset,
    scale_named,
    scale_of,
    span_range,
    word,
)
from impactdsl.parse import syntax as s

NAMED = ("group", "question", "count", "fact", "param", "template", "status", "register")   # what completion offers
PREFERRED = ("question", "group", "count", "fact", "param", "template", "status", "register", "scale",
             "subgroups", "entities", "subset", "key")


# ---- diagnostics ------------------------------------------------------------------------

@attrs.frozen
class Problem:
    path: str | None                            # the file as spans name it; None: the open one
    range: Range
    error: bool
    code: str
    message: str


def problems(analysis: Analysis, lang: str) -> list[Problem]:
    """Every diagnostic of the text, in `lang`, its hint and notes below its message."""
    label = LABELS["en" if lang == "en" else "sv"]
    found = []
    for d in analysis.problems:
        lines = [d.message.in_language(lang)] + [f"{label['note']}: {n.in_language(lang)}" for n in d.notes]
        if d.hint is not None:
            lines.append(f"{label['hint']}: {d.hint.in_language(lang)}")
        own = d.span is None or d.span.path == analysis.shown
        found.append(Problem(None if own else d.span.path, span_range(d.span), d.is_error, d.code, "\n".join(lines)))
    return found


# ---- hover --------------------------------------------------------------------------------

def hover(analyser: Analyser, analysis: Analysis, place: Place, lang: str) -> tuple[str, Range] | None:
    """What the name, template call or indicator id at a place is, in Markdown, and its range."""
    found = at(analysis.document, place)
    if found is None:
        return None
    if found.kind == "indicator":
        text = _indicator(analyser, analysis, found, lang)
    elif found.kind == "template":
        text = _template(analysis, found, lang)
    else:
        text = _name(analysis, found, lang)
    return (text, span_range(found.span)) if text else None


def _declared(analysis: Analysis, found: Found) -> Declared | None:
    """The declaration a name at a place means: a subset of the question's scale where a share names
    its answers, a group where it names its group, else the first of its kinds in PREFERRED."""
    if found.template is not None and found.name in found.template.parameters:
        return None
    declared = declarations(analysis.syntax).get(found.name, [])
    itself = next((d for d in declared if d.node is found.node), None)      # a declaration's own name
    if itself is not None:
        return itself
    parent = found.parent
    if isinstance(parent, s.Share) and found.node is parent.answers:
        scale = scale_of(analysis, parent.question.name)
        return next((d for d in declared if d.kind == "subset" and scale and d.scale == scale.name), None)
    wanted = ("group",) if isinstance(parent, s.Share) and found.node is parent.group else \
        ("question",) if isinstance(parent, s.Share) and found.node is parent.question else PREFERRED
    return next((d for kind in wanted for d in declared if d.kind == kind), None)


def _name(analysis: Analysis, found: Found, lang: str) -> str | None:
    if found.template is not None and found.name in found.template.parameters:
        return f"`{found.name}`: {word('parameter', lang)} `{found.template.name}`"
    d = _declared(analysis, found)
    if d is None:
        return None
    head = f"**{word(d.kind, lang)}** `{d.name}`"
    if d.kind == "question":
        return _question(analysis, d.name, lang)
    if d.kind == "param":
        return head + " = " + _param_value(analysis, d.node.value)
    if d.kind == "subset":
        scale = scale_named(analysis, d.scale)
        labels = dict(zip(scale.answers, scale.labels)) if scale else {}
        return head + f" ({word('scale', lang)} `{d.scale}`)\n\n" + "\n".join(
            f"- '{a}' — {labels.get(a, a)}" for a in d.node.answers.answers)
    text = getattr(d.node, "text", None) or getattr(d.node, "label", None)
    return head + (f" — {text}" if text else "") + "\n\n" + _written(analysis, d.node.span)


def _written(analysis: Analysis, span: Span | None) -> str:
    """The statement as the author wrote it (its lines, from its span), as a code block."""
    if span is None:
        return ""
    lines = analysis.syntax_text.split("\n")[span.line - 1:(span.end_line or span.line)]
    return "```impactdsl\n" + "\n".join(line.rstrip() for line in lines) + "\n```"


def _question(analysis: Analysis, name: str, lang: str) -> str:
    model = analysis.model
    question = model.question(name) if model is not None else None
    text = question.text if question is not None else next(
        (d.node.text for d in declarations(analysis.syntax).get(name, ()) if d.kind == "question"), None)
    lines = [f"**{word('question', lang)}** `{name}`" + (f" — {text}" if text else "")]
    scale = scale_of(analysis, name)
    if scale is not None:
        lines += ["", f"**{word('scale', lang)}** `{scale.name}`"]
        lines += [f"- '{answer}' — {label}" for answer, label in zip(scale.answers, scale.labels)]
        lines += [f"- {word('subset', lang)} `{sub}`: " + ", ".join(f"'{a}'" for a in scale.answers if a in answers)
                  for sub, answers in scale.subsets]
        if scale.unanswered:
            lines.append(f"- {word('unanswered', lang)}: " + ", ".join(f"'{a}'" for a in scale.unanswered))
    return "\n".join(lines)


def _param_value(analysis: Analysis, value) -> str:
    from impactdsl.parse.printer import quantity

    def one(v):
        return quantity(v) if isinstance(v, s.Quantity) else f'"{v}"'
    if not isinstance(value, tuple):
        return f"`{one(value)}`"
    labels = {d.name: d.node.label for ds in declarations(analysis.syntax).values() for d in ds if d.kind == "key"}
    return "\n\n" + "\n".join(f"- `{entity}`" + (f" ({labels[entity]})" if labels.get(entity) else "")
                              + f": `{one(v)}`" for entity, v in value)


def _template(analysis: Analysis, found: Found, lang: str) -> str | None:
    from impactdsl.compile.rule import expansion
    from impactdsl.parse.printer import condition

    template = next((d.node for d in declarations(analysis.syntax).get(found.name, ()) if d.kind == "template"), None)
    if template is None:
        return None
    language = _keywords(analysis)
    head = f"{found.name}({', '.join(template.parameters)})"
    call = f"{found.name}({', '.join(_argument(a) for a in found.node.arguments)})"
    return (f"**{word('template', lang)}** `{head}`\n```impactdsl\n{_spelt(condition(template.body), language)}\n```\n"
            f"`{call}` {word('expansion', lang)}:\n```impactdsl\n"
            f"{_spelt(condition(expansion(template, found.node.arguments)), language)}\n```")


def _argument(a) -> str:
    from impactdsl.parse.printer import condition, quantity

    if isinstance(a, s.Ref):
        return a.name + (f"[{a.key.replace('/', ', ')}]" if a.key else "")
    if isinstance(a, s.Quantity):
        return quantity(a)
    if isinstance(a, s.AnswerList):
        return "[" + ", ".join(f"'{x}'" for x in a.answers) + "]"
    return condition(a) if isinstance(a, s.Criterion) else str(a)


def _keywords(analysis: Analysis) -> str:
    """The language the file's keywords are written in, as the formatter keeps it."""
    from impactdsl.parse.spelling import spelling

    return spelling(analysis.syntax_text)


def _spelt(condition_text: str, language: str) -> str:
    """A condition printed in English, in the keywords of the file's language."""
    if language == "en":
        return condition_text
    from impactdsl.parse.spelling import translate

    return translate("template t() = " + condition_text, language).split(" = ", 1)[1]


def _indicator(analyser: Analyser, analysis: Analysis, found: Found, lang: str) -> str | None:
    import impactdsl
    from impactdsl.render.words import Words

    model = analysis.model
    if model is None:
        return None
    node = found.node
    if isinstance(node, s.IndicatorDecl) and node.id.endswith(".*"):       # an each block's: each it made
        made = [i for i in model.indicators if i.span == node.span]
    else:
        made = [i for i in model.indicators if i.id == found.name]
    if not made:
        return None
    results = analyser.results(analysis)
    say = Words(lang, model.method)
    parts = []
    for ind in made:
        head = f"**{say('report.indicator')} {ind.id}** — {ind.text}"
        r = results.find(ind.id) if results is not None else None
        if r is None:
            parts.append(head + f"\n\n```impactdsl\n{ind.written}\n```\n" + word(
                "no_data", lang, data=analysis.path.parent.name + "/data"))
            continue
        outcome = f"{say('report.outcome')}: {say.value(r.compared, r.unit)} · " if r.compared is not None else ""
        points = f"{r.bonus_points}" if ind.is_bonus else f"{r.earned} {say('report.of')} {ind.value}"
        line = f"{outcome}{say('report.status')}: **{say.status(r.status)}** · {say('report.points')}: {points}"
        if len(made) == 1:
            parts.append(f"{head}\n\n{line}\n\n```text\n{impactdsl.explain(results, ind.id, lang).rstrip()}\n```")
        else:
            parts.append(f"{head}\n\n{line}")
    return "\n\n---\n\n".join(parts)


# ---- completion -------------------------------------------------------------------------

@attrs.frozen
class Item:
    label: str
    kind: str                                   # a KINDS key: question, answer, keyword, ...
    detail: str = ""
    replace: Range | None = None                # what of the text the item is put in place of


def completion(analysis: Analysis, place: Place, lang: str) -> list[Item]:
    """What may be written at a place: the answers of the question's scale in the brackets of a
    share(…, QUESTION, [ … ]), the groups, questions and subsets where a share takes them, else
    the names declared (groups, questions, counts, facts, params, templates, statuses) and the
    keywords that may come there, in both languages (statement keywords at a line's start)."""
    from impactdsl.parse.cursor import place as place_in

    text = analysis.text
    where = place_in(text, offset(text, place))
    typed = where.word.rsplit("\n", 1)[-1]
    replace = ((place[0], place[1] - len(typed)), place)
    declared = declarations(analysis.syntax)

    def names(*kinds):
        return [Item(d.name, d.kind, _detail(d, lang), replace) for kind in kinds for ds in declared.values()
                for d in ds if d.kind == kind]
    brackets = where.brackets
    if len(brackets) >= 2 and brackets[-1][0] == "[" and brackets[-2][0] in ("share", "count") \
            and len(brackets[-2][1]) == 3:
        scale = scale_of(analysis, brackets[-2][1][1])
        if scale is not None:
            quote = '"' if typed.startswith('"') else "'"
            given = set(brackets[-1][1])
            return [Item(f"{quote}{a}{quote}", "answer", label, replace) for a, label in zip(scale.answers, scale.labels)
                    if f"{quote}{a}{quote}" not in given]
    if brackets and brackets[-1][0] in ("share", "count") and where.known:
        index = len(brackets[-1][1]) - 1
        if index == 0:
            return names("group")
        if index == 1:
            return names("question")
        scale = scale_of(analysis, brackets[-1][1][1]) if index == 2 else None
        if scale is not None:
            return [Item(sub, "subset", ", ".join(f"'{a}'" for a in sorted(answers)), replace)
                    for sub, answers in scale.subsets]
    items = names(*NAMED) if where.names or not where.known else []
    keywords = where.keywords if where.known else OPENING if where.line_start else ALL_KEYWORDS
    items += [Item(k, "keyword", word("keyword", lang), replace) for k in sorted(keywords)]
    return items


def _detail(d: Declared, lang: str) -> str:
    text = getattr(d.node, "text", None) or getattr(d.node, "label", None)
    return word(d.kind, lang) + (f": {text}" if text else "")


# ---- definition, outline, formatting ----------------------------------------------------

def definition(analysis: Analysis, place: Place) -> Range | None:
    """Where the name, template or indicator id at a place is declared, in the same file."""
    found = at(analysis.document, place)
    if found is None or analysis.document is None:
        return None
    if found.kind == "indicator":
        for st in analysis.document.statements:
            for ind in st.indicators if isinstance(st, s.EachBlock) else (st,):
                if isinstance(ind, s.IndicatorDecl) and ind.id == found.name:
                    return span_range(ind.id_span)
        model = analysis.model
        made = next((i for i in model.indicators if i.id == found.name), None) if model is not None else None
        return span_range(made.span) if made is not None and made.span and made.span.path == analysis.shown else None
    if found.kind == "template":
        d = next((d for d in declarations(analysis.document).get(found.name, ()) if d.kind == "template"), None)
    else:
        d = _declared(attrs.evolve(analysis, known=None), found)
    return span_range(d.span) if d is not None and d.span is not None else None


@attrs.frozen
class Symbol:
    name: str
    detail: str
    kind: str                                   # area, goal, indicator
    range: Range
    selection: Range
    children: tuple["Symbol", ...] = ()


def outline(analysis: Analysis) -> list[Symbol]:
    """The areas, their goals and those goals' indicators, with their texts, as written."""
    areas: list[list] = []                      # [statement, goals]; a goal: [statement, indicators]
    for st in analysis.document.statements if analysis.document is not None else ():
        if isinstance(st, s.AreaDecl | s.AreaFrom):
            areas.append([st, []])
        elif isinstance(st, s.GoalDecl):
            if not areas:
                areas.append([None, []])
            areas[-1][1].append([st, []])
        elif isinstance(st, s.IndicatorDecl | s.EachBlock):
            if not areas:
                areas.append([None, []])
            if not areas[-1][1]:
                areas[-1][1].append([None, []])
            areas[-1][1][-1][1].append(st)
    made = analysis.ruleset.indicators if analysis.ruleset is not None else ()
    symbols = []
    for area, goals in areas:
        children = [x for goal, indicators in goals
                    for x in _symbols(goal, "goal", [y for i in indicators for y in _indicators(i, made)])]
        symbols += _symbols(area, "area", children)
    return symbols


def _indicators(st: s.IndicatorDecl | s.EachBlock, made) -> list[Symbol]:
    """An indicator's symbol; an each block's, one for each indicator it made (1.3.1, 1.3.2, …) in
    their order, with their texts, when the text compiles (else as written, 1.3.*)."""
    if isinstance(st, s.IndicatorDecl):
        return _symbols(st, "indicator", [])
    written = {ind.span: ind for ind in st.indicators}
    each = [i for i in made if i.span in written]
    if not each:
        return [x for ind in st.indicators for x in _symbols(ind, "indicator", [])]
    return [Symbol(i.id, i.text, "indicator", span_range(i.span), span_range(written[i.span].id_span)) for i in each]


def _symbols(st, kind: str, children: list[Symbol]) -> list[Symbol]:
    """The symbol of a statement holding `children` (a missing area or goal: the children alone)."""
    if st is None:
        return children
    start, end = span_range(st.span)
    if children:
        end = max(end, max(c.range[1] for c in children))
    detail = getattr(st, "title", None) or getattr(st, "text", None) or (f"← {st.peer}" if hasattr(st, "peer") else "")
    selection = span_range(getattr(st, "id_span", None) or st.span)
    return [Symbol(st.id, detail, kind, (start, end), selection, tuple(children))]


def formatted(analysis: Analysis) -> str | None:
    """The text in the canonical layout (as `impactdsl fmt` writes it, keywords in the file's
    language), or None when it does not parse."""
    from impactdsl.core.source import Source
    from impactdsl.parse.printer import format_source

    if analysis.document is None:
        return None
    return format_source(analysis.document, Source(analysis.shown, analysis.text))

