"""What the compiler knows while it compiles one document: the names declared (`Scope`) and the
problems found (`Problems`).

Every compile module receives these two objects, typed, instead of the
document compiler itself: a module reads names from the scope and reports to
the problem list, and none calls back into another's private state. A name
that is not declared is reported by one helper, `Problems.unknown`, which
adds "did you mean" and counts the failure; whether a part failed is asked
of the list (`failed_since`), never kept in a flag by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, did_you_mean, error, warning
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.parse import syntax as s


@attrs.define
class Scope:
    """Every name of the document by kind: its own, and each peer's as ALIAS.NAME (and under its
    own name too when an area is taken whole). Filled as the declarations are read, in order."""

    scales: dict[str, m.Scale] = attrs.Factory(dict)
    questions: dict[str, m.Question] = attrs.Factory(dict)
    groups: dict[str, m.Described] = attrs.Factory(dict)
    keys: dict[str, m.Described] = attrs.Factory(dict)               # subgroups and entities
    counts: dict[str, m.Count] = attrs.Factory(dict)
    registers: dict[str, m.Described] = attrs.Factory(dict)
    facts: dict[str, m.Described] = attrs.Factory(dict)
    params: dict = attrs.Factory(dict)        # name -> Quantity, text, or ((entity, Quantity or text), ...)
    lists: dict[str, list[m.Described]] = attrs.Factory(dict)       # subgroups/entities name -> its keys
    templates: dict[str, s.TemplateDecl] = attrs.Factory(dict)
    method: m.Method = m.Method(m.DEFAULT_STATUSES)              # the statuses a rule's band may name
    status_points: tuple[tuple[str, int], ...] = ()               # what a rule that writes no points earns
    summed: int = 0                           # figures the document's sums add, against Limits.summed

    DECLARED = ("scales", "questions", "groups", "keys", "counts", "facts", "registers")   # as in m.Ruleset

    def own(self, kind: str) -> tuple:
        """A table's entries under their own names (a peer's ALIAS.NAME entries left out)."""
        return tuple(value for name, value in getattr(self, kind).items() if name == value.name)

    def entity_param(self, name: str, entity: str, span, problems: Problems):
        """A param's value for one entity (a Quantity or a text), or None when it is no such param."""
        value = self.params.get(name)
        if not isinstance(value, tuple):
            return None
        found = dict(value).get(entity)
        if found is None:
            problems.error("param", Said(f"parametern {name} har inget värde för '{entity}'",
                                         f"param {name} has no value for '{entity}'"), span,
                           Said(f"lägg till det: param {name} = [{entity}: ..., ...]",
                                f"add it: param {name} = [{entity}: ..., ...]"))
        return found


class Problems:
    """The problems of one document, in the order found. Past `Limits.problems` errors are only
    counted (a hint may be a function, since "did you mean" takes time: it is worked out only for
    a problem that is listed)."""

    def __init__(self, limits: Limits = DEFAULT):
        self.limits = limits
        self.listed: list[Diagnostic] = []
        self.errors = 0                     # listed or only counted
        self.more = 0                       # past the limit, only counted

    def error(self, code: str, message: Said, span, hint: Said | Callable[[], Said | None] | None = None,
              notes=()) -> None:
        self.errors += 1
        if self.errors > self.limits.problems:
            self.more += 1
            return
        self.listed.append(error(code, message, span, hint() if callable(hint) else hint, notes))

    def warning(self, code: str, message: Said, span, hint: Said | None = None) -> None:
        self.listed.append(warning(code, message, span, hint))

    def unknown(self, what: Said, name: str, known: Iterable[str], span, code: str = "unknown-name",
                extra: Said | None = None) -> None:
        """`name` is not declared as `what`: say so, with the nearest known name as a hint. `what`
        is said with its "unknown" (Said("okänd parameter", "unknown param")): Swedish bends the word
        by the noun's gender (okänd mall, okänt namn)."""
        self.error(code, Said.joined(what, f" '{name}'"), span, lambda: did_you_mean(name, known) or extra)

    def mark(self) -> int:
        """A point to ask `failed_since` about."""
        return self.errors

    def failed_since(self, mark: int) -> bool:
        return self.errors > mark

    def all(self, path: str) -> list[Diagnostic]:
        """Every problem, and a last one saying how many more were found than listed."""
        if not self.more:
            return list(self.listed)
        return self.listed + [error("more", Said(f"ytterligare {self.more} problem i {path} visas inte (de första "
                                         f"{self.limits.problems} visas)",
                                         f"{self.more} more problems in {path} are not listed (the first "
                                         f"{self.limits.problems} are)"), None,
                                    Said("rätta dessa och kontrollera igen för att se resten",
                                         "mend these, and check again to see the rest"))]
