"""The conventions of the ecosystem: check's exit status (warnings shown, not failed, unless
--strict), its problems as JSON records and as a SARIF log, impactdsl.toml's defaults, and shell
completion made from the parser itself."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from impactdsl.cli import build_parser, main

from .conftest import ROOT

KOMMUN, HBS = ROOT / "rulesets" / "kommun-exempel", ROOT / "rulesets" / "hbs-2022"
BROKEN = 'ruleset "r"\nperiod 2022\nfact f number "ett antal"\narea 1 "A"\ngoal 1.1 "g"\n' \
         'indicator 1.1.1 "x" okänd >= 1 -> 1\nindicator 1.1.2 "y" f >= 1 -> 1\n'


def test_warnings_alone_are_shown_and_exit_0_unless_strict(capsys):
    """kommun-exempel's 3.1.2 has no figure on purpose: a warning (data-absent)."""
    assert main(["check", str(KOMMUN)]) == 0
    err = capsys.readouterr().err
    assert "warning[data-absent]" in err and "1 warning" in err
    assert main(["check", str(KOMMUN), "--strict"]) == 1


def test_an_error_exits_1(tmp_path):
    (tmp_path / "ruleset.impact").write_text(BROKEN, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1


def test_check_lists_its_problems_as_json_records(tmp_path, capsys):
    (tmp_path / "ruleset.impact").write_text(BROKEN, encoding="utf-8")
    assert main(["check", str(tmp_path), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert records and all(set(r) == {"code", "severity", "file", "line", "column", "end_line", "end_column",
                                      "message", "hint", "notes"} for r in records)
    first = records[0]
    assert (first["severity"], first["file"].endswith("ruleset.impact"), first["line"]) == ("error", True, 6)
    assert "okänd" in first["message"]


def test_check_writes_a_sarif_log(tmp_path, capsys):
    (tmp_path / "ruleset.impact").write_text(BROKEN, encoding="utf-8")
    assert main(["check", str(tmp_path), "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run, = log["runs"]
    assert run["tool"]["driver"]["name"] == "impactdsl"
    result = run["results"][0]
    assert result["level"] == "error" and result["ruleId"] in {r["id"] for r in run["tool"]["driver"]["rules"]}
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 6 and region["startColumn"] >= 1
    assert main(["check", str(KOMMUN), "--format", "sarif"]) == 0                       # warnings: exit 0
    assert [r["level"] for r in json.loads(capsys.readouterr().out)["runs"][0]["results"]] == ["warning"]


# ---- impactdsl.toml --------------------------------------------------------------------------

@pytest.fixture
def configured(tmp_path):
    folder = tmp_path / "hbs"
    shutil.copytree(HBS, folder)
    shutil.copytree(HBS / "data", tmp_path / "data-2023")
    return folder


def test_the_config_gives_the_defaults_and_a_flag_wins(configured, capsys):
    (configured / "impactdsl.toml").write_text('format = "md"\nlang = "en"\ndate = 2023-02-15\n'
                                               'data = "../data-2023"\n', encoding="utf-8")
    assert main(["evaluate", str(configured)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "Evaluated 2023-02-15" in out and "data-2023/outcomes.yaml" in out
    assert main(["evaluate", str(configured), "--format", "text", "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("# ") and "Utvärderad 2023-02-15" in out


def test_the_configs_output_format_yields_to_the_files_name(configured, tmp_path):
    (configured / "impactdsl.toml").write_text('format = "md"\n', encoding="utf-8")
    assert main(["evaluate", str(configured), "-o", str(tmp_path / "rapport.xlsx")]) == 0
    assert (tmp_path / "rapport.xlsx").read_bytes()[:2] == b"PK"


def test_the_config_allows_a_peers_folder(tmp_path):
    """A peer whose own import lies in a folder beside it is read once impactdsl.toml allows that folder."""
    (tmp_path / "grannar" / "delad").mkdir(parents=True)
    (tmp_path / "grannar" / "delad" / "ruleset.impact").write_text('ruleset "d"\narea 1 "A"\n', encoding="utf-8")
    (tmp_path / "grannar" / "peer").mkdir()
    (tmp_path / "grannar" / "peer" / "ruleset.impact").write_text('ruleset "p"\nimport "delad" as d\n',
                                                                 encoding="utf-8")
    (tmp_path / "egen").mkdir()
    (tmp_path / "egen" / "ruleset.impact").write_text('ruleset "e"\nimport "../grannar/peer" as p\n',
                                                      encoding="utf-8")
    assert main(["check", str(tmp_path / "egen")]) == 1
    (tmp_path / "egen" / "impactdsl.toml").write_text('allow = ["../grannar"]\n', encoding="utf-8")
    assert main(["check", str(tmp_path / "egen")]) == 0


@pytest.mark.parametrize("text, said", [('formt = "md"\n', "did you mean 'format'"), ('lang = "de"\n', "sv, en"),
                                        ("date = 2023-02-30\n", "is not TOML"), ("lang = \n", "is not TOML"),
                                        ('allow = "x"\n', "a list of folders")])
def test_a_config_with_a_problem_stops_the_command_with_its_line(configured, capsys, text, said):
    (configured / "impactdsl.toml").write_text("# defaults\n" + text, encoding="utf-8")
    assert main(["evaluate", str(configured)]) == 2
    err = capsys.readouterr().err
    assert said in err and "impactdsl.toml:2:" in err


# ---- shell completion --------------------------------------------------------------------------

@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts_offer_every_command_and_choice(shell, capsys):
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    commands = build_parser()._subparsers._group_actions[0].choices
    assert all(command in script for command in commands)
    assert "sarif" in script and "xlsx" in script and "--strict" in script
    if shell == "bash":
        assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0      # it parses
