"""What every command module shares: the bad-input error, the common options, the question."""

from __future__ import annotations

import click

from .question import Resolver, candidate, case_directory, dated


class UsageProblem(Exception):
    """Bad input found by a command itself (an unknown rule ID, an output over a case file...)."""


cases_option = click.option(
    "--cases", metavar="DIR",
    help="Case directory (states/, coalitions/). Default: $COALITION_CASES, else the shipped cases.")
set_option = click.option(
    "--set", "assignments", multiple=True, metavar="PATH=VALUE",
    help="Change one value of the evidence first, e.g. "
         "industries.semiconductors.reliance.united-states.level=moderate (repeatable).")


as_of_option = click.option(
    "--as-of", "as_of", type=click.IntRange(1000, 9999), metavar="YEAR",
    help="Answer from the evidence dated at or before YEAR (default: the latest).")


def question_files(question, cases, assignments, resolver=None, as_of=None):
    """The two case files a question names, at the year asked, with any --set changes applied.

    A state that is the coalition's leader or target, or one it is not open to, raises
    NotACandidate: there is no forecast to make."""
    state, coalition = dated(*(resolver or Resolver(case_directory(cases))).pair(question), as_of)
    candidate(state, coalition)
    if assignments:
        from .overrides import apply_overrides

        state, coalition = apply_overrides(state, coalition, assignments)
    return state, coalition
