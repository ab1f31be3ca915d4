"""Peers: another association's compiled ruleset, imported, adapted and mapped.

`import "umea-2022" as umea` makes the peer's declarations known here as
`umea.NAME` (scales, questions, groups, templates, counts, facts, keys);
`area 3 from umea` takes the peer's whole area and, with it, the peer's
declarations under their own names unless this ruleset declares or maps them;
`map question umea.q3.2.6 to q12` makes the peer's indicators read our own
question (group, count, fact); `adapt target|weight|points|text ID = ...`
changes what the peer set, and each indicator remembers the peer's value so
explain can say "75 % (set here; umea-2022 has 80 %)"."""

from __future__ import annotations

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.measures import UNIT_WORDS
from impactdsl.compile.rewrite import rewrite
from impactdsl.compile.rule import too_many_points
from impactdsl.compile.scope import Problems, Scope
from impactdsl.core.diagnostics import Said
from impactdsl.core.formats import value as shown
from impactdsl.core.kinds import Op, Unit
from impactdsl.core.limits import Limits
from impactdsl.parse import syntax as s

MAPPED = {m.CountOf: "count", m.FactOf: "fact"}     # what `map count|fact` renames in a measure
UNKNOWN = {"question": Said("okänd fråga", "unknown question"), "group": Said("okänd grupp", "unknown group"),
           "count": Said("okänt antal", "unknown count"), "fact": Said("okänd uppgift", "unknown fact")}
OWN = {"question": ("vår egen fråga", "den"), "group": ("vår egen grupp", "den"),   # as a Swedish hint names
       "count": ("vårt eget antal", "det"), "fact": ("vår egen uppgift", "den")}       # them, and their pronoun


@attrs.frozen
class Peer:
    """An imported ruleset and what an importer needs of it."""

    alias: str
    label: str                      # as the import names it: "umea-2022"
    ruleset: m.Ruleset
    templates: tuple = ()


def declare_prefixed(scope: Scope, peers: dict[str, Peer]) -> None:
    """Every peer's declarations, known here as ALIAS.NAME (before our own are read)."""
    for alias, peer in peers.items():
        for kind in Scope.DECLARED:
            table = getattr(scope, kind)
            for item in getattr(peer.ruleset, kind):
                table.setdefault(f"{alias}.{item.name}", item)
        for name, template in peer.templates:
            scope.templates.setdefault(f"{alias}.{name}", template)


def declare_taken(scope: Scope, peers: dict[str, Peer], statements) -> None:
    """For a peer whose areas are taken whole, its declarations under their own names too,
    so its indicators find their data here (our own declarations and mapped names win)."""
    whole = {st.peer for st in statements if isinstance(st, s.AreaFrom)}
    mapped = {st.peer_name for st in statements if isinstance(st, s.MapDecl)}
    for alias in whole & set(peers):
        for kind in Scope.DECLARED:
            table = getattr(scope, kind)
            for item in getattr(peers[alias].ruleset, kind):
                if f"{alias}.{item.name}" not in mapped:
                    table.setdefault(item.name, item)


def area_from(statement: s.AreaFrom, peers: dict[str, Peer], problems: Problems) -> m.Area | None:
    peer = peers.get(statement.peer)
    if peer is None:
        problems.unknown(Said("okänd import", "unknown import"), statement.peer, peers, statement.span,
                         extra=Said('importera det först: importera "SÖKVÄG" som NAMN',
                                    'import it first: import "PATH" as NAME'))
        return None
    area = next((a for a in peer.ruleset.areas if a.id == statement.id), None)
    if area is None:
        problems.unknown(Said(f"okänt målområde i {peer.label}", f"unknown area of {peer.label}"), statement.id,
                         [a.id for a in peer.ruleset.areas], statement.span)
        return None
    mark = ("from", peer.label, "")
    return _each_indicator(area, lambda i: attrs.evolve(i, origin=i.origin + (mark,)))


def _each_indicator(area: m.Area, change) -> m.Area:
    goals = tuple(attrs.evolve(g, indicators=tuple(change(i) for i in g.indicators)) for g in area.goals)
    return attrs.evolve(area, goals=goals)


def apply(areas: tuple[m.Area, ...], statements, peers: dict[str, Peer], scope: Scope, problems: Problems,
          limits: Limits) -> tuple[m.Area, ...]:
    """Maps first (the peer's names to ours), then adaptations, in the order written."""
    for statement in statements:
        if isinstance(statement, s.MapDecl):
            areas = tuple(_each_indicator(a, lambda i, st=statement: _mapped(i, st, scope, problems)) for a in areas)
    for statement in statements:
        if isinstance(statement, s.Adapt):
            areas = _adapt(areas, statement, problems, limits)
    return areas


def _mapped(indicator: m.Indicator, statement: s.MapDecl, scope: Scope, problems: Problems) -> m.Indicator:
    alias, _, peer_name = statement.peer_name.partition(".")
    table = {"question": scope.questions, "group": scope.groups, "count": scope.counts,
             "fact": scope.facts}[statement.kind]
    own = table.get(statement.own_name)
    if own is None:
        problems.unknown(UNKNOWN[statement.kind], statement.own_name, table, statement.span,
                         extra=Said(f"deklarera {OWN[statement.kind][0]} innan något kopplas till "
                                    f"{OWN[statement.kind][1]}",
                                    f"declare our own {statement.kind} before mapping onto it"))
        return indicator

    def swap(node):                         # any measure's question or group, by its field's name
        question, group = getattr(node, "question", None), getattr(node, "group", None)
        if statement.kind == "question" and isinstance(question, m.Question) and question.name == peer_name:
            if not hasattr(node, "answers"):
                return attrs.evolve(node, question=own)
            answers = own.scale.subset(node.answers_name) if node.answers_name else node.answers
            if answers is None or not answers <= set(own.scale.answers):
                wanted = f"delmängden {node.answers_name}" if node.answers_name else "de svar"
                problems.error("map", Said(f"{statement.own_name} saknar {wanted} som {peer_name} mättes med",
                                           f"{statement.own_name} has no answers for "
                                           f"{node.answers_name or 'the answers'} that {peer_name} was asked with"),
                               statement.span, Said("ge dess skala samma svar eller samma namn på delmängden",
                                                    "give its scale the same answers or subset name"))
                return node
            return attrs.evolve(node, question=own, answers=answers)
        if statement.kind == "group" and isinstance(group, m.Described) and group.name == peer_name:
            return attrs.evolve(node, group=own)
        if isinstance(node, (m.CountOf, m.FactOf)) and statement.kind == MAPPED[type(node)] and node.name == peer_name:
            return attrs.evolve(node, name=own.name)
        if isinstance(node, (m.Question, m.Described, m.Scale)):
            return node                                     # a declaration: not looked into
        return None
    measure = rewrite(indicator.measure, swap, keep=frozenset({"span"}))
    if measure == indicator.measure:
        return indicator
    mark = (statement.kind, _peer_of(indicator), f"{peer_name} → {statement.own_name}")
    return attrs.evolve(indicator, measure=measure, origin=indicator.origin + (mark,))


def _peer_of(indicator: m.Indicator) -> str:
    return next((label for what, label, _ in indicator.origin if what == "from"), "")


def _adapt(areas, statement: s.Adapt, problems: Problems, limits: Limits):
    if statement.what == "weight":
        found = [a for a in areas if a.id == statement.id]
        if not found:
            problems.unknown(Said("okänt målområde", "unknown area"), statement.id, [a.id for a in areas],
                             statement.span)
            return areas
        if statement.value.unit != Unit.PERCENT:
            problems.error("unit", Said("en vikt är en procentsats, t.ex. 25%", "a weight is a percentage, e.g. 25%"),
                           statement.span)
            return areas
        return tuple(attrs.evolve(a, weight=statement.value.number) if a.id == statement.id else a for a in areas)
    ids = [i.id for a in areas for i in a.indicators]
    if statement.id not in ids:
        problems.unknown(Said("okänd indikator", "unknown indicator"), statement.id, ids, statement.span)
        return areas
    old_target = next(i.target for a in areas for i in a.indicators if i.id == statement.id)

    def change(i: m.Indicator) -> m.Indicator:
        if i.id != statement.id:
            return _retarget(i, statement, old_target) if statement.what == "target" else i
        peer = _peer_of(i)
        if statement.what == "points":
            if too_many_points(statement.value, statement.span, problems, limits):
                return i
            return attrs.evolve(i, points=statement.value, origin=i.origin + (("points", peer, str(i.points)),))
        if statement.what == "text":
            return attrs.evolve(i, text=statement.value, origin=i.origin + (("text", peer, i.text),))
        c = i.criterion
        if c is None or not Op(c.op).single_bound:
            problems.error("adapt", Said(f"indikatorn {i.id} har inget enskilt målvärde att anpassa",
                                         f"indicator {i.id} has no single target to adapt"), statement.span,
                           Said("'anpassa målvärdet' fungerar på regler med minst/högst/mer än/mindre än",
                                "adapt target works on at least/at most/more than/less than rules"))
            return i
        if statement.value.unit != c.unit:
            problems.error("unit", Said(f"indikatorn {i.id} jämför {_unit_words(c.unit)}, men det nya målvärdet är "
                                        f"{_unit_words(statement.value.unit)}",
                                        f"indicator {i.id} compares {c.unit}, the new target is "
                                        f"{statement.value.unit}"),
                           statement.span, Said(f"skriv målvärdet som det andra förbundets regelverk gör: "
                                                f"{shown(c.bound, c.unit)}",
                                                f"write the target as the peer does: {shown(c.bound, c.unit)}"))
            return i
        bonus = i.bonus
        if bonus is not None and bonus.criterion.upper == c.bound:
            bonus = attrs.evolve(bonus, criterion=attrs.evolve(bonus.criterion, upper=statement.value.number))
        return attrs.evolve(i, criterion=attrs.evolve(c, bound=statement.value.number), bonus=bonus,
                            origin=i.origin + (("target", peer, f"{c.bound}|{c.unit}"),))
    return tuple(_each_indicator(a, change) for a in areas)


def _unit_words(unit: str) -> str:
    """A unit as a Swedish message names it ("en procentsats")."""
    return UNIT_WORDS[unit].sv if unit in UNIT_WORDS else str(unit)


def _retarget(i: m.Indicator, statement: s.Adapt, old_target) -> m.Indicator:
    """A bonus row measured against another indicator's target follows that target."""
    c = i.criterion
    if (isinstance(i.measure, m.OutcomeOf) and i.measure.indicator == statement.id and c is not None
            and Op(c.op).near_target and c.upper == old_target):
        return attrs.evolve(i, criterion=attrs.evolve(c, upper=statement.value.number))
    return i
