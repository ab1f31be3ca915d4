"""The protocol: pygls's LanguageServer, a handler per request, places turned between the client's
units (UTF-16 unless it asked for another) and the characters analysis.py counts.

Only documents the client opened are answered, from the text it sent: a request about any other
is answered with nothing, so that no open document's file is ever read."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as t
from lsprotocol.types import Diagnostic as Published  # the protocol's, not a diagnostic of ours
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from impactdsl.core.version import __version__
from impactdsl.lsp import features
from impactdsl.lsp.analysis import Analyser, Analysis, Range

KINDS = {"group": t.CompletionItemKind.Class, "question": t.CompletionItemKind.Field,
         "count": t.CompletionItemKind.Variable, "fact": t.CompletionItemKind.Variable,
         "register": t.CompletionItemKind.Module, "param": t.CompletionItemKind.Constant,
         "template": t.CompletionItemKind.Function, "status": t.CompletionItemKind.EnumMember,
         "subset": t.CompletionItemKind.Enum, "answer": t.CompletionItemKind.Value,
         "keyword": t.CompletionItemKind.Keyword}
SYMBOLS = {"area": t.SymbolKind.Namespace, "goal": t.SymbolKind.Class, "indicator": t.SymbolKind.Field}


class _State:
    """The open documents, each with its last analysis, and the language of the client."""

    def __init__(self, server: LanguageServer):
        self.server = server
        self.lang = "sv"
        self.analyser = Analyser()
        self.open: dict[str, Analysis] = {}
        self.elsewhere: dict[str, set[str]] = {}    # uri -> the other files it published problems for

    def path(self, uri: str) -> Path:
        found = to_fs_path(uri)
        return Path(found) if found else Path.cwd() / "ruleset.impact"

    def analyse(self, uri: str) -> None:
        """Compile the text the client holds and publish its problems (and its imports', at their files)."""
        text = self.server.workspace.get_text_document(uri).source
        analysis = self.analyser.analyse(self.path(uri), text, self.open.get(uri))
        self.open[uri] = analysis
        by_file: dict[str, list] = {uri: []}
        for problem in features.problems(analysis, self.lang):
            target = uri if problem.path is None else from_fs_path(str(Path.cwd() / problem.path)) or uri
            lines = analysis.text.split("\n") if target == uri else None
            by_file.setdefault(target, []).append(Published(
                self.range(problem.range, lines), problem.message,
                t.DiagnosticSeverity.Error if problem.error else t.DiagnosticSeverity.Warning,
                code=problem.code, source="impactdsl"))
        others = set(by_file) - {uri}
        for gone in self.elsewhere.get(uri, set()) - others:
            by_file[gone] = []
        self.elsewhere[uri] = others
        for target, found in by_file.items():
            self.server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(target, found))

    def close(self, uri: str) -> None:
        self.open.pop(uri, None)
        for target in self.elsewhere.pop(uri, set()) | {uri}:
            self.server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(target, []))

    # ---- places ----------------------------------------------------------------
    def _codec(self, uri: str | None = None):
        return self.server.workspace.get_text_document(uri).position_codec if uri else None

    def place(self, uri: str, position: t.Position) -> tuple[int, int]:
        """A client's position as (line, character)."""
        lines = self.open[uri].text.split("\n")
        if position.line >= len(lines):
            return len(lines) - 1, len(lines[-1])
        codec, line, units, at = self._codec(uri), lines[position.line], 0, 0
        for char in line:
            if units >= position.character:
                break
            units += codec.client_num_units(char)
            at += 1
        return position.line, at

    def position(self, place: tuple[int, int], lines: list[str] | None, uri: str | None = None) -> t.Position:
        line, column = place
        if lines is None or line >= len(lines):
            return t.Position(line, column)
        codec = self._codec(uri) if uri else None
        units = codec.client_num_units(lines[line][:column]) if codec else len(lines[line][:column].encode(
            "utf-16-le")) // 2
        return t.Position(line, units)

    def range(self, found: Range, lines: list[str] | None, uri: str | None = None) -> t.Range:
        return t.Range(self.position(found[0], lines, uri), self.position(found[1], lines, uri))


def serve(stdin=None, stdout=None) -> None:
    from impactdsl.read.cache import read_only

    read_only()                                 # the server writes nothing to disk, the caches included
    server = LanguageServer("impactdsl", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
    state = _State(server)

    @server.feature(t.INITIALIZE)
    def initialize(params: t.InitializeParams):
        state.lang = "en" if (params.locale or "").lower().startswith("en") else "sv"

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def opened(params: t.DidOpenTextDocumentParams):
        state.analyse(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def changed(params: t.DidChangeTextDocumentParams):
        state.analyse(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def closed(params: t.DidCloseTextDocumentParams):
        state.close(params.text_document.uri)

    def lines(uri: str) -> list[str]:
        return state.open[uri].text.split("\n")

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(params: t.HoverParams):
        uri = params.text_document.uri
        if uri not in state.open:
            return None
        found = features.hover(state.analyser, state.open[uri], state.place(uri, params.position), state.lang)
        if found is None:
            return None
        text, where = found
        return t.Hover(t.MarkupContent(t.MarkupKind.Markdown, text), state.range(where, lines(uri), uri))

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=["(", "[", "'", ",", " "]))
    def complete(params: t.CompletionParams):
        uri = params.text_document.uri
        if uri not in state.open:
            return None
        items = []
        for item in features.completion(state.open[uri], state.place(uri, params.position), state.lang):
            edit = t.TextEdit(state.range(item.replace, lines(uri), uri), item.label) if item.replace else None
            items.append(t.CompletionItem(item.label, kind=KINDS.get(item.kind, t.CompletionItemKind.Text),
                                          detail=item.detail or None, text_edit=edit))
        return t.CompletionList(is_incomplete=False, items=items)

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(params: t.DefinitionParams):
        uri = params.text_document.uri
        if uri not in state.open:
            return None
        found = features.definition(state.open[uri], state.place(uri, params.position))
        return t.Location(uri, state.range(found, lines(uri), uri)) if found is not None else None

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(params: t.DocumentSymbolParams):
        uri = params.text_document.uri
        if uri not in state.open:
            return None

        def symbol(x: features.Symbol) -> t.DocumentSymbol:
            return t.DocumentSymbol(x.name, SYMBOLS[x.kind], state.range(x.range, lines(uri), uri),
                                    state.range(x.selection, lines(uri), uri), detail=x.detail or None,
                                    children=[symbol(c) for c in x.children])
        return [symbol(x) for x in features.outline(state.open[uri])]

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: t.DocumentFormattingParams):
        uri = params.text_document.uri
        if uri not in state.open:
            return None
        analysis = state.open[uri]
        text = features.formatted(analysis)
        if text is None or text == analysis.text:
            return [] if text is not None else None
        whole = lines(uri)
        end = state.position((len(whole) - 1, len(whole[-1])), whole, uri)
        return [t.TextEdit(t.Range(t.Position(0, 0), end), text)]

    server.start_io(stdin, stdout)
