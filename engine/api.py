"""The library: what the ``coalition`` command does, as Python calls (re-exported by the package).

    from digital_coalitions import Cases, ask
    cases = Cases()                                   # the shipped cases; Cases("my-cases") adds
    answer = ask("Will South Korea join Chip 4?", cases=cases)
    answer.verdict, answer.likelihood["term"]         # 'joins-reluctantly', 'very likely'
    ask("south-korea", "chip4", set=["autonomy.government_alignment=autonomist"], as_of=2023)

A question is what ``coalition ask`` takes: one sentence, two names or IDs, or two YAML paths
(``*question``). ``set`` are ``--set PATH=VALUE`` changes, applied for this call only; ``as_of``
answers from the evidence dated at or before that year. Every problem with the input raises
:class:`BadInput`, whose text is one line per problem; a state the coalition cannot ask (its
leader, its target, one it is not open to) raises :class:`NotACandidate`, which is an answer,
not an error. The CLI (``digital_coalitions.cli``) parses, makes one of these calls, renders.
"""

from __future__ import annotations

import functools
import os
import sys

from digital_coalitions.casefiles.question import (CaseChoice, NotACandidate, Resolver, candidate,
                                                   case_directories, cases_flag, dated,
                                                   shipped_cases)
from digital_coalitions.casefiles.schema import YEARS
from digital_coalitions.record import Record
from digital_coalitions.errors import BadInput

__all__ = ["BadInput", "Cases", "NotACandidate", "ask", "coalition_map", "explain", "flips",
           "matrix", "memo", "trace", "whatif"]


class Cases(Resolver):
    """The case files questions are answered from: the shipped cases, with a directory of one's
    own added over them (its files replace those of the same id), or that directory alone
    (``only=True``). Files are loaded once, when a name first needs them."""

    def __init__(self, directory: str | os.PathLike | None = None, *, only: bool = False,
                 choice: CaseChoice | None = None):
        if choice is None:
            if only and directory is None:
                raise BadInput("only=True: no case directory to read alone; expected a directory")
            choice = CaseChoice(None if directory is None else str(directory), only)
            # the environment's $COALITION_CASES is the command line's default, not the library's
            directories = case_directories(choice) if directory is not None else (shipped_cases(),)
        else:
            directories = case_directories(choice)
        super().__init__(directories)
        self.choice = choice

    @classmethod
    def chosen(cls, choice: CaseChoice) -> "Cases":
        """The cases a command line chose (``--cases``, ``--only-cases``, ``$COALITION_CASES``)."""
        return cls(choice=choice)

    @property
    def states(self) -> dict:
        return dict(self.base.states)

    @property
    def coalitions(self) -> dict:
        return dict(self.base.coalitions)

    def state(self, ref: str):
        """The state file a name, alias, ID or path names."""
        return self.find(ref, "state")

    def coalition(self, ref: str):
        """The coalition file a name, alias, ID or path names."""
        return self.find(ref, "coalition")

    def question(self, *question, as_of: int | None = None, set=()):
        """The two case files a question names, at the year asked, ``set`` changes applied.

        Raises NotACandidate for a state the coalition does not ask (no forecast to make)."""
        if len(question) == 2 and not any(isinstance(part, str) for part in question):
            state, coalition = question  # two case files already in hand
        else:
            state, coalition = self.pair(tuple(str(part) for part in question))
        state, coalition = dated(state, coalition, _year(as_of))
        candidate(state, coalition)
        changes = _changes(set)
        if changes:
            from digital_coalitions.casefiles.overrides import apply_overrides

            state, coalition = apply_overrides(state, coalition, changes)
            candidate(state, coalition)  # a change may make it the target, or not eligible
        return state, coalition


def _cases(cases: Cases | str | os.PathLike | None) -> Cases:
    return cases if isinstance(cases, Cases) else Cases(cases)


def _whole(name: str, value, allowed: range, expected: str) -> int | None:
    """``value`` if it is None or a whole number in ``allowed``; else the one-line error, which
    says what was ``expected`` (a bool is not a number here, though Python counts it one)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)
                         and value in allowed):
        return value
    raise BadInput(f"{name}: {value!r} is not {expected}")


def _year(as_of) -> int | None:
    """``as_of`` as the command line's --as-of takes it: a year, or None for the latest."""
    return _whole("as_of", as_of, YEARS,
                  "a year; expected a year such as 2023, or None for the latest evidence")


def _changes(set) -> tuple[str, ...]:
    """``set`` as a sequence of PATH=VALUE strings; one string is one change."""
    changes = (set,) if isinstance(set, str) else tuple(set or ())
    for change in changes:
        if not isinstance(change, str):
            raise BadInput(f"set: {change!r} is not a change; expected PATH=VALUE strings, e.g. "
                           "'autonomy.government_alignment=autonomist'")
    return changes


def memo_date(value: str | None, name: str = "date") -> str | None:
    """A memo's date as a calendar date, YYYY-MM-DD: it heads the memo, so a line break or
    markup in it would break the heading."""
    import datetime
    import re

    from digital_coalitions.casefiles.question import quoted

    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise BadInput(f"{name}: {quoted(str(value))} is not a date; expected a date written "
                   "YYYY-MM-DD, e.g. 2024-01-01")


def _workers(workers) -> int | None:
    """``workers`` as the batch commands take it: a number of processes, or None for every core."""
    return _whole("workers", workers, range(1, sys.maxsize), "a number of processes; expected a "
                  "whole number from 1, or None for every core")


def _one_of(name: str, value, allowed: tuple) -> None:
    if value not in allowed:
        raise BadInput(f"{name}: {value!r} is not known here; expected "
                       f"{' or '.join(map(repr, allowed))}")


@functools.lru_cache(maxsize=1)
def _engine():
    """One warm engine for the calls of this process: building the Rete network is the cost."""
    from digital_coalitions.inference.engine import CoalitionEngine

    return CoalitionEngine()


# ---- one question ------------------------------------------------------------------------------
def ask(*question, cases=None, as_of: int | None = None, set=()):
    """The answer to one question (an ``Answer``: verdict, likelihood, confidence, mechanisms,
    chain, firings, defaults)."""
    from digital_coalitions.inference.answer import ask as ask_engine

    return ask_engine(*_cases(cases).question(*question, as_of=as_of, set=set), _engine())


def command_line(command: str, state, coalition, as_of: int | None = None, set=(),
                 extra=()) -> list[str]:
    """The ``coalition`` arguments that ask this question again (recorded in traces; shown by
    the explorer): IDs, the case directories the files came from, the year and the changes."""
    import shlex

    line = [command, state.id, coalition.id, *shlex.split(cases_flag(state))]
    if as_of is not None:
        line += ["--as-of", str(as_of)]
    for assignment in set:
        line += ["--set", assignment]
    return line + list(extra)


def trace(*question, cases=None, as_of: int | None = None, set=(), argv=None) -> dict:
    """The trace record of one answer (docs/trace-format.md), digest included. ``argv``: the
    command line to record; by default the ``coalition ask`` line that asks it again."""
    from digital_coalitions.audit.trace import trace_record
    from digital_coalitions.inference.answer import ask as ask_engine

    state, coalition = _cases(cases).question(*question, as_of=as_of, set=_changes(set))
    answer = ask_engine(state, coalition, _engine())
    made = [o.text for o in answer.overrides]  # none giving a value already held
    if argv is None:
        argv = command_line("ask", state, coalition, as_of, made,
                            extra=["--format", "json", "--trace"])
    return trace_record(answer, argv=list(argv), assignments=made)


def explain(*question, concept: str, cases=None, as_of: int | None = None, set=()) -> dict:
    """``why``: how one concept of the answer was concluded (a HOW tree down to case-file lines),
    or why it was not (WHY NOT). Raises BadInput for an unknown concept."""
    from digital_coalitions.audit.why import explain as explain_answer

    return explain_answer(ask(*question, cases=cases, as_of=as_of, set=set), concept)


# ---- analysis -------------------------------------------------------------------------------------
def whatif(*question, set=(), cases=None, as_of: int | None = None):
    """The answer before and after the ``set`` changes, the concepts and rules that changed, and
    the trace diff between them (``trace_changes``)."""
    from digital_coalitions.analysis.explore import whatif as run_whatif
    from digital_coalitions.audit.trace import diff, trace_record

    changes = _changes(set)
    if not changes:
        raise BadInput("whatif needs at least one change; expected e.g. set=['industries."
                       "semiconductors.reliance.united-states.level=moderate']")
    state, coalition = _cases(cases).question(*question, as_of=as_of)
    result = run_whatif(state, coalition, changes, _engine())
    made = [o.text for o in result.overrides]  # not one giving a value already held
    result.trace_changes = diff(trace_record(result.before, argv=[], assignments=[]),
                                trace_record(result.after, argv=[], assignments=made))
    return result


def flips(*question, cases=None, as_of: int | None = None, set=(), pairs: bool = True,
          workers: int | None = None, progress=None):
    """The smallest changes of the evidence that change the verdict, most plausible first.
    ``progress(done, total, what)``, if given, hears of each question answered."""
    from digital_coalitions.analysis.explore import flips as find_flips

    workers = _workers(workers)
    state, coalition = _cases(cases).question(*question, as_of=as_of, set=set)
    return find_flips(state, coalition, _engine(), pairs=pairs, workers=workers,
                      progress=progress)


def matrix(cases=None, as_of: int | None = None, progress=None, cache=True,
           workers: int | None = None):
    """Every state × every coalition (leaders, targets and closed doors marked, not asked).

    The questions are spread over ``workers`` processes (default: every core); ``cache`` True
    answers from the user's answer cache those it holds (unless $COALITION_NO_CACHE is set),
    False asks every one; an AnswerCache (analysis/cache.py) uses that one."""
    from digital_coalitions.analysis.cache import user_cache
    from digital_coalitions.analysis.explore import matrix as run_matrix

    workers = _workers(workers)
    if isinstance(cache, bool):
        cache = user_cache(enabled=cache)
    # no engine handed over: one is built only if some question is not in the cache
    return run_matrix(_cases(cases).base, None, as_of=_year(as_of), progress=progress, cache=cache,
                      workers=workers)


class MemoText(Record):
    """A rendered memo and the ICD 203 language problems found in it (empty if it keeps them)."""

    FIELDS = ("text", "problems", "memo")
    text: str
    problems: list[str]
    memo: object  # the report.memo.Memo it was rendered from

    def __init__(self, text: str, problems: list[str], memo: object):
        self._set(text, problems, memo)


def memo(*question, cases=None, as_of: int | None = None, set=(), fmt: str = "markdown",
         layers: str = "full", horizon: int | None = None, date: str | None = None,
         templates=None, argv=None) -> MemoText:
    """A briefing memo on one question: ``fmt`` "markdown" or "html"; ``layers`` "full" (brief,
    assessment, annex) or "brief"; ``templates`` a house-style directory used first."""
    from digital_coalitions.analysis.backtest import decisions_about, default_decisions
    from digital_coalitions.report.memo import build_memo, icd203_problems, render_memo
    from digital_coalitions.rules.concepts import HORIZON_YEARS, MAX_HORIZON_YEARS

    _one_of("fmt", fmt, ("markdown", "html"))
    horizon = _whole("horizon", horizon, range(1, MAX_HORIZON_YEARS + 1), "a horizon; expected "
                     f"a whole number of years from 1 to {MAX_HORIZON_YEARS}, or None for "
                     f"{HORIZON_YEARS}")
    _one_of("layers", layers, ("full", "brief"))
    date = memo_date(date)
    cases = _cases(cases)
    state, coalition = cases.question(*question, as_of=as_of, set=set)
    base = cases.base
    record = functools.partial(decisions_about, default_decisions(*base.directories), state.id,
                               coalition.id)  # what the state did: read while flips search
    if argv is None:
        argv = command_line("memo", state, coalition, as_of, _changes(set))
    built = build_memo(state, coalition, dict(base.states), engine=_engine(), date=date,
                       templates=templates, argv=list(argv), fmt=fmt,
                       decisions=record, horizon=HORIZON_YEARS if horizon is None else horizon)
    text = render_memo(built, "html" if fmt == "html" else "markdown", templates, layers)
    return MemoText(text, icd203_problems(text, html_text=fmt == "html"), built)


def coalition_map(coalition: str, *, cases=None, as_of: int | None = None,
                  highlight: str | None = None, templates=None, standalone: bool = True,
                  set=(), reuse: dict | None = None) -> str:
    """The coalition's map as SVG: every state by security dependency (x) and stranglehold (y),
    coloured by verdict; ``highlight`` rings one state (a name, alias or ID). ``set``: changes
    for the question about ``highlight`` (its point moves; every other point is the files').
    ``reuse``: a dict the caller keeps between calls with the same ``cases``; the answers from
    the files are kept in it by coalition and year, and only the changed question is asked again
    (the explorer redraws the map on every change)."""
    from digital_coalitions.analysis.explore import answer_all, roles
    from digital_coalitions.report.svgmap import map_names, render_map

    cases = _cases(cases)
    chosen = cases.coalition(coalition)
    subject = cases.state(highlight).id if highlight else None
    states = cases.states
    as_of = _year(as_of)
    kept = reuse.get((chosen.id, as_of)) if reuse is not None else None
    if kept is None:
        kept = answer_all(chosen, states, _engine(), as_of=as_of)
        if reuse is not None:
            reuse[(chosen.id, as_of)] = kept
    answers = dict(kept)
    if set:
        if subject is None:
            raise BadInput("set= on a map needs highlight=: the changes are one question's; "
                           "expected the state they are about")
        if subject in answers:
            from digital_coalitions.inference.answer import ask as ask_engine

            answers[subject] = ask_engine(*cases.question(subject, chosen.id, as_of=as_of,
                                                          set=set), _engine())
    return render_map(chosen, answers, roles(chosen, states, as_of), subject=subject,
                      templates=templates, names=map_names(states), standalone=standalone)


# ---- for long-running callers (the explorer, `coalition serve`) ---------------------------------
def warm() -> None:
    """Build this process's engine now, so that the first question is answered as fast as any
    other (a server does this before it listens)."""
    _engine()
