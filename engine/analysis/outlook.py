"""The coalition's outlook: the outlook rules (``rules/outlook.py``) run over every member's answer.

First the question rules answer every state that is neither the coalition's leader nor its
target (one :class:`CoalitionEngine`); then one ``MemberAnswer`` fact per state and one
``CoalitionProfile`` go into a small engine of their own, :class:`OutlookEngine`, whose rules
conclude the coalition's firmness (O1/O2), stability (O3), erosion (O4), the efficacy of a
simple coalition (O5), the weakest links (O6), its pillar (A2), tiers (A3) and conflicts of
interest (A4). This module only declares the facts and reads the conclusions; it decides
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from digital_coalitions.rules import outlook as ol
from digital_coalitions.rules.concepts import ICD203

from digital_coalitions.analysis.explore import roles
from digital_coalitions.inference.answer import Answer, ask
from digital_coalitions.inference.engine import RULES, CoalitionEngine, RecordingEngine
from digital_coalitions.casefiles.question import ASKED, dated

TERMS = tuple(term for term, _, _ in ICD203)


class OutlookEngine(ol.OutlookRules, RecordingEngine):
    """The outlook rules as one engine, recording which rule asserted each conclusion."""


@dataclass
class Finding:
    """One conclusion of the outlook rules: the fact's fields and the rule that concluded it."""

    concept: str
    values: dict
    rule: str

    @property
    def info(self):
        return RULES[self.rule]

    def get(self, key, default=None):
        return self.values.get(key, default)

    def to_dict(self) -> dict:
        return {"concept": self.concept, **{k: _plain(v) for k, v in self.values.items()},
                "rule": self.rule, "claims": list(self.info.claims)}


@dataclass
class Outlook:
    coalition: object  # CaseFile
    roles: dict[str, str]  # state id -> leader, target, not-eligible, member, candidate
    answers: dict[str, Answer]  # every state asked, by id
    findings: list[Finding]
    rules_fired: list[str] = field(default_factory=list)

    def one(self, concept: str) -> Finding | None:
        return next((f for f in self.findings if f.concept == concept), None)

    def every(self, concept: str) -> list[Finding]:
        return [f for f in self.findings if f.concept == concept]

    @property
    def members(self) -> list[str]:
        return [s for s, r in self.roles.items() if r == "member"]

    @property
    def candidates(self) -> list[str]:
        return [s for s, r in self.roles.items() if r == "candidate"]

    @property
    def contradictions(self) -> list[str]:
        """Listed members the rules answer as staying out (the answer contradicts the file)."""
        return [s for s in self.members if s in self.answers
                and self.answers[s].contradicts_members]

    def name(self, state_id: str) -> str:
        answer = self.answers.get(state_id)
        return answer.state.data["name"] if answer else state_id

    def tier(self, state_id: str) -> str | None:
        found = next((f for f in self.every("PartnerTier") if f.get("state") == state_id), None)
        return found.get("tier") if found else None

    def to_dict(self) -> dict:
        return {
            "coalition": self.coalition.id,
            "name": self.coalition.data["name"],
            "members": {s: _member(self.answers[s]) for s in self.members if s in self.answers},
            "candidates": {s: _member(self.answers[s]) for s in self.candidates},
            "contradicts_members": self.contradictions,
            "findings": [f.to_dict() for f in self.findings],
            "rules_fired": self.rules_fired,
        }


def _member(answer: Answer) -> dict:
    return {"verdict": answer.verdict, "likelihood": answer.likelihood["term"],
            "confidence": answer.confidence["level"]}


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def member_fact(answer: Answer, role: str) -> ol.MemberAnswer:
    """One state's answer as the outlook rules read it, with its tie and catch-up programme."""
    m, state, coalition = answer.mechanisms, answer.state.data, answer.coalition.data
    tie = (state.get("ties") or {}).get(coalition["leader"]) or {}
    industry = (state.get("industries") or {}).get(coalition.get("domain") or "") or {}
    return ol.MemberAnswer(
        state=answer.state.id, name=state["name"], role=role, verdict=answer.verdict,
        likelihood=answer.likelihood["term"], step=TERMS.index(answer.likelihood["term"]),
        security_dependency=m["security_dependency"], stranglehold=m["stranglehold"],
        malposition=bool(m["malposition"]), interest_sacrifice=m["interest_sacrifice"],
        compensation=m["compensation"], autonomy_pressure=m["autonomy_pressure"],
        coalition_form=m["coalition_form"] or "none",
        compulsion=" and ".join(m["compulsion"] or []) or "none",
        alliance=tie.get("alliance", "none"), catch_up=bool(industry.get("catch_up", False)))


def profile_fact(coalition) -> ol.CoalitionProfile:
    c = coalition.data
    return ol.CoalitionProfile(
        coalition=coalition.id, demand=c["demand"], framing=c["framing"], status=c["status"],
        pillar=c.get("pillar"), domain=c.get("domain"), target=c.get("target"),
        subsidies=bool((c.get("offers") or {}).get("subsidies", False)))


def outlook(coalition, states, engine: CoalitionEngine | None = None,
            answers: dict[str, Answer] | None = None, as_of: int | None = None) -> Outlook:
    """The outlook of ``coalition`` over ``states`` (id -> CaseFile), from the outlook rules,
    at the year asked (each state's latest evidence by default).

    ``answers`` may carry answers already computed (the memo's own question, with --set).
    """
    role_of = roles(coalition, states, as_of)
    known = dict(answers or {})
    missing = [sid for sid, r in role_of.items() if r in ASKED and sid not in known]
    if missing:
        engine = engine or CoalitionEngine()
        known.update({sid: ask(*dated(states[sid], coalition, as_of), engine) for sid in missing})
    findings, fired = conclude(profile_fact(coalition),
                               [member_fact(known[sid], role_of[sid]) for sid in sorted(known)])
    return Outlook(coalition, role_of, known, findings, fired)


def conclude(profile: ol.CoalitionProfile, members: list[ol.MemberAnswer]
             ) -> tuple[list[Finding], list[str]]:
    """The outlook rules over one profile and the members' answers: what they concluded, with
    the rule that concluded each, and the rules fired in order (the rule fixtures ask this)."""
    rules = OutlookEngine()
    rules.reset()
    rules.declare(profile, *members)
    rules.run()
    asserted_by = rules.asserted_by()
    findings = []
    for fid, fact in sorted(rules.facts.items()):
        if fid not in asserted_by:
            continue
        values = {k: v for k, v in fact.items() if not str(k).startswith("__")}
        findings.append(Finding(type(fact).__name__, values, asserted_by[fid].rule))
    return findings, [f.rule for f in rules.firings]


def conclude_on(profile: dict, members: list[dict]) -> tuple[list[Finding], list[str]]:
    """:func:`conclude` over the facts' plain fields (a rule fixture's, rules/fixtures/outlook/),
    each member's ICD 203 step following from its likelihood as in :func:`member_fact`."""
    return conclude(ol.CoalitionProfile(**profile),
                    [ol.MemberAnswer(**m, step=TERMS.index(m["likelihood"])) for m in members])
