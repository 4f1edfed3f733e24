"""One vocabulary: every reader of an answer names its concepts from the registry
(rules/concepts.py CONCEPTS), and the scales and thresholds are defined once, in rules/."""

import re
from pathlib import Path

import pytest

from digital_coalitions.audit import why
from digital_coalitions.casefiles import bearing, schema
from digital_coalitions.casefiles.loader import load_file
from digital_coalitions.casefiles.question import shipped_cases
from digital_coalitions.inference.answer import ask
from digital_coalitions.report import memo
from digital_coalitions.rules import concepts, sacrifice, scales, security
from digital_coalitions.rules.concepts import CONCEPT, CONCEPTS

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = shipped_cases()
KEYS = [c.key for c in CONCEPTS]
FACTS = {c.fact.__name__ for c in CONCEPTS}


@pytest.fixture(scope="module")
def korea():
    return ask(load_file(SHIPPED / "states" / "south-korea.yaml"),
               load_file(SHIPPED / "coalitions" / "chip4.yaml"))


def test_the_registry_names_each_concept_once():
    assert len(set(KEYS)) == len(KEYS) and len(FACTS) == len(CONCEPTS)
    assert len({c.place for c in CONCEPTS}) == len(CONCEPTS)
    for concept in CONCEPTS:
        assert issubclass(concept.fact, concepts.Fact), concept.key
        assert (concept.memo_label != "") == (concept.heading is not None), concept.key


def test_the_answer_s_mechanisms_and_chain_are_the_registry_s(korea):
    assert list(korea.mechanisms) == [c.key for c in CONCEPTS if c.in_mechanisms]
    steps = [s.concept for s in korea.chain]
    assert all(CONCEPT[s].chain_label for s in steps)
    assert steps == sorted(steps, key=lambda s: CONCEPT[s].place)
    assert steps[-1] == "verdict"


def test_why_knows_exactly_the_registry_s_concepts():
    assert list(why.CONCEPTS) == KEYS
    assert all(why.CONCEPTS[c.key] == c.fact.__name__ for c in CONCEPTS)


def test_the_memo_s_rows_are_the_registry_s(korea):
    shown = [c for _, under in memo.SECTIONS for c in under]
    assert shown == [c for c in concepts.IN_ARGUMENT_ORDER if c.heading]
    rows = memo._concepts(korea, memo._sources(korea), {})
    assert [heading for heading, _ in rows] == [heading for heading, _ in memo.SECTIONS]
    for heading, found in rows:
        for row in found:
            assert CONCEPT_BY_FACT[row.name].heading == heading
            assert row.label == CONCEPT_BY_FACT[row.name].memo_label
    assert {key for _, names in memo.JUDGMENTS for key in names} <= set(KEYS)


CONCEPT_BY_FACT = {c.fact.__name__: c for c in CONCEPTS}


@pytest.mark.parametrize("path", ["engine/inference/answer.py", "engine/audit/why.py",
                                  "engine/report/memo.py", "templates/answer.txt.j2",
                                  "templates/memo-words.j2"])
def test_no_reader_keeps_its_own_list_of_concepts(path):
    """Where a copy of the list was removed, none comes back: no table keyed by concepts, and
    no tuple of three or more of them (the memo's key judgments, which choose which concepts
    each judgment rests on, are the one list allowed)."""
    text = (ROOT / path).read_text()
    if path.endswith("memo.py"):
        text = re.sub(r"(?s)\nJUDGMENTS = \(.*?\n\)\n", "\n", text)
    # the answer's own fields (verdict, likelihood, confidence) are keys of every answer's dict
    mechanisms = {c.key for c in CONCEPTS if c.in_mechanisms}
    names = "|".join(sorted(mechanisms | FACTS, key=len, reverse=True))
    keyed = re.findall(rf"""["']({names})["']\s*:""", text)
    assert keyed == []
    listed = re.findall(rf"""\(\s*["'](?:{names})["']\s*,\s*["'](?:{names})["']\s*,\s*["'](?:{names})["']""",
                        text)
    assert listed == []


def test_scales_are_defined_once():
    assert schema.LEVEL3 is scales.LEVEL3 and schema.LEVEL4 is scales.LEVEL4
    assert schema.LEVEL5 is scales.LEVEL5 is concepts.RELIANCE
    assert [word for _, word in security.COMMITMENT_BANDS] == list(scales.COMMITMENT)
    assert [word for _, word in sacrifice.SACRIFICE_BANDS] == list(scales.SACRIFICE)
    for name in ("SECURITY_DEPENDENCY", "STRANGLEHOLD", "SACRIFICE", "COMPENSATION"):
        assert getattr(concepts, name) is getattr(scales, name)


def test_flips_move_shares_across_the_rules_own_thresholds():
    floors = tuple(sorted(floor for floor, _ in sacrifice.SHARE_POINTS))
    assert bearing.SHARE_THRESHOLDS["export_share"] == floors
    assert bearing.SHARE_THRESHOLDS["import_share"] == tuple(
        sorted(floor for floor, _ in sacrifice.IMPORT_SHARE_POINTS))
    assert bearing.SHARE_THRESHOLDS["arms_import_share"] == (security.ARMS_SHARE,)
    source = (ROOT / "engine" / "casefiles" / "bearing.py").read_text()
    assert not re.search(r"\(0\.\d+, 0\.\d+\)", source)  # no floor written out again


def test_the_known_domains_are_the_shipped_files_and_the_memo_s_words():
    from digital_coalitions.text.wording import DOMAINS

    assert set(DOMAINS) == set(schema.DOMAINS)  # every known domain has the memo's words
    written = {d for f in (SHIPPED / "coalitions").glob("*.yaml")
               for d in [load_file(f).data.get("domain")] if d}
    written |= {d for f in (SHIPPED / "states").glob("*.yaml")
                for d in load_file(f).data.get("industries") or {}}
    assert written <= set(schema.DOMAINS)
