"""Every measure kind, evaluated: a compiled measure and the outcomes → its value and its trace.

One function per model class, in `EVALUATE`. Each returns a Measured with the
exact value, the value as compared (after the ruleset's rounding) and the
trace of every number it used. Missing data, too few answers or a zero
denominator make the value missing, with the reason, never an exception."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import apply, format_number, percent
from impactdsl.core.kinds import Unit
from impactdsl.core.limits import DEFAULT
from impactdsl.evaluation.results import Measured, TraceItem
from impactdsl.outcomes.tallies import period_slot

if TYPE_CHECKING:                   # a type only: what a measure's evaluation may ask of the evaluator
    from typing import Protocol

    from impactdsl.evaluation.results import IndicatorResult
    from impactdsl.outcomes.tallies import Outcomes

    class Evaluator(Protocol):
        """The evaluator (engine.py) that calls these functions, as they see it."""

        ruleset: m.Ruleset
        outcomes: Outcomes

        def result(self, indicator_id: str) -> IndicatorResult: ...


def measure(ev: Evaluator, node: m.Measure) -> Measured:
    return EVALUATE[type(node)](ev, node)


def _missing(reason, trace=(), **args) -> Measured:
    """Not measurable: `reason` is a words key ("reason.<key>") with its arguments, or
    an earlier reason passed on as it is."""
    if isinstance(reason, str):
        reason = (reason, tuple((k, str(v)) for k, v in args.items()))
    return Measured(None, None, "", tuple(trace), reason)


def _where(span) -> str:
    return str(span) if span else ""


def _answers(ev: Evaluator, s: m.AnswersOf) -> tuple[int, int, list, str] | Measured:
    """(k, n, trace, the answers' name) of a group's answers to a question, or the reason they
    cannot be counted; fewer answers than the ruleset's minimum n are never shown, not even how few."""
    who = (s.group.text or s.group.name) + (f" ({s.subgroup.text or s.subgroup.name})" if s.subgroup else "")
    key = (s.group.name, s.question.name, s.subgroup.name if s.subgroup else None)
    tally = ev.outcomes.surveys.get(key)
    answers = s.answers_name or ", ".join(sorted(s.answers, key=s.question.scale.answers.index))
    if tally is None:
        return _missing("no_answers", who=who, question=s.question.name)
    where = _where(tally.source)
    question = s.question.name if s.question.text else tally.question_text or s.question.name   # no text typed:
    # the export's header stands for it
    minimum = ev.ruleset.settings.minimum_n
    if 0 < tally.n < minimum:                    # never show how few: they could be recognised
        trace = [TraceItem("answered", None, "too-few", where,
                           (("who", who), ("question", question), ("minimum", str(minimum))))]
        return _missing("too_few", trace, who=who, question=question, minimum=minimum)
    trace = [TraceItem("answered", tally.n, Unit.NUMBER, where, (("who", who), ("question", question)))]
    if tally.left_out_by:                            # rows the manifest's filter passed over: never a small count
        shown = tally.left_out if not 0 < tally.left_out < minimum else None
        trace.append(TraceItem("left_out", shown, Unit.NUMBER if shown is not None else "too-few-rows", where,
                               (("filter", tally.left_out_by), ("minimum", str(minimum)))))
    if tally.n == 0:
        return _missing("nobody", trace, who=who, question=question)
    for label, count in tally.unanswered:
        trace.append(TraceItem("unanswered", count, Unit.NUMBER, where, (("label", label),)))
    k = tally.count(s.answers, s.question.scale.answers)
    if k is None:
        return _missing("no_count", trace, answers=answers, question=question)
    labels = "\n".join(s.question.scale.label(a) for a in s.question.scale.answers if a in s.answers)
    trace.append(TraceItem("in_answers", k, Unit.NUMBER, where, (("answers", answers), ("labels", labels))))
    return k, tally.n, trace, answers


def _share_of(ev: Evaluator, s: m.ShareOf) -> Measured:
    found = _answers(ev, s)
    if isinstance(found, Measured):
        return found
    k, n, trace, answers = found
    return _share(ev, k, n, trace, f"answers in {answers}")


def _answer_count(ev: Evaluator, s: m.AnswerCountOf) -> Measured:
    found = _answers(ev, s)
    if isinstance(found, Measured):
        return found
    k, _, trace, _ = found
    return Measured(Fraction(k), Fraction(k), Unit.NUMBER, tuple(trace))


def _share(ev: Evaluator, k: int, n: int, trace: list, counted: str) -> Measured:
    exact = percent(k, n)
    rounding = ev.ruleset.settings.rounding
    compared = rounding.share(k, n)
    trace.append(TraceItem("share", exact, Unit.PERCENT, "", (("k", str(k)), ("n", str(n)))))
    if compared != exact:
        trace.append(TraceItem("rounded", compared, Unit.PERCENT, "",
                               (("mode", rounding.mode), ("step", format_number(rounding.step)))))
    return Measured(exact, compared, Unit.PERCENT, tuple(trace), part=k, whole=n, counted=counted,
                    parts=((k, n),))


def _count(ev: Evaluator, c: m.CountOf) -> Measured:
    return _stored(ev.outcomes.counts, c.name, c.key, period_slot(ev.ruleset.settings, c.previous, c.period),
                   Unit.NUMBER)


def _fact(ev: Evaluator, f: m.FactOf) -> Measured:
    return _stored(ev.outcomes.facts, f.name, f.key, period_slot(ev.ruleset.settings, f.previous, f.period), f.kind)


def _stored(table, name: str, key, slot: bool | int, unit: str) -> Measured:
    label = name + (f"[{key}]" if key else "")
    value = table.get((name, key, slot))
    if value is None:
        return _missing("no_value", label=label + (f" ({slot})" if slot not in (True, False) else ""))
    if value.origin:                           # from Kolada: its KPI, municipality, year and download day
        args = (("name", label), *value.origin)
        if value.value is None:
            return _missing("kolada_" + (value.marker or "missing"), **dict(args))
        number = Fraction(value.value)
        return Measured(number, number, unit, (TraceItem("kolada", number, unit, _where(value.source), args),))
    number = value.value if isinstance(value.value, bool) else Fraction(value.value)
    said = "previous_value" if slot is True else "value" if slot is False else "period_value"
    args = (("name", label),) + ((("period", str(slot)),) if said == "period_value" else ())
    return Measured(number, number, unit, (TraceItem(said, number, unit, _where(value.source), args),))



def _mean_months(ev: Evaluator, mm: m.MeanMonthsOf) -> Measured:
    c = mm.count
    label = c.name + (f"[{c.key}]" if c.key else "")
    value = ev.outcomes.counts.get((c.name, c.key, c.previous))
    if value is None or value.months is None:
        return _missing("no_months", label=label)
    trace = (TraceItem("value", value.value, Unit.NUMBER, _where(value.source), (("name", label),)),
             TraceItem("months_sum", value.months, Unit.NUMBER, "", (("name", label),)))
    if value.value == 0:
        return _missing("zero_count", trace, label=label)
    mean = Fraction(value.months) / value.value
    return Measured(mean, mean, Unit.NUMBER, trace + (TraceItem("mean_months", mean, Unit.NUMBER),))


def _both(first: Measured, second: Measured) -> Measured | None:
    """The first of two values that could not be measured, its reason with both traces; None if both were."""
    missing = next((got.missing for got in (first, second) if got.missing), None)
    return None if missing is None else _missing(missing, first.trace + second.trace)


def _ratio(ev: Evaluator, r: m.RatioOf) -> Measured:
    part, whole = _count(ev, r.part), _count(ev, r.whole)
    if (missing := _both(part, whole)) is not None:
        return missing
    trace = list(part.trace + whole.trace)
    if whole.value == 0:
        return _missing("zero_whole", trace, whole=r.whole.name)
    minimum = ev.ruleset.settings.minimum_n
    if whole.value < minimum:                  # a share of so few people could show who: never shown
        label = r.whole.name + (f"[{r.whole.key}]" if r.whole.key else "")
        return _missing("too_few_counted", (), whole=label, minimum=minimum)
    counted = r.part.name + (f"[{r.part.key}]" if r.part.key else "")
    return _share(ev, int(part.value), int(whole.value), trace, counted)


def _constant(ev: Evaluator, c: m.Constant) -> Measured:
    item = TraceItem("param", c.value, c.unit, _where(c.span), (("name", c.name),)) if c.name else \
        TraceItem("constant", c.value, c.unit, _where(c.span))
    return Measured(c.value, c.value, c.unit, (item,))


def _gap(ev: Evaluator, g: m.GapOf) -> Measured:
    first, second = measure(ev, g.first), measure(ev, g.second)
    if (missing := _both(first, second)) is not None:
        return missing
    trace = first.trace + second.trace
    gap = abs(first.compared - second.compared)
    return Measured(gap, gap, Unit.PP, trace + (TraceItem("gap", gap, Unit.PP),), parts=first.parts + second.parts)


def _change(ev: Evaluator, c: m.ChangeOf) -> Measured:
    start, end = measure(ev, c.start), measure(ev, c.end)
    if (missing := _both(start, end)) is not None:
        return missing
    trace = start.trace + end.trace
    diff = end.compared - start.compared if c.direction == "increase" else start.compared - end.compared
    unit = Unit.PP if start.unit == Unit.PERCENT else Unit.NUMBER
    if c.relative:
        if start.compared == 0:
            return _missing("zero_start", trace)
        diff = diff / start.compared * 100
        unit = Unit.RELATIVE
    return Measured(diff, diff, unit, trace + (TraceItem(c.direction, diff, unit),))


def _outcome(ev: Evaluator, o: m.OutcomeOf) -> Measured:
    other = ev.result(o.indicator)
    if other.compared is None:                # not assessed: no data to read
        return _missing("outcome_missing", id=o.indicator)
    return Measured(other.compared, other.compared, other.unit,
                    (TraceItem("outcome", other.compared, other.unit,
                               _where(other.indicator.span), (("id", o.indicator),)),))


def _shown(dimension: str) -> str:
    """The unit a computed figure is shown in: an amount as tkr, a share as a percentage."""
    return {"tkr": Unit.TKR, "percent": Unit.PERCENT, "pp": Unit.PP}.get(dimension, Unit.NUMBER)


def _figures(ev: Evaluator, parts) -> tuple[list[Measured], Measured | None]:
    """Each part measured, and the first that could not be (with every trace) or None."""
    got = [measure(ev, part) for part in parts]
    missing = next((x.missing for x in got if x.missing), None)
    trace = tuple(item for x in got for item in x.trace)
    return got, None if missing is None else _missing(missing, trace)


LARGEST = Fraction(10) ** (2 * DEFAULT.number_digits)     # a computed figure beyond this is no outcome


def _too_large(value: Fraction) -> bool:
    """A figure no report can show (a product of products through outcome(...)): refused before
    it is made larger, or printed."""
    return abs(value) >= LARGEST or value.denominator >= LARGEST


def _arithmetic(ev: Evaluator, a: m.Arithmetic) -> Measured:
    (left, right), missing = _figures(ev, (a.left, a.right))
    if missing is not None:
        return missing
    trace = left.trace + right.trace
    value = apply(a.op, left.compared, right.compared, a.factor)
    if value is None:
        return _missing("zero_divisor", trace)
    if _too_large(value):
        return _missing("too_large", trace, formula=m.figure_text(a))
    compared = value
    if a.factor == 100:                      # a share computed as a division: rounded as every share is
        compared = ev.ruleset.settings.rounding.apply(value)
    unit = _shown(a.dimension)
    trace += (TraceItem("computed", value, unit, _where(a.span), (("formula", m.figure_text(a)),)),)
    if compared != value:
        rounding = ev.ruleset.settings.rounding
        trace += (TraceItem("rounded", compared, unit, "", (("mode", rounding.mode),
                                                             ("step", format_number(rounding.step)))),)
    return Measured(value, compared, unit, trace, parts=left.parts + right.parts)


def _extreme(ev: Evaluator, e: m.Extreme) -> Measured:
    got, missing = _figures(ev, e.parts)
    if missing is not None:
        return missing
    value = (min if e.kind == "min" else max)(x.compared for x in got)
    unit = _shown(e.dimension)
    return Measured(value, value, unit, tuple(item for x in got for item in x.trace)
                    + (TraceItem(e.kind, value, unit, _where(e.span), (("formula", m.figure_text(e)),)),))


def _sum(ev: Evaluator, s: m.SumOf) -> Measured:
    got, missing = _figures(ev, s.parts)
    if missing is not None:
        return missing
    value = sum((x.compared for x in got), Fraction(0))
    if _too_large(value):
        return _missing("too_large", tuple(item for x in got for item in x.trace), formula=m.figure_text(s))
    unit = _shown(s.dimension)
    return Measured(value, value, unit, tuple(item for x in got for item in x.trace)
                    + (TraceItem("sum", value, unit, _where(s.span), (("over", s.over),)),))


def _reported(ev: Evaluator, r: m.ReportedOf) -> Measured:
    """A status a person gave: no value, the judgement and who made it in the trace (the engine reads
    the report itself for the status)."""
    report = ev.outcomes.reported.get(r.indicator)
    if report is None:
        return _missing("no_report", id=r.indicator)
    args = (("by", report.by), ("date", report.date), ("evidence", report.evidence))
    return Measured(None, None, Unit.STATUS, (TraceItem("reported", None, Unit.STATUS, _where(report.source), args),))


def _todo(ev: Evaluator, t: m.TodoOf) -> Measured:
    """A placeholder (todo): there is no rule to measure by yet, so never any value."""
    return _missing("todo", id=t.indicator)


EVALUATE: dict[type, Callable[..., Measured]] = {
    m.ShareOf: _share_of,
    m.AnswerCountOf: _answer_count,
    m.CountOf: _count,
    m.FactOf: _fact,
    m.MeanMonthsOf: _mean_months,
    m.RatioOf: _ratio,
    m.Constant: _constant,
    m.GapOf: _gap,
    m.ChangeOf: _change,
    m.OutcomeOf: _outcome,
    m.ReportedOf: _reported,
    m.TodoOf: _todo,
    m.Arithmetic: _arithmetic,
    m.Extreme: _extreme,
    m.SumOf: _sum,
}
