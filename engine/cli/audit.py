"""The auditor's commands: ``trace`` (record, show, verify, diff), ``why``, ``rules coverage``.

Thin, like the rest of the CLI: parse, load, call ``trace`` / ``why`` / ``coverage``, render.
Registered on the ``coalition`` group in cli.py. The CLI module is imported inside the
commands (not at the top) because cli.py imports this module while it is being loaded.
"""

from __future__ import annotations

import json
import re
import sys

import click

from digital_coalitions.cli import completion as complete
from digital_coalitions.audit import trace as traces
from digital_coalitions import api
from digital_coalitions.cli.common import UsageProblem, as_of_option, cache_option, cases_option
from digital_coalitions.casefiles.loader import CaseError
from digital_coalitions.cli.output import protected_files, write_output
from digital_coalitions.cli.progress import Progress, quiet_option

BAD_INPUT, DIVERGED = 2, 1


class DefaultGroup(click.Group):
    """A group whose first argument, when it is no subcommand, goes to a default command."""

    default_command = "record"

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx, incomplete):
        """`coalition trace <TAB>`: the subcommands, and the states the default command takes."""
        return super().shell_complete(ctx, incomplete) + complete.states(ctx, None, incomplete)

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
@click.argument("question", nargs=-1, required=True, shell_complete=complete.question)
@cases_option
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="Change one value of the evidence before asking (repeatable); recorded in the trace.")
@click.option("-o", "--output", metavar="FILE", help="Write the JSON trace here (atomically).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="What to print when there is no -o.")
@as_of_option
def record(question, cases, assignments, output, fmt, as_of):
    """Record the trace of "will STATE join COALITION?" (the default: `coalition trace STATE COALITION`)."""
    data = api.trace(*question, cases=cases, as_of=as_of, set=assignments,
                     argv=command_line(question, cases, assignments, output, as_of))
    inputs = [item["path"] for item in data["inputs"]]
    if output:
        write_output(output, traces.dumps(data), protected_files(cases, *inputs))
        click.echo(f"trace of \"{data['question']}\" written to {output} "
                   f"({len(data['firings'])} steps, verdict {data['verdict']})")
    elif fmt == "text":
        click.echo(traces.render_record_text(data), nl=False)
    else:
        click.echo(traces.dumps(data), nl=False)


def command_line(question, cases, assignments, output, as_of=None) -> list[str]:
    """The command as parsed, in one order: the same however it was typed or invoked."""
    argv = ["trace", *question, *cases.choice.flags()]
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
    """Print a trace file readably (numbered steps in the paper's words). Show does not verify:
    it says whether the digest matches (exit 0 if it does, 1 if not); `trace verify` re-runs."""
    data = traces.load_trace(file, check_digest=False)
    click.echo(traces.render_record_text(data, shown_from=file) if fmt == "text"
               else traces.dumps(data), nl=False)
    if not traces.digest_matches(data):
        click.echo(f"warning: {file}: was altered after it was written (its digest does not match "
                   "its content); shown unverified", err=True)
        sys.exit(DIVERGED)


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
@click.argument("words", nargs=-1, required=True, shell_complete=complete.why_words)
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
    from digital_coalitions.audit.why import render_why_text

    question, concept = question_and_concept(words, cases) if len(words) > 1 else ((), "")
    if not concept or not question:
        raise UsageProblem("expected STATE COALITION CONCEPT, e.g. `coalition why south-korea chip4 "
                           "stranglehold`")
    result = api.explain(*question, concept=concept, cases=cases, as_of=as_of, set=assignments)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_why_text(result), nl=False)


def question_and_concept(words, cases) -> tuple[tuple, str]:
    """`why`'s arguments: the question as `ask` reads it, then a concept of one or two words."""
    from digital_coalitions.casefiles.question import QUESTION_WORD, QuestionError
    from digital_coalitions.audit.why import CONCEPTS, concept_name

    ends = next((i for i, word in enumerate(words) if word.rstrip().endswith("?")), None)
    if ends is not None:  # "Will South Korea join Chip 4?" security dependency
        return words[:ends + 1], " ".join(words[ends + 1:])
    if re.match(rf"\s*{QUESTION_WORD}\b", words[0], re.I):  # a sentence's first word
        return words[:-1], words[-1]
    try:  # two names, then the concept ("security dependency" may arrive as two arguments)
        cases.pair(words[:2])
        return words[:2], " ".join(words[2:])
    except (QuestionError, CaseError):
        if len(words) < 4:
            raise
    # unquoted names ("south korea chip4 stranglehold"): the concept is the last word or two
    two = len(words) > 4 and concept_name(" ".join(words[-2:])) in CONCEPTS
    return (words[:-2], " ".join(words[-2:])) if two else (words[:-1], words[-1])


@click.command("coverage")
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@quiet_option
@cache_option
def coverage(cases, fmt, quiet, cache):
    """Ask every state about every coalition: how many pairings fire each rule; what never fires."""
    from digital_coalitions.analysis.coverage import render_coverage, run_coverage

    with Progress("rules coverage", quiet) as progress:
        found = run_coverage(cases.directories, progress=progress, cache=cache)
    click.echo(render_coverage(found, fmt), nl=False)


@click.command("verdicts")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def verdicts(fmt):
    """The decision table of the verdict, row by row: the first row that holds decides."""
    from digital_coalitions.audit.catalogue import render_decision_table

    click.echo(render_decision_table(fmt), nl=False)


@click.command("show")
@click.argument("rule_id", shell_complete=complete.rule_ids)
@cases_option
@quiet_option
@cache_option
def rule_show(rule_id, cases, quiet, cache):
    """One rule: what it concludes, why, its conditions, its claims and the cases where it fires."""
    from digital_coalitions.audit.catalogue import render_rule
    from digital_coalitions.analysis.coverage import run_coverage
    from digital_coalitions.inference.engine import RULES
    from digital_coalitions.casefiles.question import quoted

    import difflib
    import re

    wanted = rule_id.strip().upper()
    spelt = re.fullmatch(r"([A-Z]+)[-_ ]?0*(\d+)", wanted)  # v08, V8, v-8: V-08
    if spelt and wanted not in RULES:
        wanted = f"{spelt.group(1)}-{int(spelt.group(2)):02d}"
    if wanted not in RULES:
        close = difflib.get_close_matches(wanted, sorted(RULES), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageProblem(f"unknown rule {quoted(rule_id)}; {hint}expected a rule ID such as "
                           f"V-08, one of {len(RULES)} (`coalition rules` lists them)")
    with Progress("rules show", quiet) as progress:  # where it fires: every pairing is asked
        found = run_coverage(cases.directories, progress=progress, cache=cache)
    click.echo(render_rule(wanted, cases=found), nl=False)
