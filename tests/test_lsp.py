"""`impactdsl lsp`, driven as an editor drives it: `python -m impactdsl lsp` in a subprocess, spoken to
in JSON-RPC with Content-Length framing over its standard input and output. Every wait has a
timeout, so a server that hangs fails the test instead of hanging it. Latency is measured in
bench/lsp.py, never here."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import attrs
import pytest

import impactdsl
from impactdsl.core.source import Source
from impactdsl.parse.incremental import Incremental
from impactdsl.parse.parser import parse
from impactdsl.parse.printer import format_source

from .conftest import ROOT, UMEA
from .tools import need_module

WAIT = 60                                       # seconds any one answer may take (a loaded CI machine)


class Editor:
    """A language client: requests and notifications out, every message in read by a thread."""

    def __init__(self, cwd: Path, env: dict | None = None):
        environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.errors = tempfile.TemporaryFile()          # read when it fails: a pipe left unread could fill
        self.process = subprocess.Popen([sys.executable, "-m", "impactdsl", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors, cwd=cwd, env=environment)
        self.messages: queue.Queue = queue.Queue()
        self.number = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.process.stdout
        while True:
            length = None
            while (line := out.readline()).strip():
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is None:
                self.messages.put(None)
                return
            self.messages.put(json.loads(out.read(length).decode("utf-8")))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted, timeout: float = WAIT) -> dict:
        end = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(end - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"the server said nothing wanted in {timeout} s") from None
            assert message is not None, "the server stopped: " + self.said()
            if wanted(message):
                return message

    def request(self, method: str, params) -> dict:
        self.number += 1
        number = self.number
        self.send({"id": number, "method": method, "params": params})
        answer = self.wait(lambda m: m.get("id") == number and "method" not in m)
        assert "error" not in answer, answer
        return answer["result"]

    def diagnostics(self, uri: str) -> list[dict]:
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)["params"]["diagnostics"]

    def start(self, locale: str = "en") -> dict:
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {},
                                             "locale": locale})
        self.notify("initialized", {})
        return result

    def stop(self) -> int:
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        try:
            return self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("the server did not exit") from None

    def said(self) -> str:
        """The end of what the server wrote on its standard error."""
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace")[-2000:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        assert "Traceback" not in self.said(), self.said()
        self.errors.close()


def place(text: str, marker: str, into: int = 0, occurrence: int = 0) -> dict:
    """The 0-based position `into` characters into the `occurrence`-th `marker` in the text."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(marker, at + 1)
    at += into
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


def replaced(text: str, old: str, new: str) -> tuple[str, dict]:
    """The text with the first `old` replaced, and the incremental change that does it."""
    start = place(text, old)
    end = place(text, old, len(old))
    return text.replace(old, new, 1), {"range": {"start": start, "end": end}, "text": new}


@pytest.fixture(scope="module")
def umea_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lsp") / "umea-2022"
    shutil.copytree(UMEA, folder, ignore=shutil.ignore_patterns("raw", "tests"))
    return folder


@pytest.fixture(scope="module")
def editor(umea_copy):
    need_module("pygls", "lsp")
    client = Editor(umea_copy.parent)
    try:
        client.start("en-GB")
        path = umea_copy / "ruleset.impact"
        text = path.read_text(encoding="utf-8")
        client.uri, client.text, client.version = path.as_uri(), text, 1
        client.notify("textDocument/didOpen", {"textDocument": {"uri": client.uri, "languageId": "impactdsl",
                                                                "version": 1, "text": text}})
        client.opened = client.diagnostics(client.uri)
        yield client
        assert client.stop() == 0
    finally:
        client.close()


def change(editor: Editor, old: str, new: str) -> list[dict]:
    """Send one incremental change; the diagnostics it brings."""
    editor.text, edit = replaced(editor.text, old, new)
    editor.version += 1
    editor.notify("textDocument/didChange", {"textDocument": {"uri": editor.uri, "version": editor.version},
                                             "contentChanges": [edit]})
    return editor.diagnostics(editor.uri)


def at(editor: Editor, method: str, marker: str, into: int = 0, occurrence: int = 0, **more):
    return editor.request(method, {"textDocument": {"uri": editor.uri},
                                   "position": place(editor.text, marker, into, occurrence), **more})


# ---- diagnostics ---------------------------------------------------------------------------

def test_umea_opens_without_a_problem(editor):
    assert editor.opened == []


def test_a_misspelt_name_is_published_where_it_stands_in_the_clients_language(editor):
    line = "  ratio(avslut, deltagare) >= 40% -> 8"
    found = change(editor, line, line.replace("deltagare", "deltagrae"))
    try:
        assert len(found) == 1, found
        problem = found[0]
        start = place(editor.text, "deltagrae")
        assert problem["range"] == {"start": start, "end": {**start, "character": start["character"] + 9}}
        assert problem["code"] == "unknown-name" and problem["severity"] == 1 and problem["source"] == "impactdsl"
        assert problem["message"] == "unknown count 'deltagrae'\nhint: did you mean 'deltagare'?"
    finally:
        assert change(editor, line.replace("deltagare", "deltagrae"), line) == []


def test_a_syntax_error_is_published_as_check_says_it(editor, tmp_path):
    broken = "  ratio(avslut, deltagare) >= 40% -> 8"
    found = change(editor, broken, broken.replace(">= 40%", ">= 40% %"))
    try:
        (tmp_path / "ruleset.impact").write_text(editor.text, encoding="utf-8")
        _, expected = impactdsl.check(tmp_path)
        assert [p["message"].split("\n")[0] for p in found] == [d.message.en for d in expected]
        assert [(p["range"]["start"]["line"] + 1, p["range"]["start"]["character"] + 1) for p in found] == \
            [(d.span.line, d.span.column) for d in expected]
    finally:
        assert change(editor, broken.replace(">= 40%", ">= 40% %"), broken) == []


# ---- hover ------------------------------------------------------------------------------------

def hover_text(editor: Editor, marker: str, into: int = 0, occurrence: int = 0) -> str:
    found = at(editor, "textDocument/hover", marker, into, occurrence)
    assert found is not None, marker
    assert found["contents"]["kind"] == "markdown"
    return found["contents"]["value"]


def test_hover_on_a_question_shows_its_text_and_its_scale_with_labels(editor):
    text = hover_text(editor, "top2(participants, q4.4.1)", len("top2(participants, "))
    assert "`q4.4.1`" in text and 'Har personalen på "aktuell plattform" lyssnat på dig' in text
    assert "`del`" in text
    for answer, label in [("mycket stor", "Till mycket stor del"), ("stor", "Till stor del"),
                          ("inte alls", "Inte alls")]:
        assert f"'{answer}' — {label}" in text


def test_hover_on_a_param_given_per_entity_shows_each_entitys_value(editor):
    text = hover_text(editor, "utanförskap[kommun] < gräns", len("utanförskap[kommun] < "))
    assert "`gräns`" in text
    assert "`umeå` (Umeå): `11.2%`" in text and "`vännäs` (Vännäs): `13.1%`" in text


def test_hover_on_a_template_call_shows_its_expansion(editor):
    text = hover_text(editor, "top2(participants, q4.4.1)", 1)
    assert "share(grupp, fråga, top2) >= 80%" in text
    assert "share(participants, q4.4.1, top2) >= 80%" in text


def test_hover_on_an_indicator_shows_its_last_result_in_the_rulesets_words(editor, umea_copy, monkeypatch):
    text = hover_text(editor, "indicator 1.1.1 ", len("indicator "))
    assert "Outcome: 38%" in text and "**Near the target**" in text and "Points: 0 of 8" in text
    monkeypatch.chdir(umea_copy.parent)                 # the paths as the server, started there, shows them
    assert impactdsl.explain(impactdsl.run(umea_copy), "1.1.1", "en").rstrip() in text
    assert "Near the target" in hover_text(editor, "outcome(1.1.1)", 1)


def test_hover_on_data_shows_aggregated_figures_only(tmp_path):
    """With raw files as the data (a register row per participant, a survey row per respondent), a
    hover shows the counts the report shows, never a row: no respondent, person, date or birth year."""
    need_module("pygls", "lsp")
    folder = tmp_path / "umea-2022"
    shutil.copytree(UMEA, folder, ignore=shutil.ignore_patterns("data", "tests"))
    (folder / "raw").rename(folder / "data")
    client = Editor(tmp_path)
    try:
        client.start("sv")
        path = folder / "ruleset.impact"
        text = path.read_text(encoding="utf-8")
        client.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "impactdsl",
                                                                "version": 1, "text": text}})
        assert client.diagnostics(path.as_uri()) == []
        shown = ""
        for indicator in ("1.1.1", "2.1.1", "3.2.1", "4.4.1"):
            found = client.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                                          "position": place(text, f"indicator {indicator} ", 10)})
            shown += found["contents"]["value"]
        assert "271" in shown and "705" in shown and "Bedömning" in shown
        for row in ("P00680", "R0001", "2022-10-24", "1975", "Löpnr", "Respondent"):
            assert row not in shown, row
        assert client.stop() == 0
    finally:
        client.close()


# ---- completion, definition --------------------------------------------------------------------

def labels(found) -> list[str]:
    return [item["label"] for item in (found["items"] if isinstance(found, dict) else found)]


def test_completion_in_a_shares_brackets_offers_the_scales_answers(editor):
    anchor = "indicator 3.2.6 "
    typed = "indicator 9.9.9 \"ny\"\n  share(staff, q3.2.1, ['mycket stor', "
    change(editor, anchor, typed + "\n" + anchor)
    try:
        found = at(editor, "textDocument/completion", typed, len(typed))
        assert labels(found) == ["'stor'", "'liten'", "'mycket liten'", "'inte alls'"]
        assert found["items"][0]["detail"] == "Till stor del"
        names = labels(at(editor, "textDocument/completion", typed, len("indicator 9.9.9 \"ny\"\n  share(")))
        assert "staff" in names and "participants" in names and "q3.2.1" not in names
        questions = labels(at(editor, "textDocument/completion", typed, len("indicator 9.9.9 \"ny\"\n  share(staff, ")))
        assert "q3.2.1" in questions and "staff" not in questions
    finally:
        change(editor, typed + "\n" + anchor, anchor)


def test_completion_at_a_line_start_offers_statement_keywords_in_both_languages_and_names(editor):
    anchor = "goal 1.2 "
    change(editor, anchor, "ind\n" + anchor)
    try:
        found = labels(at(editor, "textDocument/completion", "ind\n" + anchor, 3))
        assert {"indicator", "indikator", "goal", "mål", "each", "för varje", "question", "fråga"} <= set(found)
        assert "at least" not in found                          # no statement starts so
        inside = labels(at(editor, "textDocument/completion", "ratio(avslut, deltagare) ", len("ratio(avslut, ")))
        assert {"deltagare", "avslut", "top2", "gräns", "uppfyllt", "staff", "q3.2.1", "utanförskap"} <= set(inside)
        after = labels(at(editor, "textDocument/completion", "ratio(avslut, deltagare) ",
                          len("ratio(avslut, deltagare) ")))
        assert {"at least", "minst", "between", "mellan"} <= set(after)
    finally:
        change(editor, "ind\n" + anchor, anchor)


def test_go_to_definition_finds_the_declaration(editor):
    for marker, into, declared in [("top2(participants, q4.4.1)", len("top2(participants, "), "question q4.4.1 "),
                                   ("top2(participants, q4.4.1)", 1, "template top2("),
                                   ("ratio(avslut, deltagare) >= 40%", len("ratio("), "count avslut "),
                                   ("utanförskap[kommun] < gräns", 1, "fact utanförskap "),
                                   ("outcome(1.1.1)", len("outcome("), "indicator 1.1.1 ")]:
        found = at(editor, "textDocument/definition", marker, into)
        keyword, name = declared.split()[0], declared.split()[1].rstrip("(")
        start = place(editor.text, declared, len(keyword) + 1)
        assert found == {"uri": editor.uri, "range": {"start": start, "end": {**start, "character":
                                                                             start["character"] + len(name)}}}


# ---- formatting, outline -------------------------------------------------------------------------

def apply(text: str, edits: list[dict]) -> str:
    lines = text.split("\n")

    def offset(position):
        return sum(len(line) + 1 for line in lines[:position["line"]]) + position["character"]
    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[:offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]):]
    return text


def test_formatting_gives_what_fmt_writes(editor):
    assert at(editor, "textDocument/formatting", "ruleset", options={"tabSize": 2, "insertSpaces": True}) == []
    messy = "goal 1.2     \"Deltagarna"
    change(editor, "goal 1.2 \"Deltagarna", messy)
    try:
        edits = editor.request("textDocument/formatting", {"textDocument": {"uri": editor.uri},
                                                            "options": {"tabSize": 2, "insertSpaces": True}})
        source = Source("ruleset.impact", editor.text)
        assert apply(editor.text, edits) == format_source(parse(source)[0], source) != editor.text
    finally:
        change(editor, messy, "goal 1.2 \"Deltagarna")


def test_the_outline_is_areas_goals_and_indicators_with_their_texts(editor, umea_ruleset):
    symbols = editor.request("textDocument/documentSymbol", {"textDocument": {"uri": editor.uri}})
    assert [s["name"] for s in symbols] == [a.id for a in umea_ruleset.areas]
    assert [s["detail"] for s in symbols] == [a.title for a in umea_ruleset.areas]
    assert [[g["name"] for g in s["children"]] for s in symbols] == \
        [[g.id for g in a.goals] for a in umea_ruleset.areas]
    assert [[[i["name"] for i in g["children"]] for g in s["children"]] for s in symbols] == \
        [[[i.id for i in g.indicators] for g in a.goals] for a in umea_ruleset.areas]
    first = symbols[0]["children"][0]["children"][0]
    assert first["detail"] == umea_ruleset.areas[0].goals[0].indicators[0].text
    assert first["selectionRange"]["start"] == place(editor.text, "indicator 1.1.1 ", len("indicator "))


# ---- what the server never does ---------------------------------------------------------------

def files_below(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_open_document_is_never_written_and_its_file_never_read(tmp_path):
    """The server compiles the text the editor holds, not the file (which here says something else),
    and writes nothing anywhere: not the text, not a cache (the cache folder is empty, so even the
    parser's tables are made in memory)."""
    need_module("pygls", "lsp")
    folder = tmp_path / "umea-2022"
    shutil.copytree(UMEA, folder, ignore=shutil.ignore_patterns("raw", "tests"))
    (tmp_path / "home").mkdir()
    (tmp_path / "cache").mkdir()
    path = folder / "ruleset.impact"
    on_disk = path.read_text(encoding="utf-8").replace("ratio(avslut, deltagare)", "ratio(avslut, nobody)")
    path.write_text(on_disk, encoding="utf-8")
    before = files_below(tmp_path)
    marker = "# ett-ord-som-bara-redigeraren-har"
    text = marker + "\n" + UMEA.joinpath("ruleset.impact").read_text(encoding="utf-8")
    client = Editor(tmp_path, {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
                               "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        client.start("sv")
        uri = path.as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "impactdsl", "version": 1,
                                                                "text": text}})
        assert client.diagnostics(uri) == []                # the held text, not the file's unknown 'nobody'
        text, edit = replaced(text, "ratio(avslut, deltagare)", "ratio(avslut, deltagar)")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [edit]})
        assert [p["code"] for p in client.diagnostics(uri)] == ["unknown-name"]
        text, edit = replaced(text, "ratio(avslut, deltagar)", "ratio(avslut, deltagare)")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [edit]})
        assert client.diagnostics(uri) == []
        shown = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": place(text, "indicator 1.1.1 ", 10)})
        assert "Nära målet" in shown["contents"]["value"]    # the data were read and evaluated
        client.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                   "options": {"tabSize": 2, "insertSpaces": True}})
        assert client.stop() == 0
    finally:
        client.close()
    assert files_below(tmp_path) == before
    assert path.read_text(encoding="utf-8") == on_disk


def test_without_pygls_it_says_so_in_swedish_first_and_exits_2(tmp_path):
    script = "import sys; sys.modules['pygls'] = None; from impactdsl.cli import main; raise SystemExit(main(['lsp']))"
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    swedish = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=WAIT,
                             env={**env, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert swedish.returncode == 2 and swedish.stdout == ""
    assert swedish.stderr.startswith("fel: språkservern (Language Server Protocol) bygger på pygls, tillägget 'lsp'")
    assert "tips: pip install 'impactdsl[lsp]'" in swedish.stderr
    english = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=WAIT,
                             env={**env, "PYTHONPATH": str(ROOT), "LANGUAGE": "en"}, cwd=tmp_path)
    assert english.returncode == 2 and english.stderr.startswith("error: the language server")


# ---- the incremental parse -------------------------------------------------------------------

def _texts():
    for path in sorted((ROOT / "rulesets").glob("*/ruleset.impact")) + [ROOT / "impactdsl/starter/ruleset.impact"]:
        text = path.read_text(encoding="utf-8")
        yield path.parent.name, text
        source = Source(path.parent.name, text)
        yield path.parent.name + " på svenska", format_source(parse(source)[0], source, "sv")


@pytest.mark.parametrize("name, text", list(_texts()), ids=lambda x: x if len(x) < 40 else "")
def test_the_incremental_parse_is_the_whole_parse_spans_and_all(name, text):
    """After each edit (a line put in, a line taken out, a statement's text changed, a statement
    broken) the document, with every span, and the problems are those of parsing the whole text."""
    incremental = Incremental()
    lines = text.split("\n")
    edits = [text]
    for at in range(0, len(lines), max(len(lines) // 12, 1)):
        edits.append("\n".join(lines[:at] + [""] + lines[at:]))                 # a line put in
        edits.append("\n".join(lines[:at] + lines[at + 1:]))                    # a line taken out
        edits.append("\n".join(lines[:at] + [lines[at] + " ("] + lines[at + 1:]))   # a statement broken
        edits.append("\n".join(lines[:at] + [lines[at].rsplit(" ", 1)[0]] + lines[at + 1:]))   # cut short
        edits.append("\n".join(lines[:at] + [lines[at] + ' "'] + lines[at + 1:]))   # a text not closed
        other = (at + len(lines) // 2) % len(lines)                             # two statements broken
        broken = list(lines)
        broken[at], broken[other] = broken[at] + " ->", "  " + broken[other] + " ]"
        edits.append("\n".join(broken))
    edits.append(text.replace('"', '"x', 3))
    edits.append(text)
    seen = set()
    for edited in edits:
        source = Source(name, edited)
        whole, problems = parse(source)
        again, again_problems = incremental.parse(source)
        assert (attrs.asdict(whole) if whole else None) == (attrs.asdict(again) if again else None)
        assert again_problems == problems and [p.span for p in again_problems] == [p.span for p in problems]
        seen.add(whole is None)
    assert seen == {True, False}                # texts that parse and texts that do not


def test_after_a_change_only_the_changed_statements_are_read_again(monkeypatch):
    """What keeps a keystroke cheap, counted rather than timed: a text opened is read by Lark once,
    whole; a change of one statement, to and fro, reads that statement alone; a line put in at the
    top reads only the comment it joins (every statement below is moved, not read)."""
    from impactdsl.parse import incremental

    read = []
    real = incremental.parser()

    class Counting:
        def parse(self, text):
            read.append(text)
            return real.parse(text)
    monkeypatch.setattr(incremental, "parser", lambda: Counting())
    monkeypatch.setattr(incremental, "parse", lambda source, *a: (read.append(source.text), parse(source, *a))[1])
    text = UMEA.joinpath("ruleset.impact").read_text(encoding="utf-8")
    misspelt = text.replace("ratio(avslut, deltagare) >= 40%", "ratio(avslut, deltagar) >= 40%")
    parser = Incremental()
    for edited, expected in [(text, [text]), (misspelt, 1), (text, 1), (misspelt, 1), ("\n" + misspelt, 1)]:
        read.clear()
        assert parser.parse(Source("ruleset.impact", edited))[0] is not None
        if isinstance(expected, list):
            assert read == expected
        else:
            assert len(read) == expected and all(len(piece) < len(text) // 20 for piece in read), read
