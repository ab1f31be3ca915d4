"""Benchmark: the worst inputs we know of, one per limit of docs/security.md, each run in a fresh
process as a user's install runs it (compiled bytecode), with its wall time and peak memory.

The ceilings (docs/security.md): a ruleset, an import tree, a lock file or an exported peer within
the limits is checked within 10 s and 500 MB on a 2-core machine; a data file costs time in
proportion to its size and memory bounded whatever its number of rows. Each case reports its time
as a ratio to the baseline `python -c "import lark, attrs, yaml, jinja2"` measured in the same
run, and the data cases run at two sizes to show time growing with the size and memory not.

    python bench/hostile.py [--only NAME] [--repeat 1]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CEILING_SECONDS, CEILING_MB = 10.0, 500

HEAD = """ruleset "värsta fallet"
period 2022
scale del: 'a' "Till mycket stor del", 'b' "Till stor del", 'c' "Till liten del"
  subset top2 = ['a', 'b']
group staff "personalen"
question q1 scale del "Fråga ett"
"""


def indicators(count: int, text: int = 300) -> str:
    lines = ['area 1 "A"', 'goal 1.1 "G"']
    lines += [f'indicator 1.1.{i} "{"x" * text}" share(staff, q1, top2) >= 80% -> 2' for i in range(1, count + 1)]
    return HEAD + "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


# ---- rulesets, import trees, locks and exported peers: each checked ----------------------

def token_dense(folder: Path) -> list[str]:
    """A scale of 99 000 answers: the most words and signs a file may hold, each costing Lark's time."""
    options = ", ".join(f"'a{i}'" for i in range(99_000))
    write(folder, "ruleset.impact", HEAD.replace("'c' \"Till liten del\"", f"'c' \"Till liten del\", {options}"))
    return ["check", str(folder)]


def most_statements(folder: Path) -> list[str]:
    """4 990 indicators with long texts: the statement limit, 1.8 MB."""
    write(folder, "ruleset.impact", indicators(4990))
    return ["check", str(folder)]


def each_expansion(folder: Path) -> list[str]:
    """each-blocks that make 19 900 indicators from a file of 12 kB: the indicator limit."""
    keys = ", ".join(f'e{i} "E{i}"' for i in range(100))
    body = "\n".join('  indicator 1.1.* "t {k}" share(staff, q1, top2) >= 50% -> 1' for _ in range(199))
    write(folder, "ruleset.impact", HEAD + f'entities ents: {keys}\narea 1 "A"\ngoal 1.1 "G"\n'
          f"each k in ents:\n{body}\nend\n")
    return ["check", str(folder)]


def twenty_errors(folder: Path) -> list[str]:
    """Twenty syntax errors spread through a 1.8 MB file: every error is reported, in one parse."""
    lines = indicators(4900).splitlines()
    for k in range(20):
        lines[len(lines) * (k + 1) // 21] += " ->"
    write(folder, "ruleset.impact", "\n".join(lines) + "\n")
    return ["check", str(folder)]


def import_tree(folder: Path) -> list[str]:
    """Imports to the tree's limits: 31 peers of 9 600 words each, the whole tree's word budget."""
    root = ['ruleset "rot"']
    for i in range(16):
        peer = [indicators(600, 20).replace('ruleset "värsta fallet"', f'ruleset "p{i}"')]
        if i < 15:
            peer.append('import "q" as q')
            write(folder, f"p{i}/q/ruleset.impact", indicators(600, 20))
        write(folder, f"p{i}/ruleset.impact", "\n".join(peer) + "\n")
        root.append(f'import "p{i}" as p{i}')
    write(folder, "ruleset.impact", "\n".join(root) + "\n")
    return ["check", str(folder)]


def fan_out(folder: Path) -> list[str]:
    """16 imports of 16 imports of 16 imports of 16: within width and depth, refused by the file count."""
    def tree(place: Path, level: int) -> None:
        lines = ['ruleset "x"'] + ([f'import "p{i}" as p{i}' for i in range(16)] if level < 4 else [])
        write(place, "ruleset.impact", "\n".join(lines) + "\n")
        if level < 4:
            for i in range(16):
                tree(place / f"p{i}", level + 1)
    tree(folder, 1)
    return ["check", str(folder)]


def exported_peer(folder: Path) -> list[str]:
    """An exported peer of 2 MB (about 190 000 values): read, checked field by field and imported."""
    exported = subprocess.run([sys.executable, "-m", "impactdsl", "export", str(write(folder, "src.impact",
                              indicators(1300, 20))), "--yaml"], capture_output=True, check=True, cwd=ROOT).stdout
    write(folder, "peer.yaml", exported)
    write(folder, "ruleset.impact", 'ruleset "r"\nimport "peer.yaml" as p\narea 1 from p\n')
    return ["check", str(folder)]


def lock_file(folder: Path) -> list[str]:
    """A lock file of 2 MB: 20 000 entries, read with the safe reader."""
    write(folder, "peer/ruleset.impact", indicators(10, 20))
    write(folder, "ruleset.impact", 'ruleset "r"\nimport "peer" as p\n')
    entries = "".join(f"  a{i}: {{path: x, sha256: \"{'0f' * 32}\"}}\n" for i in range(20_000))
    write(folder, "ruleset.lock", "imports:\n" + entries)
    return ["check", str(folder)]


def yaml_bomb_and_depth(folder: Path) -> list[str]:
    """A lock file with an alias bomb, and data nested 100 000 deep: refused at the first alias or level."""
    write(folder, "peer/ruleset.impact", indicators(10, 20))
    write(folder, "ruleset.impact", 'ruleset "r"\nimport "peer" as p\n')
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    write(folder, "ruleset.lock", bomb)
    return ["check", str(folder)]


# ---- data files: each evaluated at two sizes ------------------------------------------------

DATA_RULESET = HEAD + 'area 1 "A"\ngoal 1.1 "G"\nindicator 1.1.1 "q" share(staff, q1, top2) >= 80% -> 2\n'
WIDE_MANIFEST = "files:\n  - path: svar.csv\n    kind: survey\n    group: staff\n    respondent: Id\n"


def one_line_csv(folder: Path, megabytes: int = 12) -> list[str]:
    """A CSV file of one line of 12 MB: refused at the line limit, memory of one megabyte."""
    write(folder, "ruleset.impact", DATA_RULESET)
    write(folder, "data/manifest.yaml", WIDE_MANIFEST)
    write(folder, "data/svar.csv", "Id;q1\n" + "x;" * (megabytes * 500_000) + "\n")
    return ["evaluate", str(folder)]


def long_survey(folder: Path, rows: int) -> list[str]:
    """A long-format export read row by row (no DuckDB below 8 MB): time with the rows, memory with
    the respondents."""
    write(folder, "ruleset.impact", HEAD + 'area 1 "A"\ngoal 1.1 "G"\n' + "\n".join(
        f'question k{q} scale del\nindicator 1.1.{q} "k{q}" share(staff, k{q}, top2) >= 50% -> 1'
        for q in range(1, 21)) + "\n")
    write(folder, "data/manifest.yaml", "files:\n  - path: svar.csv\n    kind: survey\n    layout: long\n"
          "    group: staff\n    respondent: id\n    question_column: fråga\n    answer_column: svar\n")
    labels = ("Till mycket stor del", "Till stor del", "Till liten del")
    with (folder / "data" / "svar.csv").open("w", encoding="utf-8") as out:
        out.write("id;fråga;svar\n")
        for r in range(rows // 20):
            out.write("".join(f"R{r};k{q};{labels[(r + q) % 3]}\n" for q in range(1, 21)))
    return ["evaluate", str(folder)]


def unknown_flood(folder: Path, rows: int) -> list[str]:
    """Every answer a different unknown text: at most 100 kept per kind, the rest counted."""
    write(folder, "ruleset.impact", DATA_RULESET)
    write(folder, "data/manifest.yaml", WIDE_MANIFEST)
    with (folder / "data" / "svar.csv").open("w", encoding="utf-8") as out:
        out.write("Id;q1\n" + "".join(f"R{i};okänt svar nummer {i} {'x' * 40}\n" for i in range(rows)))
    return ["evaluate", str(folder)]


def yaml_data_flood(folder: Path) -> list[str]:
    """Outcome YAML at its size limit, every entry an unknown question: 200 listed, the rest counted."""
    write(folder, "ruleset.impact", DATA_RULESET)
    entries = "".join(f"    okänd{i}: {{n: 10, top2: 5}}\n" for i in range(60_000))
    write(folder, "data/outcomes.yaml", "surveys:\n  staff:\n" + entries)
    return ["evaluate", str(folder)]


def xlsx_false_size(folder: Path) -> list[str]:
    """An XLSX sheet of four rows that says it fills every cell of Excel (A1:XFD1048576)."""
    from openpyxl import Workbook

    book = Workbook()
    for row in (["Id", "q1"], ["R1", "Till stor del"], ["R2", "Till liten del"], ["R3", "Till stor del"]):
        book.active.append(row)
    path = folder / "data" / "svar.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    with zipfile.ZipFile(path) as source:
        members = {n: source.read(n) for n in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    start = sheet.index(b'<dimension ref="') + len(b'<dimension ref="')
    members["xl/worksheets/sheet1.xml"] = sheet[:start] + b"A1:XFD1048576" + sheet[sheet.index(b'"', start):]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    write(folder, "ruleset.impact", DATA_RULESET)
    write(folder, "data/manifest.yaml", WIDE_MANIFEST.replace("svar.csv", "svar.xlsx"))
    return ["evaluate", str(folder)]


CASES = {
    "token-dense ruleset": token_dense,
    "most statements": most_statements,
    "each-blocks at the indicator limit": each_expansion,
    "twenty syntax errors": twenty_errors,
    "import tree at its limits": import_tree,
    "fan-out 16x16x16x16": fan_out,
    "exported peer of 2 MB": exported_peer,
    "lock file of 2 MB": lock_file,
    "YAML alias bomb": yaml_bomb_and_depth,
    "one-line CSV of 12 MB": one_line_csv,
    "outcome YAML of 2 MB, all unknown": yaml_data_flood,
    "XLSX claiming every cell": xlsx_false_size,
}
SCALED = {"long survey": long_survey, "flood of unknown answers": unknown_flood}
SIZES = (25_000, 100_000)               # both below 8 MB: the plain reader, row by row


BASELINE = ["-c", "import lark, attrs, yaml, jinja2"]


def peak(arguments: list[str]) -> tuple[float, int, str]:
    """Wall time, peak memory (MB) and the first line said of `python ARGUMENTS` in a fresh process
    (measured from a probe process of its own, so the peak is this command's alone)."""
    probe = ("import os, resource, subprocess, sys, time; t = time.perf_counter(); "
             "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, "
             "env=dict(os.environ, IMPACTDSL_NO_CACHE='1')); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode); "
             "print(done.stderr.decode('utf-8', 'replace').strip().split(chr(10))[0][:90])")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, *arguments], cwd=ROOT,
                         capture_output=True, text=True, timeout=900).stdout.split("\n")
    seconds, memory, code = out[0].split()
    return float(seconds), int(memory) // 1024, f"exit {code}: {out[1]}"


def impactdsl(command: list[str]) -> list[str]:
    return ["-m", "impactdsl", *command]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the cases whose name holds this text")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "impactdsl", quiet=1)
    baseline = statistics.median(peak(BASELINE)[0] for _ in range(5))
    print(f"baseline python -c 'import lark, attrs, yaml, jinja2': {baseline:.2f} s; "
          f"ceilings {CEILING_SECONDS:.0f} s and {CEILING_MB} MB")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="impactdsl-hostile-") as temporary:
        work = Path(temporary)
        for number, (name, make) in enumerate(CASES.items()):
            if args.only and args.only not in name:
                continue
            command = impactdsl(make(work / f"c{number}"))
            seconds, megabytes, said = min(peak(command) for _ in range(args.repeat))
            ok = seconds <= CEILING_SECONDS and megabytes <= CEILING_MB
            failed += not ok
            print(f"{name:36} {seconds:6.2f} s (ratio {seconds / baseline:5.1f}) {megabytes:4d} MB "
                  f"{'within' if ok else 'OVER'} the ceiling; {said}")
            shutil.rmtree(work / f"c{number}", ignore_errors=True)
        for name, make in SCALED.items():
            if args.only and args.only not in name:
                continue
            results = []
            for rows in SIZES:
                folder = work / f"{name}-{rows}"
                results.append((rows, *min(peak(impactdsl(make(folder, rows))) for _ in range(args.repeat))[:2]))
                shutil.rmtree(folder, ignore_errors=True)
            (small, t1, m1), (large, t2, m2) = results
            print(f"{name:36} {small:>9,} rows {t1:6.2f} s {m1:4d} MB; {large:>9,} rows {t2:6.2f} s {m2:4d} MB: "
                  f"time x{t2 / t1:.1f} for x{large / small:.0f} the rows, memory x{m2 / m1:.2f}")
    print("all within the ceilings" if not failed else f"{failed} cases over the ceilings")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
