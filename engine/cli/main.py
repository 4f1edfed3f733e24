"""The ``coalition`` command: parse, load, ask the engine, render. No reasoning lives here."""

from __future__ import annotations

import importlib
import json
import os
import sys
import warnings
from pathlib import Path

import click

from digital_coalitions import __version__
from digital_coalitions.cli import completion as complete
from digital_coalitions import api
from digital_coalitions.casefiles.question import NotACandidate
from digital_coalitions.cli.common import as_of_option, cases_option, set_option
from digital_coalitions.errors import BadInput, Note

BAD_INPUT = 2


class LazyGroup(click.Group):
    """A group whose commands defined in other modules are imported when one is run (or listed,
    for help and completion), not at start-up: ``coalition ask`` pays for no other command's
    imports (the analysis commands alone import Jinja, the memo and the explorer)."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})  # command name -> "module:attribute"

    def list_commands(self, ctx):
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


class Program(LazyGroup):
    """Turns every kind of bad input into one-line errors on stderr and exit status 2."""

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)  # click itself ends quietly on a broken pipe
        except OSError as error:
            if error.filename is not None:
                raise
            # an OSError naming no file comes from writing an open stream: standard output
            # (every file the commands open is named in their errors, or made a UsageProblem)
            _quiet_stdout()
            try:
                click.echo(f"error: standard output: cannot be written "
                           f"({error.strerror or type(error).__name__}); expected a writable "
                           "standard output", err=True)
            except OSError:
                pass
            sys.exit(BAD_INPUT)

    def invoke(self, ctx):
        try:
            with warnings.catch_warnings():  # the library's notes, one line each after "note:"
                warnings.simplefilter("always", Note)
                warnings.showwarning = _show_note(warnings.showwarning)
                return super().invoke(ctx)
        except BadInput as error:
            for line in str(error).splitlines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(BAD_INPUT)
        except click.UsageError as error:  # click's own checks, said in one line like the rest
            # an option's missing value names no context: the command it was given to is the
            # subcommand being parsed, not the group ("coalition ask --set" is `ask`'s)
            where = error.ctx.command_path if error.ctx else " ".join(
                filter(None, (ctx.command_path, ctx.invoked_subcommand)))
            what = " ".join(error.format_message().split()).rstrip(".")
            click.echo(f"error: {where}: {what}; expected what `{where} --help` shows", err=True)
            ctx.exit(BAD_INPUT)
        except NotACandidate as role:  # an answer, not an error: there is no forecast to make
            from digital_coalitions.text.render import render_role

            click.echo(render_role(role), nl=False)


def _show_note(show):
    """``warnings.showwarning`` printing a Note as ``note: …`` on stderr, each text once (memo
    --all applies one --set for every state), others as ``show`` does."""
    told = set()

    def show_note(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, Note):
            if str(message) not in told:
                told.add(str(message))
                click.echo(f"note: {message}", err=True)
        else:
            show(message, category, filename, lineno, file, line)

    return show_note


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's flush on exit fails no second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test runner's stream)
        pass


format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True)


# commands defined in other modules, imported when run: (audit: trace, why, rules coverage,
# show, verdicts) (analysis: memo, whatif, flips, matrix, map, outlook, timeline, backtest)
# (cases export)
_ANALYSIS = "digital_coalitions.cli.analysis"
COMMANDS = {"trace": "digital_coalitions.cli.audit:trace", "why": "digital_coalitions.cli.audit:why",
            "memo": f"{_ANALYSIS}:memo", "whatif": f"{_ANALYSIS}:whatif",
            "flips": f"{_ANALYSIS}:flips", "matrix": f"{_ANALYSIS}:matrix",
            "map": f"{_ANALYSIS}:map_command", "outlook": f"{_ANALYSIS}:outlook",
            "timeline": f"{_ANALYSIS}:timeline", "backtest": f"{_ANALYSIS}:backtest",
            "cases": "digital_coalitions.cli.cases:cases_group",
            "serve": "digital_coalitions.cli.serve:serve"}
RULES_COMMANDS = {"coverage": "digital_coalitions.cli.audit:coverage",
                  "show": "digital_coalitions.cli.audit:rule_show",  # replaces a plain show: adds the cases
                  "verdicts": "digital_coalitions.cli.audit:verdicts"}


@click.group(cls=Program, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coalition")
def main():
    """Will state X join digital coalition Y? Answers from the rules of Liu 2024."""


@main.command()
@click.argument("question", nargs=-1, required=True, shell_complete=complete.question)
@cases_option
@format_option
@set_option
@as_of_option
@click.option("--trace", "with_trace", is_flag=True, help="Add the readable rule trace.")
def ask(question, cases, fmt, assignments, as_of, with_trace):
    """Answer a question: "Will South Korea join Chip 4?", two names or IDs, or two YAML paths."""
    try:
        answer = api.ask(*question, cases=cases, as_of=as_of, set=assignments)
    except NotACandidate as role:
        if fmt != "json":
            raise
        click.echo(json.dumps(role.to_dict(), indent=2, ensure_ascii=False))
        return
    if fmt == "json":
        data = answer.to_dict()
        if with_trace:
            from digital_coalitions.audit.trace import trace_record

            data["trace"] = trace_record(answer, argv=sys.argv[1:])
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from digital_coalitions.text.render import render_text  # Jinja: text output only

    click.echo(render_text(answer), nl=False)
    if with_trace:
        from digital_coalitions.audit.trace import render_trace_text

        click.echo("\n" + render_trace_text(answer, argv=sys.argv[1:]), nl=False)


def _latest_status(coalition) -> dict:
    """The coalition's status at its latest evidence, which a question without --as-of reads,
    and the first year of its file that gives it (a defunct coalition's main block says active)."""
    years = sorted(coalition.evidence_years)
    latest = coalition.at(years[-1]).data["status"]
    since = next(y for y in reversed(years) if coalition.at(y).data["status"] != latest) \
        if any(coalition.at(y).data["status"] != latest for y in years) else None
    first = years[0] if since is None else years[years.index(since) + 1]
    return {"latest_status": latest, "latest_status_from": first,
            "status_before": None if since is None else coalition.at(since).data["status"]}


@main.command("list")
@cases_option
@format_option
def list_cases(cases, fmt):
    """The states and coalitions in the case directory."""
    base = cases.base
    # as_of is the file's main block; an answer without --as-of reads the latest of its years
    states = [{"id": s.id, "name": s.data["name"], "kind": s.data["kind"], "as_of": s.data["as_of"],
               "evidence_years": list(s.evidence_years), "latest": max(s.evidence_years),
               "aliases": list(s.data.get("aliases", [])), "path": str(s.path)}
              for s in base.states.values()]
    coalitions = [{"id": c.id, "name": c.data["name"], "leader": c.data["leader"],
                   "target": c.data.get("target"), "demand": c.data["demand"],
                   "status": c.data["status"], "evidence_years": list(c.evidence_years),
                   # the status at the latest evidence, which a question without --as-of reads
                   **_latest_status(c),
                   "path": str(c.path)} for c in base.coalitions.values()]
    if fmt == "json":
        click.echo(json.dumps({"directory": str(base.directory),
                               "directories": [str(d) for d in base.directories],
                               "states": states, "coalitions": coalitions}, indent=2))
        return
    lowest, *added = base.directories
    also = "".join(f", with {d} added (its files replace those of the same id)" for d in added)

    def origin(entry):  # files of an added directory say so: an analyst's own are told apart
        return f"  [{entry['path']}]" if Path(entry["path"]).parents[1] != lowest else ""

    click.echo(f"Cases in {lowest}{also}\n\nStates (as of: the evidence a question reads unless "
               f"--as-of asks for an earlier year):")
    wide = max((len(s["id"]) for s in states), default=0)  # ids as wide as the longest
    for s in sorted(states, key=lambda s: s["id"]):
        aliases = f"  (also: {', '.join(s['aliases'])})" if s["aliases"] else ""
        *earlier, latest = s["evidence_years"]  # sorted: the last is s["latest"]
        history = f" (earlier: {', '.join(map(str, earlier))})" if earlier else ""
        click.echo(f"  {s['id']:<{wide}}  {s['name']}, as of {latest}{history}{aliases}"
                   f"{origin(s)}")
    click.echo("\nCoalitions:")
    wide = max((len(c["id"]) for c in coalitions), default=0)
    for c in sorted(coalitions, key=lambda c: c["id"]):
        aim = f" against {c['target']}" if c["target"] else ""
        status = c["status"] if c["status_before"] is None else \
            f"{c['latest_status']} from {c['latest_status_from']} ({c['status_before']} before)"
        click.echo(f"  {c['id']:<{wide}}  {c['name']} — led by {c['leader']}{aim}; "
                   f"{c['demand']}, {status}{origin(c)}")


@main.group(cls=LazyGroup, lazy=RULES_COMMANDS, invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@click.pass_context
def rules(ctx, fmt):
    """The rule catalogue, generated from the rules themselves."""
    if ctx.invoked_subcommand is None:
        from digital_coalitions.audit.catalogue import render_catalogue

        click.echo(render_catalogue(fmt), nl=False)


@main.command("schema")
@click.option("--kind", type=click.Choice(["state", "coalition"]), default=None,
              help="Only one kind of file (default: either; a file with `leader` is a coalition).")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE (atomically) instead of standard output.")
def schema_command(kind, output):
    """The JSON Schema (draft 2020-12) of case files, for editors (docs/case-files.md)."""
    from digital_coalitions import api
    from digital_coalitions.casefiles.json_schema import case_schema, dumps
    from digital_coalitions.casefiles.question import CaseChoice
    from digital_coalitions.cli.analysis import emit
    from digital_coalitions.cli.output import protected_files

    emit(dumps(case_schema(kind)), output, protected_files(api.Cases.chosen(CaseChoice())))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
