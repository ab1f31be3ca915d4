"""Parsing again after a small change: only the statements whose text changed are read by Lark.

An editor sends the whole ruleset after every keystroke (`impactdsl lsp`), and Lark takes some
60 ms to read a ruleset of Umeå's size. The text is cut into pieces at the lines that open a
statement (an `each` block is one piece, up to its `end`); each piece is parsed alone, once, and
its statements are kept under its text. The next parse reads only the pieces not seen before and
moves the kept ones to the lines they now stand on. The document is the one `parser.parse` makes
of the whole text, spans included, and so are the messages of a text with syntax errors, found
by `parser.parse` in the pieces that do not parse (tests hold it to both)."""

from __future__ import annotations

import bisect
import re

import attrs

from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.source import LEXEMES, Source, Span
from impactdsl.parse import syntax as s
from impactdsl.parse.errors import OPENERS
from impactdsl.parse.parser import _Builder, _lexical_limits, parse, parser

_EACH = ("each", "för")           # `för varje`: the block's first word in either language
# A line's first word when it opens a statement (at the first column: an indented one is inside a
# statement or an `each` block), or ends a block (`end`, `slut`, indented or not).
_OPENING = re.compile(r"^(?:[ \t]*(?P<end>end|slut)|(?P<open>" + "|".join(sorted(OPENERS)) + r"))(?=\s|$)", re.M)


class Incremental:
    """`parse` with a memory: the statements of every piece of the texts it last parsed, by file."""

    def __init__(self):
        self._read: dict[str, dict[str, tuple]] = {}                 # path -> piece text -> statements at line 1
        self._placed: dict[str, dict[tuple[str, int], tuple]] = {}   # path -> (piece, first line) -> statements
        self._last: dict[str, tuple] = {}                            # path -> (key, result) of the last parse

    def parse(self, source: Source, limits: Limits = DEFAULT, budget: int | None = None
              ) -> tuple[s.Document | None, list]:
        """As `parser.parse(source, limits, budget)`."""
        key = (source.text, str(limits), budget)
        last = self._last.get(source.path)
        if last is not None and last[0] == key:
            return last[1]
        result = self._parse(source, limits, budget)
        self._last[source.path] = (key, result)
        return result

    def parsed(self, path: str, text: str) -> s.Document | None:
        """The document of the text last parsed for `path`, when that was `text` and it parsed."""
        last = self._last.get(path)
        return last[1][0] if last is not None and last[0][0] == text else None

    def _parse(self, source: Source, limits: Limits, budget: int | None):
        from lark.exceptions import UnexpectedInput

        tokens, refused = _lexical_limits(source, limits, limits.tokens if budget is None else budget)
        if refused:
            return None, [refused]
        read, placed = self._read.get(source.path, {}), self._placed.get(source.path, {})
        now_read, now_placed, statements, builder, failed = {}, {}, [], None, []
        cut = pieces(source.text)
        if sum(piece not in read for _, piece in cut) > max(8, len(cut) // 4):     # a text opened, or pasted
            return self._whole(source, cut, limits, budget)
        for number, (first_line, piece) in enumerate(cut):
            done = placed.get((piece, first_line), now_placed.get((piece, first_line)))
            relative = read.get(piece, now_read.get(piece))
            if done is None:
                if relative is None:
                    try:
                        tree = parser().parse(piece)
                    except UnexpectedInput:
                        failed.append(number)
                        continue
                    builder = builder or _Builder(Source(source.path, ""))     # made once: it binds its methods
                    builder.text = piece
                    relative = tuple(builder.transform(tree).children)
                done = shifted(relative, first_line - 1)
            now_read[piece] = relative
            now_placed[(piece, first_line)] = done
            statements += done
        self._read[source.path], self._placed[source.path] = now_read, now_placed
        if failed:
            return _broken(source, cut, failed, limits, budget)
        return s.Document(source.path, tuple(statements), tokens), []

    def _whole(self, source: Source, cut: list[tuple[int, str]], limits: Limits, budget: int | None):
        """A text mostly new, parsed whole (one call of Lark costs less than one for each piece), its
        statements then kept under the pieces they stand in."""
        document, problems = parse(source, limits, budget)
        if document is None:
            return document, problems
        firsts = [first for first, _ in cut]
        groups: list[list] = [[] for _ in cut]
        for statement in document.statements:
            groups[bisect.bisect_right(firsts, statement.span.line) - 1].append(statement)
        read, placed = {}, {}
        for (first, piece), group in zip(cut, groups):
            placed[(piece, first)] = tuple(group)
            read[piece] = shifted(tuple(group), 1 - first)
        self._read[source.path], self._placed[source.path] = read, placed
        return document, problems


def _broken(source: Source, cut: list[tuple[int, str]], failed: list[int], limits: Limits, budget: int | None):
    """The syntax errors of a text some pieces of which do not parse, as `parser.parse` finds them in
    the whole text: parsed is the text with every piece that parses emptied (its lines kept) but the
    one after each that does not, where a statement that ends too early is found to end."""
    kept = set(failed) | {number + 1 for number in failed}
    text = "".join(piece if number in kept else "\n" * piece.count("\n") for number, (_, piece) in enumerate(cut))
    document, problems = parse(Source(source.path, text), limits, budget)
    if document is not None:             # a piece that did not parse alone, but does with the next: read whole
        return parse(source, limits, budget)
    return None, problems


def pieces(text: str) -> list[tuple[int, str]]:
    """The text cut before every line that opens a statement at its first column, outside a text
    of several lines and inside no `each` block: (first line, 1-based; the piece's text)."""
    inside = _lines_inside_texts(text)
    starts, in_each, line, at = [(1, 0)], False, 1, 0
    for match in _OPENING.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        if line in inside:
            continue
        if in_each:
            in_each = match.group("end") is None
        elif match.group("open"):
            if at:
                starts.append((line, at))
            in_each = match.group("open") in _EACH
    ends = [offset for _, offset in starts[1:]] + [len(text)]
    return [(first, text[offset:end]) for (first, offset), end in zip(starts, ends)]


def _lines_inside_texts(text: str) -> set[int]:
    """The lines (1-based) that begin inside a text written over several lines."""
    if '"""' not in text:
        return set()
    inside = set()
    for match in LEXEMES.finditer(text):
        if "\n" in match.group(0):
            first = text.count("\n", 0, match.start()) + 1
            inside.update(range(first + 1, first + 1 + match.group(0).count("\n")))
    return inside


def shifted(node, lines: int):
    """A syntax tree with every span moved down by `lines`."""
    if not lines:
        return node
    if isinstance(node, Span):
        return Span(node.path, node.line + lines, node.column, node.end_line + lines if node.end_line else 0,
                    node.end_column)
    if isinstance(node, tuple):
        return tuple(shifted(part, lines) for part in node)
    names = _fields(type(node))
    if not names:
        return node
    changes = {}
    for name in names:
        old = getattr(node, name)
        new = shifted(old, lines)
        if new is not old:
            changes[name] = new
    return attrs.evolve(node, **changes) if changes else node


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    """The fields of a syntax class that may hold a span (none for a value that is no syntax)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls) if f.init) if attrs.has(cls) else ()
    return found
