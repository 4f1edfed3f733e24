"""`rules coverage`, the cases listed by `rules show`, and the committed catalogue docs/rules.md."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from digital_coalitions.inference.answer import ask
from digital_coalitions.audit.catalogue import render_catalogue
from digital_coalitions.analysis.coverage import question_rules, run_coverage
from digital_coalitions.inference.engine import RULES
from digital_coalitions.casefiles.loader import load_dir
from digital_coalitions.analysis.outlook import outlook
from digital_coalitions.casefiles.question import role_of, shipped_cases
from digital_coalitions.rules.claims import CLAIMS

COALITION = str(Path(sys.executable).with_name("coalition"))
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped():
    return run_coverage(shipped_cases())


@pytest.fixture
def small_cases(tmp_path):
    """Three states and two coalitions, members pruned to the states present."""
    states = ("south-korea", "japan", "eu")
    coalitions = ("chip4", "ttc")
    for folder in ("states", "coalitions"):
        (tmp_path / folder).mkdir()
    for name in states + ("united-states", "china", "north-korea", "russia"):
        text = (shipped_cases() / "states" / f"{name}.yaml").read_text()
        (tmp_path / "states" / f"{name}.yaml").write_text(text)
    for name in coalitions:
        data = yaml.safe_load((shipped_cases() / "coalitions" / f"{name}.yaml").read_text())
        present = set(states) | {"united-states", "china"}

        def pruned(part):  # the main evidence or a history year: only the states present
            for key in ("members", "open_to"):
                if key in part:
                    part[key] = [m for m in part[key] if m in present]
            if "per_member" in part:
                part["per_member"] = {k: v for k, v in part["per_member"].items() if k in present}

        pruned(data)
        for year in (data.get("history") or {}).values():
            pruned(year)
        (tmp_path / "coalitions" / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return tmp_path


def test_every_pairing_is_asked_except_leader_and_target(shipped):
    base = load_dir(shipped_cases())
    asked = set(shipped.pairings)
    for state in base.states:
        for cid, coalition in base.coalitions.items():
            involved = role_of(base.states[state], coalition)[0] not in ("member", "candidate")
            assert ((state, cid) in asked) != involved
            assert ((state, cid) in shipped.skipped) == involved
    assert len(asked) + len(shipped.skipped) == len(base.states) * len(base.coalitions)
    assert sum(shipped.verdicts.values()) == len(asked)


def test_counts_match_the_rules_fired_by_each_answer(shipped):
    base = load_dir(shipped_cases())
    for state, coalition in [("south-korea", "chip4"), ("eu", "afi"), ("norway", "five-eyes")]:
        if (state, coalition) not in shipped.pairings:
            continue
        fired = set(ask(base.states[state], base.coalitions[coalition]).rules_fired)
        for rule_id, pairings in shipped.fired_in.items():
            assert ((state, coalition) in pairings) == (rule_id in fired), rule_id
    for rule_id, pairings in shipped.fired_in.items():
        assert len(pairings) == len(set(pairings)) <= len(shipped.pairings)


def test_outlook_rules_are_counted_per_coalition(shipped):
    base = load_dir(shipped_cases())
    for cid in ("chip4", "ttc"):
        fired = set(outlook(base.coalitions[cid], dict(base.states)).rules_fired)
        assert fired, cid
        for rule_id in set(RULES) - question_rules():
            assert (cid in shipped.outlook_in.get(rule_id, [])) == (rule_id in fired), rule_id
    assert not set(shipped.outlook_in) & question_rules()


def test_never_fired_and_unencoded_claims_are_what_they_say(shipped):
    data = shipped.to_dict()
    counts = {r["id"]: r["count"] for r in data["rules"]}
    assert set(counts) == set(RULES)
    assert {r["id"] for r in data["rules"] if r["counted_per"] == "pairing"} == question_rules()
    assert data["never_fired"] == [r for r in counts if counts[r] == 0]
    assert data["rules_fired"] + len(data["never_fired"]) == data["rules_total"] == len(RULES)
    encoded = {c for info in RULES.values() for c in info.claims}
    assert data["unencoded_claims"] == [c for c in CLAIMS if c not in encoded]
    fired_claims = {c for r, n in counts.items() if n for c in RULES[r].claims}
    assert fired_claims | set(data["unexercised_claims"]) == encoded
    for claim in data["unexercised_claims"]:
        assert claim in encoded and claim not in fired_claims


def test_rules_coverage_command(small_cases):
    result = subprocess.run([COALITION, "rules", "coverage", "--cases", str(small_cases),
                             "--only-cases", "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # 7 states x 2 coalitions, less the US (leader of both), China (target of both) and those
    # a coalition is not open to: Chip 4 only to Japan and Korea here, the TTC only to the EU
    assert data["pairings"] == 3 and len(data["skipped"]) == 11 and data["coalitions"] == 2
    assert data["project_readings"]["rules"] and "V-15" in data["project_readings"]["rules"]
    assert {"south-korea chip4", "japan chip4"} <= set(
        next(r for r in data["rules"] if r["id"] == "SD-21")["fired_in"])
    text = subprocess.run([COALITION, "rules", "coverage", "--cases", str(small_cases),
                           "--only-cases"], capture_output=True, text=True).stdout
    assert "3 state × coalition pairings asked" in text
    assert "This project's readings of the paper" in text
    assert f"Rules fired at least once: {data['rules_fired']} of {data['rules_total']}." in text
    assert f"Rules never fired ({len(data['never_fired'])})" in text
    assert "Claims of theory.md encoded by no rule" in text
    # the claims column starts after the longest title, never inside one
    starts = set()
    for rule in data["rules"]:
        row = next(line for line in text.splitlines() if line.startswith(f"  {rule['id']} "))
        end = row.index(rule["title"]) + len(rule["title"])
        assert row[end:end + 2] == "  ", row
        starts.add(row.index(", ".join(rule["claims"]), end))
    assert len(starts) == 1


def test_rules_show_lists_the_cases_where_the_rule_fires(small_cases):
    base = load_dir(small_cases)
    verdict_rule = next(s.rule for s in ask(base.states["south-korea"],
                                            base.coalitions["chip4"]).chain if s.concept == "verdict")
    result = subprocess.run([COALITION, "rules", "show", verdict_rule.lower(), "--cases",
                             str(small_cases), "--only-cases"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(verdict_rule)
    assert "Fires in " in result.stdout and "  south-korea chip4\n" in result.stdout
    outlook_rule = sorted(set(RULES) - question_rules())[0]
    shown = subprocess.run([COALITION, "rules", "show", outlook_rule, "--cases", str(small_cases),
                            "--only-cases"], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"Fires in the outlook of \d of 2 coalitions", shown.stdout)
    missing = subprocess.run([COALITION, "rules", "show", "ZZ-99"], capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("error: unknown rule 'ZZ-99'")
    assert missing.stderr.count("\n") == 1 and "`coalition rules` lists them" in missing.stderr
    # an ID typed as people type it (v08 printed some 130 IDs and no V-08; new user's trial)
    typed = subprocess.run([COALITION, "rules", "show", "v08", "--cases", str(small_cases),
                            "--only-cases", "--quiet"], capture_output=True, text=True)
    assert typed.returncode == 0 and typed.stdout.startswith("V-08 "), typed.stderr


def test_docs_verdicts_md_is_the_decision_table():
    from digital_coalitions.audit.catalogue import render_decision_table
    from digital_coalitions.rules.verdict import DECISION_TABLE

    committed = (ROOT / "docs" / "verdicts.md").read_text()
    assert committed == render_decision_table("markdown"), \
        "docs/verdicts.md is out of date: run `coalition rules verdicts --format markdown > docs/verdicts.md`"
    # every verdict rule is a row, in the order of its salience
    rows = [b.id for b in DECISION_TABLE]
    verdict_rules = sorted((r for r in RULES.values() if r.stage.name == "VERDICT"),
                           key=lambda r: -r.salience)
    assert rows == [r.id for r in verdict_rules]
    text = subprocess.run([COALITION, "rules", "verdicts"], capture_output=True, text=True).stdout
    assert text.splitlines()[3].strip().startswith("1. V-01")


def test_docs_rules_md_is_current():
    committed = ROOT / "docs" / "rules.md"
    assert committed.read_text() == render_catalogue("markdown"), \
        "docs/rules.md is out of date: run `coalition rules --format markdown > docs/rules.md`"


def test_coverage_reports_its_progress_state_by_state(small_cases):
    heard = []
    run_coverage(small_cases, progress=lambda *a: heard.append(a))
    assert heard == [(n, 7, "states") for n in range(1, 8)]
