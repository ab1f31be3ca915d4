"""The one tree rewriter of the compiler, for syntax and model trees alike.

Templates put their arguments in place of their parameters, tables read a
column's measure at each row's entity, each blocks put an entity in place of
their variable, and peers' maps put our names in place of theirs: each of
these is a `replace` function given to `rewrite`, which walks the frozen
attrs tree and rebuilds only what changed."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import attrs

DROP = object()          # returned by `replace` for an element of a tuple: leave it out
KEPT = frozenset({"span", "written"})   # fields never rewritten: where a node stands, what the author wrote


def rewrite(node, replace: Callable, keep: frozenset[str] = KEPT):
    """`node` rebuilt top-down. Where `replace(x)` returns something other than None, that stands
    instead of `x` and is not looked into; elsewhere a tuple or an attrs node is rebuilt from its
    rewritten parts (the fields named in `keep` left as they are), and left as it is when none of
    them changed."""
    new = replace(node)
    if new is not None:
        return new
    if isinstance(node, tuple):
        parts = tuple(x for x in (rewrite(part, replace, keep) for part in node) if x is not DROP)
        return node if len(parts) == len(node) and all(a is b for a, b in zip(parts, node)) else parts
    names = fields_of(type(node), keep)
    if not names:
        return node
    changes = {}
    for name in names:
        old = getattr(node, name)
        if (changed := rewrite(old, replace, keep)) is not old:
            changes[name] = changed
    return attrs.evolve(node, **changes) if changes else node


def walk(node) -> Iterator:
    """Every attrs node in the tree, the root first."""
    if isinstance(node, tuple):
        for part in node:
            yield from walk(part)
    elif names := fields_of(type(node), frozenset({"span"})):
        yield node
        for name in names:
            yield from walk(getattr(node, name))


@functools.cache
def fields_of(cls: type, keep: frozenset[str]) -> tuple[str, ...]:
    """The fields of a tree node's class that a rewrite looks into (none for what is no attrs class)."""
    if not attrs.has(cls):
        return ()
    return tuple(f.name for f in attrs.fields(cls) if f.name not in keep and f.init)
