"""`why`: HOW a conclusion was reached, down to the evidence, and WHY NOT another verdict."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from digital_coalitions.inference.answer import ask
from digital_coalitions.inference.engine import RULES
from digital_coalitions.casefiles.loader import load_file
from digital_coalitions.casefiles.question import shipped_cases
from digital_coalitions.rules import concepts
from digital_coalitions.rules.concepts import VERDICTS
from digital_coalitions.audit.why import CONCEPTS, ConceptError, explain, render_why_text

COALITION = str(Path(sys.executable).with_name("coalition"))
SHIPPED = shipped_cases()
# what a chain may end at: values read from the case files, and the question itself
INPUT_TYPES = {cls.__name__ for cls in vars(concepts).values()
               if isinstance(cls, type) and issubclass(cls, concepts.Evidence)} | \
    {"Question", "Defaulted"}


def answer_for(state, coalition):
    return ask(load_file(SHIPPED / "states" / f"{state}.yaml"),
               load_file(SHIPPED / "coalitions" / f"{coalition}.yaml"))


@pytest.fixture(scope="module")
def korea():
    return answer_for("south-korea", "chip4")


def walk(node, answer, asserted_by, expanded):
    """Check one tree; returns its leaves. Every branch ends at a case-file value."""
    fid = node["fact"]["id"]
    if node["repeat"]:
        assert fid in expanded, "a repeated fact points at one already explained"
        return []
    if not node["children"]:
        assert node["input"], f"chain ends at a derived fact: {node['text']}"
        assert node["fact"]["type"] in INPUT_TYPES
        assert fid not in asserted_by
        if node["fact"]["type"] != "Question":
            origin = node["fact"]["from"]
            assert origin["line"] >= 1 and origin["file"] in (str(answer.state.path),
                                                              str(answer.coalition.path))
        return [node]
    # a derived fact: the rule shown is the one whose firing asserted it
    firing = asserted_by[fid]
    assert node["rule"]["id"] == firing.rule and node["rule"]["step"] == firing.step
    assert {c["fact"]["id"] for c in node["children"]} == set(firing.matched) | set(firing.consulted)
    expanded.add(fid)
    return [leaf for child in node["children"]
            for leaf in walk(child, answer, asserted_by, expanded)]


@pytest.mark.parametrize("state, coalition", [("south-korea", "chip4"), ("eu", "ttc"),
                                              ("netherlands", "chip-export-controls"),
                                              ("south-korea", "japan-2019-curbs")])
def test_every_how_chain_ends_at_evidence(state, coalition):
    answer = answer_for(state, coalition)
    asserted_by = {fid: f for f in answer.firings for fid in f.asserted}
    for concept in ("verdict", "likelihood", "confidence", "security_dependency", "stranglehold",
                    "interest_sacrifice"):
        result = explain(answer, concept)
        assert result["kind"] == "how"
        expanded = set()
        for tree in result["trees"]:
            assert type(answer.facts[tree["fact"]["id"]]).__name__ == CONCEPTS[concept]
            leaves = walk(tree, answer, asserted_by, expanded)
            assert any(leaf["fact"]["type"] != "Question" for leaf in leaves)


def test_why_verdict_starts_at_the_rule_that_concluded_it(korea):
    result = explain(korea, "verdict")
    root = result["trees"][0]
    assert root["fact"]["fields"]["value"] == korea.verdict
    verdict_step = next(s for s in korea.chain if s.concept == "verdict")
    assert root["rule"]["id"] == verdict_step.rule
    text = render_why_text(result)
    assert text.splitlines()[0].startswith("Will South Korea join Chip 4?")
    assert f"⇐ {verdict_step.rule} " in text and "south-korea.yaml:" in text


def test_why_not_joins_names_failed_conditions_and_the_evidence_to_change(korea):
    assert korea.verdict != "joins"
    result = explain(korea, "joins")
    assert result["kind"] == "why-not"
    listed = [r["rule"] for r in result["rules"]]
    assert listed, "no rule said to conclude joins"
    for tested in result["rules"]:
        info = RULES[tested["rule"]]
        assert info.stage.name == "VERDICT"
        assert [c["text"] for c in tested["conditions"]] == list(info.conditions)
        failed = [c for c in tested["conditions"] if not c["holds"]]
        assert failed, f"{tested['rule']} would have concluded joins"
        for condition in failed:
            assert condition["note"]
    # the paper's reason South Korea was reluctant: the market it would sacrifice in China
    paths = {e["from"]["path"] for e in result["evidence"]}
    assert "industries.semiconductors.target_exposure.china.export_share" in paths
    for fact in result["evidence"]:
        assert fact["from"]["line"] >= 1
    text = render_why_text(result)
    assert "Why not the verdict joins?" in text and "✗" in text
    assert "Evidence that would have had to differ:" in text


def test_changing_the_evidence_why_not_names_gives_that_verdict(korea, tmp_path):
    """The why-not is a lever: change the evidence it names and South Korea joins outright."""
    named = {e["from"]["path"] for e in explain(korea, "joins")["evidence"]}
    changes = {"industries.semiconductors.target_exposure.china.export_share": 0.0,
               "targets.china.retaliation_risk": "low",
               "autonomy.strategic_autonomy": "low"}
    assert set(changes) <= named
    data = yaml.safe_load(Path(korea.state.path).read_text())
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    changed = tmp_path / "south-korea.yaml"
    changed.write_text(yaml.safe_dump(data, sort_keys=False))
    assert ask(load_file(changed), korea.coalition).verdict == "joins"


def test_why_not_for_a_concept_that_was_not_concluded(korea):
    assert korea.mechanisms["malposition"] is False
    result = explain(korea, "malposition")
    assert result["kind"] == "why-not" and result["rules"]
    for tested in result["rules"]:
        assert not tested["fired"]
        assert any(not c["holds"] for c in tested["conditions"])
    paths = {e["from"]["path"] for e in result["evidence"]}
    assert "industries.semiconductors.position" in paths


def test_concept_names_accept_spaces_and_hyphens(korea):
    for spelling in ("security dependency", "Security-Dependency", "security_dependency"):
        result = explain(korea, spelling)
        assert result["concept"] == "security_dependency" and result["kind"] == "how"
    assert explain(korea, korea.verdict)["kind"] == "how"  # the verdict it reached: HOW
    with pytest.raises(ConceptError):
        explain(korea, "bogus")
    assert set(VERDICTS) - {korea.verdict} == {
        v for v in VERDICTS if explain(korea, v)["kind"] == "why-not"}


def test_why_command():
    result = subprocess.run([COALITION, "why", "south-korea", "chip4", "security", "dependency"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "security dependency is" in result.stdout and "south-korea.yaml:" in result.stdout
    result = subprocess.run([COALITION, "why", "Will South Korea join Chip 4?", "joins",
                             "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "why-not"
    result = subprocess.run([COALITION, "why", "south-korea", "chip4", "bogus"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "unknown concept 'bogus'" in result.stderr


@pytest.mark.parametrize("word, meant", [
    ("security", "(did you mean 'security_attachment', 'security_dependency' or 'security_leverage'?)"),
    ("strangelhold", "(did you mean 'stranglehold'?)"),
    ("dependency", "(did you mean 'security_dependency'?)"),
    ("join", "(did you mean 'joins'?)"),
])
def test_an_unknown_concept_gets_a_did_you_mean(korea, word, meant):
    with pytest.raises(ConceptError) as error:
        explain(korea, word)
    assert f"unknown concept {word!r} {meant}; expected one of" in str(error.value)


@pytest.mark.parametrize("words", [
    ["south", "korea", "chip4", "stranglehold"],
    ["south", "korea", "chip4", "security", "dependency"],
    ["Is South Korea likely to join Chip 4?", "security", "dependency"],
    ["Would", "South", "Korea", "join", "Chip", "4?", "stranglehold"],
])
def test_why_reads_the_question_as_ask_does(words):
    result = subprocess.run([COALITION, "why", *words, "--format", "json"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == "Will South Korea join Chip 4?"
