"""The ``casebrief`` command: validate, list and create cases (and, once registered, build briefs).

Each subcommand is one :func:`register` call: a name, a help line, a function that adds its arguments and
the function that runs it, which may be given as ``"module:function"`` so that its module (and pandas,
Frictionless, nbconvert...) is imported only when that subcommand runs. ``casebrief --help`` stays fast.

Errors the user can act on (:class:`~analysis.errors.CasebriefError`) are printed without a traceback and
exit 2; anything unexpected prints one line and exits 1 (``CASEBRIEF_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from analysis import __version__
from analysis.errors import CasebriefError

Runner = Callable[[argparse.Namespace], int | None]


@dataclass(frozen=True)
class Command:
    """A subcommand: ``add_arguments(parser)`` declares its arguments, ``run(args)`` returns an exit code."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Runner | str  # a function, or "module:function" imported when the command runs

    def runner(self) -> Runner:
        if callable(self.run):
            return self.run
        module, _, attr = self.run.partition(":")
        return getattr(importlib.import_module(module), attr)


COMMANDS: list[Command] = []


def register(
    name: str,
    help: str,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    run: Runner | str,
) -> None:
    """Add a subcommand (a later registration of the same name replaces the earlier one)."""
    COMMANDS[:] = [c for c in COMMANDS if c.name != name]
    COMMANDS.append(Command(name, help, add_arguments, run))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casebrief",
        description="Turn a sourced policy case into reproducible briefings. A case is a folder under "
        "data/cases/ (a Frictionless data package plus case.yaml); name it by its id or its path.",
    )
    parser.add_argument("--version", action="version", version=f"casebrief {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(p)
        p.set_defaults(_command=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 done, 1 unexpected error, 2 bad input or data)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse exits 2 and says why)
        return exc.code if isinstance(exc.code, int) else 0
    command: Command | None = getattr(args, "_command", None)
    if command is None:
        parser.print_help()
        return 2
    try:
        code = command.runner()(args)
        return int(code or 0)
    except CasebriefError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("casebrief: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("CASEBRIEF_DEBUG") == "1":
            raise
        print(
            f"casebrief {command.name}: unexpected error: {type(exc).__name__}: {exc}\n"
            "(this is a bug in casebrief; run again with CASEBRIEF_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 1


# ------------------------------------------------------------------------------------------------
# validate


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", nargs="?", default=None, metavar="CASE",
                   help="case id under data/cases/ or path to a case folder (default: the default case)")


def _validate(args: argparse.Namespace) -> int:
    from analysis.errors import CaseDataError
    from analysis.locate import resolve_case
    from analysis.validate import check_case

    result = check_case(resolve_case(args.case))
    if result.problems:
        raise CaseDataError(result.case, result.problems)
    print(result.summary())
    return 0


# ------------------------------------------------------------------------------------------------
# list


def _list_arguments(p: argparse.ArgumentParser) -> None:
    pass


def _list(args: argparse.Namespace) -> int:
    from analysis.locate import describe_case, list_cases
    from analysis.paths import cases_dir

    folders = list_cases()
    if not folders:
        print(f"no cases in {cases_dir()} (create one with: casebrief new-case ID)")
        return 0
    for folder in folders:
        info = describe_case(folder)
        print(f"{folder.name}  {info['title']}")
        print(f"    period {info['period']}; {info['counts']}")
    return 0


# ------------------------------------------------------------------------------------------------
# new-case


def _new_case_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="the new case's id: lowercase letters, digits and hyphens")
    p.add_argument("--title", default=None, help="the case's title (can be edited later in case.yaml)")


def _new_case(args: argparse.Namespace) -> int:
    from analysis.scaffold import new_case

    path = new_case(args.id, title=args.title)
    print(f"created {path}: one example row per table and a case.yaml to fill in")
    print(f"replace the rows marked EXAMPLE, then check the case with: casebrief validate {args.id}")
    return 0


register("validate", "check a case and report every problem at once (exit 0 valid, 2 invalid)",
         _validate_arguments, _validate)
register("list", "list the cases with their title, period and counts", _list_arguments, _list)
register("new-case", "create a new case folder with the schema, example rows and a case.yaml to fill in",
         _new_case_arguments, _new_case)


# ------------------------------------------------------------------------------------------------
# build (the pipeline is analysis.build; importing it for its arguments costs nothing heavy)


def _build_arguments(p: argparse.ArgumentParser) -> None:
    from analysis.build import add_arguments

    add_arguments(p)


register("build", "render the briefs of a case (HTML and PDF) into reports/; skips what is up to date",
         _build_arguments, "analysis.build:run")


# ------------------------------------------------------------------------------------------------
# verify


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("brief", metavar="BRIEF", help="a PDF or HTML brief built by casebrief")
    p.add_argument("--timeout", type=int, default=300, metavar="SECONDS",
                   help="give up on a notebook cell of the rebuild after SECONDS (default 300)")


def _verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.verify import verify

    verdict = verify(Path(args.brief), timeout=args.timeout)
    print(verdict.text(), file=sys.stdout if verdict.code == 0 else sys.stderr)
    return verdict.code


register("verify", "rebuild a PDF or HTML brief from the data it carries and compare (exit 0 identical, "
         "1 not matching, 2 not a casebrief brief)", _verify_arguments, _verify)
