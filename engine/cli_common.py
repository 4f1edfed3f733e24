"""What every command module shares: the bad-input error, the common options, the question."""

from __future__ import annotations

import click

from .question import Resolver, case_directory


class UsageProblem(Exception):
    """Bad input found by a command itself (an unknown rule ID, an output over a case file...)."""


cases_option = click.option(
    "--cases", metavar="DIR",
    help="Case directory (states/, coalitions/). Default: $COALITION_CASES, else the shipped cases.")
set_option = click.option(
    "--set", "assignments", multiple=True, metavar="PATH=VALUE",
    help="Change one value of the evidence first, e.g. "
         "industries.semiconductors.reliance.united-states.level=moderate (repeatable).")


def question_files(question, cases, assignments, resolver=None):
    """The two case files a question names, with any --set changes applied."""
    state, coalition = (resolver or Resolver(case_directory(cases))).pair(question)
    if assignments:
        from .overrides import apply_overrides

        state, coalition = apply_overrides(state, coalition, assignments)
    return state, coalition
