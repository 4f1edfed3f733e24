"""The rule catalogue, generated from the rules themselves (IDs, titles, claims, docstrings)."""

from __future__ import annotations

import json

from digital_coalitions.rules.claims import CLAIMS, STANDARDS

from digital_coalitions.inference.engine import RULES
from digital_coalitions.text.render import environment


def claim_text(claim_id: str) -> tuple[str, str]:
    return CLAIMS.get(claim_id) or STANDARDS[claim_id]


def rule_record(info) -> dict:
    return {
        "id": info.id,
        "title": info.title,
        "mechanism": info.mechanism,
        "stage": info.stage.name.lower(),
        "salience": info.salience,
        "claims": list(info.claims),
        "concludes": info.summary,
        "why": info.doc.split("\n", 1)[1].strip() if "\n" in info.doc else "",
        "conditions": list(info.conditions),
        "reading": info.reading,
    }


def ordered():
    return sorted(RULES.values(), key=lambda r: (-r.salience, r.id))


def render_catalogue(fmt: str = "text") -> str:
    records = [rule_record(r) for r in ordered()]
    if fmt == "json":
        return json.dumps({"rules": records}, indent=2, ensure_ascii=False) + "\n"
    template = "rules.md.j2" if fmt == "markdown" else "rules.txt.j2"
    return environment().get_template(template).render(
        rules=records, claims={k: claim_text(k) for r in records for k in r["claims"]})


def decision_table() -> list[dict]:
    """The verdict layer's decision table, row by row, from rules/verdict.py."""
    from digital_coalitions.rules.verdict import DECISION_TABLE

    rows = []
    for row, branch in enumerate(DECISION_TABLE, start=1):
        record = rule_record(RULES[branch.id])
        # the conditions in words, without the "no verdict" every row shares
        record["when"] = [c for c in record["conditions"] if c != "no verdict"]
        rows.append({"row": row, "verdict": branch.verdict, **record})
    return rows


def render_decision_table(fmt: str = "text") -> str:
    rows = decision_table()
    if fmt == "json":
        return json.dumps({"decision_table": rows}, indent=2, ensure_ascii=False) + "\n"
    name = "verdicts.md.j2" if fmt == "markdown" else "verdicts.txt.j2"
    return environment().get_template(name).render(
        rows=rows, claims={k: claim_text(k) for r in rows for k in r["claims"]})


def render_rule(rule_id: str, cases=None) -> str | None:
    """One rule in full, with what it declares and its fixtures; ``cases`` (a
    coverage.Coverage) adds the pairings where it fires."""
    info = RULES.get(rule_id)
    if info is None:
        return None
    record = rule_record(info)
    fires = None
    if cases is not None:
        asked = rule_id in cases.fired_in  # a question rule; else an outlook rule, per coalition
        fires = {"asked": asked, "directory": cases.directory,
                 "in": [" ".join(p) for p in cases.fired_in[rule_id]] if asked
                 else cases.outlook_in.get(rule_id, []),
                 "of": len(cases.pairings) if asked else len(cases.coalitions)}
    from digital_coalitions.rules.fixtures import fixture_record

    return environment().get_template("rule.txt.j2").render(
        r=record, claims={k: claim_text(k) for k in record["claims"]}, fires=fires,
        declares=[c.described() for c in info.concludes], fixtures=fixture_record(rule_id))
