"""Every rule is a documented unit with an identity, and every claim it must encode is encoded."""

import re
from pathlib import Path

import pytest

from digital_coalitions.inference.engine import RULE_MIXINS, RULES
from digital_coalitions.rules.base import Stage
from digital_coalitions.rules.claims import CLAIMS, STANDARDS
from digital_coalitions.rules.outlook import OUTLOOK_RULE_MIXINS

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT.parent / "shared" / "design" / "theory.md"
REQUIRED = [c for c in CLAIMS if re.fullmatch(r"[STC]\d+|O[12]", c)]
ID = re.compile(r"^[A-Z]{1,2}-\d{2}$")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_identity_title_claims_and_docstring(rule_id):
    info = RULES[rule_id]
    assert ID.match(info.id), info.id
    assert info.title and info.title[0].isupper()
    assert info.claims, f"{rule_id} cites no claim"
    for claim in info.claims:
        assert claim in CLAIMS or claim in STANDARDS, f"{rule_id} cites unknown claim {claim}"
    concludes, _, why = info.doc.partition("\n\n")
    assert "\n" not in concludes and concludes.endswith("."), \
        f"{rule_id}: the docstring's first line should say what the rule concludes"
    assert len(why.split()) >= 8, f"{rule_id}: the docstring should also say why"
    assert info.conditions


def test_every_required_claim_is_encoded_by_a_rule():
    encoded = {c for info in RULES.values() for c in info.claims}
    missing = [c for c in REQUIRED if c not in encoded]
    assert not missing, f"claims no rule encodes: {missing}"
    assert len(REQUIRED) == 9 + 7 + 5 + 2


def test_rules_live_in_one_module_per_mechanism():
    modules = {info.mechanism for info in RULES.values()}
    assert {"security", "stranglehold", "sacrifice", "autonomy", "outcome", "verdict",
            "judgment"} <= modules
    assert len(RULE_MIXINS) + len(OUTLOOK_RULE_MIXINS) == len(modules)


def test_rule_ids_are_prefixed_by_their_mechanism():
    prefixes = {}
    for info in RULES.values():
        prefixes.setdefault(info.id.split("-")[0], set()).add(info.mechanism)
    assert all(len(m) == 1 for m in prefixes.values()), prefixes


def test_verdict_rules_have_distinct_ranks():
    ranks = [i.salience for i in RULES.values() if i.stage is Stage.VERDICT]
    assert len(ranks) == len(set(ranks)), "verdict precedence must be explicit, not accidental"


@pytest.mark.skipif(not THEORY.exists(), reason="the design folder is not beside this checkout")
def test_shipped_claims_match_theory_md():
    rows = dict((cid, (text, where)) for cid, text, where in re.findall(
        r"^\| ([DSTCOA]\d) \| (.+?) \| (.+?) \|$", THEORY.read_text(), re.M))
    assert rows == CLAIMS


def test_catalogue_columns_fit_the_longest_title():
    """`coalition rules`: a long title once ran into the mechanism column."""
    from digital_coalitions.audit.catalogue import render_catalogue

    rows = [line for line in render_catalogue("text").splitlines() if re.match(r"  [A-Z]{1,2}-\d", line)]
    assert len(rows) == len(RULES)
    starts = set()
    for line in rows:
        rule = RULES[line.split()[0]]
        after_title = line.index(rule.title) + len(rule.title)
        assert line[after_title:after_title + 2] == "  ", line  # two spaces before the next column
        starts.add(line.index(rule.mechanism, after_title))
    assert len(starts) == 1  # one mechanism column, aligned


def test_every_rule_wraps_its_function_as_experta_s_own_decorator_does():
    """rules/base.py reads a rule function's parameters from its code, not with
    inspect.signature (a cold start's cost): each rule is what ``Rule(...)(function)`` makes."""
    import inspect

    from digital_coalitions.compat import experta

    from digital_coalitions.rules.base import _wrapping

    rules = [r for m in RULE_MIXINS + OUTLOOK_RULE_MIXINS for r in vars(m).values()
             if isinstance(r, experta.Rule)]
    assert len(rules) == len(RULES)
    for ours in rules:
        function = ours._wrapped
        theirs = experta.Rule(*tuple(ours), salience=ours.salience)(function)
        signature = inspect.signature(function)
        assert ours._wrapped_args == theirs._wrapped_args == set(signature.parameters)
        assert tuple(ours) == tuple(theirs) and ours.salience == theirs.salience
        # made afresh side by side (an engine that ran the rules has bound them since)
        again = _wrapping(experta.Rule(*tuple(ours), salience=ours.salience), function)
        assert vars(again) == vars(theirs) and again == theirs and hash(again) == hash(theirs)


def test_the_parameters_read_from_code_are_inspect_s_for_every_kind_of_function():
    from digital_coalitions.compat import experta
    from digital_coalitions.rules.base import _wrapping

    def plain(self, a, b=1): ...
    def keyword_only(self, a, *, b, c=2): ...
    def starred(self, *args, d): ...
    def only_positional(self, a, /, b): ...
    def everything(self, a, /, b, *args, c, **kwargs): ...
    def taking_all(self, **kwargs): ...

    import functools

    @functools.wraps(plain)
    def wrapper(*args, **kwargs): ...

    for function in (plain, keyword_only, starred, only_positional, everything, taking_all,
                     wrapper, lambda self, x: x):
        ours = _wrapping(experta.Rule(salience=3), function)
        theirs = experta.Rule(salience=3)(function)
        assert ours._wrapped_args == theirs._wrapped_args, function
        assert vars(ours) == vars(theirs)
