"""What to watch, and what else could happen: the memo's indicators and alternatives.

Both come from ``flips``: every one-step change of the evidence the question rests on has been
asked already (``Flips.outcomes``), so each change's direction is read there, never guessed.

An *indicator* is something a reader can observe. It comes from a case file's indicator text
(``indicators`` in a state or coalition file: the event, and the value it would move), or, where
no text covers the value, from a one-step change of a value **of the state** that can move
within the horizon (``schema.MOVES_WITHIN_HORIZON``) and that moves the verdict or the
likelihood's ICD 203 step on its own. An *alternative* is any other verdict a change produces,
plausible or not, with the change said in words and marked by whether it can happen within
the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

from digital_coalitions.casefiles import schema as S
from digital_coalitions.analysis.explore import Flips, towards
from digital_coalitions.casefiles.bearing import Change

MAX_INDICATORS = 6
MAX_ALTERNATIVES = 3  # changes shown per alternative outcome


@dataclass
class Signpost:
    """One indicator: the event to watch, the value it moves, and which way the answer goes."""

    watch: str  # the observable event, in words
    change: Change
    verdict: str  # the verdict after the change
    direction: str  # towards joining / away from joining
    moves: str  # "verdict", "step" (the ICD 203 term) or "figure" (within the term)
    figure: tuple[float, float]  # the likelihood figure before and after
    term: str  # the ICD 203 term after
    from_text: bool  # written in a case file (True) or from a change within the horizon
    key: str = ""  # the indicator's name in its file
    file: str = ""  # the file it is written in
    source: str = ""  # the indicator's own source, if given
    plausible: bool = True  # the value can move within the horizon (schema)

    @property
    def rank(self) -> tuple:
        order = {"verdict": 0, "step": 1, "figure": 2}[self.moves]
        return (order, not self.from_text, -abs(self.figure[1] - self.figure[0]))


@dataclass
class Alternative:
    verdict: str
    direction: str
    changes: list[dict]  # {change, plausible, side}: one change (or pair) each
    more: int = 0


def _move(flips: Flips, change: Change) -> tuple[str, str, str] | None:
    """(moves, direction, verdict) of one change, or None if it moves nothing."""
    outcome = flips.outcomes.get(change)
    if outcome is None:
        return None
    answer = flips.answer
    direction = towards(answer, outcome)
    if outcome.verdict != answer.verdict:
        return "verdict", direction, outcome.verdict
    if direction == "no change":
        return None
    moves = "step" if outcome.likelihood["term"] != answer.likelihood["term"] else "figure"
    return moves, direction, outcome.verdict


def _signpost(flips: Flips, change: Change, watch: str, from_text: bool, **kw) -> Signpost | None:
    found = _move(flips, change)
    if found is None:
        return None
    moves, direction, verdict = found
    outcome = flips.outcomes[change]
    return Signpost(watch, change, verdict, direction, moves,
                    (flips.answer.likelihood["figure"], outcome.likelihood["figure"]),
                    outcome.likelihood["term"], from_text,
                    plausible=S.moves_within_horizon(change.case, change.path), **kw)


def _target(case_kind: str, path: str, state_id: str) -> tuple[str, str] | None:
    """(kind, path) of the change an indicator written at ``path`` of a ``case_kind`` file names,
    as flips names it (the coalition's offers and pressure per member), or None if it is about
    another member."""
    if case_kind == "coalition":
        try:
            S.field("coalition", path)
        except KeyError:
            return "state", path  # a coalition file's indicator about its members' own values
        parts = path.split(".")
        if parts[0] in ("offers", "pressure"):
            return "coalition", f"per_member.{state_id}.{path}"
        if parts[0] == "per_member" and len(parts) > 1 and parts[1] != state_id:
            return None
    return case_kind, path


def written_indicators(state, coalition) -> list[tuple[str, str, dict]]:
    """(file kind, key, entry) of every indicator text the question's two files give."""
    out = []
    for kind, case in (("state", state), ("coalition", coalition)):
        for key, entry in sorted((case.data.get("indicators") or {}).items()):
            out.append((kind, key, entry))
    return out


def indicators(flips: Flips, state, coalition, words) -> tuple[list[Signpost], list[dict]]:
    """The indicators to watch, most consequential first; and the indicator texts that move
    nothing on this question (for the annex). ``read``: the values the question read, so that
    an unknown one is said to be unknown (``Words.change``)."""
    singles = [c for c in flips.outcomes if c.steps == 1]
    found: list[Signpost] = []
    idle: list[dict] = []
    covered: set[tuple[str, str]] = set()
    for kind, key, entry in written_indicators(state, coalition):
        where = _target(kind, entry["field"], state.id)
        if where is None or coalition.id not in (entry.get("coalitions") or [coalition.id]):
            continue
        direction = entry.get("direction")
        options = [c for c in singles if (c.case, c.path) == where
                   and (direction is None or c.up == (direction == "up"))]
        made = [s for s in (_signpost(flips, c, entry["watch"], True, key=key,
                                      file=(state if kind == "state" else coalition).path.name,
                                      source=entry.get("source", "")) for c in options) if s]
        covered.add(where)
        if made:
            found.append(min(made, key=lambda s: s.rank))
        else:
            on_field = any((c.case, c.path) == where for c in singles)
            why = ("it moves neither the verdict nor the likelihood here" if options
                   else "the value is already as far as it goes that way" if on_field
                   else "no such value in this question's evidence")
            idle.append({"key": key, "file": kind, "field": entry["field"],
                         "watch": entry["watch"], "why": why})
    for change in singles:
        if change.case != "state" or (change.case, change.path) in covered:
            continue
        if not S.moves_within_horizon("state", change.path):
            continue
        sign = _signpost(flips, change, words.change(change, flips.answer), False)
        if sign is not None and sign.moves in ("verdict", "step"):
            found.append(sign)
    found.sort(key=lambda s: s.rank)
    return found[:MAX_INDICATORS], idle


def alternatives(flips: Flips) -> list[Alternative]:
    """The other verdicts the rules reach, each with its smallest changes, plausible first."""
    out = []
    for verdict, found in flips.by_verdict().items():
        changes = [{"changes": f.changes, "plausible": f.within_horizon,
                    "side": "coalition" if any(c.case == "coalition" for c in f.changes)
                    else "state"} for f in found[:MAX_ALTERNATIVES]]  # flips() orders them
        out.append(Alternative(verdict, found[0].direction, changes,
                               max(0, len(found) - MAX_ALTERNATIVES)))
    out.sort(key=lambda alt: (not alt.changes[0]["plausible"],
                              min(sum(c.steps for c in x["changes"]) for x in alt.changes)))
    return out


@dataclass
class Sensitive:
    change: Change  # one step of the field that moves the verdict or the likelihood's step
    plausible: bool


def sensitive(flips: Flips) -> list[Sensitive]:
    """The fields one step of which moves the verdict or the likelihood's term, each once."""
    out, seen = [], set()
    for change in flips.outcomes:
        if change.steps != 1 or change.field not in flips.sensitive or change.field in seen:
            continue
        found = _move(flips, change)
        if found and found[0] in ("verdict", "step"):
            seen.add(change.field)
            out.append(Sensitive(change, S.moves_within_horizon(change.case, change.path)))
    return out


