"""docs/handledning.md, the walk-through in Swedish: every step is run in order, as it stands, and
prints what the page shows (IMPACTDSL_UPDATE_GOLDEN=1 writes what it prints into the page).

Besides the commands (`<!-- run: stdout|stderr|quiet -->`), a step appends to a file, replaces a
text in one, or (`<!-- copy: SOURCE => PATH -->`) puts a file the reader would have of their own,
here one of the repository's, where the page uses it."""

from __future__ import annotations

import os
import re
import shlex

from impactdsl.cli import main

from .conftest import ROOT

PAGE = ROOT / "docs" / "handledning.md"
STEP = re.compile(r"<!-- run: (stdout|stderr|quiet) -->\n```text\n\$ ([^\n]*)\n(.*?)```"
                  r"|<!-- append: ([^ ]+) -->\n```impact\n(.*?)```"
                  r"|<!-- replace: ([^:]+): (.*?) => (.*?) -->"
                  r"|<!-- copy: ([^ ]+) => ([^ ]+) -->", re.S)


def _walk(folder, capsys, monkeypatch) -> tuple[str, list[tuple[str, str]]]:
    """Every step of the page, run in `folder`: the page as it would be written, and each command
    with what the page shows against what it printed."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("LANGUAGE", "sv")                # as a Swedish methodologist reads it
    text = PAGE.read_text(encoding="utf-8")
    shown, out, at = [], [], 0
    for step in STEP.finditer(text):
        mode, command, expected, append_to, appended, replace_in, old, new, source, copied = step.groups()
        if source:                                          # a file of the reader's own, here one of the repo's
            (folder / copied).write_bytes((ROOT / source).read_bytes())
            continue
        if append_to:
            with open(folder / append_to, "a", encoding="utf-8") as handle:
                handle.write(appended)
            continue
        if replace_in:
            path = folder / replace_in
            before = path.read_text(encoding="utf-8")
            old, new = old.replace("\\n", "\n"), new.replace("\\n", "\n")
            assert old in before, f"the page replaces {old!r}, which {replace_in} does not hold"
            path.write_text(before.replace(old, new, 1), encoding="utf-8")
            continue
        capsys.readouterr()
        code = main(shlex.split(command)[1:])
        captured = capsys.readouterr()
        printed = {"stdout": captured.out, "stderr": captured.err, "quiet": ""}[mode].replace("\u00a0", " ")
        if mode == "quiet":
            assert code == 0, (command, captured.err)
        printed = printed.rstrip("\n") + ("\n" if printed.strip() else "")
        shown.append((command, expected, printed))
        out.append(text[at:step.start(3)] + printed)
        at = step.end(3)
    return "".join(out) + text[at:], shown


def test_the_walk_through_prints_what_the_page_shows(tmp_path, capsys, monkeypatch):
    page, steps = _walk(tmp_path, capsys, monkeypatch)
    if os.environ.get("IMPACTDSL_UPDATE_GOLDEN"):
        PAGE.write_text(page, encoding="utf-8")
    assert len(steps) >= 10
    for command, expected, printed in steps:
        assert printed == expected, f"$ {command}\n--- the page shows\n{expected}--- printed\n{printed}"


def test_the_walk_through_covers_every_step_of_a_first_ruleset():
    commands = " ".join(re.findall(r"^\$ impactdsl (\w+)", PAGE.read_text(encoding="utf-8"), re.M))
    for command in ("init", "check", "test", "evaluate", "explain"):
        assert command in commands, command
