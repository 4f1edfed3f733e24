"""What a rule says it concludes (``@rule(..., concludes=...)``) is what it declares when it fires.

``why`` reads the declarations, not the rules' source, to find the rules that could have
concluded something, so a declaration that lies would hide a rule from WHY NOT. Every fact a
rule declares while the engine runs, over every shipped pairing and every rule fixture (and, for
the outlook rules, every shipped coalition's outlook), must match one of its declared
conclusions, by fact class and literal fields; and every declared conclusion must be seen at
least once, so that none is stale.
"""

import pytest

from casemaker import AS_OF, SET, ask_case
from digital_coalitions.inference.answer import ask
from digital_coalitions.compat import experta
from digital_coalitions.analysis.coverage import ASKED, role_of
from digital_coalitions.inference.engine import RULE_MIXINS, RULES, CoalitionEngine
from digital_coalitions.analysis.outlook import conclude_on, outlook
from digital_coalitions.casefiles.question import Resolver, shipped_cases
from digital_coalitions.rules import base as rule_base
from digital_coalitions.rules.base import Conclusion, Stage, rule
from digital_coalitions.rules.concepts import Factor, Question, Verdict
from digital_coalitions.rules.fixtures import catalogue, outlook_facts

QUESTION_RULES = {rule_base.rule_info(r).id for m in RULE_MIXINS for r in vars(m).values()
                  if isinstance(r, experta.Rule)}


def fields(fact) -> dict:
    return {k: v for k, v in fact.items() if not str(k).startswith("__")}


class WitnessEngine(CoalitionEngine):
    """The question's engine, noting every fact each firing passes to ``declare``: also those
    experta drops as duplicates, which the firing record (``asserted``) cannot show."""

    def __init__(self):
        super().__init__()
        self.declared: list[tuple[str, str, dict]] = []  # (rule, fact class, fields)

    def declare(self, *facts):
        if self._current is not None:
            self.declared += [(self._current.rule, type(f).__name__, fields(f)) for f in facts]
        return super().declare(*facts)


def undeclared(declared, rules=RULES) -> list[tuple[str, str, dict]]:
    """The declarations no conclusion of their rule accounts for."""
    return [(rule_id, kind, fields) for rule_id, kind, fields in declared
            if not any(c.matches(fields, kind) for c in rules[rule_id].concludes)]


@pytest.fixture(scope="module")
def declared(tmp_path_factory):
    """(rule, fact class, fields) of every declaration over the shipped cases and the fixtures,
    with the firing record's own assertions checked against them."""
    engine, found = WitnessEngine(), []
    base = Resolver(shipped_cases()).base
    answers = {}

    def record(answer):
        # the firing record names the facts each firing asserted; each must be among the
        # declarations the witness saw for that rule
        for firing in answer.firings:
            for fid in firing.asserted:
                fact = answer.facts[fid]
                entry = (firing.rule, type(fact).__name__, fields(fact))
                assert entry in engine.declared, entry
        found.extend(engine.declared)
        engine.declared = []

    for state_id in sorted(base.states):
        for coalition_id in sorted(base.coalitions):
            coalition = base.coalitions[coalition_id]
            if role_of(base.states[state_id], coalition)[0] in ASKED:
                answers.setdefault(coalition_id, {})[state_id] = answer = \
                    ask(base.states[state_id], coalition, engine)
                record(answer)
    directory = tmp_path_factory.mktemp("case")
    for fixtures in catalogue().values():
        for fixture in fixtures.all:
            if fixtures.outlook:  # the outlook's facts, asked of its own engine
                findings, _ = conclude_on(*outlook_facts(fixture.changes))
                found += [(f.rule, f.concept, f.values) for f in findings]
                continue
            changes = {**fixture.changes, SET: list(fixture.overrides)}
            if fixture.as_of is not None:
                changes[AS_OF] = fixture.as_of
            record(ask_case(directory, changes, engine))
    for coalition_id in sorted(base.coalitions):  # the outlook rules: from their firing record
        seen = outlook(base.coalitions[coalition_id], dict(base.states), engine,
                       answers=answers.get(coalition_id, {}))
        found += [(f.rule, f.concept, f.values) for f in seen.findings]
    return found


def test_every_declaration_is_one_its_rule_declares(declared):
    assert len({rule_id for rule_id, _, _ in declared}) > len(QUESTION_RULES)  # outlook rules too
    wrong = undeclared(declared)
    assert not wrong, "declared but not in the rule's concludes=: " + "; ".join(
        f"{rule_id} declared {kind}({fields})" for rule_id, kind, fields in wrong[:5])


def test_every_declared_conclusion_is_seen(declared):
    unseen = [(rule_id, str(c)) for rule_id, info in sorted(RULES.items()) for c in info.concludes
              if not any(r == rule_id and c.matches(fields, kind) for r, kind, fields in declared)]
    # OL-50 (a simple, confrontational, active coalition is the more effective) is seen since the
    # TikTok device bans (a shipped coalition of that kind) joined the case base
    assert unseen == []


def test_the_check_catches_a_declaration_that_lies(declared):
    # the same record, read against a catalogue in which V-08 says it concludes "joins"
    lying = {**RULES, "V-08": rule_base.RuleInfo(**{**vars(RULES["V-08"]), "concludes": (
        Conclusion("Verdict", (("value", "joins"),)),)})}
    wrong = undeclared(declared, lying)
    assert wrong and {rule_id for rule_id, _, _ in wrong} == {"V-08"}
    assert all(fields["value"] == "joins-reluctantly" for _, _, fields in wrong)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_declares_its_conclusions(rule_id):
    conclusions = RULES[rule_id].concludes
    assert conclusions and all(isinstance(c, Conclusion) for c in conclusions), rule_id


def test_a_rule_without_declared_conclusions_is_refused():
    def weigh(self):
        self.declare(Factor(concept="commitment", points=1))

    with pytest.raises(TypeError, match="concludes"):
        rule("ZZ-01", "Undeclared", Question(), claims=("S2",), stage=Stage.EVIDENCE)(weigh)
    with pytest.raises(ValueError, match="ZZ-01 declares no conclusions"):
        rule("ZZ-01", "Undeclared", Question(), claims=("S2",), stage=Stage.EVIDENCE,
             concludes=())(weigh)
    with pytest.raises(TypeError, match="written as a fact"):
        rule("ZZ-01", "Undeclared", Question(), claims=("S2",), stage=Stage.EVIDENCE,
             concludes=("Factor", (("concept", "commitment"),)))(weigh)
    declared = rule("ZZ-01", "Declared", Question(), claims=("S2",), stage=Stage.EVIDENCE,
                    concludes=(Factor(concept="commitment"), Verdict()))(weigh)
    assert rule_base.rule_info(declared).concludes == (
        Conclusion("Factor", (("concept", "commitment"),)), Conclusion("Verdict", ()))


def test_a_conclusion_matches_by_class_and_literal_fields():
    conclusion = Conclusion.of(Factor(concept="commitment", claim="S2"))
    assert conclusion.matches(Factor(concept="commitment", claim="S2", points=3, reason="x"))
    assert not conclusion.matches(Factor(concept="attachment", claim="S2", points=3))
    assert not conclusion.matches(Factor(concept="commitment", points=3))  # the field is missing
    assert not conclusion.matches(Verdict(concept="commitment", claim="S2"))
    assert conclusion.matches({"concept": "commitment", "claim": "S2"}, "Factor")
