"""When a memo's judgment speaks: the year it is about, its horizon, the age of the evidence,
and what the record says the state already did.

The rules have no clock: they answer from one year's evidence. A reader asks "will it join
within the next two years?", and may ask it after the state decided. This module reads the
record (the coalition file's ``members`` and the decisions corpus, ``cases/decisions.yaml``) so
that the memo can say "joined in 2023, as the rules would have forecast" rather than forecast an
event that already happened. It never touches the verdict: the verdict stays the rules'.
"""

from __future__ import annotations

from dataclasses import dataclass

from digital_coalitions.rules.concepts import HORIZON_YEARS, JOINING, STALE_AFTER_YEARS

JOINED, STAYED_OUT, OPEN = "joined", "stayed-out", "open"
RETROSPECTIVE, STAYING, FORECAST = "retrospective", "staying", "forecast"
SUPPOSED = "supposed"  # a retrospective's question asked of supposed evidence (--set)


@dataclass(frozen=True)
class Record:
    """What the record says the state did about the coalition, by the year the memo speaks of.

    ``status``: joined, stayed-out or open (nothing recorded). ``year``: the year of the
    decision (for joined, the first year of its membership); None where the state is only
    listed among the coalition file's members. ``accept``: the verdicts the record calls right.
    """

    status: str = OPEN
    year: int | None = None
    accept: tuple[str, ...] = ()
    why: str = ""
    source: str = ""  # "decisions" (with the entry's source text in ``cited``) or "members"
    cited: str = ""


@dataclass(frozen=True)
class TimeFrame:
    """The memo's time: the year it speaks of, the evidence's year, the horizon, the record."""

    asked: int  # --as-of, else the memo's date
    evidence: int  # the year of the state file's evidence used
    horizon: int = HORIZON_YEARS
    stale_after: int = STALE_AFTER_YEARS
    record: Record = Record()
    as_of_given: bool = False
    # the rules' verdict on the evidence of the record's year, and that evidence's year, where
    # the record's year is not the evidence's (the memo then compares like with like)
    then: tuple[str, int] | None = None
    # some of the evidence is supposed (--set): the memo is about that case, not the record's
    supposed: bool = False
    # a memo asked --as-of an earlier year than its date: the year the record shows it joined
    # after the year asked, within the horizon and by the memo's date (hindsight it can report)
    joined_later: int | None = None
    # the first year within the horizon for which the coalition's file marks it defunct
    lapses: int | None = None

    @property
    def until(self) -> int:
        return self.asked + self.horizon

    @property
    def age(self) -> int:
        """How many years older the evidence is than the year the memo speaks of."""
        return self.asked - self.evidence

    @property
    def stale(self) -> bool:
        return self.age > self.stale_after

    @property
    def ahead(self) -> bool:
        """The evidence is of a year after the one the memo speaks of (a memo dated 2020 on
        2023 evidence): it holds what was not yet known then."""
        return self.age < 0

    @property
    def mode(self) -> str:
        """retrospective: it joined, and the evidence is of that year or before (the verdict is
        a forecast the record can check); staying: it is a member and the evidence is later
        (the verdict reads whether it stays in); forecast: it has not joined. supposed: a
        retrospective's question on supposed evidence: whether it would have joined, had the
        evidence been as supposed; the record cannot check that, so the memo only reports it."""
        record = self.record
        if record.status != JOINED:
            return FORECAST
        if record.year is not None and self.evidence <= record.year:
            return SUPPOSED if self.supposed else RETROSPECTIVE
        return STAYING

    def agrees(self, verdict: str) -> str:
        """How the rules' verdict stands to the record: exact (the verdict is one the record
        calls right), direction (joining or staying out agrees, the manner differs), against,
        or unknown (no record)."""
        record = self.record
        if record.status == OPEN:
            return "unknown"
        if self.then is not None:
            verdict = self.then[0]
        if verdict in record.accept:
            return "exact"
        joined = record.status == JOINED
        return "direction" if (verdict in JOINING) == joined else "against"


def read_record(state, coalition, decisions, asked: int) -> Record:
    """The record by ``asked``: the latest decision at or before it (a run of joining decisions
    counts from its first year); else the coalition file's members list."""
    entries = [d for d in decisions if d.as_of <= asked]
    coalition_year = coalition.dating.year if coalition.dating else coalition.year
    # the coalition file's list, where its evidence is of the year asked or before
    member = state.id in (coalition.data.get("members") or ()) and (
        coalition_year is None or coalition_year <= asked)
    if entries:
        last = entries[-1]
        if last.joins:
            first = last
            for entry in reversed(entries):
                if not entry.joins:
                    break
                first = entry
            return Record(JOINED, first.as_of, last.accept, last.why, "decisions", last.source)
        if not (member and coalition_year is not None and coalition_year > last.as_of):
            return Record(STAYED_OUT, last.as_of, last.accept, last.why, "decisions", last.source)
    if member:
        return Record(JOINED, None, (), "", "members")
    return Record()


def time_frame(answer, decisions, date: str, horizon: int = HORIZON_YEARS,
               stale_after: int = STALE_AFTER_YEARS, ask_at=None,
               supposed: bool = False) -> TimeFrame:
    """The time frame of a memo dated ``date`` (YYYY-MM-DD) about ``answer``. ``ask_at(year)``,
    if given, answers the question at another year: (verdict, year of the evidence used); it is
    asked once, for a recorded decision to stay out taken in a year other than the evidence's.
    ``supposed``: some of the answer's evidence was set by hand (--set); the record is then
    not compared with the answer, so nothing is asked at another year."""
    dating = answer.dating
    given = dating["asked"] is not None
    asked = dating["asked"] if given else int(str(date)[:4])
    record = read_record(answer.state, answer.coalition, decisions, asked)
    then = None
    if ask_at is not None and not supposed and record.status == STAYED_OUT \
            and record.year != dating["state"]:
        then = ask_at(record.year)
    written = int(str(date)[:4])
    later = [d.as_of for d in decisions if d.joins and asked < d.as_of <= min(asked + horizon,
                                                                              written)]
    joined_later = min(later) if record.status != JOINED and later else None
    coalition = answer.coalition
    lapses = next((year for year in sorted(coalition.evidence_years)
                   if year <= asked + horizon
                   and coalition.at(year).data.get("status") == "defunct"), None)
    return TimeFrame(asked, dating["state"], horizon, stale_after, record, given, then, supposed,
                     joined_later, lapses)
