"""The report view → the JSON document other programs rely on (docs/json.md).

Field names are a contract: add, never rename. Keys are sorted on output and
numbers exact to four decimals, so the same inputs give the same bytes."""

from __future__ import annotations

from fractions import Fraction

from impactdsl.core.kinds import Term
from impactdsl.core.redact import mask_identities
from impactdsl.core.version import __version__
from impactdsl.render.view import AreaView, ReportView, Row

SCHEMA_VERSION = 1


def number(value):
    """Fractions as JSON numbers: whole ones as int, others to four decimals."""
    if value is None or isinstance(value, bool):
        return value
    value = Fraction(value)
    if value.denominator == 1:
        return value.numerator
    return round(float(value), 4)


def to_json(view: ReportView) -> dict:
    """The document: exact figures from the results the view shows, sentences in the view's language;
    every string in it has its identity numbers masked once more as it stands (a reason is made of
    several names), the hashes aside."""
    return _masked(_document(view))


def _masked(value, key: str = ""):
    if isinstance(value, str):                  # a kind (Status.MET) as the plain text it spells
        return str(value) if key == "sha256" else str(mask_identities(str(value)))
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _document(view: ReportView) -> dict:
    results = view.results
    s = results.ruleset.settings
    return {
        "schema": SCHEMA_VERSION,
        "ruleset": {"name": s.name, "association": s.association, "period": s.period,
                    "file": results.ruleset.path, "sha256": results.ruleset.sha256},
        "data": list(results.data_sources),
        "inputs": [{"file": path, "sha256": digest} for path, digest in results.inputs],
        "evaluated": {"date": view.date or None, "impactdsl": __version__},
        "index": number(results.index),
        "index_withheld": results.withheld,
        "not_assessed": _unassessed(results.unassessed, view.unassessed, view.say),
        "max": results.maximum,
        "achieved": results.achieved,
        "target_index": number(results.target_index),
        "difference": number(results.difference),
        "goal_count": results.goal_count,
        "indicator_count": results.indicator_count,
        "lang": str(view.lang),
        "method": _method(view),
        "areas": [_area(a, view.say) for a in view.areas],
        "tables": [_table(t) for t in results.tables if t.table.kind == "table"],
        "followups": [_table(t) for t in results.tables if t.table.kind == "followup"],
    }


def _unassessed(missing, sentence: str, say) -> dict:
    """What could not be assessed: how many indicators, their points of all possible, and each with why."""
    return {"count": len(missing.indicators), "points": missing.points, "possible": missing.possible,
            "said": sentence or None,
            "indicators": [{"id": r.id, "reason": say.missing_reason(r)} for r in missing.indicators]}


def _area(view: AreaView, say) -> dict:
    a = view.result
    return {
        "id": a.area.id,
        "title": a.area.title,
        "max": a.maximum,
        "achieved": a.achieved,
        "index": number(a.index),
        "index_withheld": a.withheld,
        "not_assessed": _unassessed(a.unassessed, view.unassessed, say),
        "target_index": number(a.target_index),
        "difference": number(a.difference),
        "planned_weight": number(a.area.weight),
        "actual_weight": number(a.actual_weight),
        "goal_count": a.goal_count,
        "indicator_count": a.indicator_count,
        "goals": [{"id": g.goal.id, "text": g.goal.text, "max": g.maximum, "achieved": g.achieved,
                   "indicators": [r.id for r in g.indicators], "grade": _grade(g.grade)} for g in a.goals],
        "indicators": [_indicator(row) for row in view.rows],
        "grade": _grade(a.grade),
    }


def _method(view: ReportView) -> dict:
    """The ruleset's vocabulary: its statuses (best first), its words for its parts, its index."""
    method = view.results.ruleset.method
    say = view.say
    return {
        "statuses": [{"name": x.name, "words": x.words(view.lang), "role": x.role, "colour": x.colour}
                     for x in method.statuses],
        "words": {str(term): say.term(term) for term in Term},
        "index": say.index_name or None,
        "grades": {level: list(dict.fromkeys(g.name for g in method.grades_of(level))) for level in ("goal", "area")},
    }


def _grade(g) -> dict | None:
    if g is None:
        return None
    return {
        "grade": g.grade, "decided_by": list(g.decided_by), "assessed": g.assessed, "parts": g.parts,
        "reason": None if g.reason is None else {"key": g.reason[0], **dict(g.reason[1])},
        "judged": None if g.judged is None else {"reason": g.judged.reason, "computed": g.computed},
        "steps": [{"grade": s.grade, "holds": s.holds,
                   "conditions": [{"kind": t.condition.kind, "holds": t.holds, "deciding": list(t.deciding),
                                   "found": number(t.found), "of": t.of, "amount": number(t.condition.amount),
                                   "unit": t.condition.unit, "status": t.condition.status,
                                   "by_points": t.condition.by_points} for t in s.tried]}
                  for s in g.steps]}


def _indicator(row: Row) -> dict:
    r = row.result
    ind = r.indicator
    out = {
        "id": ind.id,
        "goal": r.goal,
        "text": ind.text,
        "bonus": ind.is_bonus,
        "value": ind.points if ind.is_bonus else ind.value,
        "counted_in_max": r.counted_in_max and not ind.is_bonus,
        "points": r.earned,
        "bonus_points": r.bonus_points,
        "status": r.status,
        "status_words": row.status_label,
        "role": row.role,
        "target_text": row.target_text,
        "measured": number(r.measured),
        "compared": number(r.compared),
        "unit": r.unit,
        "target": number(ind.target),
        "rule": ind.written,
        "source": str(ind.span) if ind.span else None,
        "reason": row.reason,
        "note": ind.note,
        "parts": [{"count": k, "of": n} for k, n in r.parts],
        "override": None if ind.override is None else {
            "reason": ind.override.reason, "computed_status": r.computed_status},
        "trace": [_trace(item, said) for item, said in zip(r.trace, row.trace)],
        "reported": None if r.report is None else {
            "status": r.report.status, "by": r.report.by, "date": r.report.date or None,
            "evidence": r.report.evidence or None, "text": list(r.report.text)},
    }
    if r.margin is not None:
        out["margin"] = {"change": r.margin.change, "counted": r.margin.counted,
                         "whole": r.margin.whole, "flips_to": r.margin.flips_to}
    return out


def _trace(item, said: tuple[str, str]) -> dict:
    what, shown = said
    return {"what": what, "value": shown, "number": number(item.value) if item.unit != "too-few" else None,
            "unit": item.unit, "source": item.source}


def _table(t) -> dict:
    def cell(c):
        out = {"value": number(c.value)}
        if c.splits:
            out["split"] = {key: number(v) for key, v in c.splits}
            out["rest"] = number(c.rest)
        if c.hidden:                                    # not shown: too few people, or what would reveal them
            out["hidden"] = sorted(c.hidden)
        return out

    def row(r):
        return {"key": r.key, "label": r.label, "cells": {col.name: cell(c) for col, c in zip(t.table.columns, r.cells)}}
    return {"name": t.table.name, "title": t.table.title,
            "columns": [{"name": c.name, "title": c.title, "unit": c.unit, "split": [k for k, _ in c.split]}
                        for c in t.table.columns],
            "rows": [row(r) for r in t.rows], "total": row(t.total) if t.total else None}
