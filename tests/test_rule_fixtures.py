"""Every rule has a minimal case that makes it fire and one that keeps it quiet.

Each fixture is a set of changes to the same base case (tests/casemaker.py: a treaty ally with
moderate commitment, low attachment, hence low security dependency; no reliance, exposure,
offers or pressure; a complex coalition; answer: declines, by V-10). Where the quiet fixture is
a near miss of the firing one, the difference is the condition that matters.
"""

import pytest

from casemaker import LEADER, SET, STATE_ID, ask_case
from digital_coalitions.compat import experta
from digital_coalitions.engine import MECHANISMS, CoalitionEngine
from digital_coalitions.rules.base import rule_info

TIE = f"ties.{LEADER}."
INDUSTRY = "industries.semiconductors."
RELIANCE = f"{INDUSTRY}reliance.{LEADER}."
EXPORTS = f"{INDUSTRY}target_exposure.china.export_share"
TARGET = "targets.china."

NO_TIE = {f"ties.{LEADER}": None}
# base: bilateral treaty = 3 commitment points (moderate); attachment 0 (low) -> dependency low
MODERATE_DEPENDENCY = {TIE + "existential_threat": "high"}  # attachment 3: moderate
HIGH_DEPENDENCY = {**MODERATE_DEPENDENCY, TIE + "abandonment_fear": "high"}  # attachment 5: high
INTENSE_DEPENDENCY = {**HIGH_DEPENDENCY, TIE + "institutionalisation": "high"}  # commitment 5
SIGNIFICANT_HOLD = {RELIANCE + "level": "high"}  # also compels (OC-01) any dependent ally
RECEPTIVE = {TIE + "shared_values": "high"}  # with the base's moderate threat perception
SIMPLE = {"coalition.demand": "simple"}
SANCTIONS = {"coalition.pressure.technology_sanctions": True}
CUTOFF = {"coalition.pressure.security_cutoff": True}
SUBSIDIES = {"coalition.offers.subsidies": True}
AUTONOMOUS = {"autonomy.strategic_autonomy": "high"}

# The rule has no condition a case file can fail: it classifies or records what every question
# has (a tie, an autonomy stance, a dependency level, a verdict), so it has no quiet fixture.
ALWAYS = None

# rule ID: (changes that make it fire, changes that keep it quiet)
FIXTURES = {
    # ---- security dependency -----------------------------------------------------------------
    "SD-01": ({}, NO_TIE),
    "SD-02": ({TIE + "institutionalisation": "moderate"}, {TIE + "institutionalisation": "low"}),
    # evidence about a tie weighs only when there is an alliance
    "SD-03": ({TIE + "extended_deterrence": True},
              {TIE + "extended_deterrence": True, TIE + "alliance": "none"}),
    "SD-04": ({TIE + "joint_exercises": "regular"}, {TIE + "joint_exercises": "occasional"}),
    "SD-05": ({TIE + "existential_threat": "low"}, {}),
    "SD-06": ({TIE + "abandonment_fear": "moderate"}, {}),
    "SD-07": ({TIE + "arms_import_share": 0.5}, {TIE + "arms_import_share": 0.49}),
    "SD-08": ({TIE + "intelligence_dependence": "high"}, {TIE + "intelligence_dependence": "moderate"}),
    "SD-10": ({}, ALWAYS),
    "SD-11": ({}, ALWAYS),
    # a written "alliance: none" and no ties entry at all (SD-21's quiet fixture) mean the same
    "SD-20": ({TIE + "alliance": "none"}, {}),
    "SD-21": ({}, NO_TIE),
    # quiet also with no ties entry, but NOT with a written "alliance: none": shared_values is
    # then still read, so the two spellings of "no tie" differ here (and in LK-05)
    "SD-30": ({}, {"coalition.target": None}),
    "SD-31": (MODERATE_DEPENDENCY, {**MODERATE_DEPENDENCY, TIE + "in_core_clubs": True}),
    # the threat of a cut-off only bites on a dependency of at least moderate
    "SD-32": ({**CUTOFF, **MODERATE_DEPENDENCY}, CUTOFF),
    # ---- technological stranglehold ----------------------------------------------------------
    "ST-01": ({RELIANCE + "level": "low"}, {}),
    # the kind of a reliance that is "none" caps nothing
    "ST-02": ({RELIANCE + "level": "moderate", RELIANCE + "kind": "equipment"},
              {RELIANCE + "kind": "equipment"}),
    "ST-03": ({RELIANCE + "level": "moderate", RELIANCE + "substitutable": True},
              {RELIANCE + "substitutable": True}),
    "ST-04": ({INDUSTRY + "position": "lagging"}, {}),
    "ST-05": ({INDUSTRY + "position": "niche", RELIANCE + "level": "high"},
              {INDUSTRY + "position": "niche", RELIANCE + "level": "moderate"}),
    "ST-06": ({RELIANCE + "level": "low", INDUSTRY + "weight": "low"}, {INDUSTRY + "weight": "low"}),
    "ST-07": ({RELIANCE + "level": "critical"},
              {RELIANCE + "level": "critical", RELIANCE + "substitutable": True}),
    "ST-10": ({}, ALWAYS),
    # a malpositioned industry cannot take up the carrot, however much it relies on the leader
    "ST-20": ({RELIANCE + "level": "low"},
              {RELIANCE + "level": "low", INDUSTRY + "position": "lagging"}),
    "ST-21": (SIGNIFICANT_HOLD, {RELIANCE + "level": "moderate"}),
    # export share 0.5 is 3 sacrifice points (moderate); 0.25 is 2 (low)
    "ST-22": ({**SIGNIFICANT_HOLD, EXPORTS: 0.5}, {**SIGNIFICANT_HOLD, EXPORTS: 0.25}),
    # a weak hold used in anger, bringing conflict, is substituted; an irreplaceable one is not
    "ST-30": ({**NO_TIE, **SANCTIONS, RELIANCE + "level": "high", RELIANCE + "kind": "raw-material"},
              {**NO_TIE, **SANCTIONS, RELIANCE + "level": "high",
               RELIANCE + "kind": "key-technology"}),
    # ---- sacrifice and compensation ----------------------------------------------------------
    # a declaratory coalition asks no sacrifice, however exposed the industry
    "SC-01": ({EXPORTS: 0.1}, {EXPORTS: 0.1, **SIMPLE}),
    "SC-02": ({EXPORTS: 0.1, INDUSTRY + "weight": "high"}, {INDUSTRY + "weight": "high"}),
    "SC-03": ({TARGET + "retaliation_risk": "moderate"}, {}),
    "SC-04": ({"coalition.framing": "softened", TARGET + "retaliation_risk": "moderate"},
              {"coalition.framing": "softened"}),
    "SC-10": ({}, SIMPLE),
    "SC-11": (SIMPLE, {}),
    # a per_member override withdraws an offer the coalition makes everyone else
    "CP-01": (SUBSIDIES, {**SUBSIDIES, f"coalition.per_member.{STATE_ID}.offers.subsidies": False}),
    "CP-10": ({}, ALWAYS),
    # only a reluctant member softens its wording: with the same retaliation risk and little
    # to lose, the ally joins readily (V-11) and says nothing
    "SC-20": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.5,
               TARGET + "retaliation_risk": "moderate"},
              {**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, TARGET + "retaliation_risk": "moderate"}),
    # ---- autonomy ----------------------------------------------------------------------------
    "AU-01": ({}, ALWAYS),
    "AU-02": (AUTONOMOUS, {**AUTONOMOUS, "coalition.framing": "softened"}),
    "AU-03": ({}, ALWAYS),
    # ---- outcomes ----------------------------------------------------------------------------
    # the hold compels only an ally with an alliance-based dependency (T1): low is not enough
    "OC-01": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD}, SIGNIFICANT_HOLD),
    # alliances cannot change policies involving heavy interests (S8): 3 + 2 points is heavy
    "OC-02": ({**CUTOFF, **MODERATE_DEPENDENCY},
              {**CUTOFF, **MODERATE_DEPENDENCY, EXPORTS: 0.5, TARGET + "retaliation_risk": "high"}),
    # a decisive hold is coercive only over an intensely (not just highly) dependent ally
    "OC-03": ({**INTENSE_DEPENDENCY, RELIANCE + "level": "critical"},
              {**HIGH_DEPENDENCY, RELIANCE + "level": "critical"}),
    # the form is a conclusion only: no verdict rule reads CoalitionForm, so the firing fixture
    # still declines (V-10); only an offer or a compulsion makes it join loosely
    "OC-04": ({**MODERATE_DEPENDENCY, INDUSTRY + "position": "lagging"},
              {INDUSTRY + "position": "lagging"}),
    # ---- verdict: exactly one verdict rule fires; the quiet fixtures show who takes over --------
    # no dependency without coercion is a plain decline (V-02), not conflict; the firing fixture
    # has no reliance at all: a threat of sanctions is enough, no stranglehold is needed
    # sanctions over technology the state does not use grip nothing: no stranglehold, no conflict
    "V-01": ({**NO_TIE, **SANCTIONS, RELIANCE + "level": "low"}, {**NO_TIE, **SANCTIONS}),
    # ... and coercion of a state with no dependency pre-empts the decline (V-01 ranks higher)
    "V-02": (NO_TIE, {**NO_TIE, **SANCTIONS, RELIANCE + "level": "low"}),  # V-01 takes precedence
    # a compelled ally does not resist, objection or not: the hold compels (OC-01) -> V-08
    "V-03": (AUTONOMOUS, {**AUTONOMOUS, **MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD}),
    "V-04": ({**SIMPLE, **MODERATE_DEPENDENCY}, SIMPLE),
    # receptiveness only matters where dependency is low: at moderate, V-04 takes over
    "V-05": ({**SIMPLE, **RECEPTIVE}, {**SIMPLE, **RECEPTIVE, **MODERATE_DEPENDENCY}),
    "V-06": (SIMPLE, {**SIMPLE, **MODERATE_DEPENDENCY}),
    # an autonomist government (pace "slows") turns a ready accession into a reluctant one (V-08)
    "V-07": ({**HIGH_DEPENDENCY, **SIGNIFICANT_HOLD},
             {**HIGH_DEPENDENCY, **SIGNIFICANT_HOLD, "autonomy.government_alignment": "autonomist"}),
    # a moderate sacrifice (export share 0.5) turns "little to lose" into reluctance (V-08)
    "V-11": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD},
             {**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.5}),
    # V-08 catches every compelled, dependent ally that V-07 and V-11 leave: at little cost V-11
    # takes it first
    "V-08": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.5},
             {**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD}),
    # an offer turns a decline into a looser accession where some hold exists, never without (T1)
    "V-09": ({**SUBSIDIES, RELIANCE + "level": "low"}, SUBSIDIES),
    # a heavy sacrifice (export share 0.6: 3 points, high retaliation: 2) under a significant
    # hold, with nothing offered: the ally holds out; one offer and it joins reluctantly (V-08)
    "V-13": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.6,
              TARGET + "retaliation_risk": "high"},
             {**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.6,
              TARGET + "retaliation_risk": "high", **SUBSIDIES}),
    # a receptive ally still needs some technological valve (T1, S8): without one, V-10
    "V-12": ({**RECEPTIVE, RELIANCE + "level": "low"}, RECEPTIVE),
    "V-10": (SUBSIDIES, {**SUBSIDIES, RELIANCE + "level": "low"}),  # compensation alone grips nothing
    # ---- likelihood and confidence -----------------------------------------------------------
    # LK-01, LK-04 and LK-05 fire even when they shift nothing (moderate dependency, a neutral
    # government, mixed receptiveness): rules_fired lists them regardless
    "LK-01": ({}, MODERATE_DEPENDENCY),  # low dependency shifts it down; moderate not at all
    "LK-02": (SUBSIDIES, {}),
    # moderate retaliation adds to the sacrifice (SC-03) but moves no likelihood
    "LK-03": ({TARGET + "retaliation_risk": "high"}, {TARGET + "retaliation_risk": "moderate"}),
    "LK-04": ({"autonomy.government_alignment": "pro-leader"}, {}),  # neutral: no shift
    "LK-05": (RECEPTIVE, {}),  # the base is mixed: no shift
    "LK-06": (MODERATE_DEPENDENCY, {**MODERATE_DEPENDENCY, TIE + "in_core_clubs": True}),
    "LK-07": (AUTONOMOUS, {"autonomy.strategic_autonomy": "moderate"}),
    "LK-10": ({}, ALWAYS),
    # the same value written in the file is evidence; set with --set it is a supposition
    "CF-04": ({SET: ["autonomy.government_alignment=pro-leader"]},
              {"autonomy.government_alignment": "pro-leader"}),
    "CF-01": ({TIE + "joint_exercises": None}, {}),
    "CF-02": ({"sources": None}, {}),
    # 3 (export share) + 2 (high retaliation) is heavy; 3 + 1 (moderate) is not
    "CF-03": ({**SIGNIFICANT_HOLD, EXPORTS: 0.5, TARGET + "retaliation_risk": "high"},
              {**SIGNIFICANT_HOLD, EXPORTS: 0.5, TARGET + "retaliation_risk": "moderate"}),
    "CF-10": ({}, ALWAYS),
}

UNCONDITIONAL = sorted(rule_id for rule_id, (_, quiet) in FIXTURES.items() if quiet is ALWAYS)


@pytest.fixture(scope="module")
def fired(tmp_path_factory):
    """rules_fired for a fixture's changes; one engine and one directory, answers memoised."""
    engine, directory, seen = CoalitionEngine(), tmp_path_factory.mktemp("case"), {}

    def rules_fired(changes):
        key = repr(sorted(changes.items()))
        if key not in seen:
            seen[key] = ask_case(directory, changes, engine).rules_fired
        return seen[key]

    return rules_fired


def _cases():
    for rule_id, (fire, quiet) in sorted(FIXTURES.items()):
        yield pytest.param(rule_id, fire, True, id=f"{rule_id} fires")
        if quiet is not ALWAYS:
            yield pytest.param(rule_id, quiet, False, id=f"{rule_id} stays quiet")


@pytest.mark.parametrize("rule_id, changes, fires", list(_cases()))
def test_rule_fires_on_its_fixture_and_only_there(fired, rule_id, changes, fires):
    rules = fired(changes)
    assert (rule_id in rules) is fires, \
        f"{rule_id} {'did not fire' if fires else 'fired'} on {changes}; fired: {rules}"


def test_fixtures_cover_exactly_the_rules_of_the_question_engine():
    # the coalition-level outlook rules run in their own engine; tests/test_outlook.py has theirs
    question_rules = {rule_info(r).id for m in MECHANISMS for r in vars(m).values()
                      if isinstance(r, experta.Rule)}
    assert sorted(FIXTURES) == sorted(question_rules), \
        f"without fixtures: {sorted(question_rules - set(FIXTURES))}; " \
        f"fixtures for no rule: {sorted(set(FIXTURES) - question_rules)}"


@pytest.mark.parametrize("rule_id", UNCONDITIONAL)
def test_unconditional_rules_fire_on_every_fixture(fired, rule_id):
    every = [changes for pair in FIXTURES.values() for changes in pair if changes is not ALWAYS]
    missed = [changes for changes in every if rule_id not in fired(changes)]
    assert not missed, f"{rule_id} did not fire on {missed}"


def test_base_case_is_complete_so_nothing_is_assumed(tmp_path):
    # the premise of CF-01's quiet fixture, and of every fixture starting from a known case
    answer = ask_case(tmp_path)
    assert answer.defaults == []
    assert answer.verdict == "declines" and answer.mechanisms["security_dependency"] == "low"
