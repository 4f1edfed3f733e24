"""The auditor's commands: ``trace`` (record, show, verify, diff), ``why``, ``rules coverage``.

Thin, like the rest of the CLI: parse, load, call ``trace`` / ``why`` / ``coverage``, render.
Registered on the ``coalition`` group in cli.py. The CLI module is imported inside the
commands (not at the top) because cli.py imports this module while it is being loaded.
"""

from __future__ import annotations

import json
import sys

import click

from . import trace as traces
from .cli_common import UsageProblem, as_of_option, cases_option, question_files
from .output import write_output

BAD_INPUT, DIVERGED = 2, 1


class DefaultGroup(click.Group):
    """A group whose first argument, when it is no subcommand, goes to a default command."""

    default_command = "record"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, "STATE COALITION [-o FILE] | show|verify|diff ...")


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
def trace():
    """The rule trace of an answer: record it, show it, verify it by re-running, diff two.

    \b
      coalition trace south-korea chip4 -o sk-chip4.trace.json
      coalition trace show sk-chip4.trace.json
      coalition trace verify sk-chip4.trace.json
      coalition trace diff a.trace.json b.trace.json
    """


@trace.command("record")
@click.argument("question", nargs=-1, required=True)
@cases_option
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="Change one value of the evidence before asking (repeatable); recorded in the trace.")
@click.option("-o", "--output", metavar="FILE", help="Write the JSON trace here (atomically).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="What to print when there is no -o.")
@as_of_option
def record(question, cases, assignments, output, fmt, as_of):
    """Record the trace of "will STATE join COALITION?" (the default: `coalition trace STATE COALITION`)."""
    from .answer import ask
    state, coalition = question_files(question, cases, assignments, as_of=as_of)
    data = traces.trace_record(ask(state, coalition), assignments=list(assignments),
                               argv=command_line(question, cases, assignments, output, as_of))
    if output:
        write_output(output, traces.dumps(data), protected=(state.path, coalition.path))
        click.echo(f"trace of \"{data['question']}\" written to {output} "
                   f"({len(data['firings'])} steps, verdict {data['verdict']})")
    elif fmt == "text":
        click.echo(traces.render_record_text(data), nl=False)
    else:
        click.echo(traces.dumps(data), nl=False)


def command_line(question, cases, assignments, output, as_of=None) -> list[str]:
    """The command as parsed, in one order: the same however it was typed or invoked."""
    argv = ["trace", *question, *cases.flags()]
    if as_of is not None:
        argv += ["--as-of", str(as_of)]
    for assignment in assignments:
        argv += ["--set", assignment]
    return argv + (["-o", output] if output else [])


@trace.command("show")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def show(file, fmt):
    """Print a trace file readably (numbered steps in the paper's words)."""
    data = traces.load_trace(file)
    click.echo(traces.render_record_text(data) if fmt == "text" else traces.dumps(data), nl=False)


@trace.command("verify")
@click.argument("file")
def verify(file):
    """Re-run a trace from its recorded inputs; exit 0 if identical, 1 with the first divergence."""
    data = traces.load_trace(file)
    result = traces.verify(data)
    if result.identical:
        click.echo(result.message)
        return
    click.echo(f"diverged: {result.message}", err=True)
    click.echo("  (`coalition trace` the question again and `coalition trace diff` the two traces "
               "to see everything that changed)", err=True)
    sys.exit(DIVERGED)


@trace.command("diff")
@click.argument("first")
@click.argument("second")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def diff(first, second, fmt):
    """Align two traces: which evidence changed, which firings appeared or vanished, how the verdict moved."""
    result = traces.diff(traces.load_trace(first), traces.load_trace(second))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(traces.render_diff_text(result), nl=False)


@click.command()
@click.argument("words", nargs=-1, required=True)
@cases_option
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="Change one value of the evidence before asking (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@as_of_option
def why(words, cases, assignments, fmt, as_of):
    """How was CONCEPT concluded, down to the evidence? Or why not, for a verdict it did not reach.

    \b
      coalition why south-korea chip4 stranglehold
      coalition why south-korea chip4 verdict
      coalition why south-korea chip4 joins          (why not joins?)
    Concepts: the mechanisms of `coalition ask --format json`, verdict, likelihood, confidence.
    """
    from .answer import ask
    from .why import ConceptError, explain, render_why_text

    if words[0].lower().startswith("will ") or words[0].lower() == "will":
        question, concept = words[:-1], words[-1]  # "Will South Korea join Chip 4?" CONCEPT
    else:
        # a concept of two words ("security dependency") may arrive as two arguments
        question, concept = words[:2], " ".join(words[2:])
    if len(words) < 2 or not concept or not question:
        raise UsageProblem("expected STATE COALITION CONCEPT, e.g. `coalition why south-korea chip4 "
                       "stranglehold`")
    state, coalition = question_files(question, cases, assignments, as_of=as_of)
    try:
        result = explain(ask(state, coalition), concept)
    except ConceptError as error:
        raise UsageProblem(str(error)) from None
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_why_text(result), nl=False)


@click.command("coverage")
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def coverage(cases, fmt):
    """Ask every state about every coalition: how many pairings fire each rule; what never fires."""
    from .coverage import render_coverage, run_coverage
    from .question import case_directories

    click.echo(render_coverage(run_coverage(case_directories(cases)), fmt), nl=False)


@click.command("verdicts")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def verdicts(fmt):
    """The decision table of the verdict, row by row: the first row that holds decides."""
    from .catalogue import render_decision_table

    click.echo(render_decision_table(fmt), nl=False)


@click.command("show")
@click.argument("rule_id")
@cases_option
def rule_show(rule_id, cases):
    """One rule: what it concludes, why, its conditions, its claims and the cases where it fires."""
    from .catalogue import render_rule
    from .coverage import run_coverage
    from .engine import RULES
    from .question import case_directories

    wanted = rule_id.strip().upper()
    if wanted not in RULES:
        raise UsageProblem(f"unknown rule {rule_id!r}; expected one of {', '.join(sorted(RULES))}")
    click.echo(render_rule(wanted, cases=run_coverage(case_directories(cases))), nl=False)
