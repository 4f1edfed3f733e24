"""Many questions at once, for the batch commands (``matrix``, ``backtest``, ``rules coverage``,
``rules show``): spread over forked worker processes, answered from the on-disk cache where it
has them, and kept small.

Each question is still one full inference by the rule base (:func:`..inference.answer.ask`);
what the batch commands keep of it is a :class:`Summary` (verdict, likelihood, confidence, the
evidence years, the mechanism levels, the rules fired and the rule that decided), a few hundred
bytes where the whole answer, with its working memory and firing record, is some 50 KB. The
pool is flips' (:class:`..explore._Runner`): the workers are forked with the questions and the
compiled rules, only an index travels to them and a summary back, and the results come back in
the order asked, whatever the number of workers.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from digital_coalitions.rules.concepts import JOINING, VERDICTS

from digital_coalitions.analysis.explore import _Runner
from digital_coalitions.inference.answer import ask
from digital_coalitions.inference.engine import CoalitionEngine


@dataclass(frozen=True)
class Summary:
    """What the batch commands read of one answer; reads like an :class:`Answer` for them.

    ``state`` and ``coalition`` are the (dated) case files asked about, attached where the
    question was asked; they are not part of what is compared, sent between processes or
    cached."""

    verdict: str
    likelihood: dict  # term, range, figure
    confidence: dict  # level, basis
    dating: dict  # as Answer.dating
    role: str  # member or candidate
    mechanisms: dict
    rules_fired: tuple  # each rule that fired, once, in the order it first fired
    deciding_rule: str  # the rule that concluded the verdict
    state: object = field(default=None, compare=False, repr=False)
    coalition: object = field(default=None, compare=False, repr=False)

    @property
    def contradicts_members(self) -> bool:
        """As Answer.contradicts_members: a listed member answered as staying out."""
        return (self.role == "member" and self.verdict not in JOINING
                and not self.dating["proposal"])

    @classmethod
    def of(cls, answer) -> Summary:
        return cls(answer.verdict, answer.likelihood, answer.confidence, answer.dating,
                   answer.role, answer.mechanisms, tuple(dict.fromkeys(answer.rules_fired)),
                   answer.chain[-1].rule)

    def attached(self, state, coalition) -> Summary:
        return dataclasses.replace(self, state=state, coalition=coalition)

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "likelihood": self.likelihood,
                "confidence": self.confidence, "dating": self.dating, "role": self.role,
                "mechanisms": self.mechanisms, "rules_fired": list(self.rules_fired),
                "deciding_rule": self.deciding_rule}

    @classmethod
    def from_dict(cls, data: dict) -> Summary | None:
        """A summary read back from the cache, or None if ``data`` is not a whole one."""
        try:
            summary = cls(data["verdict"], data["likelihood"], data["confidence"],
                          data["dating"], data["role"], data["mechanisms"],
                          tuple(data["rules_fired"]), data["deciding_rule"])
            if summary.verdict not in VERDICTS or not isinstance(summary.deciding_rule, str) \
                    or not all(isinstance(r, str) for r in summary.rules_fired):
                return None
            summary.likelihood["term"], summary.likelihood["range"], summary.likelihood["figure"]
            summary.confidence["level"], summary.confidence["basis"]
            summary.dating["state"], summary.dating["proposal"], summary.dating["asked"]
            if not isinstance(summary.mechanisms, dict):
                return None
        except (KeyError, TypeError, IndexError):
            return None
        return summary


class _BatchAsker:
    """Asks the i-th of a fixed list of questions (what the forked workers inherit)."""

    def __init__(self, questions, engine: CoalitionEngine):
        self.questions, self.engine = questions, engine
        self.asked = 0

    def __call__(self, index: int) -> Summary:
        self.asked += 1
        return Summary.of(ask(*self.questions[index], self.engine))

    def forked(self) -> _BatchAsker:
        return self


def every_core() -> int:
    return os.cpu_count() or 1


def answer_many(questions, engine: CoalitionEngine | None = None, cache=None,
                workers: int | None = None, progress=None, keep=None) -> list:
    """The summary of each question (a pair of dated case files), in order.

    ``cache`` (an AnswerCache, or None) answers those it holds and stores the rest; the rest are
    asked here, or spread over ``workers`` forked processes (default: every core) when there are
    enough of them. ``progress(done, total)`` hears how many questions, counted in order, are
    answered; ``keep(summary)``, if given, is what is kept of each (the summary, else), applied
    as each arrives."""
    keep = keep or (lambda summary: summary)
    total = len(questions)
    results: list = [None] * total
    keys = [cache.key(*q) if cache is not None else None for q in questions]
    missing = []
    for i, key in enumerate(keys):
        found = cache.get(key) if key is not None else None
        summary = Summary.from_dict(found) if found is not None else None
        if summary is None:
            missing.append(i)
        else:
            results[i] = keep(summary.attached(*questions[i]))

    def report(asked: int, *_):  # the first ``asked`` missing ones are answered
        if progress is not None:
            progress(missing[asked] if asked < len(missing) else total, total)

    report(0)
    if missing:
        answered = iter(missing)

        def arrived(summary: Summary):
            i = next(answered)
            if keys[i] is not None:
                cache.put(keys[i], summary.to_dict())
            return keep(summary.attached(*questions[i]))

        asker = _BatchAsker(questions, engine or CoalitionEngine())
        with _Runner(asker, every_core() if workers is None else workers) as runner:
            for i, result in zip(missing, runner.map(missing, progress=report, keep=arrived)):
                results[i] = result
    return results


class Groups:
    """``progress(done, total, what)`` once per group of questions as its last one is answered,
    from answer_many's count of questions (``ends``: the count at the end of each group)."""

    def __init__(self, ends: list[int], progress, what: str):
        self.ends, self.progress, self.what = ends, progress, what
        self.reported = 0

    def __call__(self, done: int, total: int) -> None:
        while self.reported < len(self.ends) and self.ends[self.reported] <= done:
            self.reported += 1
            if self.progress is not None:
                self.progress(self.reported, len(self.ends), self.what)
