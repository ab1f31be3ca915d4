"""Every YAML file impactdsl reads — outcome data and manifests, exported
peer rulesets, lock files — is read here, one way.

Before anything is built from it, the text is checked — for `load`, one pass
over the parser's events (libyaml's parser keeps its own stack, so any
nesting is safe to walk); for `compose`, a walk over libyaml's nodes that
never follows an alias twice — refusing:

- aliases (`*name`): an alias bomb expands a few lines into gigabytes;
- nesting deeper than `Limits.yaml_depth`: building deep nodes recurses;
- more values than allowed, and a key or value longer than allowed.

Only then is the text composed (for readers that need each value's line)
or loaded with the safe constructor, whose whole numbers are refused past
`Limits.number_digits` before Python converts them. No tag can build
anything but plain data."""

from __future__ import annotations

import functools

from .limits import DEFAULT, Limits


class YamlRefused(Exception):
    """A YAML text that is refused or broken, with the line and column (1-based) of the reason."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _place(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def check(text: str, max_nodes: int, limits: Limits = DEFAULT) -> None:
    """Refuse aliases, deep nesting, too many values and oversized values, walking events only."""
    import yaml

    depth = nodes = 0
    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        for event in yaml.parse(text, Loader=_loader()):
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused("YAML aliases (*name) are not allowed: write each value out where it "
                                  "belongs", *_place(event.start_mark))
            if isinstance(event, opening):
                depth += 1
                if depth > limits.yaml_depth:
                    raise YamlRefused(f"values are nested more than {limits.yaml_depth} deep",
                                      *_place(event.start_mark))
            elif isinstance(event, closing):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and len(event.value) > limits.yaml_scalar:
                raise YamlRefused(f"a value is longer than {limits.yaml_scalar} characters",
                                  *_place(event.start_mark))
            if isinstance(event, opening + (yaml.ScalarEvent,)):
                nodes += 1
                if nodes > max_nodes:
                    raise YamlRefused(f"more than {max_nodes} values: too large for this kind of file",
                                      *_place(event.start_mark))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlRefused(f"this is not valid YAML: {getattr(exc, 'problem', None) or 'broken structure'}",
                          *_place(mark)) from None


def compose(text: str, max_nodes: int, limits: Limits = DEFAULT):
    """The text as YAML nodes (each with its line), checked, or None for an empty document.

    Outcome data are read as texts only, so no tag is resolved: with libyaml the
    composing is then all in C, and the checks walk the composed nodes (an alias
    is a node met twice, never expanded). Without libyaml the events are checked
    first, as for `load`."""
    import yaml

    if not hasattr(yaml, "CSafeLoader"):
        check(text, max_nodes, limits)
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise _broken(exc) from None
    try:
        root = yaml.compose(text, Loader=_untagged_loader())
    except yaml.YAMLError as exc:
        raise _broken(exc) from None
    _check_nodes(root, max_nodes, limits)
    return root


def _broken(exc) -> YamlRefused:
    return YamlRefused(f"this is not valid YAML: {getattr(exc, 'problem', None) or 'broken structure'}",
                       *_place(getattr(exc, "problem_mark", None)))


@functools.cache
def _untagged_loader():
    import yaml

    class Untagged(yaml.CSafeLoader):
        """libyaml's composer with every node left a plain text, map or list: nothing is resolved."""

        def resolve(self, kind, value, implicit):
            return {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                    yaml.MappingNode: "tag:yaml.org,2002:map"}[kind]
    return Untagged


def _check_nodes(root, max_nodes: int, limits: Limits) -> None:
    """Aliases, depth, count and size, over the composed nodes without following an alias twice."""
    if root is None:
        return
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise YamlRefused("YAML aliases (*name) are not allowed: write each value out where it belongs",
                              *_place(node.start_mark))
        seen.add(id(node))
        if len(seen) > max_nodes:
            raise YamlRefused(f"more than {max_nodes} values: too large for this kind of file",
                              *_place(node.start_mark))
        value = node.value
        if isinstance(value, str):
            if len(value) > limits.yaml_scalar:
                raise YamlRefused(f"a value is longer than {limits.yaml_scalar} characters",
                                  *_place(node.start_mark))
        else:
            if depth > limits.yaml_depth:
                raise YamlRefused(f"values are nested more than {limits.yaml_depth} deep",
                                  *_place(node.start_mark))
            for item in value:
                for child in (item if isinstance(item, tuple) else (item,)):
                    stack.append((child, depth + 1))


def load(text: str, max_nodes: int, limits: Limits = DEFAULT):
    """The checked text as plain data: dicts, lists, texts, whole numbers, booleans, None."""
    import yaml

    check(text, max_nodes, limits)

    class Constructor(_loader()):
        def construct_yaml_int(self, node):
            if limits.number_too_long(node.value):
                raise YamlRefused(limits.number_message(f"the number on line {node.start_mark.line + 1}"),
                                  *_place(node.start_mark))
            return super().construct_yaml_int(node)

    Constructor.add_constructor("tag:yaml.org,2002:int", Constructor.construct_yaml_int)
    try:
        return yaml.load(text, Loader=Constructor)
    except yaml.YAMLError as exc:
        raise YamlRefused(f"this is not valid YAML: {getattr(exc, 'problem', None) or 'broken structure'}",
                          *_place(getattr(exc, "problem_mark", None))) from None
