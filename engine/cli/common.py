"""What every command module shares: the bad-input error and the common options."""

from __future__ import annotations

import functools
import os

import click

from digital_coalitions.api import Cases
from digital_coalitions.casefiles.question import CASES_ENV, CaseChoice
from digital_coalitions.errors import BadInput


class UsageProblem(BadInput):
    """Bad input found by a command itself (an unknown rule ID, an output over a case file...)."""


def cases_option(command):
    """``--cases DIR`` and ``--only-cases``, handed to the command as one value, ``cases``: the
    library's Cases over the directories they choose."""
    @functools.wraps(command)
    def with_cases(*args, cases=None, only_cases=False, **kwargs):
        if only_cases and not (cases or os.environ.get(CASES_ENV)):
            raise UsageProblem("--only-cases: no case directory to read alone; expected "
                               f"--cases DIR (or ${CASES_ENV}) with it")
        return command(*args, cases=Cases.chosen(CaseChoice(cases, only_cases)), **kwargs)

    with_cases = click.option(
        "--only-cases", "only_cases", is_flag=True,
        help="Read the --cases directory alone, without the shipped cases.")(with_cases)
    return click.option(
        "--cases", metavar="DIR",
        help="A case directory (states/, coalitions/, either may be missing) whose files add to "
             "the shipped cases and replace those of the same id. Default: "
             f"${CASES_ENV}.")(with_cases)
set_option = click.option(
    "--set", "assignments", multiple=True, metavar="PATH=VALUE",
    help="Change one value of the evidence first, e.g. "
         "industries.semiconductors.reliance.united-states.level=moderate (repeatable).")


def _year(ctx, param, value):
    """--as-of's text as a year: click's IntRange told "'abc' is not a valid integer range" and
    pointed at --help, where a year was all that was wanted."""
    if value is None:
        return None
    from digital_coalitions.casefiles.schema import YEARS

    text = value.strip()
    if text.isascii() and text.isdigit() and int(text) in YEARS:
        return int(text)
    from digital_coalitions.casefiles.question import quoted

    raise UsageProblem(f"--as-of: {quoted(value)} is not a year; expected a year such as 2023, "
                       f"from {YEARS[0]} to {YEARS[-1]}")


as_of_option = click.option(
    "--as-of", "as_of", metavar="YEAR", callback=_year,
    help="Answer from the evidence dated at or before YEAR (default: the latest).")


def cache_option(command):
    """``--no-cache``, handed to the command as ``cache``: the user's answer cache
    (analysis/cache.py), or None with --no-cache or $COALITION_NO_CACHE. A cache directory that
    cannot be written costs one warning line; the command answers without it."""
    @functools.wraps(command)
    def with_cache(*args, no_cache=False, **kwargs):
        from digital_coalitions.analysis.cache import user_cache

        cache = user_cache(enabled=not no_cache)
        try:
            return command(*args, cache=cache, **kwargs)
        finally:
            if cache is not None and cache.problem:
                click.echo(f"warning: answer cache: {cache.problem}", err=True)

    return click.option(
        "--no-cache", "no_cache", is_flag=True,
        help="Ask every question afresh, without the answer cache (also: "
             "COALITION_NO_CACHE=1; its directory: $COALITION_CACHE_DIR).")(with_cache)
