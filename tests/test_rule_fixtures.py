"""Every rule has a minimal case that makes it fire and one that keeps it quiet.

Each fixture is a set of changes to the same base case (tests/casemaker.py: a treaty ally with
moderate commitment, low attachment, hence low security dependency; no reliance, exposure,
offers or pressure; a complex coalition; answer: declines, by V-10). Where the quiet fixture is
a near miss of the firing one, the difference is the condition that matters.
"""

import pytest

from casemaker import AS_OF, LEADER, SET, STATE_ID, ask_case
from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import RULE_MIXINS, CoalitionEngine
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
INSTALLED = f"{INDUSTRY}target_exposure.china.installed_share"
MODERATE_SACRIFICE = {EXPORTS: 0.25, TARGET + "retaliation_risk": "moderate"}  # 2 + 1 points
FROM_TARGET = {**MODERATE_DEPENDENCY, TIE + "threat_from": ["china"]}  # existential threat high
FROM_ELSEWHERE = {**MODERATE_DEPENDENCY, TIE + "threat_from": ["russia"]}
OBJECTS = {"autonomy.objects_to": ["export-controls"], "coalition.commitments": ["export-controls"]}
SOFTENED = {"coalition.framing": "softened"}

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
    # the threat must come from the coalition's own target
    "SD-33": (FROM_TARGET, FROM_ELSEWHERE),
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
    # the restricted exports are read for every demanding coalition with a domain ...
    "SC-05": ({}, SIMPLE),
    # ... the trade only where it names no industry
    "SC-06": ({"coalition.domain": None}, {}),
    "SC-07": ({INSTALLED: 0.1}, {INSTALLED: 0.09}),
    # the cut-off counts from its year: the base state's evidence is of 2023
    "SC-08": ({INSTALLED: 0.3, "coalition.target_product_cut_off": 2023},
              {INSTALLED: 0.3, "coalition.target_product_cut_off": 2024}),
    "SC-09": ({f"{INDUSTRY}target_exposure.china.import_share": 0.25},
              {f"{INDUSTRY}target_exposure.china.import_share": 0.24}),
    "SC-10": ({}, SIMPLE),
    "SC-11": (SIMPLE, {}),
    # a per_member override withdraws an offer the coalition makes everyone else
    "CP-01": (SUBSIDIES, {**SUBSIDIES, f"coalition.per_member.{STATE_ID}.offers.subsidies": False}),
    "CP-10": ({}, ALWAYS),
    # only a reluctant member softens its wording: with the same retaliation risk, less exposure
    # and the narrative accepted, the ally follows at little cost (V-15) and says nothing
    "SC-20": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.5,
               TARGET + "retaliation_risk": "moderate"},
              {**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, **RECEPTIVE,
               TARGET + "retaliation_risk": "moderate"}),
    # ---- autonomy ----------------------------------------------------------------------------
    "AU-01": ({}, ALWAYS),
    "AU-02": (AUTONOMOUS, {**AUTONOMOUS, "coalition.framing": "softened"}),
    "AU-03": ({}, ALWAYS),
    # an objection counts only to what this coalition asks
    "AU-04": (OBJECTS, {**OBJECTS, "coalition.commitments": ["data-free-flow"]}),
    # ---- outcomes ----------------------------------------------------------------------------
    # the hold compels only an ally with an alliance-based dependency (T1): low is not enough
    "OC-01": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD}, SIGNIFICANT_HOLD),
    # alliances cannot change policies involving complex interests (S8): 2 + 1 points is moderate
    "OC-02": ({**CUTOFF, **MODERATE_DEPENDENCY},
              {**CUTOFF, **MODERATE_DEPENDENCY, **MODERATE_SACRIFICE}),
    # a decisive hold is coercive only over an intensely (not just highly) dependent ally
    "OC-03": ({**INTENSE_DEPENDENCY, RELIANCE + "level": "critical"},
              {**HIGH_DEPENDENCY, RELIANCE + "level": "critical"}),
    # the form needs a dependent ally; the verdict (V-09) needs an offer too
    "OC-04": ({**MODERATE_DEPENDENCY, INDUSTRY + "position": "lagging"},
              {INDUSTRY + "position": "lagging"}),
    "OC-05": ({}, MODERATE_SACRIFICE),
    # a moderate cost is little only against the threat the target itself poses
    "OC-06": ({**FROM_TARGET, **MODERATE_SACRIFICE}, {**FROM_ELSEWHERE, **MODERATE_SACRIFICE}),
    # ---- verdict: exactly one row of the decision table fires; each quiet fixture is a near
    # miss, and the row that takes over is named --------------------------------------------------
    # sanctions over technology the state does not use grip nothing: no stranglehold, no conflict
    "V-01": ({**NO_TIE, **SANCTIONS, RELIANCE + "level": "low"}, {**NO_TIE, **SANCTIONS}),
    # outside an alliance-based coalition, no dependency is V-19's question
    "V-02": (NO_TIE, {**NO_TIE, "coalition.organisational_base": "partnerships"}),
    # a state with no tie that shares the threat and values goes on to the later rows (V-12)
    "V-19": ({**NO_TIE, "coalition.organisational_base": "partnerships"},
             {TIE + "alliance": "none", **RECEPTIVE, TARGET + "threat_perception": "high",
              "coalition.organisational_base": "partnerships"}),
    # a compelled ally does not resist, objection or not: the hold compels (OC-01) -> V-08
    "V-03": ({**AUTONOMOUS, **MODERATE_DEPENDENCY},
             {**AUTONOMOUS, **MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD}),
    # an objecting ally (moderate dependency) resists instead (V-03)
    "V-20": (AUTONOMOUS, {**AUTONOMOUS, **MODERATE_DEPENDENCY}),
    # a compelled ally signs what it objected to (V-08)
    "V-14": (OBJECTS, {**OBJECTS, **MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD}),
    "V-04": ({**SIMPLE, **MODERATE_DEPENDENCY}, SIMPLE),
    # receptiveness only matters where dependency is low: at moderate, V-04 takes over
    "V-05": ({**SIMPLE, **RECEPTIVE}, {**SIMPLE, **RECEPTIVE, **MODERATE_DEPENDENCY}),
    "V-06": (SIMPLE, {**SIMPLE, **MODERATE_DEPENDENCY}),
    # a heavy sacrifice (export share 0.6: 3 points, high retaliation: 2) under a significant
    # hold with nothing offered: the ally holds out; protected against the target, it does not
    "V-13": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.6,
              TARGET + "retaliation_risk": "high"},
             {**FROM_TARGET, **SIGNIFICANT_HOLD, EXPORTS: 0.6,
              TARGET + "retaliation_risk": "high"}),
    # a hold over a niche firm of an ally; a weakly dependent state is not bargaining (V-10)
    "V-17": ({**MODERATE_DEPENDENCY, INDUSTRY + "position": "niche", RELIANCE + "level": "high"},
             {INDUSTRY + "position": "niche", RELIANCE + "level": "high"}),
    # the looser form needs an offer: without one, V-10
    "V-09": ({**MODERATE_DEPENDENCY, INDUSTRY + "position": "lagging", **SUBSIDIES,
              **MODERATE_SACRIFICE},
             {**MODERATE_DEPENDENCY, INDUSTRY + "position": "lagging", **MODERATE_SACRIFICE}),
    # an autonomist government (pace "slows") turns a ready accession into a reluctant one (V-08)
    "V-07": ({**HIGH_DEPENDENCY, **SIGNIFICANT_HOLD},
             {**HIGH_DEPENDENCY, **SIGNIFICANT_HOLD, "autonomy.government_alignment": "autonomist"}),
    # with a doctrine of autonomy (and a softened framing, so no objection) it follows loosely
    "V-15": ({**MODERATE_DEPENDENCY, **RECEPTIVE},
             {**MODERATE_DEPENDENCY, **RECEPTIVE, **AUTONOMOUS, **SOFTENED}),
    # an autonomous ally that has not accepted the narrative does not follow (V-10)
    "V-16": ({**MODERATE_DEPENDENCY, **RECEPTIVE, **AUTONOMOUS, **SOFTENED},
             {**MODERATE_DEPENDENCY, **AUTONOMOUS, **SOFTENED}),
    # a moderate sacrifice is not little: V-10
    "V-12": (RECEPTIVE, {**RECEPTIVE, **MODERATE_SACRIFICE}),
    # compelled at a sacrifice; compelled at no cost and receptive, the ally follows (V-15)
    "V-08": ({**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, EXPORTS: 0.5},
             {**MODERATE_DEPENDENCY, **SIGNIFICANT_HOLD, **RECEPTIVE}),
    # pressed at a moderate cost, the ally resists; at little cost the lever compels (V-08)
    "V-18": ({**CUTOFF, **MODERATE_DEPENDENCY, **MODERATE_SACRIFICE},
             {**CUTOFF, **MODERATE_DEPENDENCY}),
    # compensation alone grips nothing; a receptive state at little cost acts on its own (V-12)
    "V-10": (SUBSIDIES, {**SUBSIDIES, **RECEPTIVE}),
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
    # the carrot counts for a demanding coalition only
    "LK-08": ({RELIANCE + "level": "low"}, {RELIANCE + "level": "low", **SIMPLE}),
    "LK-09": (FROM_TARGET, FROM_ELSEWHERE),
    "LK-11": ({**INTENSE_DEPENDENCY, RELIANCE + "level": "critical"},
              {**HIGH_DEPENDENCY, RELIANCE + "level": "critical"}),
    # where the stranglehold outweighs the market (T5), the sacrifice moves nothing
    "LK-12": (MODERATE_SACRIFICE, {**MODERATE_SACRIFICE, **SIGNIFICANT_HOLD}),
    "LK-10": ({}, ALWAYS),
    # the same value written in the file is evidence; set with --set it is a supposition
    "CF-04": ({SET: ["autonomy.government_alignment=pro-leader"]},
              {"autonomy.government_alignment": "pro-leader"}),
    "CF-01": ({TIE + "joint_exercises": None}, {}),
    "CF-02": ({"sources": None}, {}),
    # 3 (export share) + 2 (high retaliation) is heavy; 3 + 1 (moderate) is not
    "CF-03": ({**SIGNIFICANT_HOLD, EXPORTS: 0.5, TARGET + "retaliation_risk": "high"},
              {**SIGNIFICANT_HOLD, EXPORTS: 0.5, TARGET + "retaliation_risk": "moderate"}),
    # one source line cannot buy high confidence; nor can three lines from one origin
    "CF-05": ({"sources": ["Liu 2024, one line"]},
              {"sources": ["Liu 2024, a", "SIPRI, 2023: b", "Reuters, 2023: c"]}),
    # only an estimate the question reads counts
    "CF-06": ({"estimated": [TIE + "alliance"]}, {"estimated": ["summary"]}),
    # the base's evidence is of 2023: sources all of 2019 or earlier are dated
    "CF-07": ({"sources": ["A, 2015", "B, 2018", "C, 2019"]},
              {"sources": ["A, 2015", "B, 2018", "C, 2020"]}),
    "CF-08": ({AS_OF: 2000}, {AS_OF: 2030}),
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
    question_rules = {rule_info(r).id for m in RULE_MIXINS for r in vars(m).values()
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
