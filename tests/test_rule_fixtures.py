"""Every rule has a minimal case that makes it fire and one that keeps it quiet.

The fixtures are data beside the rules (rules/fixtures/<RULE-ID>.yaml, printed by `coalition
rules show RULE-ID`), each a set of changes to the same base case (rules/fixtures/base.yaml: a
treaty ally with moderate commitment, low attachment, hence low security dependency; no
reliance, exposure, offers or pressure; a complex coalition; answer: declines, by V-10). Where
the quiet fixture is a near miss of the firing one, the difference is the condition that
matters. The outlook's rules have theirs in rules/fixtures/outlook/, changes to the facts they
read (rules/fixtures/outlook/base.yaml: one member, a treaty ally that joins a complex coalition
with nothing at stake), asked of the outlook's own engine. The tests run over the whole rule
catalogue: a rule without a fixture file, or without a case that fires it and one that keeps it
quiet (or, for a rule with no condition its inputs can fail, the reason why not), fails.
"""

import shutil

import pytest

from casemaker import AS_OF, SET, ask_case, write_case
from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import RULE_MIXINS, RULES, CoalitionEngine
from digital_coalitions.analysis.outlook import TERMS, conclude_on, member_fact, profile_fact
from digital_coalitions.casefiles import schema
from digital_coalitions.rules import outlook as ol
from digital_coalitions.rules import scales
from digital_coalitions.rules.base import rule_info
from digital_coalitions.rules.concepts import VERDICTS
from digital_coalitions.rules.fixtures import (FixtureError, base_case, catalogue,
                                               outlook_base, outlook_facts, read_fixtures)


def rule_ids(mixins) -> list[str]:
    return sorted(rule_info(r).id for m in mixins for r in vars(m).values()
                  if isinstance(r, experta.Rule))


QUESTION_RULES = rule_ids(RULE_MIXINS)
OUTLOOK_RULES = rule_ids(ol.OUTLOOK_RULE_MIXINS)  # the coalition's outlook, its own engine
FIXTURES = catalogue()
# rules with no condition their inputs can fail: they fire on every fixture of their engine
UNCONDITIONAL = sorted(rule_id for rule_id, f in FIXTURES.items() if f.always)


def changes_of(fixture) -> dict:
    """A fixture as tests/casemaker.py's changes: the dotted paths, --set and --as-of."""
    changes = dict(fixture.changes)
    if fixture.overrides:
        changes[SET] = list(fixture.overrides)
    if fixture.as_of is not None:
        changes[AS_OF] = fixture.as_of
    return changes


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_fixtures_that_fire_it_and_keep_it_quiet(rule_id):
    fixtures = FIXTURES.get(rule_id)
    assert fixtures is not None, f"{rule_id} has no fixtures: write rules/fixtures/{rule_id}.yaml"
    assert fixtures.fires, f"{rule_id}: no fixture fires it"
    assert fixtures.quiet or fixtures.always, \
        f"{rule_id}: no fixture keeps it quiet (or say why none can, with always:)"
    assert not (fixtures.quiet and fixtures.always), f"{rule_id}: quiet fixtures, yet always"


def test_fixtures_are_for_rules_of_the_catalogue_each_beside_its_engine():
    assert set(QUESTION_RULES) | set(OUTLOOK_RULES) == set(RULES)
    assert set(FIXTURES) <= set(RULES), f"fixtures for no rule: {sorted(set(FIXTURES) - set(RULES))}"
    misplaced = sorted(r for r, f in FIXTURES.items() if f.outlook != (r in OUTLOOK_RULES))
    assert not misplaced, f"fixtures in the other engine's folder: {misplaced}"


def outlook_fired(changes) -> list[str]:
    """The outlook rules fired on the outlook's base facts with a fixture's changes."""
    return conclude_on(*outlook_facts(changes))[1]


@pytest.fixture(scope="module")
def fired(tmp_path_factory):
    """rules_fired for a fixture's changes, by the question's engine or the outlook's; one
    engine and one directory, answers memoised."""
    engine, directory, seen = CoalitionEngine(), tmp_path_factory.mktemp("case"), {}

    def rules_fired(changes, outlook=False):
        key = (outlook, repr(sorted(changes.items())))
        if key not in seen:
            seen[key] = (outlook_fired(changes) if outlook
                         else ask_case(directory, changes, engine).rules_fired)
        return seen[key]

    return rules_fired


def _cases():
    for rule_id, fixtures in sorted(FIXTURES.items()):
        for group, verb in ((fixtures.fires, "fires"), (fixtures.quiet, "stays quiet")):
            for n, fixture in enumerate(group, start=1):
                shown = f"{rule_id} {verb}" + (f" ({n})" if len(group) > 1 else "")
                yield pytest.param(rule_id, changes_of(fixture), fixture.fires, fixtures.outlook,
                                   id=shown)


@pytest.mark.parametrize("rule_id, changes, fires, outlook", list(_cases()))
def test_rule_fires_on_its_fixture_and_only_there(fired, rule_id, changes, fires, outlook):
    rules = fired(changes, outlook)
    assert (rule_id in rules) is fires, \
        f"{rule_id} {'did not fire' if fires else 'fired'} on {changes}; fired: {rules}"


@pytest.mark.parametrize("rule_id", UNCONDITIONAL)
def test_unconditional_rules_fire_on_every_fixture_of_their_engine(fired, rule_id):
    outlook = FIXTURES[rule_id].outlook
    every = [changes_of(f) for fixtures in FIXTURES.values() if fixtures.outlook == outlook
             for f in fixtures.all]
    missed = [changes for changes in every if rule_id not in fired(changes, outlook)]
    assert not missed, f"{rule_id} did not fire on {missed}"


def test_the_outlook_base_has_the_fields_the_outlook_declares(tmp_path):
    # the base is what engine/analysis/outlook.py makes of an answer, field for field, so a
    # fixture cannot test a fact the outlook never sees; `step` follows from the likelihood
    answer = ask_case(tmp_path)
    base = outlook_base()
    assert set(member_fact(answer, "member")) == set(base["member"]) | {"step"}
    assert set(profile_fact(answer.coalition)) == set(base["coalition"])
    # the base as it is fires the rules its header names
    assert {"OL-10", "OL-21", "OL-30", "OL-31", "OL-45", "OL-65", "OL-74"} == set(outlook_fired({}))


# the words each of the outlook's fields can take: the vocabularies the facts are made from
OUTLOOK_WORDS = {
    "member": {"role": ("member", "candidate"), "verdict": tuple(VERDICTS), "likelihood": TERMS,
               "security_dependency": scales.SECURITY_DEPENDENCY, "stranglehold": scales.STRANGLEHOLD,
               "interest_sacrifice": scales.SACRIFICE, "compensation": scales.COMPENSATION,
               "autonomy_pressure": scales.AUTONOMY, "alliance": schema.scale("alliance"),
               "coalition_form": ("none",) + tuple(
                   dict(c.fields)["form"] for r in RULES.values() for c in r.concludes
                   if c.kind == "CoalitionForm"),
               "malposition": (True, False), "catch_up": (True, False)},
    "coalition": {"demand": schema.scale("demand"), "framing": schema.scale("framing"),
                  "status": schema.scale("status"), "pillar": (None,) + schema.scale("pillar"),
                  "subsidies": (True, False)},
}


@pytest.mark.parametrize("rule_id", OUTLOOK_RULES)
def test_outlook_fixtures_use_only_words_the_outlook_can_see(rule_id):
    for fixture in FIXTURES[rule_id].all:
        profile, members = outlook_facts(fixture.changes)
        for fact, fields in [("coalition", profile)] + [("member", m) for m in members]:
            for key, words in OUTLOOK_WORDS[fact].items():
                assert fields[key] in words, f"{rule_id}: {fact}.{key} = {fields[key]!r}"


def test_base_case_is_complete_so_nothing_is_assumed(tmp_path):
    # the premise of CF-01's quiet fixture, and of every fixture starting from a known case
    answer = ask_case(tmp_path)
    assert answer.defaults == []
    assert answer.verdict == "declines" and answer.mechanisms["security_dependency"] == "low"
    assert "V-10" in answer.rules_fired and "declines" in base_case()["summary"]


@pytest.mark.parametrize("text, problem", [
    ("rule: SD-99\nfires: [{changes: {}}]\n", "rule: expected SD-01"),
    ("rule: SD-01\nfire: [{changes: {}}]\n", "expected a mapping of"),
    ("rule: SD-01\nfires: [{set: {a: 1}}]\n", "fires[0]: expected a mapping with changes"),
    ("rule: SD-01\nfires: [{changes: {}, overrides: a=1}]\n", "fires[0].overrides"),
])
def test_a_fixture_file_of_the_wrong_shape_is_refused_naming_it(tmp_path, text, problem):
    path = tmp_path / "SD-01.yaml"
    path.write_text(text)
    with pytest.raises(FixtureError) as error:
        read_fixtures(path)
    assert str(error.value).startswith(f"{path}: ") and problem in str(error.value)


@pytest.fixture(scope="module")
def one_pairing(tmp_path_factory):
    """A case directory of the base case (with its leader and target), so that `rules show`
    asks one pairing."""
    from digital_coalitions.casefiles.question import shipped_cases

    directory = tmp_path_factory.mktemp("cases")
    write_case(directory)
    for state in ("united-states", "china"):
        shutil.copy(shipped_cases() / "states" / f"{state}.yaml", directory / "states")
    return directory


@pytest.mark.parametrize("rule_id", ["SD-31", "CF-04", "CF-08", "SD-01", "SD-10", "V-13"])
def test_rules_show_prints_the_rules_fixtures(one_pairing, rule_id):
    from click.testing import CliRunner

    from digital_coalitions.cli import main

    result = CliRunner().invoke(main, ["rules", "show", rule_id, "--cases", str(one_pairing),
                                       "--only-cases", "--quiet"], prog_name="coalition")
    assert result.exit_code == 0, result.output
    text, fixtures = result.output, FIXTURES[rule_id]
    shown = text[text.index(f"Fixtures (rules/fixtures/{rule_id}.yaml)"):text.index("Fires in ")]
    assert "declines a complex coalition (V-10)" in shown  # the base case, in words
    blocks = shown.split("\n  ")[1:]
    verbs = [b.split(":")[0].split(" with ")[0].split(" on ")[0] for b in blocks
             if b.startswith(("Fires", "Stays quiet"))]
    assert verbs == ["Fires"] * len(fixtures.fires) + ["Stays quiet"] * len(fixtures.quiet)
    for fixture in fixtures.all:
        for path, value in fixture.changes.items():
            assert (f"    {path} removed\n" if value is None else f"    {path} = ") in shown
        for assignment in fixture.overrides:
            assert f"    --set {assignment}\n" in shown
        if fixture.as_of is not None:
            assert f"    --as-of {fixture.as_of}\n" in shown
        if fixture.case:
            assert f" with {fixture.case}" in shown
    assert ("  Never quiet: " in shown) is bool(fixtures.always)
    assert "Declares:  " + ", ".join(c.described() for c in RULES[rule_id].concludes) + "\n" in text


def test_rules_show_prints_an_outlook_rules_fixtures(one_pairing):
    from click.testing import CliRunner

    from digital_coalitions.cli import main

    result = CliRunner().invoke(main, ["rules", "show", "OL-01", "--cases", str(one_pairing),
                                       "--only-cases", "--quiet"], prog_name="coalition")
    assert result.exit_code == 0, result.output
    assert ("Fixtures (rules/fixtures/outlook/OL-01.yaml), as changes to the base case in "
            "rules/fixtures/outlook/base.yaml,\n" + outlook_base()["summary"]) in result.output
    assert "  Fires with a heavy sacrifice met by one kind of offer:\n" \
           "    member.interest_sacrifice = heavy\n    member.compensation = partial\n" in result.output
    assert "  Stays quiet with a candidate, not a member, with the same gap:\n" in result.output


@pytest.mark.parametrize("text, problem", [
    ("rule: OL-01\nfires: [{changes: {member.sacrifice: heavy}}]\n",
     "fires[0].changes: member.sacrifice: expected coalition.KEY or member.KEY"),
    ("rule: OL-01\nfires: [{changes: {state.alliance: none}}]\n", "state.alliance: expected"),
    ("rule: OL-01\nfires: [{changes: {member: {}}}]\n", "member: expected"),
    ("rule: OL-01\nfires: [{changes: {}, as_of: 2030}]\n",
     "fires[0]: expected a mapping with changes (and optionally case)"),
    ("rule: OL-01\nfires: [{changes: {member: null, member.role: candidate}}]\n",
     "member: null leaves no member for member.KEY to change"),
])
def test_an_outlook_fixture_naming_no_field_of_the_base_is_refused(tmp_path, text, problem):
    path = tmp_path / "OL-01.yaml"
    path.write_text(text)
    with pytest.raises(FixtureError) as error:
        read_fixtures(path, outlook=True)  # checked against the shipped outlook base
    assert str(error.value).startswith(f"{path}: ") and problem in str(error.value)
