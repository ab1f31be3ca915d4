"""Peer rulesets: import, adapt, map, pin, diff, exchange as YAML, format —
and a peer's files treated as untrusted input."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactdsl
from impactdsl.cli import main
from impactdsl.compile.exchange import ExchangeError, from_yaml, to_yaml
from impactdsl.core.source import Source
from impactdsl.parse.parser import parse
from impactdsl.parse.printer import format_source

from .conftest import ROOT

RULESETS = ROOT / "rulesets"
PEER = RULESETS / "example-peer"


@pytest.fixture(scope="module")
def peer():
    return impactdsl.run(PEER, allow=[RULESETS])


def test_example_peer_on_its_own_data(peer):
    assert [a.area.id for a in peer.areas] == ["3", "5"]
    r = peer.find("3.2.6")
    assert (r.indicator.measure.question.name, r.indicator.measure.group.name) == ("p17", "personal")
    assert (r.parts, r.compared, r.indicator.target, r.status) == (((46, 50),), 92, 75, "uppfyllt")
    assert (peer.find("5").maximum, peer.find("3").maximum, peer.maximum) == (23, 50, 73)
    assert (peer.find("3").area.weight, peer.find("5").area.weight) == (65, 35)
    assert peer.find("5.1.2").indicator.points == 3 and peer.find("5.1.2").indicator.target == 75


def test_changing_our_data_changes_the_peer_indicators(tmp_path):
    folder = tmp_path / "rulesets"
    shutil.copytree(RULESETS / "umea-2022", folder / "umea-2022", ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(PEER, folder / "example-peer")
    data = folder / "example-peer" / "data" / "outcomes.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("p17: {n: 50, top2: 46}", "p17: {n: 50, top2: 37}"),
                    encoding="utf-8")
    changed = impactdsl.run(folder / "example-peer", allow=[folder])
    assert (changed.find("3.2.6").compared, changed.find("3.2.6").status) == (74, "nära")


def test_explain_says_where_each_number_comes_from(capsys):
    assert main(["explain", str(PEER), "3.2.6", "--allow", str(RULESETS), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "at least 75% (set here; umea-2022 has 80%)" in out
    assert "umea-2022's question q3.2.6 is read here as p17." in out and "comes from umea-2022" in out


def test_the_bundled_peer_example_runs_with_no_flags(capsys):
    """Its own ruleset names the peer beside it ("../umea-2022"): the user's choice, read as written."""
    assert main(["check", str(PEER)]) == 0 and main(["evaluate", str(PEER)]) == 0
    assert "Impact Index" in capsys.readouterr().out


@pytest.fixture
def copies(tmp_path):
    folder = tmp_path / "rulesets"
    shutil.copytree(RULESETS / "umea-2022", folder / "umea-2022", ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(PEER, folder / "example-peer")
    return folder


def test_lock_stops_a_changed_peer_until_relocked(copies, capsys):
    args = [str(copies / "example-peer"), "--allow", str(copies)]
    assert main(["check", *args]) == 0
    umea = copies / "umea-2022" / "ruleset.impact"
    umea.write_text(umea.read_text(encoding="utf-8").replace("weight 20%", "weight 25%", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["evaluate", *args]) == 1
    assert "has changed since it was locked" in capsys.readouterr().err
    assert main(["lock", *args]) == 0 and main(["check", *args]) == 0


def test_diff_lists_targets_weights_points_texts(capsys):
    assert main(["diff", str(RULESETS / "umea-2022"), str(PEER), "--allow", str(RULESETS)]) == 0
    out = capsys.readouterr().out
    assert "- area 1 \"Samhälls- och medlemsnytta\"" in out
    assert "~ area 3 weight: 20% → 65%" in out
    assert "~ indicator 3.2.6 target: >= 80% → >= 75%" in out
    assert "~ indicator 5.1.2 points: 5 → 3" in out and "~ indicator 5.1.2 text:" in out
    assert "- indicator 1.1.1" in out
    assert "~ indicator 3.2.6 rule:" in out                    # the question and group were mapped


def test_export_yaml_and_import_it(copies, capsys):
    exported = copies / "example-peer" / "umea.yaml"
    assert main(["export", str(copies / "umea-2022"), "--yaml", "-o", str(exported)]) == 0
    ruleset = copies / "example-peer" / "ruleset.impact"
    ruleset.write_text(ruleset.read_text(encoding="utf-8").replace('import "umea-2022"', 'import "umea.yaml"')
                       .replace("umea.del", "del_egen").replace('question p17', "scale del_egen: 'mycket stor', "
                       "'stor', 'liten'\n  subset top2 = ['mycket stor', 'stor']\nquestion p17"), encoding="utf-8")
    (copies / "example-peer" / "ruleset.lock").unlink()
    from_yaml_results = impactdsl.run(copies / "example-peer")
    from_text = impactdsl.run(PEER, allow=[RULESETS])
    assert [(r.id, r.earned, r.status) for r in from_yaml_results.indicators] == \
        [(r.id, r.earned, r.status) for r in from_text.indicators]


@pytest.mark.parametrize("name", ["umea-2022", "hbs-2022", "sofvast-2022", "kommun-exempel"])
def test_text_and_yaml_give_equal_models(name):
    ruleset, _ = impactdsl.check(RULESETS / name)
    assert from_yaml(to_yaml(ruleset)) == ruleset


def test_every_ruleset_in_the_repository_is_formatted(capsys):
    assert main(["fmt", "--check", *[str(p) for p in sorted(RULESETS.iterdir()) if p.is_dir()]]) == 0


# ---- properties -------------------------------------------------------------

MEASURES = ["share(g, q1, top2)", "share(g, q1, ['a'])", "ratio(k1, k2)", "f", "gap(share(g, q1, top2), "
            "share(g, q2, top2))", "increase(40%, f)", "decrease(previous(f), f)"]
HEAD = """ruleset "egen"  # {c0}
period 2022
rounding half-up to {step}%
status met "uppfyllt" when met
status near "nära målet" when within {band}pp below target
status missed "ej uppfyllt" otherwise
scale s: 'a' "A", 'b' "B", 'c'
  subset top2 = ['a', 'b']
group g "gruppen"
question q1 scale s
question q2 scale s  # {c1}
count k1
count k2
fact f percent "en andel"
template t(x) = share(g, x, top2) >= 80%
area 1 "Område" weight {weight}% target index {target}
goal 1.1 "Mål"
"""


@st.composite
def rulesets(draw):
    lines = [HEAD.format(c0=draw(st.sampled_from(["a", "kommentar", "å ä ö"])), c1="x",
                         step=draw(st.sampled_from(["1", "0.1"])), band=draw(st.integers(0, 9)),
                         weight=draw(st.integers(1, 100)), target=draw(st.integers(0, 100)))]
    for number in range(1, draw(st.integers(1, 6)) + 1):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            measure = draw(st.sampled_from(MEASURES))
            unit = "pp" if measure.startswith(("gap", "increase", "decrease")) else "%"
            op = draw(st.sampled_from([">=", "<=", "at least", "less than"]))
            rule = f"{measure} {op} {draw(st.integers(0, 100))}{unit} -> {draw(st.integers(1, 9))}"
        elif kind == 1:
            rule = f"t(q{draw(st.integers(1, 2))}) -> {draw(st.integers(1, 5))}"
        elif kind == 2:
            rule = f"k1 -> 1 each up to {draw(st.integers(1, 5))}"
        else:
            rule = (f"share(g, q1, top2) between {draw(st.integers(0, 40))}% and {draw(st.integers(41, 99))}% -> 2"
                    f"; bonus within {draw(st.integers(1, 5))}pp of target -> 1" if False else
                    f"share(g, q1, top2) >= {draw(st.integers(0, 99))}% -> 2; bonus within 5pp of target -> 1")
        comment = draw(st.sampled_from(["", "  # notera", "\n# före nästa"]))
        lines.append(f'indicator 1.1.{number} "Indikator {number}" {rule}{comment}')
    return "\n".join(lines) + "\n"


def _model(text: str):
    from impactdsl.compile.document import compile_document

    document, problems = parse(Source("egen.impact", text))
    assert document is not None, problems
    ruleset, problems = compile_document(document)
    assert ruleset is not None, [p.message.en for p in problems]
    return document, ruleset


@settings(max_examples=60, deadline=None)
@given(rulesets())
def test_text_to_yaml_to_model_is_the_same_model(text):
    _, ruleset = _model(text)
    assert from_yaml(to_yaml(ruleset)) == ruleset


@settings(max_examples=60, deadline=None)
@given(rulesets())
def test_formatting_never_changes_the_model_and_is_idempotent(text):
    document, ruleset = _model(text)
    formatted = format_source(document, Source("egen.impact", text))
    again_document, again = _model(formatted)
    assert again == ruleset
    assert format_source(again_document, Source("egen.impact", formatted)) == formatted
    comments = [line.strip() for line in text.split("\n") if "#" in line]
    kept = [line[line.index("#"):] for line in formatted.split("\n") if "#" in line]
    assert kept == [c[c.index("#"):] for c in comments]      # every comment kept, in its order


# ---- untrusted peers ----------------------------------------------------------

def _ruleset(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ruleset.impact").write_text('ruleset "r"\n' + text, encoding="utf-8")
    return folder


def test_the_users_own_ruleset_imports_from_the_folders_it_names(tmp_path):
    _ruleset(tmp_path / "grannen", 'area 1 "A"\n')
    folder = _ruleset(tmp_path / "egen", 'import "../grannen" as g\narea 1 from g\n')
    (folder / "länk").symlink_to(tmp_path / "grannen", target_is_directory=True)
    (folder / "ruleset.impact").write_text('ruleset "r"\nimport "../grannen" as g\nimport "länk" as h\n'
                                           'area 1 from g\n', encoding="utf-8")
    ruleset, problems = impactdsl.check(folder)
    assert ruleset is not None and not [d for d in problems if d.is_error], impactdsl.render_problems(problems)


@pytest.mark.parametrize("written, words", [
    ("/etc/passwd", "absolute path"),
    ("../../utanför", "lies outside the folders this imported ruleset may read from"),
    ("utanför", "is beside this ruleset's folder, not in it"),
    ("finns-inte", "there is no ruleset"),
])
def test_what_a_peer_imports_stays_inside_its_folder_and_the_allowed_ones(tmp_path, written, words):
    """The confinement stays for a peer's own imports: it reads only from its folder and --allow's."""
    _ruleset(tmp_path / "utanför", "")
    _ruleset(tmp_path / "egen" / "utanför", "")
    _ruleset(tmp_path / "egen" / "peer", f'import "{written}" as p\n')
    folder = _ruleset(tmp_path / "egen", 'import "peer" as q\n')
    _, problems = impactdsl.check(folder)
    found = [d for d in problems if d.code == "import"]
    assert len(found) == 1 and words in found[0].message.en, impactdsl.render_problems(problems)
    assert found[0].span.path.endswith("peer/ruleset.impact")
    if "beside" in words or "outside" in words:
        assert "--allow" in found[0].hint.en
        _, allowed = impactdsl.check(folder, allow=[tmp_path, tmp_path / "egen"])
        assert not [d for d in allowed if d.code == "import"]


def test_a_symlink_out_of_a_peers_tree_is_refused(tmp_path):
    _ruleset(tmp_path / "hemligt", "")
    peer = _ruleset(tmp_path / "egen" / "peer", 'import "länk" as p\n')
    (peer / "länk").symlink_to(tmp_path / "hemligt", target_is_directory=True)
    _, problems = impactdsl.check(_ruleset(tmp_path / "egen", 'import "peer" as q\n'))
    assert [d.code for d in problems if d.is_error] == ["import"]
    assert "outside" in next(d for d in problems if d.code == "import").message.en


def test_import_cycle_is_reported_with_its_chain(tmp_path):
    _ruleset(tmp_path / "a", 'import "../b" as b\n')
    _ruleset(tmp_path / "b", 'import "../c" as c\n')
    _ruleset(tmp_path / "c", 'import "../a" as a\n')
    _, problems = impactdsl.check(tmp_path / "a", allow=[tmp_path])
    cycle = [d for d in problems if d.code == "import-cycle"]
    assert cycle and "a → b → c → a" in cycle[0].message.en


def test_limits_apply_before_the_work(tmp_path):
    folder = _ruleset(tmp_path / "stor", "")
    (folder / "ruleset.impact").write_text("# " + "x" * (3 * 1024 * 1024), encoding="utf-8")
    started = time.perf_counter()
    _, problems = impactdsl.check(folder)
    assert [d.code for d in problems] == ["ruleset-size"] and time.perf_counter() - started < 1
    many = _ruleset(tmp_path / "många", "".join(f'import "p{i}" as p{i}\n' for i in range(20)))
    for i in range(20):
        _ruleset(many / f"p{i}", "")
    _, problems = impactdsl.check(many)
    assert "import-limit" in [d.code for d in problems]
    chain = tmp_path / "djup"
    for depth in range(7):
        _ruleset(chain / "/".join(["d"] * depth), 'import "d" as d\n' if depth < 6 else "")
    _, problems = impactdsl.check(chain)
    assert "import-limit" in [d.code for d in problems]


def test_yaml_alias_bomb_and_code_tags_are_refused_quickly(tmp_path):
    bomb = "format: impactdsl-ruleset/1\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    started = time.perf_counter()
    with pytest.raises(ExchangeError, match="aliases"):
        from_yaml(bomb)
    assert time.perf_counter() - started < 1
    with pytest.raises(ExchangeError):
        from_yaml("format: impactdsl-ruleset/1\nruleset: !!python/object/apply:os.system ['echo hej']\n")
    with pytest.raises(ExchangeError, match="unknown kind"):
        from_yaml("format: impactdsl-ruleset/1\nruleset: {type: Popen}\n")
    folder = _ruleset(tmp_path / "egen", 'import "bomb.yaml" as p\n')
    (folder / "bomb.yaml").write_text(bomb, encoding="utf-8")
    _, problems = impactdsl.check(folder)
    assert problems[0].code == "import-yaml" and "aliases" in problems[0].message.en


def test_outcome_data_refuse_yaml_aliases_quickly(tmp_path):
    from .conftest import compile_text

    bomb = "facts:\n  a: &a [1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"  {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20))
    ruleset, _ = compile_text(tmp_path, 'ruleset "r"\n', bomb)
    started = time.perf_counter()
    _, problems = impactdsl.load(tmp_path / "data", ruleset)
    assert [d.code for d in problems] == ["data-alias"] and time.perf_counter() - started < 1


@pytest.mark.parametrize("change, words", [
    (("bound: '50'", "bound: 1/0"), "not a number"),
    (("op: '>='", "op: zz"), "Criterion.op"),
    (("points: 0", "points: x"), "Indicator.points"),
])
def test_an_exported_peer_is_checked_like_a_compiled_one(change, words):
    ruleset, _ = impactdsl.check(RULESETS / "hbs-2022")
    with pytest.raises(ExchangeError, match=words):
        from_yaml(to_yaml(ruleset).replace(*change, 1))


def test_outputs_never_overwrite_inputs(copies, capsys):
    args = ["--allow", str(copies)]
    peer = copies / "example-peer"
    guarded = [peer / "data" / "outcomes.yaml", peer / "ruleset.lock", copies / "umea-2022" / "ruleset.impact"]
    before = [p.read_bytes() for p in guarded]
    for target in guarded:
        assert main(["evaluate", str(peer), *args, "--format", "md", "-o", str(target)]) == 2
        assert main(["export", str(peer), *args, "--yaml", "-o", str(target)]) == 2
    assert [p.read_bytes() for p in guarded] == before
    assert main(["export", str(peer), *args, "--yaml", "-o", str(copies / "saknas" / "x.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err
