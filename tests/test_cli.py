"""The command line, as a board's secretary or a methodologist runs it.

Every test runs twice: in-process through `impactdsl.cli.main([...])` (output
caught with capsys) and as a real program, `python -m impactdsl ...`, in a
subprocess. Both run from the repository root, so paths are the ones in the
docs: `rulesets/umea-2022`.

Exit status: 0 success, 1 findings in the user's files, 2 usage errors.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

import impactdsl.cli

REPO = Path(__file__).resolve().parent.parent
UMEA = "rulesets/umea-2022"


class Run(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(REPO)


@pytest.fixture(params=["in-process", "subprocess"])
def cli(request, capsys):
    """A function running `impactdsl ARGS...` and returning (exit code, stdout, stderr)."""

    def in_process(*args: str) -> Run:
        capsys.readouterr()
        code = impactdsl.cli.main(list(args))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    def as_program(*args: str) -> Run:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(REPO)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
        done = subprocess.run([sys.executable, "-m", "impactdsl", *args], cwd=REPO, env=env,
                              capture_output=True, timeout=120)
        return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))

    return in_process if request.param == "in-process" else as_program


@pytest.fixture
def broken(tmp_path):
    """A ruleset folder with one error (a misspelt group) and valid data."""
    folder = tmp_path / "broken"
    shutil.copytree(REPO / UMEA / "data", folder / "data")
    text = (REPO / UMEA / "ruleset.impact").read_text(encoding="utf-8")
    text = text.replace("top2(staff, q3.2.6) -> 2", "top2(staf, q3.2.6) -> 2")
    (folder / "ruleset.impact").write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------
# Exit status: ARGS -> (code, a text on stdout, a text on stderr)
# "{broken}" stands for the broken ruleset folder above.
# ---------------------------------------------------------------------------

EXIT = [
    pytest.param(["evaluate", UMEA], 0, "Impact Index 70: 171 av 244 poäng.", "",
                 id="evaluate-umea"),
    pytest.param(["check", UMEA], 0, "ok — Målområde: 5, Mål: 21, Indikator: 99", "",
                 id="check-umea"),
    pytest.param(["explain", UMEA, "3.2.6"], 0, "Indikator 3.2.6", "",
                 id="explain-umea"),
    pytest.param(["check", "{broken}"], 1, "", "error[unknown-name]: unknown group 'staf'",
                 id="check-error"),
    pytest.param(["evaluate", "{broken}"], 1, "", "did you mean 'staff'?",
                 id="evaluate-error"),
    pytest.param(["check", "rulesets/no-such-ruleset"], 1, "", "error[ruleset-missing]",
                 id="missing-ruleset"),
    pytest.param(["frobnicate", UMEA], 2, "", "invalid choice: 'frobnicate'",
                 id="unknown-command"),
    pytest.param([], 2, "", "required: COMMAND",
                 id="no-command"),
    pytest.param(["evaluate"], 2, "", "required: RULESET",
                 id="missing-ruleset-argument"),
    pytest.param(["explain", UMEA], 2, "", "required: ID",
                 id="missing-id-argument"),
    pytest.param(["evaluate", UMEA, "--format", "xml"], 2, "", "invalid choice: 'xml'",
                 id="unknown-format"),
    pytest.param(["explain", UMEA, "3.2.66"], 2, "", "did you mean '3.2.6'?",
                 id="explain-unknown-id"),
]


@pytest.mark.parametrize("args, code, out, err", EXIT)
def test_exit_status(cli, broken, args, code, out, err):
    result = cli(*[a.replace("{broken}", str(broken)) for a in args])
    assert result.code == code, result
    assert out in result.out
    assert err in result.err
    assert "Traceback" not in result.err
    if code != 0:
        assert result.out == ""


def test_error_report_points_at_the_file_line_and_column(cli, broken):
    result = cli("check", str(broken))
    line = next(n for n, text in enumerate(
        (broken / "ruleset.impact").read_text(encoding="utf-8").splitlines(), 1)
        if "top2(staf," in text)
    assert f"ruleset.impact:{line}:8" in result.err
    assert "  top2(staf, q3.2.6) -> 2" in result.err
    assert "^^^^" in result.err
    assert result.err.rstrip().endswith("1 error")


def test_explain_unknown_id_names_the_close_id(cli):
    result = cli("explain", UMEA, "3.2.66")
    assert result.code == 2
    assert "there is no indicator, goal or area '3.2.66'" in result.err
    assert "hint: did you mean '3.2.6'?" in result.err


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

TOP_KEYS = {"index", "max", "achieved", "areas"}
AREA_KEYS = {"id", "title", "max", "achieved", "index", "goal_count", "indicator_count", "indicators"}
INDICATOR_KEYS = {"id", "goal", "bonus", "value", "points", "status", "measured"}

# area id -> (max, achieved, index, goals, indicators), as published for Umeå 2022
AREAS = {
    "1": (84, 46, 55, 3, 22),
    "2": (47, 41, 87, 4, 23),
    "3": (50, 34, 68, 5, 28),
    "4": (38, 33, 87, 6, 16),
    "5": (25, 17, 68, 3, 10),
}


def test_evaluate_json(cli):
    result = cli("evaluate", UMEA, "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)           # one JSON document, nothing else on stdout
    assert TOP_KEYS <= document.keys()
    assert (document["index"], document["max"], document["achieved"]) == (70, 244, 171)
    assert {a["id"]: (a["max"], a["achieved"], a["index"], a["goal_count"], a["indicator_count"])
            for a in document["areas"]} == AREAS
    for area in document["areas"]:
        assert AREA_KEYS <= area.keys(), area["id"]
        assert isinstance(area["title"], str) and area["title"]
        for indicator in area["indicators"]:
            assert INDICATOR_KEYS <= indicator.keys(), indicator["id"]
            assert indicator["goal"].startswith(area["id"] + ".")
            assert indicator["id"].startswith(indicator["goal"] + ".")
            assert isinstance(indicator["bonus"], bool)
    by_id = {i["id"]: i for a in document["areas"] for i in a["indicators"]}
    assert {k: by_id["3.2.6"][k] for k in ("goal", "bonus", "value", "points", "status")} == \
        {"goal": "3.2", "bonus": False, "value": 2, "points": 0, "status": "nära"}
    assert by_id["3.2.6"]["measured"] == pytest.approx(100 * 75 / 95, abs=1e-4)   # 78.9474 %
    assert by_id["1.1.2"]["bonus"] is True


# ---------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------

EXPLAIN_3_2_6 = [
    "Indikator 3.2.6 (mål 3.2, målområde 3)",
    "top2(staff, q3.2.6) -> 2",
    "personalen som svarat på q3.2.6                          95",           # n, with where it came from
    "av dem svarade till mycket stor del eller till stor del  75",         # the answers by their labels

    "andel 75/95",
    "79 %",                                           # rounded half-up to whole percent
    "Jämförelse: 79 % ≥ 80 %? Nej.",
    "Resultat: Nära målet — 0 av 2 poäng.",
    "Marginal: 1 fler svar till mycket stor del eller till stor del (av samma 95) hade nått 80 %.",
    "rulesets/umea-2022/data/outcomes.yaml:",
]


def test_explain_3_2_6(cli):
    result = cli("explain", UMEA, "3.2.6")
    assert result.code == 0, result.err
    shown = result.out.replace("\u00a0", " ")             # numbers use no-break spaces
    for expected in EXPLAIN_3_2_6:
        assert expected in shown


# ---------------------------------------------------------------------------
# --data DIR
# ---------------------------------------------------------------------------

@pytest.fixture
def one_more_answer(tmp_path):
    """A copy of the Umeå data where one more of the staff answered 3.2.6 in the top two."""
    data = tmp_path / "other-data"
    shutil.copytree(REPO / UMEA / "data", data)
    path = data / "outcomes.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("q3.2.6: {n: 95, top2: 75}") == 1
    path.write_text(text.replace("q3.2.6: {n: 95, top2: 75}", "q3.2.6: {n: 95, top2: 76}"),
                    encoding="utf-8")
    return data


def test_data_option_picks_another_folder(cli, one_more_answer):
    before = cli("evaluate", UMEA, "--format", "json")
    after = cli("evaluate", UMEA, "--format", "json", "--data", str(one_more_answer))
    assert (before.code, after.code) == (0, 0), after.err
    assert before.out != after.out
    old, new = json.loads(before.out), json.loads(after.out)
    pick = lambda doc: next(i for a in doc["areas"] for i in a["indicators"] if i["id"] == "3.2.6")
    assert (pick(old)["status"], pick(old)["points"]) == ("nära", 0)
    assert (pick(new)["status"], pick(new)["points"]) == ("uppfyllt", 2)
    assert new["achieved"] == old["achieved"] + 2

    text = cli("evaluate", UMEA, "--data", str(one_more_answer))
    assert text.code == 0
    assert "Impact Index 71: 173 av 244 poäng." in text.out

    explained = cli("explain", UMEA, "3.2.6", "--data", str(one_more_answer))
    assert explained.code == 0
    shown = explained.out.replace("\u00a0", " ")
    assert re.search(r"av dem svarade till mycket stor del eller till stor del +76", shown)
    assert "Jämförelse: 80 % ≥ 80 %? Ja." in shown


# ---------------------------------------------------------------------------
# Same inputs, same bytes; inputs never touched
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    pytest.param(["evaluate", UMEA], id="text"),
    pytest.param(["evaluate", UMEA, "--format", "json"], id="json"),
    pytest.param(["explain", UMEA, "3.2.6"], id="explain"),
])
def test_output_is_byte_identical_between_runs(cli, args):
    first, second = cli(*args), cli(*args)
    assert first.code == second.code == 0
    assert first.out.encode("utf-8") == second.out.encode("utf-8")
    assert first.err == second.err == ""


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_inputs_are_unchanged_after_a_run(cli):
    folder = REPO / UMEA
    before = tree_digest(folder)
    assert {"ruleset.impact", "data/outcomes.yaml"} <= before.keys()
    for args in (["check", UMEA], ["evaluate", UMEA], ["evaluate", UMEA, "--format", "json"],
                 ["explain", UMEA, "3.2.6"]):
        assert cli(*args).code == 0
    assert tree_digest(folder) == before          # same files, same bytes, nothing added


# The command line speaks Swedish unless asked for English: by --lang, impactdsl.toml or the locale.
SPEAKS = [
    ({"LANGUAGE": "sv_SE.UTF-8"}, [], "användning:", "fel: dessa argument saknas: REGELVERK"),
    ({"LANGUAGE": "", "LC_ALL": "C.UTF-8", "LANG": "sv_SE.UTF-8"}, [], "användning:", "fel: dessa argument saknas"),
    ({"LANGUAGE": "", "LC_ALL": "", "LANG": ""}, [], "användning:", "fel: dessa argument saknas"),
    ({"LANGUAGE": "", "LC_ALL": "en_GB.UTF-8"}, [], "usage:", "error: the following arguments are required: RULESET"),
    ({"LANGUAGE": "sv"}, ["--lang", "en"], "usage:", "error: the following arguments are required"),
]


@pytest.mark.parametrize("env, flags, usage, message", SPEAKS)
def test_the_command_line_speaks_the_users_language(monkeypatch, capsys, env, flags, usage, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert impactdsl.cli.main(["check", *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith(usage) and message in err


def test_help_is_swedish_by_default(monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "sv")
    assert impactdsl.cli.main(["evaluate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "flaggor:" in out and "skriv rapporten till FIL i stället för till terminalen" in out
    assert "REGELVERK" in out and "options:" not in out


def test_a_ruleset_error_in_swedish_and_in_english(tmp_path, monkeypatch, capsys):
    (tmp_path / "ruleset.impact").write_text('indikatorr 1.1 "x" a >= 1 -> 2\n', encoding="utf-8")
    monkeypatch.setenv("LANGUAGE", "sv")
    assert impactdsl.cli.main(["check", str(tmp_path)]) == 1
    swedish = capsys.readouterr().err
    assert "fel[syntax]: oväntat 'indikatorr'" in swedish and "= tips: menade du 'indikator'?" in swedish
    assert swedish.rstrip().endswith("1 fel")
    (tmp_path / "impactdsl.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert impactdsl.cli.main(["check", str(tmp_path)]) == 1
    english = capsys.readouterr().err
    assert "error[syntax]: unexpected 'indikatorr'" in english and english.rstrip().endswith("1 error")
