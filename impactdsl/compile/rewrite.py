"""The one tree rewriter of the compiler, for syntax and model trees alike.

Templates put their arguments in place of their parameters, tables read a
column's measure at each row's entity, each blocks put an entity in place of
their variable, and peers' maps put our names in place of theirs: each of
these is a `replace` function given to `rewrite`, which walks the frozen
attrs tree and rebuilds only what changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

DROP = object()          # returned by `replace` for an element of a tuple: leave it out
KEPT = frozenset({"span", "written"})   # fields never rewritten: where a node stands, what the author wrote


def rewrite(node, replace: Callable, keep: frozenset[str] = KEPT):
    """`node` rebuilt top-down. Where `replace(x)` returns something other than None, that stands
    instead of `x` and is not looked into; elsewhere a tuple or an attrs node is rebuilt from its
    rewritten parts (the fields named in `keep` left as they are)."""
    new = replace(node)
    if new is not None:
        return new
    if isinstance(node, tuple):
        return tuple(x for x in (rewrite(part, replace, keep) for part in node) if x is not DROP)
    if attrs.has(type(node)):
        return attrs.evolve(node, **{f.name: rewrite(getattr(node, f.name), replace, keep)
                                     for f in attrs.fields(type(node)) if f.name not in keep and f.init})
    return node


def walk(node) -> Iterator:
    """Every attrs node in the tree, the root first."""
    if isinstance(node, tuple):
        for part in node:
            yield from walk(part)
    elif attrs.has(type(node)):
        yield node
        for f in attrs.fields(type(node)):
            if f.name != "span":
                yield from walk(getattr(node, f.name))
