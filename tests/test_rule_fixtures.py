"""Every rule has a minimal case that makes it fire and one that keeps it quiet.

The fixtures are data beside the rules (rules/fixtures/<RULE-ID>.yaml, printed by `coalition
rules show RULE-ID`), each a set of changes to the same base case (rules/fixtures/base.yaml: a
treaty ally with moderate commitment, low attachment, hence low security dependency; no
reliance, exposure, offers or pressure; a complex coalition; answer: declines, by V-10). Where
the quiet fixture is a near miss of the firing one, the difference is the condition that
matters. The tests run over the rule catalogue: a rule of the question's rule base without a
fixture file, or without a case that fires it and one that keeps it quiet (or, for a rule with
no condition a case file can fail, the reason why not), fails.
"""

import shutil

import pytest

from casemaker import AS_OF, SET, ask_case, write_case
from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import RULE_MIXINS, RULES, CoalitionEngine
from digital_coalitions.rules.base import rule_info
from digital_coalitions.rules.fixtures import FixtureError, base_case, catalogue, read_fixtures

# the coalition-level outlook rules run in their own engine; tests/test_outlook.py has theirs
QUESTION_RULES = sorted(rule_info(r).id for m in RULE_MIXINS for r in vars(m).values()
                        if isinstance(r, experta.Rule))
FIXTURES = catalogue()
# rules with no condition a case file can fail: they fire on every fixture, quiet on none
UNCONDITIONAL = sorted(rule_id for rule_id, f in FIXTURES.items() if f.always)


def changes_of(fixture) -> dict:
    """A fixture as tests/casemaker.py's changes: the dotted paths, --set and --as-of."""
    changes = dict(fixture.changes)
    if fixture.overrides:
        changes[SET] = list(fixture.overrides)
    if fixture.as_of is not None:
        changes[AS_OF] = fixture.as_of
    return changes


@pytest.mark.parametrize("rule_id", QUESTION_RULES)
def test_rule_has_fixtures_that_fire_it_and_keep_it_quiet(rule_id):
    fixtures = FIXTURES.get(rule_id)
    assert fixtures is not None, f"{rule_id} has no fixtures: write rules/fixtures/{rule_id}.yaml"
    assert fixtures.fires, f"{rule_id}: no fixture fires it"
    assert fixtures.quiet or fixtures.always, \
        f"{rule_id}: no fixture keeps it quiet (or say why none can, with always:)"
    assert not (fixtures.quiet and fixtures.always), f"{rule_id}: quiet fixtures, yet always"


def test_fixtures_are_for_rules_of_the_question_engine():
    assert set(FIXTURES) <= set(QUESTION_RULES), \
        f"fixtures for no rule of the question: {sorted(set(FIXTURES) - set(QUESTION_RULES))}"
    assert set(QUESTION_RULES) < set(RULES)  # the outlook's rules are in the catalogue too


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
    for rule_id, fixtures in sorted(FIXTURES.items()):
        for group, verb in ((fixtures.fires, "fires"), (fixtures.quiet, "stays quiet")):
            for n, fixture in enumerate(group, start=1):
                shown = f"{rule_id} {verb}" + (f" ({n})" if len(group) > 1 else "")
                yield pytest.param(rule_id, changes_of(fixture), fixture.fires, id=shown)


@pytest.mark.parametrize("rule_id, changes, fires", list(_cases()))
def test_rule_fires_on_its_fixture_and_only_there(fired, rule_id, changes, fires):
    rules = fired(changes)
    assert (rule_id in rules) is fires, \
        f"{rule_id} {'did not fire' if fires else 'fired'} on {changes}; fired: {rules}"


@pytest.mark.parametrize("rule_id", UNCONDITIONAL)
def test_unconditional_rules_fire_on_every_fixture(fired, rule_id):
    every = [changes_of(f) for fixtures in FIXTURES.values() for f in fixtures.all]
    missed = [changes for changes in every if rule_id not in fired(changes)]
    assert not missed, f"{rule_id} did not fire on {missed}"


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


def test_rules_show_says_an_outlook_rule_has_no_fixtures(one_pairing):
    from click.testing import CliRunner

    from digital_coalitions.cli import main

    outlook_rule = sorted(set(RULES) - set(QUESTION_RULES))[0]
    result = CliRunner().invoke(main, ["rules", "show", outlook_rule, "--cases", str(one_pairing),
                                       "--only-cases", "--quiet"], prog_name="coalition")
    assert result.exit_code == 0 and "\nFixtures: none (an outlook rule" in result.output
