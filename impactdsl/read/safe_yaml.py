"""Every YAML file impactdsl reads — outcome data and manifests, exported
peer rulesets, lock files — is read here, one way.

The text is composed into nodes by libyaml (whose parser keeps its own
stack, so any nesting is safe to read, and refuses past 1 000 levels), and
the nodes are checked before anything is built from them, never following an
alias twice:

- aliases (`*name`) are refused: an alias bomb is a few shared nodes until
  something expands it into gigabytes;
- nesting deeper than `Limits.yaml_depth`, more values than allowed and a
  key or value longer than allowed are refused.

Outcome data are then read node by node, as texts with their lines
(`compose`); exported rulesets and lock files are built with the safe
constructor (`load`), whose whole numbers are refused past
`Limits.number_digits` before Python converts them. No tag can build
anything but plain data."""

from __future__ import annotations

import functools
import re

from impactdsl.core.diagnostics import Said
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import holds_identity


class YamlRefused(Exception):
    """A YAML text that is refused or broken, with the line and column (1-based) of the reason, said
    in Swedish and in English; `kind` is "alias", "size" (too many, too deep, too long) or "syntax"."""

    def __init__(self, message: Said, line: int = 1, column: int = 1, kind: str = "size"):
        super().__init__(message.en if isinstance(message, Said) else message)
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind


@functools.cache
def _loaders() -> tuple:
    """(a loader that resolves no tag, one that builds plain data with a limit on whole numbers):
    libyaml's where it is installed (its parser keeps its own stack, and composing is in C)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Untagged(base):
        """Every node left a plain text, map or list: outcome data are read as texts, nothing resolved."""

        def resolve(self, kind, value, implicit):
            return {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                    yaml.MappingNode: "tag:yaml.org,2002:map"}[kind]

    class Plain(base):
        """The safe constructor, refusing a whole number past the digit limit before Python converts it."""

        limits = DEFAULT

        def construct_yaml_int(self, node):
            """Only a plain decimal whole number: YAML's hexadecimal, octal, binary and base-60
            forms hide how large a number is from the digit limit."""
            where = _place(node.start_mark)
            if not re.fullmatch(r"[-+]?[0-9]+", node.value):
                raise YamlRefused(Said(f"rad {where[0]}: skriv ett heltal med vanliga siffror",
                                       f"line {where[0]}: write a whole number in plain digits"), *where)
            if self.limits.number_too_long(node.value):
                raise YamlRefused(Said(f"talet på rad {where[0]} har fler än {self.limits.number_digits} siffror, "
                                       "fler än något tal impactdsl läser",
                                       self.limits.number_message(f"the number on line {where[0]}")), *where)
            if holds_identity(node.value):
                raise YamlRefused(Said(f"talet på rad {where[0]} ser ut som ett personnummer",
                                       f"the number on line {where[0]} looks like a personal identity number"),
                                  *where)
            return int(node.value)

    Plain.add_constructor("tag:yaml.org,2002:int", Plain.construct_yaml_int)
    return Untagged, Plain


def _place(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _broken(exc) -> YamlRefused:
    problem = getattr(exc, "problem", None)         # the YAML reader's own words, in English
    return YamlRefused(Said(f"detta är inte giltig YAML: {problem or 'trasig struktur'}",
                            f"this is not valid YAML: {problem or 'broken structure'}"),
                       *_place(getattr(exc, "problem_mark", None)), kind="syntax")


def _too_deep(limits: Limits) -> Said:
    return Said(f"värdena är nästlade mer än {limits.yaml_depth} nivåer djupt",
                f"values are nested more than {limits.yaml_depth} deep")


def _composed(text: str, loader_class, max_nodes: int, limits: Limits):
    """(the loader, the checked root node or None)."""
    import yaml

    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        loader.dispose()
        raise _broken(exc) from None
    except RecursionError:                  # PyYAML without libyaml composes recursively
        loader.dispose()
        raise YamlRefused(_too_deep(limits)) from None
    try:
        _check(root, max_nodes, limits)
    except YamlRefused:
        loader.dispose()
        raise
    return loader, root


def compose(text: str, max_nodes: int, limits: Limits = DEFAULT):
    """The checked text as YAML nodes (each with its line, every value a text), or None when empty."""
    loader, root = _composed(text, _loaders()[0], max_nodes, limits)
    loader.dispose()
    return root


def load(text: str, max_nodes: int, limits: Limits = DEFAULT):
    """The checked text as plain data: dicts, lists, texts, whole numbers, booleans, None."""
    import yaml

    plain = _loaders()[1]
    constructing = type("Limited", (plain,), {"limits": limits})
    loader, root = _composed(text, constructing, max_nodes, limits)
    try:
        return loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise _broken(exc) from None
    finally:
        loader.dispose()


def _check(root, max_nodes: int, limits: Limits) -> None:
    """Aliases, depth, count and size, over the composed nodes, never following an alias twice:
    an alias bomb is a few shared nodes until something expands it, and nothing here does."""
    if root is None:
        return
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise YamlRefused(Said("YAML-alias (*namn) är inte tillåtna: skriv ut varje värde där det hör hemma",
                                   "YAML aliases (*name) are not allowed: write each value out where it belongs"),
                              *_place(node.start_mark), kind="alias")
        seen.add(id(node))
        if len(seen) > max_nodes:
            raise YamlRefused(Said(f"fler än {max_nodes} värden: för stor för den här sortens fil",
                                   f"more than {max_nodes} values: too large for this kind of file"),
                              *_place(node.start_mark))
        value = node.value
        if isinstance(value, str):
            if len(value) > limits.yaml_scalar:
                raise YamlRefused(Said(f"ett värde är längre än {limits.yaml_scalar} tecken",
                                       f"a value is longer than {limits.yaml_scalar} characters"),
                                  *_place(node.start_mark))
        else:
            if depth > limits.yaml_depth:
                raise YamlRefused(_too_deep(limits), *_place(node.start_mark))
            for item in value:
                for child in (item if isinstance(item, tuple) else (item,)):
                    stack.append((child, depth + 1))
