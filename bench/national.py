"""National-scale benchmark: 10 million survey answers and 1 million register rows.

Generates (seeded, with DuckDB) a national data set in bench/out/national/:
survey answers in long format as CSV and as Parquet, a participant register,
and a 100-indicator ruleset over them. Then times, interleaved, REPEAT times:

  baseline   one DuckDB GROUP BY over the same file giving the same counts
             (answers per group, gender, question and label; and the register
             counts the ruleset defines, per gender), in a fresh Python process
  impactdsl  `impactdsl evaluate` of the ruleset on the same files, as after
             a change of data: the compiled ruleset is in the cache, the
             tallies are not (the bench empties that part before every run)

and reports median times, their ratio (goal <= 1.3) and each run's peak memory
(goal < 1 GB). A correctness check first compares impactdsl's tallies with the
baseline's counts. Needs the 'large' extra (DuckDB).

    python bench/national.py [--repeat 3] [--respondents 100000]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))                   # the checkout's impactdsl, installed or not
OUT = ROOT / "bench" / "out" / "national"
QUESTIONS = 100
LABELS = ("Till mycket stor del", "Till stor del", "Till liten del", "Till mycket liten del")

RULESET_HEAD = """ruleset "Nationell jämförelse"
association "Alla samordningsförbund"
period 2022
rounding half-up to 1%
index "Impact Index"
status uppfyllt "Uppfyllt" colour green when met
status nära "Nära målet" colour yellow when within 5pp below target
status ej_uppfyllt "Ej uppfyllt" colour red otherwise
status ej_bedömt "Ej bedömt" colour grey when no data
missing data excluded from maximum
minimum n 5
total target index 70

scale del: 'mycket stor' "Till mycket stor del", 'stor' "Till stor del", 'liten' "Till liten del",
           'mycket liten' "Till mycket liten del"
  subset top2 = ['mycket stor', 'stor']
  unanswered = ['vet ej']
group participants "deltagarna"
group staff "personalen"
subgroups kön: kvinnor "kvinnor", män "män"
register deltagarregister "deltagarregistret"
count deltagare "deltagare" = deltagarregister
count avslut "avslut" = deltagarregister where exited
count positiva "positiva avslut" = deltagarregister where exited and exit_reason in ['arbete', 'studier', 'annan positiv lösning']
count arbete "till arbete" = deltagarregister where exited and exit_reason = 'arbete'
count unga "unga nya" = deltagarregister where new and age < 30
count nya "nya" = deltagarregister where new
template top2(grupp, fråga, mål) = share(grupp, fråga, top2) >= mål
"""


def ruleset_text() -> str:
    lines = [RULESET_HEAD]
    lines += [f"question q{q:03d} scale del \"Fråga {q}\"" for q in range(1, QUESTIONS + 1)]
    lines.append('area 1 "Enkäter" weight 90%')
    for goal in range(9):
        lines.append(f'goal 1.{goal + 1} "Enkätmål {goal + 1}"')
        for i in range(10):
            q = goal * 10 + i + 1
            group = "participants" if q % 2 else "staff"
            target = 70 + (q % 16)
            lines.append(f'indicator 1.{goal + 1}.{i + 1} "Fråga {q}" top2({group}, q{q:03d}, {target}%) -> 1')
    lines.append('area 2 "Register" weight 10%')
    lines.append('goal 2.1 "Flöden"')
    register_rules = [
        "ratio(avslut, deltagare) >= 40%", "ratio(positiva, avslut) >= 60%", "ratio(arbete, positiva) >= 25%",
        "ratio(unga, nya) >= 20%", "ratio(avslut[kvinnor], avslut) between 40% and 60%",
        "mean_months(avslut) <= 9", "ratio(deltagare[kvinnor], deltagare) between 40% and 60%",
        "ratio(positiva[män], positiva) between 40% and 60%", "ratio(arbete[kvinnor], arbete) between 40% and 60%",
        "gap(share(participants[kvinnor], q001, top2), share(participants[män], q001, top2)) <= 5pp"]
    for i, rule in enumerate(register_rules, 1):
        lines.append(f'indicator 2.1.{i} "Registermått {i}" {rule} -> 1')
    return "\n".join(lines) + "\n"


def manifest(survey: str) -> str:
    return f"""files:
  - path: {survey}
    kind: survey
    layout: long
    group_column: grupp
    respondent: respondent
    subgroup: kön
    values: {{K: kvinnor, M: män}}
    question_column: fråga
    answer_column: svar
  - path: register.csv
    kind: register
    register: deltagarregister
    columns: {{gender: Kön, birth_year: Födelseår, project: Insats, municipality: Kommun, start: Start, end: Slut, exit_reason: Avslutsorsak}}
    values: {{K: kvinnor, M: män}}
"""


def generate(respondents: int) -> None:
    import duckdb

    OUT.mkdir(parents=True, exist_ok=True)
    stamp = OUT / f".generated-{respondents}"
    if stamp.exists():
        return
    print(f"generating {respondents * QUESTIONS:,} answers and 1,000,000 register rows in {OUT} ...",
          file=sys.stderr)
    con = duckdb.connect()
    labels = ", ".join(f"'{x}'" for x in LABELS)
    con.execute(f"""CREATE TABLE survey AS
        SELECT 'R' || lpad(CAST(r AS VARCHAR), 8, '0') AS respondent,
               CASE WHEN r % 3 = 0 THEN 'staff' ELSE 'participants' END AS grupp,
               CASE hash(r) % 5 WHEN 0 THEN '' WHEN 1 THEN 'K' WHEN 2 THEN 'K' ELSE 'M' END AS kön,
               'q' || lpad(CAST(q AS VARCHAR), 3, '0') AS fråga,
               CASE WHEN h % 40 = 0 THEN 'Vet ej' WHEN h % 40 = 1 THEN ''
                    ELSE [{labels}][1 + CAST(((h // 40) % 100 + q % 7) AS INTEGER) // 27] END AS svar
        FROM (SELECT r, q, hash(r * 1009 + q) AS h FROM range({respondents}) t(r), range(1, {QUESTIONS + 1}) u(q))
        ORDER BY r, q""")
    con.execute(f"COPY survey TO '{OUT / 'survey.csv'}' (HEADER, DELIMITER ';')")
    con.execute(f"COPY survey TO '{OUT / 'survey.parquet'}' (FORMAT PARQUET)")
    con.execute(f"""COPY (
        SELECT kön AS Kön, födelseår AS Födelseår, insats AS Insats, kommun AS Kommun,
               strftime(start, '%Y-%m-%d') AS Start,
               CASE WHEN slut IS NULL THEN '' ELSE strftime(slut, '%Y-%m-%d') END AS Slut,
               CASE WHEN slut IS NULL THEN '' ELSE ['arbete', 'studier', 'annan positiv lösning', 'avbrott',
                    'flytt'][1 + CAST(hash(i * 17) % 5 AS INTEGER)] END AS Avslutsorsak
        FROM (SELECT i, CASE hash(i) % 2 WHEN 0 THEN 'K' ELSE 'M' END AS kön,
                     1950 + CAST(hash(i * 7) % 55 AS INTEGER) AS födelseår,
                     'Insats ' || CAST(hash(i * 3) % 20 AS VARCHAR) AS insats,
                     'Kommun ' || CAST(hash(i * 5) % 290 AS VARCHAR) AS kommun,
                     DATE '2021-01-01' + CAST(hash(i * 11) % 700 AS INTEGER) AS start,
                     CASE WHEN hash(i * 13) % 3 = 0 THEN NULL
                          ELSE DATE '2021-01-01' + CAST(hash(i * 11) % 700 AS INTEGER)
                               + CAST(hash(i * 19) % 400 AS INTEGER) END AS slut
              FROM range(1000000) t(i))
        ) TO '{OUT / 'register.csv'}' (HEADER, DELIMITER ';')""")
    for name, survey in (("csv", "survey.csv"), ("parquet", "survey.parquet")):
        folder = OUT / name
        (folder / "data").mkdir(parents=True, exist_ok=True)
        (folder / "ruleset.impact").write_text(ruleset_text(), encoding="utf-8")
        for data in ("survey.csv", "survey.parquet", "register.csv"):
            link = folder / "data" / data
            if not link.exists():
                link.symlink_to(OUT / data)
        (folder / "data" / "manifest.yaml").write_text(manifest(survey), encoding="utf-8")
    stamp.touch()


BASELINE = """
import duckdb, sys
source, register = sys.argv[1], sys.argv[2]
con = duckdb.connect()
survey = con.execute(f"SELECT grupp, kön, fråga, svar, count(*) FROM {source} GROUP BY ALL").fetchall()
period = "DATE '2022-01-01' AND DATE '2022-12-31'"
rows = con.execute(
    "WITH r AS (SELECT Kön, TRY_CAST(Start AS DATE) AS st, TRY_CAST(NULLIF(Slut, '') AS DATE) AS en, "
    "2022 - TRY_CAST(Födelseår AS INTEGER) AS age, Avslutsorsak AS why "
    f"FROM read_csv('{register}', header=true, all_varchar=true, delim=';')) "
    "SELECT Kön, count(*), sum(date_diff('day', st, coalesce(en, DATE '2022-12-31'))), "
    f"count(*) FILTER (WHERE en BETWEEN {period}), "
    f"count(*) FILTER (WHERE en BETWEEN {period} AND why IN ('arbete', 'studier', 'annan positiv lösning')), "
    f"count(*) FILTER (WHERE en BETWEEN {period} AND why = 'arbete'), "
    f"count(*) FILTER (WHERE st BETWEEN {period}), "
    f"count(*) FILTER (WHERE st BETWEEN {period} AND age < 30) "
    "FROM r WHERE st <= DATE '2022-12-31' AND (en IS NULL OR en >= DATE '2022-01-01') GROUP BY ALL").fetchall()
print(sum(r[-1] for r in survey), len(survey), sum(r[1] for r in rows))
"""


def source_sql(kind: str) -> str:
    if kind == "parquet":
        return f"read_parquet('{OUT / 'survey.parquet'}')"
    return f"read_csv('{OUT / 'survey.csv'}', header=true, all_varchar=true, delim=';')"


def measured(command: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak resident memory (MB) of a command, in a fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *command], check=True, capture_output=True,
                         text=True, env=env, cwd=ROOT).stdout.split()
    return float(out[0]), int(out[1]) // 1024


def check_counts(kind: str) -> None:
    """impactdsl's tallies equal the baseline's GROUP BY counts (answers per group and question)."""
    import duckdb

    import impactdsl

    folder = OUT / kind
    ruleset, problems = impactdsl.check(folder)
    assert ruleset is not None, impactdsl.render_problems(problems)
    outcomes, problems = impactdsl.load(folder / "data", ruleset, allow=[OUT])
    assert outcomes is not None and not any(p.is_error for p in problems), impactdsl.render_problems(problems)
    con = duckdb.connect()
    rows = con.execute(f"SELECT grupp, fråga, count(*) FILTER (WHERE svar IN ('Till mycket stor del', "
                       f"'Till stor del', 'Till liten del', 'Till mycket liten del')) FROM {source_sql(kind)} "
                       "GROUP BY ALL").fetchall()
    for group, question, answered in rows:
        assert outcomes.surveys[(group, question, None)].n == answered, (group, question)
    exits = con.execute(f"SELECT count(*) FROM read_csv('{OUT / 'register.csv'}', header=true, "
                        "all_varchar=true, delim=';') WHERE Slut BETWEEN '2022-01-01' AND '2022-12-31'").fetchone()[0]
    assert outcomes.counts[("avslut", None, False)].value == exits
    print(f"{kind}: tallies equal the GROUP BY counts ({len(rows)} group-question pairs, {exits:,} exits)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--respondents", type=int, default=100_000)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "impactdsl", quiet=1)     # as a user's install has it
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("the national benchmark needs DuckDB: pip install -e '.[large]'", file=sys.stderr)
        return 2
    generate(args.respondents)
    import shutil
    import tempfile

    cache = Path(tempfile.mkdtemp(prefix="impactdsl-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "IMPACTDSL_NO_CACHE"} | {"XDG_CACHE_HOME": str(cache)}
    report = {}
    for kind in ("csv", "parquet"):
        check_counts(kind)
        ours = [sys.executable, "-m", "impactdsl", "evaluate", str(OUT / kind), "--format", "json",
                "--allow", str(OUT)]          # the data files are links to the generated files in OUT
        base = [sys.executable, "-c", BASELINE, source_sql(kind), str(OUT / "register.csv")]
        times = {"impactdsl": [], "baseline": []}
        peaks = {"impactdsl": 0, "baseline": 0}
        subprocess.run(ours, check=True, stdout=subprocess.DEVNULL, env=env)   # compile once
        for _ in range(args.repeat):
            for name, command in (("impactdsl", ours), ("baseline", base)):
                shutil.rmtree(cache / "impactdsl" / "tallies", ignore_errors=True)
                seconds, peak = measured(command, env)
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
        a, b = statistics.median(times["impactdsl"]), statistics.median(times["baseline"])
        report[kind] = {"impactdsl_s": round(a, 2), "baseline_s": round(b, 2), "ratio": round(a / b, 2),
                        "impactdsl_peak_mb": peaks["impactdsl"], "baseline_peak_mb": peaks["baseline"]}
        print(f"{kind:8} impactdsl {a:6.2f} s  baseline {b:6.2f} s  ratio {a / b:.2f} (goal <= 1.30)  "
              f"peak memory {peaks['impactdsl']} MB (goal < 1024; baseline {peaks['baseline']} MB)")
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
