"""Which rules and claims the case files exercise: every state asked about every coalition.

A pairing is skipped when the state leads the coalition, is its target, or is a state the
coalition is not open to (the question does not arise). Rules marked as this project's reading
of the paper, rather than a claim it makes (``reading="project"``), are counted apart, so that a
reader sees how much of what fires is ours. The question rules are counted per pairing: how many pairings fire each (and
which). The outlook rules reason over all of a coalition's answers at once
(``digital_coalitions.analysis.outlook``), so they are counted per coalition, from the same answers.
Then: the rules nothing fires, the claims of theory.md (``rules/claims.py``) no rule encodes,
and the encoded claims whose rules never fire on these cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from digital_coalitions.rules.base import rule_info
from digital_coalitions.rules.claims import CLAIMS

from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import RULE_MIXINS, RULES
from digital_coalitions.casefiles.loader import load_dir
from digital_coalitions.casefiles.question import ASKED, role_of
from digital_coalitions.text.render import environment


@dataclass
class Coverage:
    directory: Path
    pairings: list[tuple[str, str]]
    skipped: list[tuple[str, str]]
    coalitions: list[str] = field(default_factory=list)
    fired_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # question rules
    outlook_in: dict[str, list[str]] = field(default_factory=dict)  # outlook rule -> coalitions
    verdicts: dict[str, int] = field(default_factory=dict)

    @property
    def never_fired(self) -> list[str]:
        return [r for r in ordered_rules()
                if not self.fired_in.get(r) and not self.outlook_in.get(r)]

    @property
    def unencoded_claims(self) -> list[str]:
        encoded = {c for info in RULES.values() for c in info.claims}
        return [c for c in CLAIMS if c not in encoded]

    @property
    def unexercised_claims(self) -> list[str]:
        """Claims some rule encodes, but no rule that encodes them fires on these cases."""
        fired = {r for r, found in {**self.fired_in, **self.outlook_in}.items() if found}
        exercised = {c for r in fired for c in RULES[r].claims}
        encoded = {c for info in RULES.values() for c in info.claims}
        return [c for c in CLAIMS if c in encoded and c not in exercised]

    def project_readings(self) -> dict:
        """The rules that are this project's reading of the paper, and the pairings they decide."""
        ours = [r for r in ordered_rules() if RULES[r].reading == "project"]
        fired = [r for r in ours if self.fired_in.get(r) or self.outlook_in.get(r)]
        return {"rules": ours, "fired": fired,
                "pairings": sum(len(self.fired_in.get(r, [])) for r in ours)}

    def to_dict(self) -> dict:
        question = question_rules()
        rules = []
        for r in ordered_rules():
            asked = r in question
            found = self.fired_in[r] if asked else self.outlook_in.get(r, [])
            rules.append({"id": r, "title": RULES[r].title, "claims": list(RULES[r].claims),
                          "counted_per": "pairing" if asked else "coalition",
                          "count": len(found),
                          "fired_in": [f"{s} {c}" for s, c in found] if asked else list(found)})
        return {
            "directory": str(self.directory),
            "pairings": len(self.pairings),
            "coalitions": len(self.coalitions),
            "skipped": [list(p) for p in self.skipped],
            "rules": rules,
            "rules_fired": len(RULES) - len(self.never_fired),
            "rules_total": len(RULES),
            "never_fired": self.never_fired,
            "claims_total": len(CLAIMS),
            "unencoded_claims": self.unencoded_claims,
            "unexercised_claims": self.unexercised_claims,
            "project_readings": self.project_readings(),
            "verdicts": dict(sorted(self.verdicts.items())),
        }


def question_rules() -> set[str]:
    """The IDs of the rules a state × coalition question runs (CoalitionEngine's rule mixins)."""
    return {rule_info(value).id for mixin in RULE_MIXINS for value in vars(mixin).values()
            if isinstance(value, experta.Rule)}


def ordered_rules() -> list[str]:
    """Rule IDs in the catalogue's order: by stage (salience), then ID."""
    return [info.id for info in sorted(RULES.values(), key=lambda r: (-r.salience, r.id))]


def run_coverage(directory, progress=None, cache=None, workers: int | None = None) -> Coverage:
    """Ask every state about every coalition in ``directory``, then the outlook of each
    coalition over those answers. The questions are spread over ``workers`` processes (default:
    every core) and answered from ``cache`` (an AnswerCache) where it holds them;
    ``progress(done, total, "states")`` hears of each state."""
    from digital_coalitions.analysis.batch import Groups, answer_many
    from digital_coalitions.analysis.outlook import outlook  # the outlook builds on the question engine; imported late

    base = load_dir(directory)
    coverage = Coverage(Path(base.directory), [], [], sorted(base.coalitions),
                        {r: [] for r in question_rules()})
    questions, ends = [], []
    for state_id in sorted(base.states):
        for coalition_id in sorted(base.coalitions):
            coalition = base.coalitions[coalition_id]
            if role_of(base.states[state_id], coalition)[0] not in ASKED:
                coverage.skipped.append((state_id, coalition_id))
                continue
            questions.append((base.states[state_id], coalition))
            coverage.pairings.append((state_id, coalition_id))
        ends.append(len(questions))
    summaries = answer_many(questions, cache=cache, workers=workers,
                            progress=Groups(ends, progress, "states"))
    answers: dict[str, dict] = {}
    for (state_id, coalition_id), answer in zip(coverage.pairings, summaries):
        answers.setdefault(coalition_id, {})[state_id] = answer
        coverage.verdicts[answer.verdict] = coverage.verdicts.get(answer.verdict, 0) + 1
        for rule_id in answer.rules_fired:
            coverage.fired_in[rule_id].append((state_id, coalition_id))
    for coalition_id in sorted(base.coalitions):
        found = outlook(base.coalitions[coalition_id], dict(base.states),
                        answers=answers.get(coalition_id, {}))
        for rule_id in dict.fromkeys(found.rules_fired):
            coverage.outlook_in.setdefault(rule_id, []).append(coalition_id)
    return coverage


def render_coverage(coverage: Coverage, fmt: str = "text") -> str:
    data = coverage.to_dict()
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return environment().get_template("coverage.txt.j2").render(
        c=data, claims={k: v[0] for k, v in CLAIMS.items()})
