"""`impactdsl init DIR`: a first ruleset folder that checks, evaluates and is formatted as written,
whose comments teach the language in Swedish, written only where nothing of the user's is."""

from __future__ import annotations

from impactdsl.cli import main


def test_init_writes_a_ruleset_that_checks_and_evaluates_at_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "sv_SE")                 # a Swedish user: the next step in Swedish
    folder = tmp_path / "mitt-förbund"
    assert main(["init", str(folder)]) == 0
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == \
        ["data/outcomes.yaml", "ruleset.impact", "tests/allt-uppfyllt/data/outcomes.yaml",
         "tests/allt-uppfyllt/expect.yaml", "tests/nära-målet/expect.yaml"]
    assert "Nästa steg: impactdsl check" in capsys.readouterr().err
    text = (folder / "ruleset.impact").read_text(encoding="utf-8")
    assert "# Så här läses det" in text and "regel (vad som mäts och målvärdet)" in text
    assert main(["check", str(folder)]) == 0 and "ok" in capsys.readouterr().out
    assert main(["fmt", "--check", str(folder)]) == 0
    assert main(["evaluate", str(folder)]) == 0
    assert "Måluppfyllelse 60: 15 av 25 poäng." in capsys.readouterr().out


def test_the_starters_data_decide_its_result(tmp_path, capsys):
    folder = tmp_path / "f"
    assert main(["init", str(folder)]) == 0
    data = folder / "data" / "outcomes.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("avslut: 36%", "avslut: 45%"), encoding="utf-8")
    capsys.readouterr()
    assert main(["evaluate", str(folder)]) == 0
    assert "Måluppfyllelse 100: 25 av 25 poäng." in capsys.readouterr().out


def test_init_never_writes_into_a_folder_that_holds_files(tmp_path, capsys):
    (tmp_path / "egen.txt").write_text("mitt", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "already holds files" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["egen.txt"]
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "fil")]) == 2 and (tmp_path / "fil").read_text() == "x"
