"""The command line: a thin shell over the library API.

The only module that prints or exits. Exit 0 on success, 1 on findings in
the user's files, 2 on usage errors, 130 when interrupted (Ctrl-C). Every
line it prints that may hold user text (a path, an argument, a message)
passes `redact`; every file it writes is written whole, never over an input
(`workspace.may_write` and `workspace.write`).

May import: `impactdsl` (the API) and every stage: `core`, `read`, `parse`, `compile`, `outcomes`,
`workspace`, `evaluation`, `render`, `serve`, `testing`, `lsp`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from impactdsl import __version__, workspace
from impactdsl.core.diagnostics import LABELS, Said
from impactdsl.core.kinds import Format, Lang, choices, locale_language
from impactdsl.core.redact import mask_identities, redact
from impactdsl.read import files

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_INTERNAL = 70                  # a bug in impactdsl (EX_SOFTWARE): never for anything a user gave
PROBLEM_FORMATS = ("text", "json", "sarif")     # how `check` lists what it found
SHELLS = ("bash", "zsh", "tcsh")                # what `completion` writes a script for (shtab's shells)


class _Speaking:
    """The language the command line speaks in this run: --lang, else impactdsl.toml's, else the
    locale's (English for an English one), else Swedish. Set once by `main`."""

    lang: str = Lang.SV.value


def _in_language(text: "Said | str") -> str:
    return text.in_language(_Speaking.lang) if isinstance(text, Said) else text


def _error(message: "Said | str", hint: "Said | str | None" = None) -> None:
    label = LABELS[_Speaking.lang]
    print(redact(f"{label['error']}: {_in_language(message)}")
          + (f"\n  = {label['hint']}: {redact(_in_language(hint))}" if hint else ""), file=sys.stderr)


def _problems(problems) -> str:
    """Diagnostics as the command line shows them, in its language."""
    from impactdsl.core.diagnostics import render

    return render(problems, _Speaking.lang)


def _h(swedish: str, english: str) -> str:
    """A help text in the language the command line speaks."""
    return english if _Speaking.lang == Lang.EN else swedish


# argparse's own sentences (it has no Swedish): its usage errors, as (pattern, Swedish).
ARGPARSE_SWEDISH = (
    (r"the following arguments are required: (.*)", r"dessa argument saknas: \1"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"argumentet \1: \2 går inte att välja (välj bland \3)"),
    (r"argument (\S+): expected one argument", r"argumentet \1 behöver ett värde"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argumentet \1: \3 är inget giltigt värde"),
    (r"argument (\S+): (.*)", r"argumentet \1: \2"),
    (r"ambiguous option: (\S+) could match (.*)", r"flaggan \1 kan betyda flera: \2"),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _h("användning: ", "usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse, speaking the command line's language: its headings, its -h, its usage errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = _h("argument", "positional arguments")
        self._optionals.title = _h("flaggor", "options")
        self.add_argument("-h", "--help", action="help", help=_h("visa den här hjälpen", "show this help and exit"))

    def error(self, message: str):
        import re

        self.print_usage(sys.stderr)
        if _Speaking.lang != Lang.EN:
            message = next((re.sub(pattern, swedish, message) for pattern, swedish in ARGPARSE_SWEDISH
                            if re.fullmatch(pattern, message)), message)
        _error(Said(message, message), Said(f"kör '{self.prog} --help' för att se vad det tar",
                                            f"run '{self.prog} --help' for what it takes"))
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="impactdsl", description=_h(
        "Bedöm och förklara samordningsförbunds regelverk för mål och indikatorer.",
        "Evaluate and explain goal rulesets of coordination associations (samordningsförbund)."))
    parser.add_argument("--version", action="version", version=f"impactdsl {__version__}",
                        help=_h("visa versionen", "show the version and exit"))
    commands = parser.add_subparsers(dest="command", metavar=_h("KOMMANDO", "COMMAND"), parser_class=_Parser,
                                     title=_h("kommandon", "commands"))
    commands.required = True

    def ruleset_argument(p, name="ruleset"):
        swedish = {"ruleset": "REGELVERK", "old": "GAMMALT", "new": "NYTT"}[name]
        p.add_argument(name, metavar=_h(swedish, name.upper()),
                       help=_h("en .impact-fil, eller en mapp med ruleset.impact och data/",
                               "a .impact file, or a folder holding ruleset.impact and data/"))
        if name == "ruleset":
            allow_argument(p)

    def allow_argument(p):
        p.add_argument("--allow", metavar=_h("MAPP", "DIR"), action="append", default=[],
                       help=_h("en mapp som importer och datafiler får läsas från utöver regelverkets egen "
                               "(kan ges flera gånger)", "a folder imports and data files may be read from "
                               "besides the ruleset's own (repeatable)"))

    def language_argument(p, what: str):
        p.add_argument("--lang", choices=choices(Lang),
                       help=_h(f"språk för {what[0]} och meddelanden (annars impactdsl.toml:s, annars {Lang.SV})",
                               f"language of {what[1]} and messages (default: impactdsl.toml's, else {Lang.SV})"))

    def data_argument(p, what: tuple[str, str]):
        p.add_argument("--data", metavar=_h("MAPP", "DIR"), help=_h(f"{what[0]} i MAPP i stället för i REGELVERK/data",
                                                                     f"{what[1]} DIR instead of RULESET/data"))

    def output_argument(p, what: tuple[str, str]):
        p.add_argument("-o", "--output", metavar=_h("FIL", "FILE"),
                       help=_h(f"skriv {what[0]} till FIL i stället för till terminalen",
                               f"write {what[1]} to FILE instead of the terminal"))

    p = commands.add_parser("check", help=_h("kompilera ett regelverk, läs dess data och visa alla problem",
                                             "compile a ruleset, read its data, and report every problem"))
    ruleset_argument(p)
    data_argument(p, ("granska utfallen", "check the outcome data in"))
    p.add_argument("--format", choices=PROBLEM_FORMATS, default=PROBLEM_FORMATS[0],
                   help=_h("problemen som text (förval), som JSON-poster eller som en SARIF-logg, på standard ut",
                           "the problems as text (default), as JSON records, or as a SARIF log, on standard output"))
    p.add_argument("--strict", action="store_true", help=_h("en varning räknas också som fynd (avslutar med 1)",
                                                            "a warning is a finding too (exit 1)"))
    language_argument(p, ("sammanfattningen", "the summary"))
    p = commands.add_parser("evaluate", help=_h("bedöm ett regelverk mot årets utfall",
                                                "score a ruleset against its outcome data"))
    ruleset_argument(p)
    data_argument(p, ("läs utfallen", "read outcome data from"))
    p.add_argument("--format", choices=choices(Format),
                   help=_h(f"rapportens format (annars det som -o-filens ändelse säger, annars {Format.TEXT})",
                           f"output format (default: what the -o file's ending says, else {Format.TEXT})"))
    output_argument(p, ("rapporten", "the report"))
    p.add_argument("--date", metavar=_h("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"), type=_day,
                   help=_h("dagen rapporten säger att den bedömdes (annars periodens sista dag)",
                           "the day the report says it was evaluated (default: the last day of the period)"))
    p.add_argument("--strict", action="store_true",
                   help=_h("en indikator som inte kunde bedömas räknas som fynd (avslutar med 1), efter rapporten",
                           "an indicator that could not be assessed is a finding (exit 1), after the report"))
    language_argument(p, ("rapporten", "the report"))
    p = commands.add_parser("lock", help=_h("lås innehållet i varje import i ruleset.lock",
                                            "pin the content of every import in ruleset.lock"))
    ruleset_argument(p)
    p = commands.add_parser("diff", help=_h("vad som ändrats mellan två regelverk", "what changed between two rulesets"))
    ruleset_argument(p, "old")
    ruleset_argument(p, "new")
    allow_argument(p)
    p = commands.add_parser("export", help=_h("skriv det kompilerade regelverket i utbytesformatet",
                                              "write the compiled ruleset in the exchange format"))
    ruleset_argument(p)
    p.add_argument("--yaml", action="store_true", required=True, help=_h("som kanonisk YAML", "as canonical YAML"))
    output_argument(p, ("det", "it"))
    p = commands.add_parser("fmt", help=_h("skriv om ett regelverk i den gemensamma uppställningen, kommentarerna kvar",
                                           "rewrite a ruleset in the canonical layout, comments kept"))
    p.add_argument("files", metavar=_h("FIL", "FILE"), nargs="+",
                   help=_h(".impact-filer, eller mappar med ruleset.impact", ".impact files, or folders holding ruleset.impact"))
    p.add_argument("--check", action="store_true", help=_h("ändra inget; avsluta med 1 om en fil inte är uppställd",
                                                           "change nothing; exit 1 if a file is not formatted"))
    p.add_argument("--keywords", choices=choices(Lang),
                   help=_h("skriv nyckelorden på svenska (sv) eller engelska (en); annars som filen har dem",
                           "write the keywords in Swedish (sv) or English (en); by default as the file has them"))
    p = commands.add_parser("test", help=_h(
        "kör regelverkets tester (tests/NAMN/expect.yaml bredvid det, var och en med sina data): väntade "
        "bedömningar, poäng, betyg och index mot det som blir",
        "run the ruleset's tests (tests/NAME/expect.yaml beside it, each with its data): expected statuses, "
        "points, grades and indices against what comes"))
    ruleset_argument(p)
    p.add_argument("--coverage", action="store_true",
                   help=_h("visa också, per indikator, mål och målområde, de bedömningar och betyg inget test nådde",
                           "also list, per indicator, goal and unit, the statuses and grades no test reached"))
    language_argument(p, ("rapporten", "the report"))
    p = commands.add_parser("serve", help=_h(
        "visa HTML-rapporten på 127.0.0.1, gjord på nytt när regelverket eller dess data ändras (sidan laddar om sig)",
        "serve the HTML report on 127.0.0.1, made again when the ruleset or its data change (the page reloads itself)"))
    ruleset_argument(p)
    data_argument(p, ("läs utfallen", "read outcome data from"))
    p.add_argument("--port", type=int, default=8765, metavar="N",
                   help=_h("porten (förval 8765; 0: vilken ledig som helst)", "the port (default 8765; 0: any free one)"))
    language_argument(p, ("rapporten", "the report"))
    p = commands.add_parser("init", help=_h(
        "skriv en första regelverksmapp att börja från (den går att granska och bedöma som den är; dess "
        "kommentarer lär ut språket)",
        "write a first ruleset folder to start from (it checks and evaluates as it is; its comments, in Swedish, "
        "teach the language)"))
    p.add_argument("folder", metavar=_h("MAPP", "DIR"), help=_h("en mapp som inte finns än, eller är tom",
                                                               "a folder that does not exist yet, or is empty"))
    p.add_argument("--from", dest="table", metavar=_h("FIL", "FILE"), help=_h(
        "gör ett utkast ur er måltabell i Excel (.xlsx: målområden, mål, indikatorer, poäng, målvärden): varje "
        "regel blir en platshållare 'att göra' som check listar",
        "draft the ruleset from your goal table in Excel (.xlsx: areas, goals, indicators, points, targets): "
        "every rule a placeholder 'todo' that check lists"))
    p = commands.add_parser("completion", help=_h(
        "skriv skalets kompletteringsskript: eval \"$(impactdsl completion bash)\" i ~/.bashrc",
        "print the shell's completion script: eval \"$(impactdsl completion bash)\" in ~/.bashrc"))
    p.add_argument("shell", choices=SHELLS, help=_h("skalet att komplettera i", "the shell to complete in"))
    p = commands.add_parser("explain", help=_h("förklara en indikator, ett mål eller ett målområde",
                                               "explain one indicator, goal or area"))
    ruleset_argument(p)
    p.add_argument("id", metavar="ID", help=_h("id för en indikator, ett mål eller ett målområde, t.ex. 3.2.6",
                                               "an indicator, goal or area id, e.g. 3.2.6"))
    data_argument(p, ("läs utfallen", "read outcome data from"))
    language_argument(p, ("förklaringen", "the explanation"))
    commands.add_parser("lsp", help=_h(
        "tala Language Server Protocol på standard in och ut, för en editor (tillägget 'lsp': "
        "pip install 'impactdsl[lsp]')",
        "speak the Language Server Protocol on standard input and output, for an editor "
        "(the optional extra 'lsp': pip install 'impactdsl[lsp]')"))
    return parser


def _day(text: str):
    """--date: a day written YYYY-MM-DD, in the years a period can be."""
    from impactdsl.read.config import parse_day

    day = parse_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(_h(f"'{redact(text, 20)}' är ingen dag skriven ÅÅÅÅ-MM-DD, t.ex. 2023-02-15",
                                            f"'{redact(text, 20)}' is not a day written YYYY-MM-DD, e.g. 2023-02-15"))
    return day


def _format(args) -> tuple[Format | None, int]:
    """The report's format: --format, else what the -o file's ending says (.html .md .xlsx .pdf .json
    .txt), else text; a --format the ending contradicts, or an ending that is no format, is a usage
    error (a report named rapport.xlsx is never plain text)."""
    said = Format(args.format) if args.format else None
    if not args.output:
        return said or Format(getattr(args, "configured_format", None) or Format.TEXT), EXIT_OK
    ending = Path(args.output).suffix
    named = Format.of_path(args.output)
    endings = " ".join(suffix for form in Format for suffix in form.suffixes)
    if said is not None and named is not None and named is not said:
        _error(Said(f"--format {said} och filnamnet {redact(args.output)} säger olika format",
                    f"--format {said} and the file name {redact(args.output)} say different formats"),
               Said(f"döp filen till {Path(args.output).stem}{said.suffixes[0]}, eller utelämna --format",
                    f"name the file {Path(args.output).stem}{said.suffixes[0]}, or leave out --format"))
        return None, EXIT_USAGE
    if said is None and named is None and ending:
        _error(Said(f"filnamnet {redact(args.output)} slutar på {redact(ending, 20)}, som inte är något rapportformat",
                    f"the file name {redact(args.output)} ends in {redact(ending, 20)}, which is no report format"),
               Said(f"låt det sluta på en av {endings}, eller ge --format",
                    f"end it in one of {endings}, or give --format"))
        return None, EXIT_USAGE
    return said or named or Format(getattr(args, "configured_format", None) or Format.TEXT), EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (the console script exits with it)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    _Speaking.lang = _asked_language(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:     # --help, --version, or a usage error already explained
        return int(exit_.code or 0)
    code = _configure(args)
    if code:
        return code
    command = {"check": _check, "evaluate": _evaluate, "explain": _explain, "lock": _lock, "diff": _diff,
               "export": _export, "fmt": _fmt, "completion": _completion, "init": _init,
               "serve": _serve, "test": _test, "lsp": _lsp}[args.command]
    try:
        return command(args)
    except BrokenPipeError:         # output piped into `head`: stop quietly
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:       # Ctrl-C: outputs are written whole or not at all, so nothing is half-written
        print(_h("\nimpactdsl: avbruten; inget skrevs", "\nimpactdsl: interrupted; nothing was written"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:        # a bug of ours: one line without the user's data, never a traceback
        if os.environ.get("IMPACTDSL_DEBUG"):
            raise
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        inside = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
        _error(Said(f"impactdsl fick ett fel inuti sig ({inside}); det är ett fel i impactdsl, inte i era filer",
                    f"impactdsl failed inside ({inside}); this is a bug in impactdsl, not in your files"),
               Said("rapportera det med kommandot ni körde (IMPACTDSL_DEBUG=1 visar var)",
                    "please report it with the command you ran (IMPACTDSL_DEBUG=1 shows where)"))
        return EXIT_INTERNAL


def _asked_language(argv: list[str]) -> str:
    """The language of messages and help before the flags are read: a --lang among them, else the
    locale's, else Swedish (impactdsl.toml's is read once the ruleset is known)."""
    for at, word in enumerate(argv):
        value = argv[at + 1] if word == "--lang" and at + 1 < len(argv) else word.partition("=")[2] \
            if word.startswith("--lang=") else None
        if value in choices(Lang):
            return value
    return (locale_language(os.environ) or Lang.SV).value


def _configure(args) -> int:
    """Fill in what the flags left out from impactdsl.toml beside the ruleset (a flag wins; --allow
    adds to the file's folders); a config file with a problem stops the command (exit 2)."""
    from impactdsl.read import config

    ruleset = getattr(args, "ruleset", None)
    found = config.find(ruleset) if ruleset else None
    given = config.Config()
    if found is not None:
        given, problems = config.read(found, choices(Format), choices(Lang))
        if given is None:
            print(_problems(problems), file=sys.stderr)
            return EXIT_USAGE
    if given.lang and not getattr(args, "lang", None):
        _Speaking.lang = given.lang
    if hasattr(args, "lang"):
        args.lang = args.lang or given.lang or Lang.SV.value
    if hasattr(args, "allow"):
        args.allow = list(args.allow) + [str(folder) for folder in given.allow]
    if getattr(args, "data", "") is None and given.data is not None:
        args.data = str(given.data)
    if args.command == "evaluate":
        args.date = args.date or given.date
        args.configured_format = given.format
    return EXIT_OK


def _report(problems) -> None:
    if problems:
        from impactdsl.core.diagnostics import summary

        print(_problems(problems), file=sys.stderr)
        print(summary(problems, _Speaking.lang), file=sys.stderr)


def _check(args) -> int:
    """The ruleset, and its data folder when there is one (or --data): every problem, all at once.
    Exit 1 on an error (or, with --strict, a warning); warnings alone are shown and exit 0."""
    import impactdsl

    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    data = _data_folder(args)
    if ruleset is not None and not impactdsl.has_errors(problems) and data is not None and \
            (args.data or data.is_dir()):
        problems = problems + impactdsl.check_data(ruleset, data, args.allow, args.lang)
    found = EXIT_FINDINGS if impactdsl.has_errors(problems) or (args.strict and problems) else EXIT_OK
    if args.format != "text":
        import json

        from impactdsl.core.diagnostics import as_records, as_sarif

        document = as_records(problems, _Speaking.lang) if args.format == "json" else \
            as_sarif(problems, __version__, _Speaking.lang)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return found
    _report(problems)
    if ruleset is not None and not problems:
        from impactdsl.render.words import Words

        say = Words(args.lang, ruleset.method)
        print(say("check.ok", path=redact(args.ruleset), areas=len(ruleset.areas),
                  goals=sum(len(a.goals) for a in ruleset.areas),
                  indicators=sum(not i.is_bonus for i in ruleset.indicators), area_word=say("report.area"),
                  goal_word=say("report.goal"), indicator_word=say("report.indicator")))
    return found


def _results(args):
    """check + load + evaluate, reporting problems; (results, outcomes, exit code)."""
    import impactdsl

    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    if ruleset is None:
        _report(problems)
        return None, None, EXIT_FINDINGS
    data = Path(args.data) if args.data else impactdsl.data_folder(args.ruleset)
    outcomes, data_problems = impactdsl.load(data, ruleset, _progress_bar() if sys.stderr.isatty() else None,
                                             args.allow)
    problems = problems + data_problems
    _report(problems)
    if outcomes is None or impactdsl.has_errors(problems):
        return None, None, EXIT_FINDINGS
    return impactdsl.evaluate(ruleset, outcomes), outcomes, EXIT_OK


def _progress_bar():
    """A one-line bar on the terminal for long loads; nothing when output is piped."""
    shown: set[str] = set()

    def report(name: str, done: int, total: int) -> None:
        if total < 8 << 20 and name not in shown:
            return
        shown.add(name)
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\r{redact(name, 60)} [{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1):3d} %",
              end=end, file=sys.stderr, flush=True)
    return report


def _data_folder(args) -> Path | None:
    import impactdsl

    return Path(args.data) if getattr(args, "data", None) else impactdsl.data_folder(args.ruleset)


def _target(args) -> tuple[Path | None, int]:
    """The output file named with -o, refused before any work when it could never be written (a
    link, a folder, a pipe or a device, a file in the data folder); whether it is one of the files
    read is asked again once they are read."""
    if not getattr(args, "output", None):
        return None, EXIT_OK
    target = Path(args.output)
    problem = workspace.may_write(target, workspace.Inputs(data=_data_folder(args)))
    if problem is not None:
        _error(Said.joined(f"{target} ", problem.message), problem.hint)
        return None, EXIT_USAGE
    return target, EXIT_OK


def _evaluate(args) -> int:
    from impactdsl.render.output import missing_extra, render

    target, code = _target(args)            # a file that may never be written: said first
    if code:
        return code
    form, code = _format(args)
    if code:
        return code
    if target is None and form.binary and sys.stdout.isatty():
        _error(Said(f"en {form.value.upper()}-rapport är en fil", f"a {form.value.upper()} report is a file"),
               Said(f"lägg till -o rapport{form.suffixes[0]}", f"add -o rapport{form.suffixes[0]}"))
        return EXIT_USAGE
    missing = missing_extra(form)
    if missing:
        _error(missing, Said("pip install 'impactdsl[pdf]' (det behöver Pango, t.ex. apt install libpango-1.0-0), "
                             "eller skriv HTML och skriv ut den från en webbläsare",
                             "pip install 'impactdsl[pdf]' (it needs Pango, e.g. apt install libpango-1.0-0), "
                             "or write HTML and print it from a browser"))
        return EXIT_USAGE
    results, outcomes, code = _results(args)
    if results is None:
        return code
    colour = target is None and form is Format.TEXT and sys.stdout.isatty()
    output = render(results, form, args.lang, colour, args.date)
    data = output if isinstance(output, bytes) else output.encode("utf-8")
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        code = EXIT_OK
    else:
        code = _write(target, data, workspace.Inputs.of(results.ruleset, outcomes, _data_folder(args)))
    if code == EXIT_OK and args.strict and results.unassessed.indicators:
        from impactdsl.render.words import Words

        _error(Words(args.lang, results.ruleset.method).unassessed(results.unassessed, results.maximum > 0),
               Said("--strict: ge de saknade värdena i datan, eller kör utan --strict",
                    "--strict: give the missing figures in the data, or run without --strict"))
        return EXIT_FINDINGS
    return code


def _write(target: Path, data: bytes, given, rewrites: Path | None = None) -> int:
    problem = workspace.write(target, data, given, rewrites)
    if problem is not None:
        _error(Said.joined(f"{target} ", problem.message), problem.hint)
        return EXIT_USAGE
    print(redact(f"{target}: {len(data)} byte" if _Speaking.lang != Lang.EN else f"{target}: {len(data)} bytes"),
          file=sys.stderr)
    return EXIT_OK


def _explain(args) -> int:
    import impactdsl
    from impactdsl.core.diagnostics import did_you_mean

    results, _, code = _results(args)
    if results is None:
        return code
    text = impactdsl.explain(results, args.id, args.lang)
    if text is None:
        hint = did_you_mean(args.id, results.ids()) or Said("id:na är de publicerade, t.ex. 3.2.6, 3.2 eller 3",
                                                            "ids are the published ones, e.g. 3.2.6, 3.2 or 3")
        written = redact(args.id, 60)
        _error(Said(f"det finns ingen indikator, inget mål och inget målområde '{written}' i {args.ruleset}",
                    f"there is no indicator, goal or area '{written}' in {args.ruleset}"), hint)
        return EXIT_USAGE
    sys.stdout.write(text)
    return EXIT_OK


def _lock(args) -> int:
    """Pin each import's content: compiled without the old lock, written beside the ruleset."""
    import impactdsl

    located, problems = workspace.locate(args.ruleset)
    if located is None:
        _report(problems)
        return EXIT_FINDINGS
    ruleset, problems, _ = workspace.compile_file(located.ruleset_file, args.allow, check=False)
    if ruleset is None:
        _report(impactdsl.with_snippets(problems, {}))
        return EXIT_FINDINGS
    lock = located.ruleset_file.parent / workspace.LOCK_FILE
    given = workspace.Inputs.of(ruleset, None, located.data_folder)
    return _write(lock, workspace.lock_text(ruleset).encode("utf-8"), given, rewrites=lock)


def _diff(args) -> int:
    import impactdsl
    from impactdsl.compile.diff import differences

    rulesets = []
    for path in (args.old, args.new):
        ruleset, problems = impactdsl.check(path, args.allow)
        if ruleset is None:
            _report(problems)
            return EXIT_FINDINGS
        rulesets.append(ruleset)
    lines = differences(*rulesets, lang=_Speaking.lang)
    sys.stdout.write(mask_identities("\n".join(lines)) + ("\n" if lines else _h(
        "inga skillnader i indikatorer, målvärden, vikter eller texter\n",
        "no differences in indicators, targets, weights or texts\n")))
    return EXIT_OK


def _export(args) -> int:
    import impactdsl
    from impactdsl.compile.exchange import to_yaml

    target, code = _target(args)
    if code:
        return code
    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    _report([p for p in problems if p.is_error])
    if ruleset is None:
        return EXIT_FINDINGS
    text = to_yaml(ruleset)
    if target is None:
        sys.stdout.write(text)
        return EXIT_OK
    return _write(target, text.encode("utf-8"), workspace.Inputs.of(ruleset, None, _data_folder(args)))


def _test(args) -> int:
    """Every test folder of the ruleset: ok, or each figure expected against the one that came with
    the indicator's explanation; --coverage then lists what no test reached. Exit 1 on a failure."""
    import impactdsl
    from impactdsl import testing
    from impactdsl.render.words import Words

    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    if ruleset is None or impactdsl.has_errors(problems):
        _report(problems)
        return EXIT_FINDINGS
    say = Words(args.lang, ruleset.method)
    cases = testing.cases_of(args.ruleset)
    if not cases:
        _error(say("test.none", path=redact(args.ruleset)), say("test.how"))
        return EXIT_FINDINGS
    seen = testing.coverage(ruleset)
    failed = 0
    for folder in cases:
        case = testing.run(ruleset, folder, args.allow, args.lang, seen)
        if case.problems:
            failed += 1
            print(redact(say("test.broken", name=case.name)))
            print(_problems(case.problems), file=sys.stderr)
        elif case.misses:
            failed += 1
            print(redact(say("test.failed", name=case.name, count=len(case.misses), checked=case.checked)))
            for miss in case.misses:
                print(redact(say("test.miss", id=miss.id, field=_field_word(say, miss.field),
                                 expected=miss.expected, got=miss.got)))
                if miss.explanation:
                    print("\n".join("      " + line for line in mask_identities(miss.explanation).splitlines()))
        else:
            print(redact(say("test.ok", name=case.name, checked=case.checked)))
    print(redact(say("test.summary", cases=len(cases), failed=failed)))
    if args.coverage:
        reached, there_are = seen.counts()
        print(redact(say("test.coverage", reached=reached, of=there_are)))
        for id_, got, never in seen.gaps():
            print(redact(say("test.never", id=id_, reached=", ".join(got) or "–", never=", ".join(never))))
    return EXIT_FINDINGS if failed else EXIT_OK


def _field_word(say, field: str) -> str:
    """An expected figure named in the ruleset's own words: its word for points and grade, its index's
    name, and the report's for a status."""
    from impactdsl.render.words import lower_first

    if field == "index":
        return say.index_name or field
    return lower_first(say({"status": "report.status", "points": "report.points", "grade": "report.grade"}[field]))


def _serve(args) -> int:
    """The live page, until Ctrl-C (which main turns into exit 130 with its one line)."""
    from impactdsl.serve import Live, serve

    if not 0 <= args.port <= 65535:
        _error(Said(f"--port {args.port} är ingen port", f"--port {args.port} is not a port"),
               Said("ett tal från 1 till 65535, eller 0 för vilken ledig som helst",
                    "a number from 1 to 65535, or 0 for any free one"))
        return EXIT_USAGE
    try:
        serve(Live(args.ruleset, args.data, args.allow, args.lang), args.port,
              lambda url: print(_h(f"impactdsl: rapporten visas på {url} (Ctrl-C avslutar)",
                                   f"impactdsl: the report is shown at {url} (Ctrl-C stops)"), file=sys.stderr, flush=True))
    except OSError as exc:
        _error(Said.joined(Said(f"porten {args.port} går inte att lyssna på: ", f"port {args.port} cannot be listened on: "),
                           files.explain(exc)), Said("välj en annan med --port", "choose another with --port"))
        return EXIT_USAGE
    return EXIT_OK


def _lsp(args) -> int:
    """The language server, until the editor says exit; without pygls installed, a usage error."""
    from impactdsl import lsp

    missing = lsp.missing()
    if missing:
        _error(missing, lsp.HOW)
        return EXIT_USAGE
    lsp.serve()
    return EXIT_OK


STARTER = ("ruleset.impact", "data/outcomes.yaml",     # the files `init` writes, from impactdsl/starter/
           "tests/nära-målet/expect.yaml", "tests/allt-uppfyllt/expect.yaml", "tests/allt-uppfyllt/data/outcomes.yaml")
DRAFT_DATA = ("# Årets utfall, som regelverket läser dem: enkätsvar, räkningar och fakta (docs/data.md).\n"
              "# Utkastet ur måltabellen har ännu inga regler som läser något härifrån.\n")


def _init(args) -> int:
    """A first ruleset folder: the starter's files, or (--from) a draft made from the user's goal table
    and an empty data file, written only into a folder that is new or empty (nothing of the user's is
    ever written over, the table least of all), then the next step to take."""
    from importlib.resources import files as package_files

    folder = Path(args.folder)
    made = None
    if args.table:                                  # the draft is made before anything is written
        import impactdsl

        made, problems = impactdsl.goal_table_draft(args.table)
        if problems:
            print(_problems(problems), file=sys.stderr)
        if made is None:
            _error(Said(f"inget utkast skrevs: {args.table} kunde inte läsas som en måltabell",
                        f"no draft was written: {args.table} could not be read as a goal table"))
            return EXIT_FINDINGS
    try:
        kind = files.kind(folder)
        if kind == "folder" and any(folder.iterdir()) or kind not in ("folder", "missing"):
            _error(Said(f"{folder} har redan filer", f"{folder} already holds files"),
                   Said("ange en ny mapp: impactdsl init mitt-förbund", "name a new folder: impactdsl init mitt-förbund"))
            return EXIT_USAGE
        for name in STARTER if made is None else ("ruleset.impact", "data/outcomes.yaml"):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
    except (files.FileProblem, OSError) as problem:
        _error(Said.joined(Said(f"{folder} går inte att skapa: ", f"{folder} cannot be made: "),
                           getattr(problem, "message", None) or files.explain(problem)))
        return EXIT_USAGE
    if made is not None:
        for name, data in (("ruleset.impact", made.text), ("data/outcomes.yaml", DRAFT_DATA)):
            code = _write(folder / name, data.encode("utf-8"), workspace.Inputs(read=(str(args.table),)))
            if code:
                return code
        from impactdsl.parse.draft import held

        todo = made.indicators + made.bonus_rows
        print(redact(_in_language(Said(
            f"Utkast ur {args.table}: {held(made, 'sv')}; {todo} regler att göra ({made.targets} med målvärde, "
            f"{made.points} med poäng). Nästa steg: impactdsl check {folder} listar dem med rad och kolumn.",
            f"A draft from {args.table}: {held(made, 'en')}; {todo} rules to do ({made.targets} with a target, "
            f"{made.points} with points). Next: impactdsl check {folder} lists them with line and column."))),
            file=sys.stderr)
        return EXIT_OK
    starter = package_files("impactdsl").joinpath("starter")
    for name in STARTER:
        code = _write(folder / name, starter.joinpath(name).read_bytes(), workspace.Inputs())
        if code:
            return code
    print(redact(_h(f"Nästa steg: impactdsl check {folder}, impactdsl test {folder} och impactdsl evaluate {folder}",
                    f"Next: impactdsl check {folder}, impactdsl test {folder} and impactdsl evaluate {folder}")),
          file=sys.stderr)
    return EXIT_OK


def _completion(args) -> int:
    """The completion script of this command line, made by shtab from the parser itself, so it offers
    every command, flag and choice there is; paths complete as files, and folders for --allow/--data."""
    import shtab

    parser = build_parser()
    for action in _actions(parser):
        if action.dest in ("ruleset", "old", "new", "files", "output"):
            action.complete = shtab.FILE
        elif action.dest in ("allow", "data"):
            action.complete = shtab.DIRECTORY
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return EXIT_OK


def _actions(parser):
    """Every argument of the parser and of its commands."""
    for action in parser._actions:
        yield action
        if isinstance(action.choices, dict):                # the commands: a parser each
            for command in action.choices.values():
                yield from _actions(command)


def _fmt(args) -> int:
    """Rewrite each file in the canonical layout; with --check, only say which are not."""
    from impactdsl.core.diagnostics import with_snippets
    from impactdsl.parse.parser import parse
    from impactdsl.parse.printer import format_source

    status = EXIT_OK
    for name in args.files:
        path = Path(name)
        try:
            path = path / workspace.RULESET_FILE if files.kind(path) == "folder" else path
        except files.FileProblem:
            pass                                        # read_source says what is wrong with it
        source, problems = workspace.read_source(path)
        document = None
        if source is not None:
            document, problems = parse(source)
        if document is None:
            print(_problems(with_snippets(problems, {source.path: source} if source else {})), file=sys.stderr)
            status = max(status, EXIT_FINDINGS)
            continue
        formatted = format_source(document, source, args.keywords)
        if formatted == source.text:
            continue
        if args.check:
            print(_h(f"{source.path}: inte uppställd (kör impactdsl fmt {source.path})",
                     f"{source.path}: not formatted (run impactdsl fmt {source.path})"), file=sys.stderr)
            status = max(status, EXIT_FINDINGS)
            continue
        problem = workspace.write(path, formatted.encode("utf-8"), rewrites=path)
        if problem is not None:
            _error(Said.joined(f"{path} ", problem.message), problem.hint)       # named as given: a link is not its file
            status = EXIT_USAGE
            continue
        print(_h(f"{source.path}: uppställd", f"{source.path}: formatted"), file=sys.stderr)
    return status
