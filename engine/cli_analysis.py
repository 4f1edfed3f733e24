"""The analyst's commands: ``memo``, ``whatif``, ``flips``, ``matrix``, ``map``, ``outlook``.

Thin, like the rest of the CLI: parse, load, call ``analysis`` / ``outlook`` / ``memo`` /
``svgmap``, render through a template. Registered on the ``coalition`` group in cli.py; the CLI
module is imported inside functions because cli.py imports this module while it is loading.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import sys
from pathlib import Path

import click
import jinja2

from digital_coalitions.rules.concepts import HORIZON_YEARS, MAX_HORIZON_YEARS

from .output import write_output
from .cli_common import UsageProblem, as_of_option, cases_option, question_files, set_option
from .question import Resolver, case_directory

output_option = click.option("-o", "--output", metavar="FILE",
                             help="Write to FILE (atomically) instead of standard output.")
templates_option = click.option(
    "--templates", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
    help="A directory of Jinja templates used before the shipped ones (a house style).")


def _environment(templates):
    from .svgmap import svg_environment

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
def protected_files(cases, *inputs) -> set[Path]:
    """Files -o must never replace: the case files of the directory and the question's inputs."""
    found = set()
    directory = case_directory(cases)
    for sub in ("states", "coalitions"):
        folder = directory / sub
        if folder.is_dir():
            found.update(p.resolve() for p in folder.iterdir())
    found.update(Path(case.path).resolve() for case in inputs)
    return found



def emit(text: str, output, protected=()) -> None:
    if output:
        write_output(output, text, protected)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# ---- memo ------------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True)
@cases_option
@set_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True)
@output_option
@templates_option
@click.option("--date", metavar="YYYY-MM-DD", help="The memo's date (default: today).")
@as_of_option
@click.option("--brief", "layers", flag_value="brief",
              help="The one-page brief only (BLUF, key judgments, confidence, what would change it).")
@click.option("--full", "layers", flag_value="full", default=True,
              help="The brief, the full assessment and the audit annex (the default).")
@click.option("--horizon", type=click.IntRange(1, MAX_HORIZON_YEARS), default=HORIZON_YEARS,
              show_default=True, metavar="YEARS",
              help="The judgment's time frame, in years from the memo's date (or --as-of).")
def memo(question, cases, assignments, fmt, output, templates, date, as_of, layers, horizon):
    """A briefing memo (ICD 203 style) on one question: judgments, alternatives, outlook, trace."""

    from .backtest import decisions_about, default_decisions
    from .memo import build_memo, icd203_problems, render_memo

    resolver = Resolver(case_directory(cases))  # one load of the case directory serves both
    state, coalition = question_files(question, cases, assignments, resolver, as_of)
    _environment(templates)
    base = resolver.base
    record = functools.partial(decisions_about, default_decisions(base.directory), state.id,
                               coalition.id)  # what the state did: read while flips search
    with house_style(templates):
        built = build_memo(state, coalition, dict(base.states), date=date, templates=templates,
                           argv=sys.argv[1:], assignments=assignments, fmt=fmt,
                           decisions=record, horizon=horizon)
        text = render_memo(built, "html" if fmt == "html" else "markdown", templates, layers)
    for problem in icd203_problems(text, html_text=fmt == "html"):
        click.echo(f"warning: ICD 203: {problem}", err=True)
    emit(text, output, protected_files(cases, state, coalition))


# ---- what-if -----------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True)
@cases_option
@set_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@as_of_option
def whatif(question, cases, assignments, fmt, as_of):
    """The answer before and after --set changes, and how the reasoning changed."""
    from .analysis import whatif as run_whatif
    from .render import environment
    from .trace import diff, render_diff_text, trace_record

    if not assignments:
        raise UsageProblem("whatif needs at least one --set PATH=VALUE; expected e.g. --set "
                       "industries.semiconductors.reliance.united-states.level=moderate")
    state, coalition = question_files(question, cases, (), as_of=as_of)
    result = run_whatif(state, coalition, assignments)
    before = trace_record(result.before, argv=[], assignments=[])
    after = trace_record(result.after, argv=[], assignments=list(assignments))
    changes = diff(before, after)
    if fmt == "json":
        data = result.to_dict()
        data["trace_diff"] = changes
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    result.trace_diff = render_diff_text(changes)
    click.echo(environment().get_template("whatif.txt.j2").render(w=result), nl=False)


# ---- flips ----------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True)
@cases_option
@set_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--pairs/--no-pairs", default=True, show_default=True,
              help="Also search pairs of one-step changes.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes for the search (default: 2 where the machine has them).")
@as_of_option
def flips(question, cases, assignments, fmt, pairs, workers, as_of):
    """The smallest changes of the evidence that change the verdict, most plausible first."""
    from .analysis import flips as find_flips
    from .render import environment

    state, coalition = question_files(question, cases, assignments, as_of=as_of)
    result = find_flips(state, coalition, pairs=pairs, workers=workers)
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
def matrix(cases, fmt, output, as_of):
    """Every state × every coalition (leaders and targets marked, not asked)."""
    from .analysis import matrix as run_matrix
    from .render import environment

    result = run_matrix(Resolver(case_directory(cases)).base, as_of=as_of)
    if fmt == "json":
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = matrix_csv(result)
    else:
        name = "matrix.md.j2" if fmt == "markdown" else "matrix.txt.j2"
        text = environment().get_template(name).render(x=result)
    emit(text, output, protected_files(cases))


def matrix_csv(result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = ("state", "coalition", "role", "verdict", "likelihood", "confidence",
               "evidence_year", "contradicts_members")
    writer.writerow(columns)
    for state in result.states:
        for coalition in result.coalitions:
            cell = result.cells[(state.id, coalition.id)].to_dict()
            writer.writerow([cell.get(name, "") for name in columns])
    return buffer.getvalue()


# ---- map --------------------------------------------------------------------------------------------
@click.command("map")
@click.argument("coalition_name", metavar="COALITION")
@cases_option
@output_option
@templates_option
@click.option("--highlight", metavar="STATE", help="Ring one state on the map.")
@as_of_option
def map_command(coalition_name, cases, output, templates, highlight, as_of):
    """An SVG map: states by security dependency (x) and stranglehold (y), coloured by verdict."""
    from .analysis import answer_all, roles
    from .svgmap import render_map

    resolver = Resolver(case_directory(cases))
    coalition = resolver.find(coalition_name, "coalition")
    subject = resolver.find(highlight, "state").id if highlight else None
    _environment(templates)
    states = dict(resolver.base.states)
    answers = answer_all(coalition, states, as_of=as_of)
    names = {sid: s.data["name"] for sid, s in states.items()}
    with house_style(templates):
        svg = render_map(coalition, answers, roles(coalition, states), subject=subject,
                         templates=templates, names=names)
    emit(svg, output, protected_files(cases, coalition))


# ---- outlook ---------------------------------------------------------------------------------------
@click.command()
@click.argument("coalition_name", metavar="COALITION")
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@as_of_option
def outlook(coalition_name, cases, fmt, as_of):
    """How firm and how stable a coalition is: the outlook rules (O3-O6, A2-A4) over its members."""
    from .outlook import outlook as run_outlook
    from .render import environment

    resolver = Resolver(case_directory(cases))
    coalition = resolver.find(coalition_name, "coalition")
    result = run_outlook(coalition.at(as_of), dict(resolver.base.states), as_of=as_of)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(environment().get_template("outlook.txt.j2").render(o=result), nl=False)


# ---- timeline ------------------------------------------------------------------------------------
@click.command()
@click.argument("question", nargs=-1, required=True)
@cases_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def timeline(question, cases, fmt):
    """The answer at every year of the evidence, with what changed from one year to the next."""
    from .analysis import timeline as run_timeline
    from .question import candidate
    from .render import environment

    state, coalition = Resolver(case_directory(cases)).pair(question)
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
              help="A decisions file (docs/decisions.md). Default: decisions.yaml of the case "
                   "directory (the shipped corpus with the shipped cases).")
@click.option("--part", type=click.Choice(["all", "tuning", "holdout"]), default="all",
              show_default=True, help="Score the whole corpus or one part (docs/backtest.md).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
def backtest(cases, decisions, part, fmt):
    """Answer every documented decision at its year and score the rules against the record."""
    from .backtest import backtest as run_backtest
    from .backtest import default_decisions, load_decisions
    from .render import environment

    base = Resolver(case_directory(cases)).base
    path = Path(decisions) if decisions else default_decisions(base.directory)
    result = run_backtest(load_decisions(path, base), base, path)
    if fmt == "json":
        score = result.part(part)
        data = {"decisions_file": str(path), "cases": str(base.directory), "part": part,
                **result.counts(), **score.to_dict(),
                "parts": {name: result.part(name).summary()
                          for name in (("all", "tuning", "holdout") if part == "all" else (part,))},
                "later_evidence": result.later(score)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    name = "backtest.md.j2" if fmt == "markdown" else "backtest.txt.j2"
    click.echo(environment().get_template(name).render(b=result, part=part), nl=False)


COMMANDS = (memo, whatif, flips, matrix, map_command, outlook, timeline, backtest)
