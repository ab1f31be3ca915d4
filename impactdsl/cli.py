"""The command line: a thin shell over the library API.

The only module that prints or exits. Exit 0 on success, 1 on findings in
the user's files, 2 on usage errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"error: {message}\n  = hint: run '{self.prog} --help' for what it takes", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="impactdsl", description="Evaluate and explain goal rulesets of "
                     "coordination associations (samordningsförbund).")
    parser.add_argument("--version", action="version", version=f"impactdsl {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def ruleset_argument(p, name="ruleset"):
        p.add_argument(name, metavar=name.upper(),
                       help="a .impact file, or a folder holding ruleset.impact and data/")
        if name == "ruleset":
            p.add_argument("--allow", metavar="DIR", action="append", default=[],
                           help="a folder imports may read besides the ruleset's own (repeatable)")

    p = commands.add_parser("check", help="compile a ruleset and report every problem")
    ruleset_argument(p)
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the summary (default sv)")
    p = commands.add_parser("evaluate", help="score a ruleset against its outcome data")
    ruleset_argument(p)
    p.add_argument("--data", metavar="DIR", help="read outcome data from DIR instead of RULESET/data")
    p.add_argument("--format", choices=("text", "md", "html", "xlsx", "json"), default="text",
                   help="output format (default text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of the terminal")
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the report (default sv)")
    p = commands.add_parser("lock", help="pin the content of every import in ruleset.lock")
    ruleset_argument(p)
    p = commands.add_parser("diff", help="what changed between two rulesets")
    ruleset_argument(p, "old")
    ruleset_argument(p, "new")
    p.add_argument("--allow", metavar="DIR", action="append", default=[],
                   help="a folder imports may read (repeatable)")
    p = commands.add_parser("export", help="write the compiled ruleset in the exchange format")
    ruleset_argument(p)
    p.add_argument("--yaml", action="store_true", required=True, help="as canonical YAML")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    p = commands.add_parser("fmt", help="rewrite a ruleset in the canonical layout, comments kept")
    p.add_argument("files", metavar="FILE", nargs="+", help=".impact files, or folders holding ruleset.impact")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not formatted")
    p = commands.add_parser("explain", help="explain one indicator, goal or area")
    ruleset_argument(p)
    p.add_argument("id", metavar="ID", help="an indicator, goal or area id, e.g. 3.2.6")
    p.add_argument("--data", metavar="DIR", help="read outcome data from DIR instead of RULESET/data")
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the explanation (default sv)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (the console script exits with it)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:     # --help, --version, or a usage error already explained
        return int(exit_.code or 0)
    try:
        return {"check": _check, "evaluate": _evaluate, "explain": _explain, "lock": _lock, "diff": _diff,
                "export": _export, "fmt": _fmt}[args.command](args)
    except BrokenPipeError:         # output piped into `head`: stop quietly
        sys.stderr.close()
        return EXIT_OK


def _report(problems) -> None:
    import impactdsl

    if problems:
        print(impactdsl.render_problems(problems), file=sys.stderr)
        from .diagnostics import summary

        print(summary(problems), file=sys.stderr)


def _check(args) -> int:
    import impactdsl

    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    _report(problems)
    if ruleset is not None and not problems:
        from .words import words

        print(words(args.lang)("check.ok", path=args.ruleset, areas=len(ruleset.areas),
                               goals=sum(len(a.goals) for a in ruleset.areas),
                               indicators=sum(not i.is_bonus for i in ruleset.indicators)))
    return EXIT_FINDINGS if problems else EXIT_OK


def _results(args):
    """check + load + evaluate, reporting problems; (results, exit code)."""
    import impactdsl

    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    if ruleset is None:
        _report(problems)
        return None, EXIT_FINDINGS
    data = Path(args.data) if args.data else impactdsl.data_folder(args.ruleset)
    outcomes, data_problems = impactdsl.load(data, ruleset, _progress_bar() if sys.stderr.isatty() else None)
    problems = problems + data_problems
    _report(problems)
    if outcomes is None or impactdsl.has_errors(problems):
        return None, EXIT_FINDINGS
    return impactdsl.evaluate(ruleset, outcomes), EXIT_OK


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
        print(f"\r{name} [{'#' * filled}{'.' * (width - filled)}] {100 * done // max(total, 1):3d} %",
              end=end, file=sys.stderr, flush=True)
    return report


def _evaluate(args) -> int:
    from .render import render

    target = Path(args.output) if args.output else None
    if target is not None and (problem := _unsafe_output(target, args)):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if target is None and args.format == "xlsx" and sys.stdout.isatty():
        print("error: an XLSX report is a file\n  = hint: add -o rapport.xlsx", file=sys.stderr)
        return EXIT_USAGE
    results, code = _results(args)
    if results is None:
        return code
    colour = target is None and args.format == "text" and sys.stdout.isatty()
    output = render(results, args.format, args.lang, colour)
    data = output if isinstance(output, bytes) else output.encode("utf-8")
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    return _write(target, data)


def _unsafe_output(target: Path, args) -> str | None:
    """Refuse to write over anything the user gave: the ruleset, its lock, its data, its imports."""
    import impactdsl
    from .workspace import LOCK_FILE, RULESET_FILE, locate, resolve

    if target.is_dir():
        return f"{target} is a folder; name a file, e.g. -o rapport.{getattr(args, 'format', 'yaml')}"
    located, _ = locate(args.ruleset)
    if located is None:
        return None
    inputs = [located.ruleset_file, located.ruleset_file.parent / LOCK_FILE]
    folder = Path(args.data) if getattr(args, "data", None) else located.data_folder
    if folder.is_dir():
        inputs += [p for p in folder.rglob("*") if p.is_file()]
    ruleset, _ = impactdsl.check(args.ruleset, args.allow)
    root = located.ruleset_file.resolve().parent
    allowed = tuple(Path(a).resolve() for a in args.allow)
    for _, written, _ in (ruleset.imports if ruleset else ()):
        found, _ = resolve(written, root, root, allowed)
        if found is not None:
            inputs += [found, found.parent / RULESET_FILE]
    resolved = target.resolve()
    if any(resolved == p.resolve() for p in inputs if p.exists()):
        return f"{target} is one of your input files; impactdsl never writes over them"
    return None


def _write(target: Path, data: bytes) -> int:
    try:
        target.write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}\n  = hint: check that the folder exists "
              "and may be written", file=sys.stderr)
        return EXIT_USAGE
    print(f"{target}: {len(data)} bytes", file=sys.stderr)
    return EXIT_OK


def _explain(args) -> int:
    import impactdsl
    from .diagnostics import did_you_mean

    results, code = _results(args)
    if results is None:
        return code
    text = impactdsl.explain(results, args.id, args.lang)
    if text is None:
        hint = did_you_mean(args.id, results.ids()) or "ids are the published ones, e.g. 3.2.6, 3.2 or 3"
        print(f"error: there is no indicator, goal or area '{args.id}' in {args.ruleset}\n  = hint: {hint}",
              file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(text)
    return EXIT_OK


def _lock(args) -> int:
    """Pin each import's content: compiled without the old lock, written beside the ruleset."""
    import impactdsl
    from .workspace import LOCK_FILE, compile_file, locate, lock_text

    located, problems = locate(args.ruleset)
    if located is None:
        _report(problems)
        return EXIT_FINDINGS
    ruleset, problems, _ = compile_file(located.ruleset_file, args.allow, check=False)
    if ruleset is None:
        _report(impactdsl.with_snippets(problems, {}))
        return EXIT_FINDINGS
    return _write(located.ruleset_file.parent / LOCK_FILE, lock_text(ruleset).encode("utf-8"))


def _diff(args) -> int:
    import impactdsl
    from .diff import differences

    rulesets = []
    for path in (args.old, args.new):
        ruleset, problems = impactdsl.check(path, args.allow)
        if ruleset is None:
            _report(problems)
            return EXIT_FINDINGS
        rulesets.append(ruleset)
    lines = differences(*rulesets)
    sys.stdout.write("\n".join(lines) + ("\n" if lines else "no differences in indicators, targets, "
                                          "weights or texts\n"))
    return EXIT_OK


def _export(args) -> int:
    import impactdsl
    from .exchange import to_yaml

    ruleset, problems = impactdsl.check(args.ruleset, args.allow)
    _report([p for p in problems if p.is_error])
    if ruleset is None:
        return EXIT_FINDINGS
    text = to_yaml(ruleset)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.output)
    problem = _unsafe_output(target, args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return _write(target, text.encode("utf-8"))


def _fmt(args) -> int:
    """Rewrite each file in the canonical layout; with --check, only say which are not."""
    from .diagnostics import render
    from .parse import parse
    from .printer import format_source
    from .workspace import RULESET_FILE, read_source

    status = EXIT_OK
    for name in args.files:
        path = Path(name)
        path = path / RULESET_FILE if path.is_dir() else path
        source, problems = read_source(path)
        document = None
        if source is not None:
            document, problems = parse(source)
        if document is None:
            from .diagnostics import with_snippets

            print(render(with_snippets(problems, {source.path: source} if source else {})), file=sys.stderr)
            status = EXIT_FINDINGS
            continue
        formatted = format_source(document, source)
        if formatted == source.text:
            continue
        if args.check:
            print(f"{source.path}: not formatted (run impactdsl fmt {source.path})", file=sys.stderr)
            status = EXIT_FINDINGS
        else:
            path.write_text(formatted, encoding="utf-8")
            print(f"{source.path}: formatted", file=sys.stderr)
    return status
