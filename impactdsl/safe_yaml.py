"""Every YAML file impactdsl reads — outcome data and manifests, exported
peer rulesets, lock files — is read here, one way.

Before anything is built, one pass over the parser's events (libyaml's
parser keeps its own stack, so any nesting is safe to walk) refuses:

- aliases (`*name`): an alias bomb expands a few lines into gigabytes;
- nesting deeper than `Limits.yaml_depth`: building deep nodes recurses;
- more values than allowed, and a key or value longer than allowed.

Only then is the text composed (for readers that need each value's line)
or loaded with the safe constructor, whose whole numbers are refused past
`Limits.number_digits` before Python converts them. No tag can build
anything but plain data."""

from __future__ import annotations

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
    """The checked text as YAML nodes (each with its line), or None for an empty document."""
    import yaml

    check(text, max_nodes, limits)
    try:
        return yaml.compose(text, Loader=_loader())
    except yaml.YAMLError as exc:
        raise YamlRefused(f"this is not valid YAML: {getattr(exc, 'problem', None) or 'broken structure'}",
                          *_place(getattr(exc, "problem_mark", None))) from None


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
