"""Data files → Outcomes. Aggregated YAML is read as tallies directly.

Every entry is checked against the ruleset (groups, questions, answers,
counts, facts, subgroups), with "did you mean" for a misspelled name, and
keeps its file and line so that explain can say where a number came from."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from . import model as m
from .cache import cached
from .diagnostics import Diagnostic, did_you_mean, error
from .outcomes import Outcomes, Tally, Value
from .source import Source, Span, display_path

MAX_DATA_FILE_BYTES = 20 * 1024 * 1024
SECTIONS = ("surveys", "counts", "facts", "previous")
TOTAL_KEYS = ("total", "all", "alla", "totalt")
PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")
NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*$")
YES = ("yes", "ja", "true")
NO = ("no", "nej", "false")


def load(folder: Path, ruleset: m.Ruleset) -> tuple[Outcomes | None, list[Diagnostic], dict[str, Source]]:
    """Read every *.yaml file in `folder` (in name order) into one Outcomes.

    Returns the outcomes, the problems, and the sources read (for quoting lines)."""
    problems: list[Diagnostic] = []
    sources: dict[str, Source] = {}
    if not folder.is_dir():
        problems.append(error("data-missing", f"there is no data folder {display_path(folder)}", None,
                              "put the year's outcome files in DATA/ beside ruleset.impact, "
                              "or name a folder with --data"))
        return None, problems, sources
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        problems.append(error("data-missing", f"no .yaml files in {display_path(folder)}", None,
                              "outcome data are written as YAML: see docs/data.md"))
        return None, problems, sources
    for path in files:
        source = _read(path, problems)
        if source is not None:
            sources[source.path] = source
    parts = [ruleset.sha256] + [x for source in sources.values() for x in (source.path, source.text)]
    if ruleset.sha256:
        outcomes, found = cached("tallies", parts, lambda: _tally(sources, ruleset))
    else:                           # a ruleset built in code has no text to key the cache by
        outcomes, found = _tally(sources, ruleset)
    return outcomes, problems + found, sources


def _tally(sources: dict[str, Source], ruleset: m.Ruleset) -> tuple[Outcomes, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    reader = _Reader(ruleset, problems)
    for source in sources.values():
        reader.read(source)
    return Outcomes(reader.surveys, reader.counts, reader.facts, tuple(sorted(sources))), problems


def _read(path: Path, problems: list[Diagnostic]) -> Source | None:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DATA_FILE_BYTES:
            problems.append(error("data-size", f"{shown} is {size // 1_000_000} MB, more than the "
                                  f"{MAX_DATA_FILE_BYTES // 1_000_000} MB a tally file may hold",
                                  Span(shown, 1, 1), "aggregated data are small; raw files go elsewhere"))
            return None
        with path.open("rb") as handle:
            raw = handle.read()
        return Source(shown, raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(error("data-encoding", f"{shown} is not UTF-8 text", Span(shown, 1, 1),
                              "save the file as UTF-8"))
    except OSError as exc:
        problems.append(error("data-read", f"cannot read {shown}: {exc.strerror}", Span(shown, 1, 1)))
    return None


class _Reader:
    def __init__(self, ruleset: m.Ruleset, problems: list[Diagnostic]):
        self.r = ruleset
        self.problems = problems
        self.surveys: dict = {}
        self.counts: dict = {}
        self.facts: dict = {}
        self.path = ""

    def span(self, node) -> Span:
        mark = node.start_mark
        end = node.end_mark
        return Span(self.path, mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)

    def err(self, code, message, node, hint=None):
        self.problems.append(error(code, message, self.span(node) if node is not None else None, hint))

    def read(self, source: Source) -> None:
        import yaml

        self.path = source.path
        try:
            root = yaml.compose(source.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            span = Span(source.path, mark.line + 1, mark.column + 1) if mark else Span(source.path, 1, 1)
            self.problems.append(error("data-syntax", f"this is not valid YAML: {getattr(exc, 'problem', exc)}",
                                       span, "check indentation and that every 'name:' has a value"))
            return
        if root is None:
            return
        for key, value in self.mapping(root, "the file"):
            section = key.value
            if section == "surveys":
                for group_node, questions in self.mapping(value, "surveys"):
                    self.group(group_node, questions)
            elif section in ("counts", "facts", "previous"):
                for name_node, entry in self.mapping(value, section):
                    self.value(section, name_node, entry)
            else:
                self.err("data-section", f"unknown section '{section}'", key,
                         did_you_mean(section, SECTIONS) or f"sections: {', '.join(SECTIONS)}")

    def mapping(self, node, what: str):
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.err("data-shape", f"{what} should be a list of 'name: value' lines", node)
            return []
        pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        seen = set()
        for key, _ in pairs:
            if key.value in seen:
                self.err("data-duplicate", f"'{key.value}' is given twice in {what}", key,
                         "keep one of them: with two, it is unclear which number is meant")
            seen.add(key.value)
        return pairs

    # ---- surveys ---------------------------------------------------------
    def group(self, group_node, questions) -> None:
        group = group_node.value
        if self.r.find("groups", group) is None:
            self.err("unknown-group", f"unknown group '{group}'", group_node,
                     did_you_mean(group, [g.name for g in self.r.groups]))
            return
        for question_node, entry in self.mapping(questions, f"group {group}"):
            question = self.r.question(question_node.value)
            if question is None:
                self.err("unknown-question", f"unknown question '{question_node.value}'", question_node,
                         did_you_mean(question_node.value, [q.name for q in self.r.questions]))
                continue
            self.tally(group, question, None, entry)

    def tally(self, group: str, question: m.Question, subgroup: str | None, node) -> None:
        n = None
        counts: list[tuple[frozenset[str], int]] = []
        for key_node, value in self.mapping(node, f"question {question.name}"):
            key = str(key_node.value)
            if key == "by" and subgroup is None:
                for sub_node, sub_entry in self.mapping(value, "by"):
                    if self.r.find("keys", sub_node.value) is None:
                        self.err("unknown-subgroup", f"unknown subgroup '{sub_node.value}'", sub_node,
                                 did_you_mean(sub_node.value, [k.name for k in self.r.keys]))
                        continue
                    self.tally(group, question, sub_node.value, sub_entry)
                continue
            number = self.whole(value)
            if number is None:
                continue
            if key == "n":
                n = number
                continue
            answers = _answer_set(key, question.scale)
            if answers is None:
                scale = question.scale
                self.err("unknown-answer", f"'{key}' is not an answer or subset of scale {scale.name}",
                         key_node, did_you_mean(key, list(scale.answers) + list(scale.labels)
                                                + [s for s, _ in scale.subsets]))
                continue
            counts.append((answers, number))
        if n is None:
            self.err("data-n", f"question {question.name} for {group}"
                     f"{'[' + subgroup + ']' if subgroup else ''} has no 'n' (how many answered)", node,
                     "add n: the number who answered the question")
            return
        singles = [(a, c) for a, c in counts if len(a) == 1]
        for answers, number in counts + ([(frozenset().union(*(a for a, _ in singles)),
                                           sum(c for _, c in singles))] if len(singles) > 1 else []):
            if number > n:
                self.err("data-count", f"{number} answers in {', '.join(sorted(answers))} but only n = {n} "
                         f"answered {question.name}", node, "the counts cannot add up to more than n")
                return
        self.surveys[(group, question.name, subgroup)] = Tally(n, tuple(counts), self.span(node))

    def whole(self, node) -> int | None:
        text = str(getattr(node, "value", ""))
        if not re.fullmatch(r"\s*\d+\s*", text):
            self.err("data-type", f"expected a whole number of answers or people, found '{text[:20]}'", node)
            return None
        return int(text)

    # ---- counts and facts -----------------------------------------------
    def value(self, section: str, name_node, node) -> None:
        import yaml

        name = name_node.value
        previous = section == "previous"
        declared = self.r.find("facts", name) or self.r.find("counts", name)
        is_count = self.r.find("counts", name) is not None
        wanted = "counts" if section == "counts" else "facts" if section == "facts" else None
        if declared is None or (wanted == "counts" and not is_count) or \
                (wanted == "facts" and self.r.find("facts", name) is None):
            table = [d.name for d in (self.r.counts if section == "counts" else self.r.facts
                                      if section == "facts" else self.r.counts + self.r.facts)]
            self.err("unknown-name", f"'{name}' is not a declared {section[:-1] if wanted else 'fact or count'}",
                     name_node, did_you_mean(name, table))
            return
        kind = "number" if is_count else declared.kind
        entries = [(None, node)] if isinstance(node, yaml.ScalarNode) else \
            [(None if k.value in TOTAL_KEYS else k.value, v) for k, v in self.mapping(node, name)]
        table = self.counts if is_count else self.facts
        for key, value_node in entries:
            if key is not None and self.r.find("keys", key) is None:
                self.err("unknown-subgroup", f"unknown subgroup or entity '{key}'", value_node,
                         did_you_mean(key, [k.name for k in self.r.keys]))
                continue
            parsed = self.scalar(value_node, kind)
            if parsed is not None:
                table[(name, key, previous)] = Value(parsed, kind, self.span(value_node))

    def scalar(self, node, kind: str):
        text = str(node.value).strip()
        if kind == "yes/no":
            if text.casefold() in YES:
                return True
            if text.casefold() in NO:
                return False
            self.err("data-type", f"expected yes or no, found '{text[:20]}'", node)
        elif kind == "percent":
            match = PERCENT.match(text)
            if match:
                return Fraction(match.group(1).replace(",", "."))
            self.err("data-type", f"expected a percentage such as 12.8%, found '{text[:20]}'", node,
                     "write the % sign: a percentage fact is given as 12.8% or 12,8 %")
        else:
            match = NUMBER.match(text)
            if match and kind == "number":
                value = Fraction(match.group(1).replace(",", "."))
                if value < 0:
                    self.err("data-type", "a count or number cannot be negative here", node)
                    return None
                return value
            self.err("data-type", f"expected a number, found '{text[:20]}'", node)
        return None


def _answer_set(key: str, scale: m.Scale) -> frozenset[str] | None:
    """A data key as a set of answers: a subset name, an answer key or its label."""
    subset = scale.subset(key)
    if subset is not None:
        return subset
    folded = " ".join(key.split()).casefold()
    for answer, label in zip(scale.answers, scale.labels):
        if folded in (answer.casefold(), label.casefold()):
            return frozenset({answer})
    return None
