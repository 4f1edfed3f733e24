"""The coalition outlook: O3-O6 and A2-A4 as experta rules over the members' answers."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.inference.answer import ask
from digital_coalitions.inference.engine import RULES
from digital_coalitions.analysis.outlook import OutlookEngine, outlook
from digital_coalitions.casefiles.overrides import apply_overrides
from digital_coalitions.rules.concepts import ICD203

COALITION = str(Path(sys.executable).with_name("coalition"))
TERMS = [t for t, _, _ in ICD203]


@pytest.fixture(scope="module")
def chip4(base, engine):
    return outlook(base.coalitions["chip4"], dict(base.states), engine)


def test_the_coalition_level_claims_are_encoded_by_outlook_rules():
    outlook_rules = [r for r in RULES.values() if r.mechanism == "outlook"]
    assert all(r.id.startswith("OL-") for r in outlook_rules)
    encoded = {c for r in outlook_rules for c in r.claims}
    assert {"O3", "O4", "O5", "O6", "A2", "A3", "A4", "O1", "O2"} <= encoded
    for rule_id in ("OL-01", "OL-21", "OL-50", "OL-65", "OL-30", "OL-31", "OL-40", "OL-72"):
        assert RULES[rule_id].mechanism == "outlook"


def test_chip4_is_coercive_and_stringent_with_its_members_tiered(base, chip4):
    firmness = chip4.one("CoalitionFirmness")
    assert (firmness.get("level"), firmness.get("form"), firmness.rule) == \
        ("firm", "coercive and stringent", "OL-72")
    assert set(chip4.members) == set(base.coalitions["chip4"].data["members"]) - {"united-states"}
    tiers = {f.get("state"): f.get("tier") for f in chip4.every("PartnerTier")}
    for sid in chip4.answers:
        alliance = (base.states[sid].data["ties"].get("united-states") or {}).get("alliance", "none")
        expected = ("traditional ally" if alliance in ("bilateral-treaty", "collective-defence")
                    else "non-traditional ally" if alliance in ("partner", "major-non-treaty-ally")
                    else "emerging-market partner")
        assert tiers[sid] == expected, sid


def test_erosion_comes_from_the_members_catch_up_programmes(base, chip4):
    erosion = chip4.one("ErosionRisk")
    catching_up = sorted(
        sid for sid in chip4.members
        if base.states[sid].data["industries"].get("semiconductors", {}).get("catch_up")
        and chip4.answers[sid].mechanisms["stranglehold"] != "none")
    assert list(erosion.get("members")) == catching_up
    assert erosion.get("level") == {0: "low", 1: "moderate"}.get(len(catching_up), "high")


def test_stability_falls_when_compensation_is_withdrawn(base, engine, chip4):
    """O3: take away South Korea's compensation and the shortfall appears in the outlook."""
    coalition = base.coalitions["chip4"]
    assert "south-korea" not in chip4.one("DestabilisationRisk").get("shortfalls")
    state, stripped = apply_overrides(base.states["south-korea"], coalition, [
        "offers.subsidies=false", "per_member.south-korea.offers.security_guarantees=false",
        "per_member.south-korea.offers.exemptions=false"])
    look = outlook(stripped, dict(base.states), engine)
    risk = look.one("DestabilisationRisk")
    assert "south-korea" in risk.get("shortfalls")
    levels = ("low", "moderate", "high")
    assert levels.index(risk.get("level")) >= levels.index(chip4.one("DestabilisationRisk").get("level"))


def test_the_weakest_links_are_ordered_by_the_members_likelihood(chip4):
    wedge = chip4.one("WedgeTargets")
    steps = [TERMS.index(chip4.answers[s].likelihood["term"]) for s in wedge.get("states")]
    assert steps == sorted(steps)
    assert wedge.get("states")[0] == "south-korea"  # the paper's most reluctant member


def test_looser_and_simple_coalitions(base, engine):
    ttc = outlook(base.coalitions["ttc"], dict(base.states), engine)
    assert ttc.one("CoalitionFirmness").rule == "OL-73"  # O2: the TTC is looser
    assert ttc.one("SimpleCoalitionEfficacy") is None
    gpai = outlook(base.coalitions["gpai"], dict(base.states), engine)
    assert gpai.one("SimpleCoalitionEfficacy").rule in ("OL-50", "OL-51")  # O5
    assert gpai.one("DestabilisationRisk").rule == "OL-11"  # no sacrifice to compensate
    assert gpai.one("StructuralPillar").get("pillar") == "ecosystem"  # A2


def test_a_coalition_with_no_members_yet_has_no_stability_to_read(base, engine):
    # Chip 4 in 2022: a proposal with no member besides the USA. "Risk of destabilisation low:
    # no member's sacrifice goes uncompensated" read as a finding (reviewer, new-user trial)
    proposal = outlook(base.coalitions["chip4"].at(2022), dict(base.states), engine, as_of=2022)
    assert proposal.members == [] and proposal.one("CoalitionFirmness").rule == "OL-71"
    for concept in ("DestabilisationRisk", "ErosionRisk", "LimitOnDepth", "WedgeTargets"):
        assert proposal.one(concept) is None, concept
    assert proposal.one("StructuralPillar") is not None  # what it builds is its own trait
    text = subprocess.run([COALITION, "outlook", "chip4", "--as-of", "2022"],
                          capture_output=True, text=True).stdout
    assert "With no members yet, it has no stability, erosion, conflicts of interest" in text
    assert "Stability:" not in text and "Weakest links" not in text
    # a declaration with no domain: what it asks and rests on is its own, and is still read
    afi = subprocess.run([COALITION, "outlook", "afi", "--as-of", "2021"], capture_output=True,
                         text=True).stdout  # in 2021 a proposal; downgraded in 2022
    assert "With no members yet, it has no conflicts of interest or weak links to read" in afi
    assert "Stability:  risk of destabilisation low" in afi and "[OL-11 " in afi


def test_a_defunct_coalition_holds_no_one_whatever_its_members_did(base, engine):
    # the Clean Network lists its members but is defunct from 2021: before OL-75 it read as
    # "firm by consent", with a risk of destabilisation, beside a memo's "no coalition left to
    # join" (analyst's review); a downgraded AFI read as "not yet formed"
    lapsed = outlook(base.coalitions["clean-network"].at(2022), dict(base.states), engine,
                     as_of=2022)
    assert lapsed.members and lapsed.one("CoalitionFirmness").rule == "OL-75"
    assert lapsed.one("CoalitionFirmness").get("level") == "defunct"
    for concept in ("DestabilisationRisk", "ErosionRisk", "LimitOnDepth", "WedgeTargets"):
        assert lapsed.one(concept) is None, concept
    assert lapsed.one("StructuralPillar") is not None  # what it built is still its trait
    held = outlook(base.coalitions["clean-network"].at(2020), dict(base.states), engine,
                   as_of=2020)  # active in 2020: its members' answers are read
    assert held.one("CoalitionFirmness").rule != "OL-75" and held.one("DestabilisationRisk")
    memo = subprocess.run([COALITION, "memo", "south-korea", "aiib-opposition", "--date",
                           "2025-01-15"], capture_output=True, text=True).stdout
    assert "Its file marks US opposition to the AIIB defunct: no member is held by it now" in memo
    assert "It aimed to build " in memo and "holds firm" not in memo and "destabilises" not in memo
    afi = subprocess.run([COALITION, "memo", "eu", "afi", "--date", "2025-01-15"],
                         capture_output=True, text=True).stdout
    # downgraded, not defunct: read as it stands (OL-71, no members), but not "not yet formed"
    assert "has no members besides the US: its file marks it downgraded" in afi
    assert "not yet formed" not in afi


def test_the_outlook_engine_leaves_the_question_engine_alone(base, engine):
    state, coalition = base.states["japan"], base.coalitions["chip4"]
    before = ask(state, coalition, engine)
    OutlookEngine()  # another engine class built in between
    outlook(base.coalitions["ttc"], dict(base.states), engine)
    after = ask(state, coalition, engine)
    assert [f.rule for f in before.firings] == [f.rule for f in after.firings]


def test_outlook_command():
    text = subprocess.run([COALITION, "outlook", "chip4"], capture_output=True, text=True)
    assert text.returncode == 0, text.stderr
    assert "coercive and stringent" in text.stdout and "OL-72" in text.stdout
    data = json.loads(subprocess.run([COALITION, "outlook", "chip4", "--format", "json"],
                                     capture_output=True, text=True).stdout)
    assert {"japan", "south-korea", "taiwan"} == set(data["members"])
    assert any(f["concept"] == "WedgeTargets" for f in data["findings"])
    unknown = subprocess.run([COALITION, "outlook", "chip5"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr


def test_the_outlook_says_which_year_of_the_coalition_it_reads():
    # the export controls' outlook read the 2025 membership (Malaysia among the members) with no
    # word of the year; a memo on 2023 evidence beside it seemed to contradict it
    def header(*args):
        done = subprocess.run([COALITION, "outlook", *args], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[1]

    assert header("chip-export-controls") == (
        "Read from the coalition file's evidence of 2025 (its latest; it also has 2022, 2023; "
        "--as-of YEAR reads another); each state's answer from its own evidence of its latest year.")
    assert header("chip-export-controls", "--as-of", "2023").startswith(
        "Read from the coalition file's evidence of 2023 (asked about 2023: the latest at or "
        "before it;")
    assert "the file has nothing that early, so its earliest" in header("chip4", "--as-of", "2019")
