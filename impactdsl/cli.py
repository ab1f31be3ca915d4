"""The command line: a thin shell over the library API.

The only module that prints or exits. Exit 0 on success, 1 on findings in
the user's files, 2 on usage errors."""

from __future__ import annotations

import argparse
import json
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

    def ruleset_argument(p):
        p.add_argument("ruleset", metavar="RULESET",
                       help="a .impact file, or a folder holding ruleset.impact and data/")

    p = commands.add_parser("check", help="compile a ruleset and report every problem")
    ruleset_argument(p)
    p = commands.add_parser("evaluate", help="score a ruleset against its outcome data")
    ruleset_argument(p)
    p.add_argument("--data", metavar="DIR", help="read outcome data from DIR instead of RULESET/data")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p = commands.add_parser("explain", help="explain one indicator, goal or area")
    ruleset_argument(p)
    p.add_argument("id", metavar="ID", help="an indicator, goal or area id, e.g. 3.2.6")
    p.add_argument("--data", metavar="DIR", help="read outcome data from DIR instead of RULESET/data")
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
        return {"check": _check, "evaluate": _evaluate, "explain": _explain}[args.command](args)
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

    ruleset, problems = impactdsl.check(args.ruleset)
    _report(problems)
    if ruleset is not None and not problems:
        print(f"{args.ruleset}: ok — {len(ruleset.areas)} målområden, "
              f"{sum(len(a.goals) for a in ruleset.areas)} mål, "
              f"{sum(not i.is_bonus for i in ruleset.indicators)} indikatorer")
    return EXIT_FINDINGS if problems else EXIT_OK


def _results(args):
    """check + load + evaluate, reporting problems; (results, exit code)."""
    import impactdsl

    ruleset, problems = impactdsl.check(args.ruleset)
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
    import impactdsl

    results, code = _results(args)
    if results is None:
        return code
    if args.format == "json":
        print(json.dumps(impactdsl.to_json(results), ensure_ascii=False, sort_keys=True, indent=2))
    else:
        from .render_text import render_text

        sys.stdout.write(render_text(results))
    return EXIT_OK


def _explain(args) -> int:
    import impactdsl
    from .diagnostics import did_you_mean

    results, code = _results(args)
    if results is None:
        return code
    text = impactdsl.explain(results, args.id)
    if text is None:
        hint = did_you_mean(args.id, results.ids()) or "ids are the published ones, e.g. 3.2.6, 3.2 or 3"
        print(f"error: there is no indicator, goal or area '{args.id}' in {args.ruleset}\n  = hint: {hint}",
              file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(text)
    return EXIT_OK
