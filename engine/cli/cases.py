"""``coalition cases export DIR [NAME...]``: copy case files out, to edit and ask with --cases.

An installed tool reads its own copies of the shipped cases, inside the package; an analyst who
wants to change the evidence exports the files and edits the copies. Registered in cli.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from digital_coalitions.cli.common import UsageProblem, cases_option
from digital_coalitions.casefiles.question import QuestionError


@click.group("cases", context_settings={"help_option_names": ["-h", "--help"]})
def cases_group():
    """The case files: copy them out to edit (`coalition cases export DIR`)."""


@cases_group.command("export")
@click.argument("directory", metavar="DIR")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@cases_option
def export(directory, names, cases):
    """Copy the case files into DIR/states/ and DIR/coalitions/: all of them (and the backtest's
    decisions.yaml), or the states and coalitions NAMES. `--cases DIR` then asks from the copies,
    which replace the shipped files of the same id. An existing file is never replaced."""
    from digital_coalitions.analysis.backtest import default_decisions

    resolver = cases
    base = resolver.base
    if names:
        files, unknown = [], []
        for name in names:
            found = _find(resolver, name)
            (files.append(found) if found else unknown.append(name))
        if unknown:
            raise UsageProblem("\n".join(
                f"{name!r}: no state or coalition of that id or name; expected one that "
                f"`coalition list` shows{_near(resolver, name)}" for name in unknown))
    else:
        files = [*base.states.values(), *base.coalitions.values()]
    target = Path(directory)
    copies = {target / ("states" if case.kind == "state" else "coalitions") / case.path.name:
              case.path for case in files}
    decisions = default_decisions(*base.directories)
    if not names and decisions.is_file():
        copies[target / decisions.name] = decisions
    there = [f"{path}: already exists; expected a path where no file is (export never replaces "
             "a file)" for path in copies if os.path.lexists(path)]
    if there:
        raise UsageProblem("\n".join(there))
    for destination, source in copies.items():
        _copy_new(source, destination)
    states = sum(case.kind == "state" for case in files)
    what = [_count(states, "state file"), _count(len(files) - states, "coalition file")]
    if target / decisions.name in copies:
        what.append(decisions.name)
    click.echo(f"exported {', '.join(what[:-1])} and {what[-1]} to {target}; `--cases {target}` "
               "asks from these copies (edit them: a copy of a shipped file replaces it)")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _find(resolver, name):
    for kind in ("state", "coalition"):
        try:
            return resolver.find(name, kind)
        except QuestionError:
            continue
    return None


def _near(resolver, name: str) -> str:
    """A "did you mean" for a name no file claims, as a question's unknown name gets."""
    near = resolver.near(name)
    return f" (did you mean {near.id!r}?)" if near else ""


def _copy_new(source: Path, destination: Path) -> None:
    """Write ``destination`` complete or not at all, and never over a file that exists."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
        partial.write_bytes(source.read_bytes())
        try:
            os.link(partial, destination)  # fails, rather than replaces, if a file appeared
        finally:
            partial.unlink()
    except OSError as error:
        raise UsageProblem(f"{destination}: cannot be written ({error.strerror or error}); "
                           "expected a directory that can be written to") from None
