"""Analysis over many questions: what-if, flips (what would it take?) and the matrix.

Every answer here comes from the same rule base as ``coalition ask``, through
:func:`digital_coalitions.inference.answer.ask`; nothing is re-implemented. Changes to the evidence are
``--set`` assignments applied by :func:`digital_coalitions.casefiles.overrides.apply_overrides`, so a flip
can be replayed exactly with ``coalition ask … --set …``.

Flips search the evidence that bears on the question (the state's tie to the leader, its
autonomy, its industry in the coalition's domain and reliance on the leader, its relation with
the target, and the coalition's demand, framing, offers and pressure as they apply to it):
each field one step up or down its scale (booleans flipped, shares moved across the thresholds
the rules use), then several steps along one field, then pairs of the one-step changes that
move a concept's level or the likelihood on their own. A change is reported only if nothing
smaller gives the same verdict. Many questions are spread over forked worker processes, each
with the compiled rules it inherited (one engine per process: experta engines must not
interleave).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from digital_coalitions.rules.concepts import ICD203, VERDICTS, Evidence

from digital_coalitions.casefiles.bearing import Change, bearing
from digital_coalitions.inference.answer import Answer, ask, verdict_only
from digital_coalitions.inference.engine import CoalitionEngine
from digital_coalitions.casefiles.overrides import apply_overrides, overrides_of
from digital_coalitions.casefiles.question import ASKED, candidate, dated, role_of

# verdicts from least to most willing to join (rules/concepts.py VERDICTS is in that order)
VERDICT_ORDER = tuple(VERDICTS)
TERMS = tuple(term for term, _, _ in ICD203)
PAIR_WORKERS = 2  # the reference machine's cores
POOL_THRESHOLD = 40  # questions; below this, forking costs more than it saves


def step_of(answer: Answer) -> int:
    return TERMS.index(answer.likelihood["term"])


def towards(before, after) -> str:
    """Which way an answer (or outcome) moved: towards joining or away from it, read by the
    likelihood of joining, which is what the words claim; by the verdict's place in
    VERDICT_ORDER only where the figure stays put. The two can disagree: declines -> resists is
    a step up VERDICT_ORDER (an ally that objects and bargains), yet the change that makes it
    resist (a doctrine of autonomy, say) can lower the figure."""
    delta = after.likelihood["figure"] - before.likelihood["figure"]
    if not delta:
        delta = VERDICT_ORDER.index(after.verdict) - VERDICT_ORDER.index(before.verdict)
    return "towards joining" if delta > 0 else "away from joining" if delta < 0 else "no change"


# ---- who is asked about a coalition ------------------------------------------------------------
def roles(coalition, states, as_of: int | None = None) -> dict[str, str]:
    """Each state's role for a coalition at the year asked (leader, target, not-eligible, member
    or candidate), read from the two files as the question about it reads them: a coalition's
    members, leader and target can change in its history."""
    return {sid: role_of(*dated(states[sid], coalition, as_of))[0] for sid in sorted(states)}


def answer_all(coalition, states, engine: CoalitionEngine | None = None,
               as_of: int | None = None) -> dict[str, Answer]:
    """Every state the coalition can be asked about, at the year asked (one engine)."""
    engine = engine or CoalitionEngine()
    return {sid: ask(*dated(states[sid], coalition, as_of), engine)
            for sid, role in roles(coalition, states, as_of).items() if role in ASKED}


# ---- what-if -----------------------------------------------------------------------------------
@dataclass
class WhatIf:
    before: Answer
    after: Answer
    overrides: tuple
    changed: dict  # mechanism -> (before, after), only those that differ
    appeared: list[str]  # rules fired after, not before
    vanished: list[str]  # rules fired before, not after
    trace_diff: str | None = None

    @property
    def direction(self) -> str:
        return towards(self.before, self.after)

    def to_dict(self) -> dict:
        return {
            "overrides": [o.to_dict() for o in self.overrides],
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "changed": {k: {"before": a, "after": b} for k, (a, b) in self.changed.items()},
            "rules_appeared": self.appeared,
            "rules_vanished": self.vanished,
            "direction": self.direction,
        }


def whatif(state, coalition, assignments, engine: CoalitionEngine | None = None) -> WhatIf:
    """The answer before and after the ``--set`` assignments."""
    engine = engine or CoalitionEngine()
    before = ask(state, coalition, engine)
    new_state, new_coalition = apply_overrides(state, coalition, assignments)
    candidate(new_state, new_coalition)  # a change that makes it the target leaves no "after"
    after = ask(new_state, new_coalition, engine)
    changed = {k: (before.mechanisms[k], after.mechanisms[k]) for k in before.mechanisms
               if before.mechanisms[k] != after.mechanisms[k]}
    for key in ("verdict",):
        if getattr(before, key) != getattr(after, key):
            changed[key] = (getattr(before, key), getattr(after, key))
    if before.likelihood != after.likelihood:
        changed["likelihood"] = tuple(f"{a['term']} ({a['figure']}%)"
                                      for a in (before.likelihood, after.likelihood))
    if before.confidence["level"] != after.confidence["level"]:
        changed["confidence"] = (before.confidence["level"], after.confidence["level"])
    fired_before, fired_after = set(before.rules_fired), set(after.rules_fired)
    overrides = overrides_of(new_state, new_coalition)
    return WhatIf(before, after, overrides, changed,
                  appeared=sorted(fired_after - fired_before),
                  vanished=sorted(fired_before - fired_after))


# ---- flips -------------------------------------------------------------------------------------
@dataclass
class Flip:
    changes: tuple[Change, ...]
    verdict: str
    likelihood: dict
    confidence: dict
    direction: str  # towards joining / away from joining

    @property
    def assignments(self) -> list[str]:
        return [c.assignment for c in self.changes]

    @property
    def within_horizon(self) -> bool:
        """Every change can happen within a memo's horizon (else the flip is structural)."""
        return all(c.within_horizon for c in self.changes)

    @property
    def plausibility(self) -> tuple[int, int]:
        """Sort key: fewer changed values first, then fewer ordinal steps."""
        return (len(self.changes), sum(c.steps for c in self.changes))

    @property
    def kind(self) -> str:
        if len(self.changes) > 1:
            return "pair"
        return "one step" if self.changes[0].steps == 1 else f"{self.changes[0].steps} steps"

    def to_dict(self) -> dict:
        return {"changes": [{"case": c.case, "path": c.path, "before": c.before, "after": c.after,
                             "steps": c.steps, "set": c.assignment} for c in self.changes],
                "kind": self.kind, "verdict": self.verdict, "likelihood": self.likelihood,
                "confidence": self.confidence, "direction": self.direction}


@dataclass
class Flips:
    answer: Answer
    flips: list[Flip]
    searched: int  # questions asked
    singles: int  # one-step changes tried
    sensitive: list[str] = field(default_factory=list)  # fields whose one step moves the likelihood
    # every single-field change asked, with what it concluded (the memo's indicators read the
    # direction of a watched change here, without asking again)
    outcomes: dict = field(default_factory=dict, repr=False)

    def unknown(self, change: Change) -> bool:
        """Whether the question read the changed value as unknown (a null share, which the
        search steps from 0): printed as null, as the file writes it, not as 0."""
        return self.answer.read_unknown(change.case, change.path)

    def replay(self, flip: Flip) -> list[str]:
        """The ``--set`` assignments that ask ``flip``'s question again: the question's own
        (those the flip does not change, nor a value inside them), then the flip's."""
        asked = overrides_of(self.answer.state, self.answer.coalition)
        changed = [(c.case, c.path) for c in flip.changes]
        kept = [o.text for o in asked
                if not any(o.case == case and (o.path == path or o.path.startswith(path + "."))
                           for case, path in changed)]
        return kept + flip.assignments

    def by_verdict(self) -> dict[str, list[Flip]]:
        out: dict[str, list[Flip]] = {}
        for flip in self.flips:
            out.setdefault(flip.verdict, []).append(flip)
        return out

    def to_dict(self) -> dict:
        return {"state": self.answer.state.id, "coalition": self.answer.coalition.id,
                "verdict": self.answer.verdict, "likelihood": self.answer.likelihood,
                "flips": [{**f.to_dict(), "replay": self.replay(f)} for f in self.flips],
                "questions_asked": self.searched,
                "sensitive": self.sensitive}


def candidate_changes(state, coalition) -> list[Change]:
    """Every change of the evidence that bears on this question, one field at a time."""
    return [change for slot in bearing(state, coalition) for change in slot.changes()]


# derived facts that only carry points or bounds towards a concept; a change that moves only
# these (and no concept's level) is below every threshold on its own
WEIGHING = frozenset({"Factor", "StrangleholdBound", "LikelihoodShift", "ConfidenceDowngrade",
                      "RestrictedExposure"})
# ... and what is not the reasoning at all: the question, the bookkeeping of a what-if (every
# --set marks itself and lowers the confidence, CF-04), and the likelihood, whose step is
# compared on its own (its figure moves with almost any change)
NOT_DERIVED = frozenset({"Question", "Defaulted", "InitialFact", "SetByHand", "Confidence",
                         "Likelihood"})


def reasoning(answer: Answer) -> frozenset:
    """The concepts the rules derived, by level (scores and weighing left out): what a change moved."""
    out = set()
    for fact in answer.facts.values():
        name = type(fact).__name__
        if isinstance(fact, Evidence) or name in NOT_DERIVED or name in WEIGHING:
            continue
        out.add((name, tuple(sorted((k, _hashable(v)) for k, v in fact.items()
                                    if not str(k).startswith("__") and k != "score"))))
    return frozenset(out)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Outcome:
    """What one changed question concluded, small enough to send between processes."""

    verdict: str
    likelihood: dict
    confidence: dict
    step: int
    reasoning: frozenset


class _Asker:
    """Asks the question with changes applied, with one engine; counts what it asked."""

    def __init__(self, state, coalition, engine=None):
        self.state, self.coalition = state, coalition
        self.engine = engine or CoalitionEngine()
        self.asked = 0

    def answer(self, changes) -> Answer:
        self.asked += 1
        state, coalition = apply_overrides(self.state, self.coalition,
                                           [c.assignment for c in changes])
        return ask(state, coalition, self.engine)

    def __call__(self, changes) -> Outcome:
        return outcome_of(self.answer(changes))

    def verdict(self, changes) -> str:
        """The verdict alone: cheaper, for the many pairs that change nothing."""
        self.asked += 1
        state, coalition = apply_overrides(self.state, self.coalition,
                                           [c.assignment for c in changes])
        return verdict_only(state, coalition, self.engine)

    def forked(self) -> _Asker:
        """What the forked workers ask with: the same question and engine, counted apart."""
        return _Asker(self.state, self.coalition, self.engine)


def outcome_of(answer: Answer) -> Outcome:
    return Outcome(answer.verdict, answer.likelihood, answer.confidence, step_of(answer),
                   reasoning(answer))


_POOL_ASKER: _Asker | None = None  # the question a forked worker asks (set before the fork)


def _quiet_worker():
    # Ctrl-C reaches every process of the terminal's group: the parent stops the search (and
    # click says "Aborted!"); a worker that also raised KeyboardInterrupt printed its traceback.
    # The worker was forked with SIGINT blocked (see _Runner.map), so none arrives before this.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _pool_ask(changes) -> Outcome:
    return _POOL_ASKER(changes)


def _pool_verdict(changes) -> str:
    return _POOL_ASKER.verdict(changes)


class _Runner:
    """Answers many tasks (flips: change sets; the batch commands: questions) with ``asker``:
    in this process, or in a pool of forked workers."""

    def __init__(self, asker: _Asker, workers: int | None):
        self.asker = asker
        workers = PAIR_WORKERS if workers is None else workers
        self.workers = min(workers, os.cpu_count() or 1)
        self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if self.pool is not None:  # interrupted or failed: drop the questions not yet asked
            self.pool.shutdown(cancel_futures=kind is not None)
        global _POOL_ASKER
        _POOL_ASKER = None

    def map(self, tasks, meanwhile=None, verdicts=False, progress=None, what="",
            keep=None) -> list:
        """The outcomes of ``tasks`` (or only their verdicts), in order; ``meanwhile()`` runs
        here while workers ask; ``progress(done, total, what)`` hears of each answer;
        ``keep(outcome)``, if given, is what is kept of each, as it arrives."""
        if self.workers <= 1 or len(tasks) < POOL_THRESHOLD or \
                "fork" not in multiprocessing.get_all_start_methods():
            if meanwhile is not None:
                meanwhile()
            one = self.asker.verdict if verdicts else self.asker
            return counted(map(one, tasks), len(tasks), progress, what, keep)
        if self.pool is None:
            global _POOL_ASKER
            # forked workers inherit the question and the compiled rules; only changes travel
            _POOL_ASKER = self.asker.forked()
            self.pool = ProcessPoolExecutor(self.workers, initializer=_quiet_worker,
                                            mp_context=multiprocessing.get_context("fork"))
        self.asker.asked += len(tasks)
        chunk = max(1, len(tasks) // (self.workers * 4))
        # submitted at once; the first submission forks the workers, and a Ctrl-C in that moment
        # waits, blocked, until they ignore it (then it interrupts this process alone)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pending = self.pool.map(_pool_verdict if verdicts else _pool_ask, tasks,
                                    chunksize=chunk)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        if meanwhile is not None:
            meanwhile()
        return counted(pending, len(tasks), progress, what, keep)


def counted(results, total: int, progress=None, what: str = "", keep=None) -> list:
    """``results`` as a list (of ``keep(result)`` where given), telling ``progress(done, total,
    what)`` of each as it arrives."""
    if progress is None and keep is None:
        return list(results)
    out = []
    for result in results:
        out.append(result if keep is None else keep(result))
        if progress is not None:
            progress(len(out), total, what)
    return out


def flips(state, coalition, engine: CoalitionEngine | None = None, pairs: bool = True,
          workers: int | None = None, meanwhile=None, progress=None) -> Flips:
    """The smallest changes of the evidence that change the verdict, most plausible first.

    One step along each field first; then further along a field, reporting the first step that
    gives each new verdict; then pairs of one-step changes, among the changes that move a
    concept's level or the likelihood on their own (a pair is reported only if neither change
    alone gives its verdict). ``workers`` > 1 spreads the questions over forked processes;
    ``meanwhile()``, if given, runs in this process while they ask (the memo's outlook);
    ``progress(done, total, what)``, if given, hears of each question answered.
    """
    asker = _Asker(state, coalition, engine)
    original_answer = asker.answer(())
    original = outcome_of(original_answer)
    found: list[Flip] = []
    sensitive: list[str] = []

    def record(changes, outcome: Outcome):
        found.append(Flip(tuple(changes), outcome.verdict, outcome.likelihood, outcome.confidence,
                          towards(original, outcome)))

    candidates = candidate_changes(state, coalition)
    with _Runner(asker, workers) as runner:
        outcomes = dict(zip(candidates, runner.map([(c,) for c in candidates], meanwhile,
                                                   progress=progress, what="one-step changes")))
        singles = [c for c in candidates if c.steps == 1]
        moving: list[Change] = []  # one-step changes that move a level or the likelihood
        for change in singles:
            outcome = outcomes[change]
            if outcome.verdict != original.verdict:
                record((change,), outcome)
            elif outcome.reasoning != original.reasoning or outcome.step != original.step:
                moving.append(change)
            if (outcome.step != original.step or outcome.verdict != original.verdict) \
                    and change.field not in sensitive:
                sensitive.append(change.field)
        # further along one field: the first step that gives each verdict not reached before
        ordered = sorted(candidates, key=lambda c: (c.field, c.up, c.steps))
        for _, group in itertools.groupby(ordered, key=lambda c: (c.field, c.up)):
            reached = {original.verdict}
            for change in group:
                outcome = outcomes[change]
                if change.steps > 1 and outcome.verdict not in reached:
                    record((change,), outcome)
                reached.add(outcome.verdict)
        if pairs:
            # most pairs change nothing: ask them for the verdict alone, then ask the few that
            # flip it in full for their likelihood and confidence
            tasks = [(a, b) for a, b in itertools.combinations(moving, 2) if a.field != b.field]
            for (a, b), verdict in zip(tasks, runner.map(tasks, verdicts=True, progress=progress,
                                                         what="pairs")):
                alone = {outcomes[a].verdict, outcomes[b].verdict}
                if verdict != original.verdict and verdict not in alone:
                    record((a, b), asker((a, b)))

    # as the memo's alternatives read them: what can happen within its horizon before what is
    # structural, then the fewest and smallest changes
    found.sort(key=lambda f: (not f.within_horizon, f.plausibility,
                              VERDICT_ORDER.index(f.verdict), [c.field for c in f.changes]))
    return Flips(original_answer, found, asker.asked, len(singles), sensitive, outcomes)


# ---- the matrix --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CellAnswer:
    """What a matrix cell keeps of its answer: all its templates, CSV and JSON show (a few
    words, where the whole answer is some 50 KB: a matrix of thousands of cells stays small)."""

    verdict: str
    term: str  # the likelihood's ICD 203 term
    level: str  # the confidence's level
    evidence_year: int | None  # the year of the state's evidence
    contradicts_members: bool

    @classmethod
    def of(cls, answer) -> CellAnswer:
        """From an Answer, or the batch commands' Summary of one."""
        return cls(answer.verdict, answer.likelihood["term"], answer.confidence["level"],
                   answer.dating["state"], answer.contradicts_members)

    @property
    def likelihood(self) -> dict:  # read as an Answer's, by the matrix templates
        return {"term": self.term}

    @property
    def confidence(self) -> dict:
        return {"level": self.level}


@dataclass
class Cell:
    state: str
    coalition: str
    role: str  # leader, target, not-eligible, member, candidate
    answer: CellAnswer | None  # None where no question is asked

    def to_dict(self) -> dict:
        out = {"state": self.state, "coalition": self.coalition, "role": self.role}
        if self.answer is not None:
            out.update(verdict=self.answer.verdict, likelihood=self.answer.term,
                       confidence=self.answer.level,
                       evidence_year=self.answer.evidence_year,
                       contradicts_members=self.answer.contradicts_members)
        return out


@dataclass
class Matrix:
    states: list  # CaseFiles, sorted by id
    coalitions: list
    cells: dict  # (state id, coalition id) -> Cell
    as_of: int | None = None

    @property
    def contradictions(self) -> list[Cell]:
        """Listed members answered as staying out: the answer contradicts the coalition's file."""
        return [cell for cell in self.cells.values()
                if cell.answer is not None and cell.answer.contradicts_members]

    def to_dict(self) -> dict:
        return {"as_of": self.as_of,
                "states": [s.id for s in self.states], "coalitions": [c.id for c in self.coalitions],
                "cells": [self.cells[(s.id, c.id)].to_dict() for s in self.states
                          for c in self.coalitions]}


def matrix(base, engine: CoalitionEngine | None = None, as_of: int | None = None,
           progress=None, cache=None, workers: int | None = None) -> Matrix:
    """Every state × every coalition of a case base, at the year asked; leaders, targets and
    states a coalition is not open to are marked, not asked. The questions are spread over
    ``workers`` processes (default: every core) and answered from ``cache`` (an AnswerCache)
    where it holds them; ``progress(done, total, "coalitions")`` hears of each coalition."""
    from digital_coalitions.analysis.batch import Groups, answer_many

    states = [base.states[k] for k in sorted(base.states)]
    coalitions = [base.coalitions[k] for k in sorted(base.coalitions)]
    layout, questions, ends = [], [], []
    for coalition in coalitions:
        role = roles(coalition, base.states, as_of)
        for state in states:
            asked = role[state.id] in ASKED
            if asked:
                questions.append(dated(state, coalition, as_of))
            layout.append((state.id, coalition.id, role[state.id],
                           len(questions) - 1 if asked else None))
        ends.append(len(questions))
    answers = answer_many(questions, engine, cache, workers, keep=CellAnswer.of,
                          progress=Groups(ends, progress, "coalitions"))
    cells = {(sid, cid): Cell(sid, cid, role, None if i is None else answers[i])
             for sid, cid, role, i in layout}
    return Matrix(states, coalitions, cells, as_of)


# ---- the timeline ------------------------------------------------------------------------------
@dataclass
class TimelineYear:
    year: int
    answer: Answer
    changes: list[dict]  # evidence that differs from the year before: source, path, a, b
    moved: list[dict]  # mechanisms and judgments that moved: name, a, b

    def to_dict(self) -> dict:
        return {"year": self.year, "verdict": self.answer.verdict,
                "likelihood": self.answer.likelihood, "confidence": self.answer.confidence,
                "evidence_year": self.answer.dating, "changed": self.changes, "moved": self.moved}


def timeline(state, coalition, engine: CoalitionEngine | None = None) -> list[TimelineYear]:
    """The question asked at every year either file has evidence for, with what changed
    between one year and the next (from the two years' traces, as `trace diff` reads them)."""
    from digital_coalitions.audit.trace import diff, trace_record

    engine = engine or CoalitionEngine()
    years = sorted(set(state.evidence_years) | set(coalition.evidence_years
                                                   if len(coalition.evidence_years) > 1 else ()))
    out, previous = [], None
    for year in years:
        answer = ask(*dated(state, coalition, year), engine)
        record = trace_record(answer, argv=[], assignments=[])
        changes, moved = [], []
        if previous is not None:
            found = diff(previous, record)
            changes = found["evidence"]
            moved = [{"name": m["name"], "a": m["a"], "b": m["b"]} for m in found["mechanisms"]]
            moved += [{"name": j["what"], "a": j["a"], "b": j["b"]} for j in found["judgment"]]
        out.append(TimelineYear(year, answer, changes, moved))
        previous = record
    return out
