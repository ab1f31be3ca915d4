"""One answer, in the workspace, to "may this path be written?" — for every writing command.

Computed from what was read: the ruleset's files (imports and lock), the
data files, every file of the data folder (by device and inode, so another
path or a hard link to one is refused too) and the data folder itself."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import impactdsl
from impactdsl import workspace

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def copied(tmp_path):
    folder = tmp_path / "peer"
    shutil.copytree(REPO / "rulesets" / "example-peer", folder)
    shutil.copytree(REPO / "rulesets" / "umea-2022", tmp_path / "umea-2022")
    ruleset, problems = impactdsl.check(folder, [tmp_path])
    assert ruleset is not None, problems
    outcomes, problems = impactdsl.load(folder / "data", ruleset, allow=[tmp_path])
    assert outcomes is not None, problems
    return tmp_path, folder, ruleset, outcomes


def test_a_new_file_beside_the_ruleset_may_be_written(copied):
    tmp_path, folder, ruleset, outcomes = copied
    assert impactdsl.may_write(tmp_path / "rapport.html", ruleset, outcomes, folder / "data") is None


def test_no_input_may_be_written_over_by_any_path(copied):
    tmp_path, folder, ruleset, outcomes = copied
    imported = tmp_path / "umea-2022" / "ruleset.impact"
    data_file = next(p for p in (folder / "data").rglob("*") if p.is_file())
    os.link(data_file, tmp_path / "hard-link")
    (tmp_path / "link").symlink_to(tmp_path / "rapport.html")
    for target, words in [(folder / "ruleset.impact", "input"), (imported, "input"),
                          (tmp_path / "hard-link", "input"), (folder / "data" / "new.html", "data folder"),
                          (tmp_path / "link", "link"), (tmp_path, "folder")]:
        said = impactdsl.may_write(target, ruleset, outcomes, folder / "data")
        assert said is not None and words in said, (target, said)


def test_a_command_rewrites_only_its_own_file(copied):
    tmp_path, folder, ruleset, _ = copied
    lock = folder / "ruleset.lock"
    lock.write_text("imports: {}\n", encoding="utf-8")
    given = workspace.Inputs.of(attrs_with_input(ruleset, lock), None, folder / "data")
    assert workspace.may_write(lock, given) is not None
    assert workspace.may_write(lock, given, rewrites=lock) is None
    assert workspace.may_write(folder / "ruleset.impact", given, rewrites=lock) is not None


def test_write_refuses_what_may_write_refuses_and_leaves_it_untouched(copied):
    tmp_path, folder, ruleset, outcomes = copied
    given = workspace.Inputs.of(ruleset, outcomes, folder / "data")
    before = (folder / "ruleset.impact").read_bytes()
    assert workspace.write(folder / "ruleset.impact", b"x", given) is not None
    assert (folder / "ruleset.impact").read_bytes() == before
    assert workspace.write(tmp_path / "ok.txt", b"x", given) is None and (tmp_path / "ok.txt").read_bytes() == b"x"


def attrs_with_input(ruleset, path: Path):
    import attrs

    return attrs.evolve(ruleset, inputs=ruleset.inputs + (str(path),))


def test_the_rulesets_own_data_folder_is_known_without_being_named(copied):
    tmp_path, folder, ruleset, outcomes = copied
    said = impactdsl.may_write(folder / "data" / "new.txt", ruleset, outcomes)
    assert said is not None and "data folder" in said
