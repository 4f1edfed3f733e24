"""Ask the engine one question and read its conclusions into one result model.

Everything the renderers show comes from here: the verdict, likelihood and confidence the
rules concluded, the mechanism levels, the chain of reasoning (which rule concluded each step),
the rules fired in order and the values assumed. Nothing here decides anything; it reads what
the rules put in working memory.
"""

from __future__ import annotations

from digital_coalitions.record import Record
from digital_coalitions.rules import concepts as c
from digital_coalitions.rules.base import Stage

from digital_coalitions.inference.engine import RULES, CoalitionEngine, Firing
from digital_coalitions.casefiles.evidence import question_evidence
from digital_coalitions.casefiles.loader import as_filed, overrides_of
from digital_coalitions.casefiles.question import role_of

class Step(Record):
    FIELDS = ("concept", "value", "rule", "title", "claims")
    concept: str
    value: object
    rule: str
    title: str
    claims: tuple[str, ...]

    def __init__(self, concept: str, value: object, rule: str, title: str,
                 claims: tuple[str, ...]):
        self._set(concept, value, rule, title, claims)


# the facts that carry a value read from a case file (the others are sourcing and bookkeeping)
EVIDENCE = ("Tie", "Autonomy", "Industry", "Reliance", "TargetRelation", "CoalitionTrait",
            "Offer", "Pressure")


class Answer(Record):
    FIELDS = ("state", "coalition", "verdict", "likelihood", "confidence", "mechanisms", "chain",
              "rules_fired", "defaults", "facts", "firings", "unfired", "role")
    UNSHOWN = frozenset({"facts", "firings", "unfired"})
    state: object  # CaseFile
    coalition: object  # CaseFile
    verdict: str
    likelihood: dict
    confidence: dict
    mechanisms: dict
    chain: list[Step]
    rules_fired: list[str]
    defaults: list[str]
    facts: dict[int, dict]
    firings: list[Firing]
    unfired: list[tuple[str, list[int]]]
    role: str  # member (listed in the coalition file) or candidate

    def __init__(self, state, coalition, verdict: str, likelihood: dict, confidence: dict,
                 mechanisms: dict, chain: list[Step], rules_fired: list[str], defaults: list[str],
                 facts: dict[int, dict], firings: list[Firing],
                 unfired: list[tuple[str, list[int]]], role: str = "candidate"):
        self._set(state, coalition, verdict, likelihood, confidence, mechanisms, chain,
                  rules_fired, defaults, facts, firings, unfired, role)

    @property
    def dating(self) -> dict:
        """The year asked, the year of each file's evidence, and what the reader must be told:
        that no evidence was that early, or that the year is before the coalition was founded."""
        return evidence_dating(self.state, self.coalition)

    def evidence(self) -> dict:
        """(case, path) -> the value the question read there (True where the fact records a
        value by being there): what the memo, its indicators and flips say was read."""
        return {(f["source"], f["path"]): f.get("value", True) for f in self.facts.values()
                if type(f).__name__ in EVIDENCE and "path" in f}

    def read_unknown(self, case: str, path: str) -> bool:
        """Whether the question read the value at ``path`` of the ``case`` file as unknown (a
        null share): said as unknown, not as the 0 the flips search steps it from."""
        read = self.evidence()
        return (case, path) in read and read[case, path] is None

    @property
    def deciding_rule(self) -> str:
        """The rule that concluded the verdict (the chain's last step)."""
        return self.chain[-1].rule

    @property
    def overrides(self) -> tuple:
        """The ``--set`` changes the question was asked with, state's first (none for the files
        as loaded)."""
        return overrides_of(self.state, self.coalition)

    @property
    def contradicts_members(self) -> bool:
        """A listed member answered as staying out (of the coalition as founded, not a proposal)."""
        return (self.role == "member" and self.verdict not in c.JOINING
                and not self.dating["proposal"])

    @property
    def filed_contradicts_members(self) -> bool:
        """As contradicts_members, for the question asked of the files' own values, without its
        ``--set`` changes (asked again, only where a caveat needs it)."""
        if not self.overrides:
            return self.contradicts_members
        return ask(as_filed(self.state), as_filed(self.coalition)).contradicts_members

    def to_dict(self) -> dict:
        """The machine-readable answer (facts.md: at least these fields)."""
        return {
            "state": self.state.id,
            "coalition": self.coalition.id,
            "question": f"Will {self.state.data['name']} join {self.coalition.data['name']}?",
            "verdict": self.verdict,
            "likelihood": self.likelihood,
            "confidence": self.confidence,
            "mechanisms": self.mechanisms,
            "chain": [{"concept": s.concept, "value": s.value, "rule": s.rule, "title": s.title,
                       "claims": list(s.claims)} for s in self.chain],
            "rules_fired": self.rules_fired,
            "defaults": self.defaults,
            "role": self.role,
            "contradicts_members": self.contradicts_members,
            "evidence_year": self.dating,
            "inputs": {kind: {"id": f.id, "path": str(f.path), "as_of": f.data.get("as_of"),
                              "sha256": f.sha256,
                              # values changed with --set: the file's hash, not its values
                              **({"overrides": [o.to_dict() for o in f.overrides]}
                                 if getattr(f, "overrides", ()) else {})}
                       for kind, f in (("state", self.state), ("coalition", self.coalition))},
        }


def evidence_dating(state, coalition) -> dict:
    dating = state.dating
    year = dating.year if dating else state.data["as_of"]
    asked = dating.asked if dating else None
    founded = coalition.data.get("founded")
    return {
        "asked": asked,
        "state": year,
        "state_years": list(dating.years if dating else state.evidence_years),
        "coalition": coalition.dating.year if coalition.dating else coalition.year,
        "coalition_earliest_used": bool(coalition.dating and coalition.dating.earliest
                                        and coalition.dating.years),
        "coalition_status": coalition.data.get("status"),
        "earliest_used": bool(dating and dating.earliest),
        "proposal": founded is not None and (asked if asked is not None else year) < founded,
        "founded": founded,
    }


def _run(state, coalition, engine: CoalitionEngine, stop_below=None):
    facts, assumed = question_evidence(state, coalition)
    engine.reset()
    engine.firings, engine.unfired = [], []
    engine.declare(*facts)
    engine.run(stop_below=stop_below)
    return assumed


def verdict_only(state, coalition, engine: CoalitionEngine) -> str:
    """The verdict alone, the run stopped before likelihood and confidence (for searches)."""
    _run(state, coalition, engine, stop_below=Stage.VERDICT)
    return next(f["value"] for f in engine.facts.values() if type(f) is c.Verdict)


def ask(state, coalition, engine: CoalitionEngine | None = None) -> Answer:
    """Will ``state`` join ``coalition``? Runs the rule base once on the two case files."""
    engine = engine or CoalitionEngine()
    assumed = _run(state, coalition, engine)
    memory = {fid: fact for fid, fact in engine.facts.items()}
    asserted_by = engine.asserted_by()

    def first(kind):
        return next((f for f in memory.values() if type(f) is kind), None)

    mechanisms, chain = {}, []
    for concept in c.CONCEPTS:
        if not concept.in_mechanisms:
            continue
        found = [f for f in memory.values() if type(f) is concept.fact]
        if not found:
            mechanisms[concept.key] = None if concept.field else False
            continue
        value = found[0][concept.field] if concept.field else True
        if concept.several:
            value = sorted(f[concept.field] for f in found)
        mechanisms[concept.key] = value
        if concept.chain_label:
            info = RULES[asserted_by[found[0]["__factid__"]].rule]
            chain.append(Step(concept.key, value, info.id, info.title, info.claims))
    chain.sort(key=lambda s: c.CONCEPT[s.concept].place)

    verdict, likelihood, confidence = first(c.Verdict), first(c.Likelihood), first(c.Confidence)
    verdict_rule = RULES[asserted_by[verdict["__factid__"]].rule]
    chain.append(Step("verdict", verdict["value"], verdict_rule.id, verdict_rule.title,
                      verdict_rule.claims))
    return Answer(
        state=state,
        coalition=coalition,
        verdict=verdict["value"],
        likelihood={"term": likelihood["term"], "range": [likelihood["low"], likelihood["high"]],
                    "figure": likelihood["figure"]},
        confidence={"level": confidence["level"], "basis": list(confidence["basis"])},
        mechanisms=mechanisms,
        chain=chain,
        rules_fired=[f.rule for f in engine.firings],
        defaults=[str(a) for a in assumed],
        facts=memory,
        firings=list(engine.firings),
        unfired=list(engine.unfired),
        role="member" if role_of(state, coalition)[0] == "member" else "candidate",
    )
