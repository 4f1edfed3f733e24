"""The backtest: every documented decision of a decisions file answered at its year, and scored.

``load_decisions(path, base)`` reads a decisions file (docs/decisions.md) against a case base,
every problem at once; ``backtest(decisions, base)`` asks each entry as ``coalition ask STATE
COALITION --as-of YEAR`` would and scores the answers: agreement on joining or staying out and on
the exact verdict, the confusion table, the Brier score of the likelihood, its calibration by ICD
203 band, the consistency and coverage of the paper's two conditions for demanding coalitions,
and every miss with the rule that decided it. Nothing here decides a verdict: the engine does.

The holdout (docs/backtest.md) is a fixed quarter of the corpus, chosen by a rule that reads
neither the evidence nor the outcome, so that a figure measured on it is not one the rules were
tuned to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from digital_coalitions.rules.concepts import (
    ICD203,
    JOINING,
    SECURITY_DEPENDENCY,
    STRANGLEHOLD,
    VERDICTS,
)

from digital_coalitions.casefiles import schema as S
from digital_coalitions.inference.answer import Answer
from digital_coalitions.inference.engine import CoalitionEngine
from digital_coalitions.casefiles.loader import CaseError, load_entries, suggest_id
from digital_coalitions.casefiles.question import ASKED, cases_flag, dated, role_of

DECISIONS_FILE = "decisions.yaml"  # beside states/ and coalitions/ in a case directory
# the parts a backtest reports (docs/backtest.md): the first sample's tuning set and holdout, and
# each later blind sample on its own, with the title a report gives each
LATER_SAMPLES = S.scale("sample")[1:]
PARTS = ("all", "tuning", "holdout") + LATER_SAMPLES
PART_TITLES = {"all": "whole corpus", "tuning": "tuning set", "holdout": "holdout",
               **{name: f"{name} sample" for name in LATER_SAMPLES}}
VERDICT_ORDER = tuple(VERDICTS)  # least to most willing to join

# The paper's own cases (design/theory.md): tests the rule base must pass, never held out.
PAPER_CASES = frozenset({
    ("japan", "chip4"), ("south-korea", "chip4"), ("taiwan", "chip4"), ("eu", "ttc"),
    ("eu", "afi"), ("eu", "dfi"), ("netherlands", "chip-export-controls"), ("france", "ttc"),
    ("italy", "ttc"), ("germany", "huawei-5g-exclusion"),
    ("united-kingdom", "huawei-5g-exclusion"), ("denmark", "huawei-5g-exclusion"),
    ("sweden", "huawei-5g-exclusion"), ("south-korea", "aiib-opposition"),
    ("south-korea", "japan-2019-curbs"),
})


@dataclass(frozen=True)
class Decision:
    """One documented decision: what ``state`` did about ``coalition`` in ``as_of``."""

    state: str
    coalition: str
    as_of: int
    accept: tuple[str, ...]
    joins: bool
    why: str
    source: str
    line: int = 0
    sample: str = "first"  # which blind sample of the corpus (docs/backtest.md)

    @property
    def key(self) -> str:
        return f"{self.state}|{self.coalition}|{self.as_of}"

    @property
    def paper_case(self) -> bool:
        return (self.state, self.coalition) in PAPER_CASES

    @property
    def holdout(self) -> bool:
        """The first sample's stated rule (docs/backtest.md): not a paper case, and SHA-256 of
        the key ≡ 0 mod 3. Later samples are held out whole, each in its own part."""
        digest = int(hashlib.sha256(self.key.encode("utf-8")).hexdigest(), 16)
        return self.sample == "first" and not self.paper_case and digest % 3 == 0

    @property
    def part(self) -> str:
        """The part it is scored in: tuning or holdout (first sample), or its later sample."""
        if self.sample != "first":
            return self.sample
        return "holdout" if self.holdout else "tuning"

    def to_dict(self) -> dict:
        return {"state": self.state, "coalition": self.coalition, "as_of": self.as_of,
                "accept": list(self.accept), "joins": self.joins, "why": self.why,
                "source": self.source, "sample": self.sample}


def default_decisions(*directories: Path) -> Path:
    """The decisions file of the last case directory that has one (else of the last): a
    directory that only adds cases is scored against the shipped decisions."""
    found = [Path(d) / DECISIONS_FILE for d in directories]
    return next((f for f in reversed(found) if f.is_file()), found[-1])


def decisions_about(path, state_id: str, coalition_id: str) -> list[Decision]:
    """The entries of a decisions file about one question, in year order (a memo reads what the
    record says the state did). Checked field by field like every entry; the cross-checks
    against a case base are the backtest's (load_decisions). No file: no entries."""
    if not Path(path).is_file():
        return []
    entries, ctx = load_entries(path, S.DECISION_FIELDS, "decision",
                                "a list of decisions, each a mapping with keys "
                                + ", ".join(f.name for f in S.DECISION_FIELDS if f.required))
    if ctx.problems:
        raise CaseError(ctx.messages())
    found = [Decision(e["state"], e["coalition"], e["as_of"], tuple(e["accept"]), e["joins"],
                      e["why"], e["source"], ctx.line_of((i,)), e.get("sample") or "first")
             for i, e in entries if (e["state"], e["coalition"]) == (state_id, coalition_id)]
    return sorted(found, key=lambda d: d.as_of)


def load_decisions(path, base) -> list[Decision]:
    """The entries of a decisions file, checked against the case base ``base``; CaseError lists
    every problem, one line each (``FILE:LINE: [i].field: what; expected …``)."""
    entries, ctx = load_entries(path, S.DECISION_FIELDS, "decision",
                                "a list of decisions, each a mapping with keys "
                                + ", ".join(f.name for f in S.DECISION_FIELDS if f.required))
    found, seen = [], {}
    for i, entry in entries:
        complete = all(f.name in entry for f in S.DECISION_FIELDS if f.required)
        state = base.states.get(entry.get("state"))
        coalition = base.coalitions.get(entry.get("coalition"))
        for name, case, pool in (("state", state, base.states),
                                 ("coalition", coalition, base.coalitions)):
            if name in entry and case is None:
                ctx.add((i, name), f"{entry[name]!r} is not a {name} of {base.directory}",
                        f"the id of a {name} file there{suggest_id(entry[name], pool)}")
        accept = entry.get("accept")
        if accept and "joins" in entry:
            if entry["joins"] and not set(accept) & set(JOINING):
                ctx.add((i, "joins"), "true, but accept names no way of joining",
                        "a joining verdict (" + ", ".join(JOINING) + ") in accept, or joins: false")
            if not entry["joins"] and set(accept) <= set(JOINING):
                ctx.add((i, "joins"), "false, but accept names only ways of joining",
                        "a verdict of staying out in accept, or joins: true")
        if state is not None and coalition is not None:
            # a year that is itself wrong still leaves the role to check, at the latest evidence
            s, c = dated(state, coalition, entry.get("as_of"))
            role, reason = role_of(s, c)
            if role not in ASKED:
                ctx.add((i, "state"), f"no choice to score: {reason}",
                        "a state the coalition could be joined by")
        if state is not None and coalition is not None and "as_of" in entry:
            key = (entry["state"], entry["coalition"], entry["as_of"])
            if key in seen:
                ctx.add((i, "as_of"), f"the same decision as entry [{seen[key]}]",
                        "each (state, coalition, year) once")
            seen.setdefault(key, i)
        if complete:
            found.append(Decision(entry["state"], entry["coalition"], entry["as_of"],
                                  tuple(entry["accept"]), entry["joins"], entry["why"],
                                  entry["source"], line=ctx.line_of((i,)),
                                  sample=entry.get("sample") or "first"))
    if ctx.problems:
        raise CaseError(ctx.messages())
    if not found:
        import warnings

        from digital_coalitions.errors import Note

        warnings.warn(Note(f"{path}: holds no decisions, so there is nothing to score"),
                      stacklevel=2)
    return found


# ---- scoring ----------------------------------------------------------------------------------
def probability(answer: Answer) -> float:
    """The likelihood of joining as a probability: the answer's figure."""
    return answer.likelihood["figure"] / 100


def band_midpoint(answer: Answer) -> float:
    """The likelihood of joining as the midpoint of its ICD 203 range (issue 9's measure)."""
    low, high = answer.likelihood["range"]
    return (low + high) / 200


@dataclass
class Scored:
    decision: Decision
    answer: Answer

    @property
    def verdict(self) -> str:
        return self.answer.verdict

    @property
    def predicts_joining(self) -> bool:
        return self.verdict in JOINING

    @property
    def join_right(self) -> bool:
        return self.predicts_joining == self.decision.joins

    @property
    def exact(self) -> bool:
        return self.verdict in self.decision.accept

    @property
    def documented(self) -> str:
        """The documented verdict this answer is counted against in the confusion table."""
        return self.verdict if self.exact else self.decision.accept[0]

    @property
    def later_evidence(self) -> bool:
        return self.answer.dating["earliest_used"]

    @property
    def deciding_rule(self) -> str:
        return self.answer.deciding_rule

    @property
    def why_command(self) -> str:
        d = self.decision
        return (f"coalition why {d.state} {d.coalition} {d.accept[0]} --as-of {d.as_of}"
                + cases_flag(self.answer.state))

    def to_dict(self) -> dict:
        return {**self.decision.to_dict(), "holdout": self.decision.holdout,
                "answered": self.verdict, "likelihood": self.answer.likelihood,
                "probability": probability(self.answer), "join_right": self.join_right,
                "exact": self.exact, "later_evidence": self.later_evidence,
                "evidence_year": self.answer.dating["state"], "rule": self.deciding_rule,
                "why": self.why_command}


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


@dataclass
class Score:
    """The figures over one set of scored decisions."""

    scored: list[Scored]

    @property
    def n(self) -> int:
        return len(self.scored)

    def _count(self, test) -> int:
        return sum(1 for s in self.scored if test(s))

    def summary(self) -> dict:
        n = self.n
        joins = self._count(lambda s: s.join_right)
        exact = self._count(lambda s: s.exact)
        brier = sum((probability(s.answer) - s.decision.joins) ** 2 for s in self.scored)
        banded = sum((band_midpoint(s.answer) - s.decision.joins) ** 2 for s in self.scored)
        return {"decisions": n, "stays_out": self._count(lambda s: not s.decision.joins),
                "join_agreement": {"right": joins, "share": _share(joins, n)},
                "exact_agreement": {"right": exact, "share": _share(exact, n)},
                "brier": round(brier / n, 4) if n else None,
                "brier_band_midpoint": round(banded / n, 4) if n else None}

    def confusion(self) -> dict:
        """Documented verdict (rows) × answered verdict (columns), counts."""
        table = {row: {col: 0 for col in VERDICT_ORDER} for row in VERDICT_ORDER}
        for s in self.scored:
            table[s.documented][s.verdict] += 1
        return table

    def calibration(self) -> list[dict]:
        """Per ICD 203 band: how many answers fell in it and how many of those states joined."""
        rows = []
        for term, low, high in ICD203:
            inside = [s for s in self.scored if s.answer.likelihood["term"] == term]
            joined = sum(1 for s in inside if s.decision.joins)
            rows.append({"band": term, "range": [low, high], "cases": len(inside),
                         "joined": joined, "observed": _share(joined, len(inside))})
        return rows

    def conditions(self) -> list[dict]:
        """QCA-style consistency and coverage of the paper's conditions (demanding coalitions):
        security dependency at least high (S1), stranglehold at least significant (T1, T2),
        and both, each read as sufficient for joining."""
        complex_ = [s for s in self.scored if _demand(s.answer) == "complex"]
        dependent = _at_least(SECURITY_DEPENDENCY, "security_dependency", "high")
        held = _at_least(STRANGLEHOLD, "stranglehold", "significant")
        tests = (("security dependency ≥ high", dependent), ("stranglehold ≥ significant", held),
                 ("both", lambda a: dependent(a) and held(a)))
        joined = [s for s in complex_ if s.decision.joins]
        rows = []
        for name, test in tests:
            present = [s for s in complex_ if test(s.answer)]
            both = [s for s in present if s.decision.joins]
            rows.append({"condition": name, "cases": len(complex_), "with_condition": len(present),
                         "joined": len(joined), "with_condition_and_joined": len(both),
                         "consistency": _share(len(both), len(present)),
                         "coverage": _share(len(both), len(joined))})
        return rows

    def misses(self) -> list[Scored]:
        return [s for s in self.scored if not s.exact]

    def to_dict(self) -> dict:
        return {**self.summary(), "confusion": self.confusion(), "calibration": self.calibration(),
                "conditions": self.conditions(),
                "misses": [s.to_dict() for s in self.misses()]}


def _demand(answer: Answer) -> str:
    own = (answer.coalition.data.get("per_member") or {}).get(answer.state.id) or {}
    return own.get("demand") or answer.coalition.data["demand"]


def _at_least(scale, name, level):
    return lambda answer: scale.index(answer.mechanisms[name] or scale[0]) >= scale.index(level)


def listed_members(base) -> frozenset:
    """(state, coalition) for every state a coalition file lists in `members` in any of its
    years, the leader aside."""
    pairs = set()
    for cid, coalition in base.coalitions.items():
        for data in (coalition.data, *(coalition.at(year).data for year in coalition.years)):
            pairs.update((m, cid) for m in data.get("members") or () if m != data["leader"])
    return frozenset(pairs)


@dataclass
class Backtest:
    scored: list[Scored]
    decisions_path: Path
    cases: Path
    parts: dict = field(default_factory=dict)
    listed: frozenset = frozenset()  # listed_members of the case base

    def members(self, score: Score) -> dict:
        """Issue 10's check of the coalition files' own `members` lists, over the listed members
        that have a decision in ``score``: each judged by its latest joining decision (else its
        latest). One answered as staying out is a miss, a documented exception (its decision
        records that it did not join) or an answer its record accepts."""
        decided: dict[tuple[str, str], list[Scored]] = {}
        for s in score.scored:
            pair = (s.decision.state, s.decision.coalition)
            if pair in self.listed:
                decided.setdefault(pair, []).append(s)
        found = {"misses": [], "exceptions": [], "accepted": []}
        for pair, group in sorted(decided.items()):
            s = max(group, key=lambda s: (s.decision.joins, s.decision.as_of))
            if not s.predicts_joining:
                kind = "exceptions" if not s.decision.joins else "accepted" if s.exact else "misses"
                found[kind].append(f"{pair[0]} → {pair[1]} ({s.decision.as_of})")
        return {"listed": len(decided), "staying_out": sum(map(len, found.values())), **found}

    def part(self, name: str) -> Score:
        if name == "all":
            return Score(list(self.scored))
        return Score([s for s in self.scored if s.decision.part == name])

    def shown(self, part: str = "all") -> tuple[str, ...]:
        """The parts a report lists: the one asked for, or the whole and every part it holds."""
        if part != "all":
            return (part,)
        held = {s.decision.part for s in self.scored}
        return ("all",) + tuple(name for name in PARTS[1:] if name in held)

    def later(self, score: Score) -> dict:
        """The entries answered from later evidence (no file evidence that early), apart."""
        later = Score([s for s in score.scored if s.later_evidence])
        return later.summary()

    def counts(self, part: str = "all") -> dict:
        scored = self.part(part).scored
        states = {s.decision.state for s in scored}
        coalitions = {s.decision.coalition for s in scored}
        return {"states": len(states), "coalitions": len(coalitions)}


def backtest(decisions: list[Decision], base, decisions_path: Path,
             engine: CoalitionEngine | None = None, progress=None, cache=None,
             workers: int | None = None) -> Backtest:
    """Each decision answered at its year by the rule base, in file order (spread over
    ``workers`` processes, default every core; answered from ``cache``, an AnswerCache, where it
    holds them)."""
    from digital_coalitions.analysis.batch import Groups, answer_many

    questions = [dated(base.states[d.state], base.coalitions[d.coalition], d.as_of)
                 for d in decisions]
    answers = answer_many(questions, engine, cache, workers,
                          progress=Groups(list(range(1, len(decisions) + 1)), progress,
                                          "decisions"))
    return Backtest([Scored(d, a) for d, a in zip(decisions, answers)], Path(decisions_path),
                    Path(base.directory), listed=listed_members(base))
