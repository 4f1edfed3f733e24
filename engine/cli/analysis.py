"""The analyst's commands: ``memo``, ``whatif``, ``flips``, ``matrix``, ``map``, ``outlook``.

Thin, like the rest of the CLI: parse, load, call ``analysis`` / ``outlook`` / ``memo`` /
``svgmap``, render through a template. Registered on the ``coalition`` group in cli.py; the CLI
module is imported inside functions because cli.py imports this module while it is loading.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import io
import json
import sys
from pathlib import Path

import click
import jinja2

from digital_coalitions.rules.concepts import HORIZON_YEARS, MAX_HORIZON_YEARS
from digital_coalitions.analysis.backtest import PART_TITLES, PARTS

from digital_coalitions.cli import completion as complete
from digital_coalitions.cli.output import protected_files, write_output
from digital_coalitions.cli.progress import Progress, quiet_option
from digital_coalitions import api
from digital_coalitions.cli.common import (UsageProblem, as_of_option, cache_option, cases_option,
                                           set_option)

output_option = click.option("-o", "--output", metavar="FILE",
                             help="Write to FILE (atomically) instead of standard output.")
templates_option = click.option(
    "--templates", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
    help="A directory of Jinja templates used before the shipped ones (a house style).")


def _environment(templates):
    from digital_coalitions.report.svgmap import svg_environment

    if templates is not None and not templates.is_dir():
        raise UsageProblem(f"{templates}: no such directory; expected a directory of Jinja templates")
    return svg_environment(templates)


def _house_frame(error, templates) -> tuple[str, int] | None:
    """(template, line) of the innermost frame of ``error`` that ran in a house-style template.

    Jinja rewrites a rendering error's traceback so that template code appears as frames of the
    template file, at the template's line."""
    if templates is None:
        return None
    root = Path(templates).resolve()
    found, tb = None, error.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.suffix == ".j2" and path.resolve().parent == root:
            found = (path.name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_frame(error) -> tuple[str, int] | None:
    """(template, line) of the innermost frame of ``error`` in any .j2 template."""
    found, tb = None, error.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.suffix == ".j2":
            found = (path.name, tb.tb_lineno)
        tb = tb.tb_next
    return found


@contextlib.contextmanager
def house_style(templates):
    """Any error a template raises as one line naming the template and line: a syntax error, a
    sandbox refusal (``cycler.__init__``), or an error while rendering a house style
    (``{{ 1/0 }}``, runaway recursion). Other errors of the shipped templates stay bugs."""
    try:
        yield
    except Exception as error:
        frame = _house_frame(error, templates)
        if isinstance(error, jinja2.TemplateNotFound) and frame:
            (name, line), expected = frame, "templates that exist here or among the shipped ones"
            what = f"the template {error.name!r} is not found"
        elif isinstance(error, jinja2.TemplateError):
            name = getattr(error, "name", None) or getattr(error, "filename", None)
            line = getattr(error, "lineno", None)
            if not name and frame:
                name, line = frame
            elif not name and templates is not None:
                # raised in a shipped template by what a house template gives it (a macro of
                # memo-words.j2 it left out): the shipped template's line says where
                shipped = _template_frame(error)
                if shipped:
                    name, line = shipped[0], f"{shipped[1]} (shipped)"
            what, expected = getattr(error, "message", None) or error, "a valid Jinja template"
        elif frame is not None:
            (name, line), expected = frame, "a template that renders"
            what = f"the template failed while rendering ({type(error).__name__}: {error})"
        else:
            raise
        where = f" in {templates}" if templates else ""
        what = " ".join(str(what).split())[:200].rstrip(".") or "no message"
        raise UsageProblem(f"{name or 'a template'}{f':{line}' if line else ''}{where}: {what}; "
                           f"expected {expected}") from None


# ---- writing output ------------------------------------------------------------------------------
def emit(text: str, output, protected=()) -> None:
    if output:
        write_output(output, text, protected)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# ---- memo ------------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True, shell_complete=complete.question)
@cases_option
@set_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True)
@output_option
@templates_option
@click.option("--date", metavar="YYYY-MM-DD",
              callback=lambda ctx, param, value: api.memo_date(value, "--date"),
              help="The memo's date (default: today).")
@as_of_option
@click.option("--brief", "layers", flag_value="brief",
              help="The one-page brief only (BLUF, key judgments, confidence, what would change it).")
@click.option("--full", "layers", flag_value="full", default=True,
              help="The brief, the full assessment and the audit annex (the default).")
@click.option("--horizon", type=click.IntRange(1, MAX_HORIZON_YEARS), default=HORIZON_YEARS,
              show_default=True, metavar="YEARS",
              help="The judgment's time frame, in years from the memo's date (or --as-of).")
@click.option("--all", "every_state", is_flag=True,
              help="QUESTION is a coalition: one memo for every state it is asked of, written "
                   "into the directory -o DIR (created if missing) with an index.")
@click.option("--state", "named_states", multiple=True, metavar="NAME",
              help="With --all: only this state's memo (repeatable), e.g. --state japan "
                   "--state 'South Korea'.")
def memo(question, cases, assignments, fmt, output, templates, date, as_of, layers, horizon,
         every_state, named_states):
    """A briefing memo (ICD 203 style) on one question: judgments, alternatives, outlook, trace."""

    if every_state:
        return memo_batch(" ".join(question), cases, assignments, fmt, output, templates, date,
                          as_of, layers, horizon, named_states)
    if named_states:
        raise UsageProblem(f"--state {named_states[0]} without --all; expected memo --all "
                           "COALITION --state NAME -o DIR, or one memo: coalition memo STATE "
                           "COALITION")
    _environment(templates)
    with house_style(templates):
        written = api.memo(*question, cases=cases, as_of=as_of, set=assignments, fmt=fmt,
                           layers=layers, horizon=horizon, date=date, templates=templates,
                           argv=sys.argv[1:])
    for problem in written.problems:
        click.echo(f"warning: ICD 203: {problem}", err=True)
    answer = written.memo.answer
    emit(written.text, output, protected_files(cases, answer.state, answer.coalition))


BATCH_INDEX = "index"  # the batch's index file, beside one memo per state named by its id


def memo_batch(coalition_name, cases, assignments, fmt, output, templates, date, as_of,
               layers="full", horizon=HORIZON_YEARS, named_states=()):
    """``memo --all``: every memo is built and rendered before any file is written, so a bad
    template or case stops the batch with nothing half-written; one engine and one load of
    the cases serve them all. ``named_states`` limits it to those states."""
    from digital_coalitions.analysis.backtest import decisions_about, default_decisions
    from digital_coalitions.inference.engine import CoalitionEngine
    from digital_coalitions.report.memo import build_memo, icd203_problems, memo_environment, render_memo
    from digital_coalitions.casefiles.overrides import apply_overrides
    from digital_coalitions.casefiles.question import ASKED, dated, role_of
    from digital_coalitions.report.svgmap import VERDICT_COLOURS, VERDICT_WORDS

    if not output:
        raise UsageProblem("memo --all writes one file per state; expected -o DIR, e.g. "
                           f"coalition memo --all {coalition_name or 'chip4'} -o memos/")
    per_state = [a for a in assignments if not a.split("=", 1)[0].strip().startswith("coalition.")]
    if per_state:
        raise UsageProblem(f"--set {per_state[0]} with --all: one state's supposed evidence "
                           "cannot stand for every state's; expected a coalition.… path (the "
                           "same change for every memo), or one memo: coalition memo STATE "
                           "COALITION --set …")
    directory = Path(output)
    if directory.exists() and not directory.is_dir():
        raise UsageProblem(f"{directory}: is a file; expected a directory for the memos "
                           "(created if missing)")
    coalition = cases.coalition(coalition_name)
    _environment(templates)
    states, engine = cases.states, CoalitionEngine()
    named = {found.id: found for found in map(cases.state, named_states)}
    decisions = default_decisions(*cases.directories)  # what each state did, as memo reads
    date = date or datetime.date.today().isoformat()  # one date for the batch, as build_memo's
    suffix = ".html" if fmt == "html" else ".md"
    asked, skipped = [], []
    pool = named or states
    for sid in sorted(pool):  # each state as `coalition memo STATE COALITION` asks it
        state, dated_coalition = dated(pool[sid], coalition, as_of)
        role, reason = role_of(state, dated_coalition)
        (asked if role in ASKED else skipped).append((state, dated_coalition, role, reason))
    if any(state.id == BATCH_INDEX for state, *_ in asked):
        raise UsageProblem(f"a state's id is {BATCH_INDEX!r}; expected ids that leave the "
                           f"name {BATCH_INDEX}{suffix} to the index")
    memos, rows = {}, []
    with house_style(templates), Progress("memo --all") as progress:
        for n, (state, dated_coalition, role, _) in enumerate(asked, 1):
            if assignments:  # coalition.… only: the same change in every memo
                state, dated_coalition = apply_overrides(state, dated_coalition, assignments)
            record = functools.partial(decisions_about, decisions, state.id, coalition.id)
            built = build_memo(state, dated_coalition, states, engine=engine, date=date,
                               templates=templates, argv=sys.argv[1:], fmt=fmt,
                               decisions=record, horizon=horizon)
            text = render_memo(built, "html" if fmt == "html" else "markdown", templates, layers)
            for problem in icd203_problems(text, html_text=fmt == "html"):
                click.echo(f"warning: ICD 203: {state.id}: {problem}", err=True)
            memos[state.id + suffix] = text
            rows.append({"answer": built.answer, "role": role, "file": state.id + suffix})
            progress(n, len(asked), "memos")
        closed = {}  # states it is not open to, grouped by why (role_of: "X is not eligible: why")
        for state, _, role, reason in skipped:
            if role == "not-eligible":
                closed.setdefault(reason.split(": ", 1)[-1], []).append(state.data["name"])
        index = memo_environment(templates).get_template(f"batch-index{suffix}.j2").render(
            coalition=coalition.data, rows=rows, date=date, verdict_words=VERDICT_WORDS,
            named=[state.data["name"] for state in named.values()],
            colours=VERDICT_COLOURS, closed=closed,
            roles=[reason for _, _, role, reason in skipped if role != "not-eligible"])
    for problem in icd203_problems(index, html_text=fmt == "html"):
        click.echo(f"warning: ICD 203: {BATCH_INDEX}{suffix}: {problem}", err=True)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageProblem(f"{directory}: cannot be created ({error.strerror}); expected a "
                           "directory that can be written") from None
    protected = protected_files(cases, coalition, *states.values())
    for name, text in [*memos.items(), (BATCH_INDEX + suffix, index)]:
        write_output(directory / name, text, protected)
    click.echo(f"wrote {len(memos)} memos and {directory / (BATCH_INDEX + suffix)}", err=True)


# ---- what-if -----------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True, shell_complete=complete.question)
@cases_option
@set_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@as_of_option
def whatif(question, cases, assignments, fmt, as_of):
    """The answer before and after --set changes, and how the reasoning changed."""
    from digital_coalitions.audit.trace import render_diff_text
    from digital_coalitions.text.render import environment

    if not assignments:
        raise UsageProblem("whatif needs at least one --set PATH=VALUE; expected e.g. --set "
                           "industries.semiconductors.reliance.united-states.level=moderate")
    result = api.whatif(*question, set=assignments, cases=cases, as_of=as_of)
    if fmt == "json":
        data = result.to_dict()
        data["trace_diff"] = result.trace_changes
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    result.trace_diff = render_diff_text(result.trace_changes)
    click.echo(environment().get_template("whatif.txt.j2").render(w=result), nl=False)


# ---- flips ----------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True, shell_complete=complete.question)
@cases_option
@set_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--pairs/--no-pairs", default=True, show_default=True,
              help="Also search pairs of one-step changes.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes for the search (default: 2 where the machine has them).")
@as_of_option
@quiet_option
def flips(question, cases, assignments, fmt, pairs, workers, as_of, quiet):
    """The smallest changes of the evidence that change the verdict, most plausible first."""
    from digital_coalitions.text.render import environment

    with Progress("flips", quiet) as progress:
        result = api.flips(*question, cases=cases, as_of=as_of, set=assignments, pairs=pairs,
                           workers=workers, progress=progress)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(environment().get_template("flips.txt.j2").render(f=result), nl=False)


# ---- matrix ---------------------------------------------------------------------------------------
@click.command()
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown"]),
              default="text", show_default=True)
@output_option
@as_of_option
@quiet_option
@cache_option
def matrix(cases, fmt, output, as_of, quiet, cache):
    """Every state × every coalition (leaders and targets marked, not asked)."""
    from digital_coalitions.text.render import environment

    with Progress("matrix", quiet) as progress:
        result = api.matrix(cases, as_of=as_of, progress=progress, cache=cache)
    if fmt == "json":
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = matrix_csv(result)
    else:
        name = "matrix.md.j2" if fmt == "markdown" else "matrix.txt.j2"
        text = environment().get_template(name).render(x=result)
    emit(text, output, protected_files(cases))


def matrix_csv(result) -> str:
    from digital_coalitions.casefiles.schema import shown

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = ("state", "coalition", "role", "verdict", "likelihood", "confidence",
               "evidence_year", "contradicts_members")
    writer.writerow(columns)
    for state in result.states:
        for coalition in result.coalitions:
            cell = result.cells[(state.id, coalition.id)].to_dict()
            # as case files write values (true/false), an unknown one left empty
            writer.writerow(["" if cell.get(name) is None else shown(cell[name])
                             for name in columns])
    return buffer.getvalue()


# ---- map --------------------------------------------------------------------------------------------
@click.command("map")
@click.argument("coalition_name", metavar="COALITION", shell_complete=complete.coalitions)
@cases_option
@output_option
@templates_option
@click.option("--highlight", metavar="STATE", help="Ring one state on the map.",
              shell_complete=complete.states)
@as_of_option
def map_command(coalition_name, cases, output, templates, highlight, as_of):
    """An SVG map: states by security dependency (x) and stranglehold (y), coloured by verdict."""
    _environment(templates)
    with house_style(templates):
        svg = api.coalition_map(coalition_name, cases=cases, as_of=as_of, highlight=highlight,
                                templates=templates)
    emit(svg, output, protected_files(cases, cases.coalition(coalition_name)))
    if highlight:
        try:
            cases.question(highlight, coalition_name, as_of=as_of)
        except api.NotACandidate as unplotted:  # the ring was asked for and is not drawn
            click.echo(f"note: --highlight {highlight}: not on the map, which plots the states "
                       f"asked about: {unplotted.reason}", err=True)


# ---- outlook ---------------------------------------------------------------------------------------
@click.command()
@click.argument("coalition_name", metavar="COALITION", shell_complete=complete.coalitions)
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@as_of_option
def outlook(coalition_name, cases, fmt, as_of):
    """How firm and how stable a coalition is: the outlook rules (O3-O6, A2-A4) over its members."""
    from digital_coalitions.analysis.outlook import outlook as run_outlook
    from digital_coalitions.text.render import environment

    coalition = cases.coalition(coalition_name)
    result = run_outlook(coalition.at(as_of), cases.states, as_of=as_of)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(environment().get_template("outlook.txt.j2").render(o=result), nl=False)


# ---- timeline ------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True, shell_complete=complete.question)
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def timeline(question, cases, fmt):
    """The answer at every year of the evidence, with what changed from one year to the next."""
    from digital_coalitions.analysis.explore import timeline as run_timeline
    from digital_coalitions.casefiles.question import candidate
    from digital_coalitions.text.render import environment

    state, coalition = cases.pair(question)
    candidate(state, coalition)
    years = run_timeline(state, coalition)
    if fmt == "json":
        click.echo(json.dumps({"state": state.id, "coalition": coalition.id,
                               "years": [y.to_dict() for y in years]},
                              indent=2, ensure_ascii=False, default=str))
        return
    click.echo(environment().get_template("timeline.txt.j2").render(t=years), nl=False)


# ---- backtest ------------------------------------------------------------------------------------
@click.command()
@cases_option
@click.option("--decisions", metavar="FILE",
              help="A decisions file (docs/decisions.md). Default: decisions.yaml of the --cases "
                   "directory if it has one, else the shipped corpus.")
@click.option("--part", type=click.Choice(PARTS), default="all",
              show_default=True, help="Score the whole corpus or one part (docs/backtest.md).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@quiet_option
@cache_option
def backtest(cases, decisions, part, fmt, quiet, cache):
    """Answer every documented decision at its year and score the rules against the record."""
    from digital_coalitions.analysis.backtest import backtest as run_backtest
    from digital_coalitions.analysis.backtest import default_decisions, load_decisions
    from digital_coalitions.text.render import environment

    base = cases.base
    path = Path(decisions) if decisions else default_decisions(*base.directories)
    chosen = load_decisions(path, base)
    with Progress("backtest", quiet) as progress:
        result = run_backtest(chosen, base, path, progress=progress, cache=cache)
    if fmt == "json":
        score = result.part(part)
        data = {"decisions_file": str(path), "cases": str(base.directory), "part": part,
                **result.counts(), **score.to_dict(),
                "parts": {name: result.part(name).summary()
                          for name in result.shown(part)},
                "later_evidence": result.later(score), "members": result.members(score)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    name = "backtest.md.j2" if fmt == "markdown" else "backtest.txt.j2"
    click.echo(environment().get_template(name).render(b=result, part=part, titles=PART_TITLES),
               nl=False)


COMMANDS = (memo, whatif, flips, matrix, map_command, outlook, timeline, backtest)
