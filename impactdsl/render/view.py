"""Results → what a report shows, every figure already formatted.

Templates (HTML, Markdown) and the XLSX writer read this view and compute
nothing: the outcome sentences in the reports' own style, the 95 % Wilson
interval of each survey share, whether a target lies within it, suppressed
small counts, the gauge geometry, the summary table.

The view's records are named tuples, read-only like the model, with their annotations evaluated
as the module is read (no `from __future__ import annotations`): so made, the seven classes cost
a tenth of a millisecond each instead of one, which every run that shows a report pays."""


import datetime
import math
from fractions import Fraction
from typing import NamedTuple

from impactdsl.compile import model as m
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.core.version import __version__
from impactdsl.evaluation.results import AreaResult, IndicatorResult, Results, TableResult
from impactdsl.render.explain import OP_SIGNS, grade_lines, index_sentence
from impactdsl.render.explain import indicator as explain_indicator
from impactdsl.render.words import Words

Z95 = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of k/n, in percent."""
    p = k / n
    denominator = 1 + Z95 ** 2 / n
    centre = (p + Z95 ** 2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / denominator
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


class Row(NamedTuple):
    id: str
    text: str
    goal_id: str
    goal_text: str                    # set on the first row of a goal, empty after
    value: int | None                 # indicator value; None for a bonus row
    is_bonus: bool
    status: str
    status_label: str
    points: int                       # earned, bonus included
    points_text: str
    measured: Fraction | bool | None  # the value as compared (XLSX keeps it a number)
    unit: str
    note: str = ""
    reported: str = ""                          # a status a person gave: who, when, on what evidence
    narrative: tuple[str, ...] = ()             # a deliverable's text, in paragraphs, from the data
    override: str = ""
    override_computed: str = ""
    value_text: str = "–"             # the value as compared, in its unit ("–" when not assessed)
    bonus_points: int = 0
    has_override: bool = False
    minimum: int = 1                  # the ruleset's minimum n: fewer answers are never shown
    result: IndicatorResult | None = None   # what the row shows
    say: Words | None = None
    target_text: str = ""             # the target as the reports write it: ≥ 80 %, ≤ 3 %, ja
    colour: str = ""                  # the status's colour, "#rrggbb"
    role: str = ""                    # the status's role: met, partly, missed, not-assessed
    goal_grade: str = ""              # on a goal's first row: the goal's judgement, when goals are judged
    goal_colour: str = ""

    # What only some formats show is worked out when they ask (the terminal table asks for none).
    @property
    def outcome(self) -> str:
        """The reports' sentence: '79 % (75 av 95) av personalen har svarat: ...'."""
        return outcome_sentence(self.result, self.minimum, self.say)

    @property
    def _wilson(self) -> tuple[float, float, int] | None:
        r = self.result
        if isinstance(r.indicator.measure, m.ShareOf) and len(r.parts) == 1 and r.parts[0][1] >= self.minimum:
            k, n = r.parts[0]
            return (*wilson(k, n), n)
        return None

    @property
    def interval(self) -> str:
        """'95 % intervall 70 %–86 %, 95 svar' for a share from enough answers; else empty."""
        found = self._wilson
        if found is None:
            return ""
        low, high, n = found
        return self.say("report.interval", low=self.say.percent(Fraction(round(low))),
                        high=self.say.percent(Fraction(round(high))), n=n)

    @property
    def within_margin(self) -> bool:
        """Whether the target lies within the interval: the outcome is not reliably off target."""
        found, target = self._wilson, self.result.indicator.target
        return found is not None and target is not None and self.role != Status.NOT_ASSESSED \
            and found[0] <= float(target) <= found[1]

    @property
    def margin_text(self) -> str:
        if not self.within_margin:
            return ""
        low, high, _ = self._wilson
        return self.say("report.margin_long", low=self.say.percent(Fraction(round(low))),
                        high=self.say.percent(Fraction(round(high))))

    @property
    def explanation(self) -> str:
        """The board member's explanation, worked out only for a format that shows it."""
        return explain_indicator(self.result, self.say)

    @property
    def trace(self) -> tuple[tuple[str, str], ...]:
        """Every number used, as (what it is, its value as shown)."""
        return tuple(self.say.trace(item) for item in self.result.trace)

    @property
    def reason(self) -> str | None:
        """Why the indicator was not assessed, as a sentence."""
        return self.say.reason(self.result.reason) if self.result.reason else None


class Gauge(NamedTuple):
    """A half-circle gauge from 0 to 100: the needle at the index, a tick at the target (if any)."""

    index: str
    target: str                       # "" when the index has no target: no tick, no words
    needle_x: float
    needle_y: float
    target_x1: float
    target_y1: float
    target_x2: float
    target_y2: float
    arc: str                          # path of the coloured arc up to the index
    colour: str


class AreaView(NamedTuple):
    id: str
    title: str
    maximum: int
    achieved: int
    index: str
    target: str
    difference: str
    sentence: str
    planned: str
    actual: str
    planned_fraction: Fraction | None
    actual_fraction: Fraction | None
    index_fraction: Fraction | None
    index_value: Fraction | None
    target_value: Fraction | None
    difference_value: Fraction | None
    goal_count: int
    indicator_count: int
    rows: tuple[Row, ...]
    gauge: Gauge | None
    grade: str = ""                   # the unit's judgement in the ruleset's words, when it judges units
    grade_lines: tuple[str, ...] = ()
    result: AreaResult | None = None   # what the view shows
    grade_colour: str = ""
    goals_met: str = ""               # "3 av 4 uppfyllt": what a method without points shows instead
    unassessed: str = ""              # "2 indikatorer kunde inte bedömas ...": never hidden
    withheld: str = ""                # why the index is not reported, when it is not


class Bar(NamedTuple):
    label: str
    segments: tuple[tuple[float, float, str, str], ...]   # (x, width, colour, title)
    y: float
    total: str


class BarChart(NamedTuple):
    """Stacked bars, one per row, of a split count column (participants per project by gender)."""

    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    legend: tuple[tuple[str, str], ...]                 # (colour, label)


class TableView(NamedTuple):
    kind: str
    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numbers: tuple[tuple, ...]        # the same cells as numbers (None where empty), for XLSX
    units: tuple[str, ...]
    chart: BarChart | None = None
    note: str = ""                    # what '..' means, when a small count is hidden


class ReportView(NamedTuple):
    lang: str
    title: str
    name: str
    association: str
    period: str
    index: str
    target: str
    difference: str
    sentence: str
    maximum: int
    achieved: int
    goal_count: int
    indicator_count: int
    planned_total: str
    index_value: Fraction | None
    target_value: Fraction | None
    difference_value: Fraction | None
    areas: tuple[AreaView, ...]
    source: str
    w: dict                           # the words of the report frame, by key
    graded: bool = False
    tables: tuple[TableView, ...] = ()
    results: Results | None = None    # what the view shows
    say: Words | None = None         # its language, for every format
    has_points: bool = True           # the ruleset gives points: the points columns are shown
    index_name: str = ""              # the ruleset's index, or "" when it has none (no gauge, no index)
    has_weights: bool = False         # planned weights given: the weight columns are shown
    has_target: bool = False          # a target index given
    legend: tuple[tuple[str, str], ...] = ()   # (colour, words) of each status, best first
    unassessed: str = ""              # "2 indikatorer kunde inte bedömas ...": the headline says it
    withheld: str = ""                # why the index is not reported, when it is not
    inputs: tuple[tuple[str, str], ...] = ()   # (file, SHA-256 in groups of four) of every file read
    evaluated: str = ""               # "Utvärderad 2022-12-31 med impactdsl 0.9.0": every page's foot
    running: str = ""                 # association · ruleset · period: every printed page's head
    date: str = ""                    # the evaluation's date, YYYY-MM-DD ("" with neither --date nor period)


def evaluation_date(results: Results, given: datetime.date | None = None) -> datetime.date | None:
    """The day a report says it was evaluated: the one given (--date), else the last day of the
    ruleset's period — never today's, so the same inputs give the same bytes."""
    period = results.ruleset.settings.period
    return given or (datetime.date(period, 12, 31) if period else None)


def build(results: Results, say: Words, date: datetime.date | None = None) -> ReportView:
    """The report as every format shows it, evaluated on `date` (see evaluation_date)."""
    s = results.ruleset.settings
    method = results.ruleset.method
    if say.method is None:                    # a view is always in the words of its ruleset's method
        say = Words(say.lang, method)
    areas = tuple(_area(a, results, say) for a in results.areas)
    planned = [a.area.weight for a in results.areas]
    return ReportView(
        lang=say.lang, title=s.name or str(s.period or ""), name=s.name, association=s.association,
        period=str(s.period or ""), index=_index(results, say),
        target=say.number(results.target_index), difference=say.signed(results.difference),
        sentence=index_sentence(results.index, results.target_index, say) or "",
        maximum=results.maximum, achieved=results.achieved, goal_count=results.goal_count,
        indicator_count=results.indicator_count,
        planned_total=say.percent(sum(planned), 0) if None not in planned else "–",
        index_value=results.index, target_value=results.target_index, difference_value=results.difference,
        areas=areas, source=say("report.generated", ruleset=results.ruleset.path or s.name),
        w=say.frame("report."), graded=any(a.grade is not None for a in results.areas),
        tables=tuple(table_view(t, say, s.minimum_n) for t in results.tables), results=results, say=say,
        has_points=results.maximum > 0 or any(r.bonus_points for r in results.indicators),
        index_name=say.index_name, has_weights=any(w is not None for w in planned),
        has_target=s.target_index is not None or any(a.area.target_index is not None for a in results.areas),
        legend=tuple((x.colour, x.words(say.lang)) for x in method.statuses),
        unassessed=say.unassessed(results.unassessed, results.maximum > 0),
        withheld=say.withheld(results.unassessed, s.missing_limit) if results.withheld
        else "", inputs=tuple((path, digest_text(digest)) for path, digest in results.inputs),
        evaluated=say("report.evaluated", date=day, version=__version__) if (day := evaluation_date(results, date))
        else f"impactdsl {__version__}", date=day.isoformat() if day else "",
        running=" · ".join(part for part in (s.association, s.name, str(s.period or "")) if part))


def digest_text(digest: str) -> str:
    """A SHA-256 as a report prints it, in groups of four: never six digits in a row, so no run of its
    digits can read as an identity number and be masked out of it (JSON keeps it whole)."""
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def _index(part, say: Words) -> str:
    """An index as shown: a number, or 'ej redovisat' where too much could not be assessed."""
    return say("report.withheld") if part.withheld else say.number(part.index)


def _area(a: AreaResult, results: Results, say: Words) -> AreaView:
    rows = []
    for goal in a.goals:
        for position, r in enumerate(goal.indicators):
            row = _row(r, goal.goal.text if position == 0 else "", results, say)
            if position == 0 and goal.grade is not None:
                row = row._replace(goal_grade=say.status(goal.grade.grade), goal_colour=say.colour(goal.grade.grade))
            rows.append(row)
    met = results.ruleset.method.role(Status.MET).name
    counted = [r for r in a.indicators if not r.indicator.is_bonus]
    return AreaView(
        id=a.area.id, title=a.area.title, maximum=a.maximum, achieved=a.achieved,
        index=_index(a, say), target=say.number(a.target_index),
        difference=say.signed(a.difference), sentence=index_sentence(a.index, a.target_index, say) or "",
        planned=say.percent(a.area.weight, 0) if a.area.weight is not None else "–",
        actual=say.percent(a.actual_weight, 0) if a.actual_weight is not None else "–",
        planned_fraction=a.area.weight / 100 if a.area.weight is not None else None,
        actual_fraction=a.actual_weight / 100 if a.actual_weight is not None else None,
        index_fraction=a.index / 100 if a.index is not None else None,
        index_value=a.index, target_value=a.target_index, difference_value=a.difference,
        goal_count=a.goal_count, indicator_count=a.indicator_count, rows=tuple(rows),
        gauge=_gauge(a.index, a.target_index, say) if a.index is not None else None,
        grade=say.status(a.grade.grade) if a.grade else "", grade_lines=tuple(grade_lines(a.grade, say)) if a.grade
        else (), result=a, grade_colour=say.colour(a.grade.grade) if a.grade else "",
        goals_met=say("report.met_of", met=sum(r.status == met for r in counted), of=len(counted),
                      status=say.status(met).lower()),
        unassessed=say.unassessed(a.unassessed, results.maximum > 0),
        withheld=say.withheld(a.unassessed, results.ruleset.settings.missing_limit)
        if a.withheld else "")


def _row(r: IndicatorResult, goal_text: str, results: Results, say: Words) -> Row:
    ind = r.indicator
    points_text = (f"+{r.bonus_points}" if ind.is_bonus else f"{r.earned} / {ind.value}")
    return Row(
        id=ind.id, text=ind.text, goal_id=r.goal, goal_text=goal_text,
        value=None if ind.is_bonus else ind.value, is_bonus=ind.is_bonus, status=r.status,
        status_label=say.status(r.status), points=r.earned, points_text=points_text,
        measured=r.compared, unit=r.unit, note=ind.note or "",
        override=ind.override.reason if ind.override else "",
        override_computed=say.status(r.computed_status) if ind.override and r.computed_status else "",
        value_text="–" if r.compared is None else say.value(r.compared, r.unit), bonus_points=r.bonus_points,
        has_override=ind.override is not None, minimum=results.ruleset.settings.minimum_n, result=r, say=say,
        target_text=target_text(ind, say, r.criterion), colour=say.colour(r.status), role=say.role(r.status),
        reported=say.reported(r.report) if r.report else "", narrative=r.report.text if r.report else ())


def ink(colour: str) -> str:
    """The text colour that reads on a status's colour: dark on a light one, white on a dark one."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#1d1d1f" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def target_text(ind: m.Indicator, say: Words, judged: m.Criterion | None = None) -> str:
    """The target as a report's column writes it: ≥ 80 %, ≤ 3 %, ja, 40–60 %, 1 per styck (högst 4);
    a reported status has none (a person judged it); a computed target its value as judged (`judged`),
    or – when it could not be computed."""
    c = judged or ind.criterion
    if isinstance(ind.measure, m.ReportedOf) or (c is not None and c.computed and judged is None) or \
            (isinstance(ind.measure, m.TodoOf) and c is None):
        return "–"
    if c is None:
        return say("report.per_unit", points=ind.points, cap=ind.cap)
    if c.unit == Unit.YES_NO:
        return say("report.yes" if c.bound else "report.no")
    if c.op == Op.BETWEEN:
        return f"{say.value(c.bound, c.unit)}–{say.value(c.upper, c.unit)}"
    if Op(c.op).near_target:
        return f"{say.value(c.upper, Unit.PERCENT)} ± {say.value(c.bound, Unit.PP)}"
    return f"{OP_SIGNS[Op(c.op)]} {say.value(c.bound, c.unit)}"


def outcome_sentence(r: IndicatorResult, minimum: int, say: Words) -> str:
    """The outcome the way the reports say it, in the style the measure's kind names
    (`sentence` of its model class): '79 % (75 av 95) av personalen har svarat: ...'."""
    if r.report is not None:
        return say.reported(r.report)
    if r.compared is None:
        if r.reason and r.reason[0] == "too_few":
            return say("report.too_few", minimum=minimum)
        return say.status(None)
    return SENTENCES[r.indicator.measure.sentence](r, minimum, say)


def _value_sentence(r: IndicatorResult, minimum: int, say: Words) -> str:
    return say.value(r.compared, r.unit)


def _answers_sentence(r: IndicatorResult, minimum: int, say: Words) -> str:
    """'79 % (75 av 95) av personalen har svarat: till mycket stor del eller till stor del'."""
    if len(r.parts) != 1:
        return _value_sentence(r, minimum, say)
    measure = r.indicator.measure
    k, n = r.parts[0]
    labels = [measure.question.scale.label(a) for a in measure.question.scale.answers if a in measure.answers]
    answers = say.answers(labels)
    who = measure.group.text or measure.group.name
    return f"{say.percent(r.compared, 0)} ({k} {say('report.of')} {n}) {say('report.of')} {who} " \
           f"{say('report.have_answered')}: {answers}"


def _part_of_whole_sentence(r: IndicatorResult, minimum: int, say: Words) -> str:
    """'79 % (75 av 95)'."""
    if len(r.parts) != 1:
        return _value_sentence(r, minimum, say)
    k, n = r.parts[0]
    return f"{say.percent(r.compared, 0)} ({k} {say('report.of')} {n})"


def _gap_sentence(r: IndicatorResult, minimum: int, say: Words) -> str:
    """Both shares, each with its counts (or that too few answered), and their difference."""
    if len(r.parts) != 2:                   # a gap of two facts has no counts to show
        return _value_sentence(r, minimum, say)

    def share(k: int, n: int) -> str:
        if n < minimum:
            return say("report.too_few", minimum=minimum)
        return f"{say.percent(Fraction(100 * k, n), 0)} ({k} {say('report.of')} {n})"
    return say("report.gap_sentence", first=share(*r.parts[0]), second=share(*r.parts[1]),
               gap=say.value(r.compared, Unit.PP))


SENTENCES = {"answers": _answers_sentence, "part_of_whole": _part_of_whole_sentence, "gap": _gap_sentence,
             "value": _value_sentence, "reported": _value_sentence,     # reported: said before (r.report)
             "todo": _value_sentence}                                   # todo: never a value, so 'not assessed'





def _gauge(index, target, say: Words) -> Gauge:
    """Geometry of a half circle (centre 100,100, radius 80) from 0 (left) to 100 (right)."""
    def point(value, radius=80.0):
        angle = math.pi * (1 - min(max(float(value), 0.0), 100.0) / 100)
        return 100 + radius * math.cos(angle), 100 - radius * math.sin(angle)
    end_x, end_y = point(index)
    arc = f"M 20 100 A 80 80 0 0 1 {end_x:.2f} {end_y:.2f}"
    t1 = point(target, 70) if target is not None else (0.0, 0.0)
    t2 = point(target, 92) if target is not None else (0.0, 0.0)
    nx, ny = point(index, 58)
    method = say.method
    colour = method.role(Status.MET if target is None or index >= target else Status.MISSED).colour
    return Gauge(index=say.number(index), target=say.number(target) if target is not None else "",
                 needle_x=round(nx, 2), needle_y=round(ny, 2), target_x1=round(t1[0], 2), target_y1=round(t1[1], 2),
                 target_x2=round(t2[0], 2), target_y2=round(t2[1], 2), arc=arc, colour=colour)


SEGMENT_COLOURS = ("#6a1b9a", "#1565c0", "#9e9e9e")


def _cell_text(value, unit: str, say: Words) -> str:
    return "–" if value is None else say.value(value, unit)


def table_view(t: TableResult, say: Words, minimum: int = 1) -> TableView:
    """Header and cells as text (a split count shows its share of the row's total) and as numbers."""
    header, units = [""], []
    for column in t.table.columns:
        header.append(column.title)
        units.append(column.unit)
        for _, label in column.split:
            header.append(label)
            units.append(column.unit)
        if column.split and column.unit == Unit.NUMBER:
            header.append(say("table.rest"))
            units.append(column.unit)
    rows, numbers = [], []
    for row in t.rows + ((t.total,) if t.total else ()):
        texts, values = [row.label], [row.label]
        for column, cell in zip(t.table.columns, row.cells):
            texts.append(HIDDEN if "value" in cell.hidden else _cell_text(cell.value, column.unit, say))
            values.append(HIDDEN if "value" in cell.hidden else plain_number(cell.value))
            parts = list(cell.splits) + ([("rest", cell.rest)] if column.split and column.unit == Unit.NUMBER else [])
            for key, part in parts:
                if key in cell.hidden:
                    texts.append(HIDDEN)
                    values.append(HIDDEN)
                    continue
                text = _cell_text(part, column.unit, say)
                if column.unit == Unit.NUMBER and part is not None and cell.value:
                    text += f" ({say.percent(Fraction(100 * part, cell.value), 0)})"
                texts.append(text)
                values.append(plain_number(part))
        rows.append(tuple(texts))
        numbers.append(tuple(values))
    hides = any(cell.hidden for row in t.rows + ((t.total,) if t.total else ()) for cell in row.cells)
    return TableView(t.table.kind, t.table.name, t.table.title, tuple(header), tuple(rows), tuple(numbers),
                     tuple(units), _chart(t, say),
                     say("table.hidden", marker=HIDDEN, minimum=minimum) if hides else "")


HIDDEN = ".."                         # a count not shown: too few people, or what would reveal them


def plain_number(value):
    """A Fraction as a spreadsheet cell wants it: an int when whole, else a float."""
    if value is None or isinstance(value, bool):
        return value
    return value.numerator if value.denominator == 1 else float(value)


def _chart(t: TableResult, say: Words) -> BarChart | None:
    column_index = next((i for i, c in enumerate(t.table.columns) if c.split and c.unit == Unit.NUMBER), None)
    if column_index is None:
        return None
    column = t.table.columns[column_index]
    largest = max((row.cells[column_index].value or 0 for row in t.rows), default=0)
    if not largest:
        return None
    label_width, bar_width, row_height = 190, 470, 26
    bars = []
    for position, row in enumerate(t.rows):
        cell = row.cells[column_index]
        x = float(label_width)
        segments = []
        parts = list(cell.splits) + [("rest", cell.rest)]
        labels = [label for _, label in column.split] + [say("table.rest")]
        for (key, value), colour, label in zip(parts, SEGMENT_COLOURS, labels):
            width = bar_width * float(value or 0) / float(largest)
            if width > 0:
                segments.append((round(x, 2), round(width, 2), colour, f"{label}: {say.number(value)}"))
            x += width
        bars.append(Bar(row.label, tuple(segments), 8 + position * row_height,
                        HIDDEN if "value" in cell.hidden else say.number(cell.value) if cell.value is not None
                        else "–"))
    legend = tuple(zip(SEGMENT_COLOURS, [label for _, label in column.split] + [say("table.rest")]))
    return BarChart(column.title, label_width + bar_width + 60, 16 + len(bars) * row_height + 24, tuple(bars), legend)
