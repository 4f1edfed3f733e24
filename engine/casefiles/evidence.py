"""Turn one state file and one coalition file into the evidence facts of one question.

Only what bears on the question is declared: the state's tie to this coalition's leader, its
industry in this coalition's domain with its reliance on this leader and its exposure to this
target, its relation with this target, its autonomy, and the coalition's traits, offers and
pressure as they apply to this state (``per_member`` overrides merged in). Absent entries are
read as the contract says: no ``ties`` entry is no tie, no ``reliance`` entry is no reliance;
every other absent value takes its documented default and is reported as assumed.
"""

from __future__ import annotations

import functools
import re

from digital_coalitions.record import FrozenRecord
from digital_coalitions.rules.concepts import (
    Autonomy,
    CoalitionTrait,
    Defaulted,
    Industry,
    Offer,
    Pressure,
    Question,
    Reliance,
    Estimated,
    SetByHand,
    SourceOrigins,
    SourceRecency,
    Sourcing,
    TargetRelation,
    Tie,
)

TIE_FIELDS = ("alliance", "institutionalisation", "existential_threat", "extended_deterrence",
              "joint_exercises", "arms_import_share", "intelligence_dependence",
              "abandonment_fear", "shared_values", "in_core_clubs")
TRAITS = ("demand", "framing", "status", "pillar", "organisational_base")
ABSENT_INDUSTRY = {"position": "lagging", "weight": "low", "catch_up": False}
ABSENT_TARGET = {"threat_perception": "low", "retaliation_risk": "low"}
# fields added after facts.md (docs/case-files.md): read with the default that changes nothing
EXPOSURE = ("installed_share", "import_share")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


class Assumed(FrozenRecord):
    """A value the question needed and the case file did not give."""

    FIELDS = ("case", "path")
    case: str  # "state" or "coalition"
    path: str

    def __init__(self, case: str, path: str):
        self._set(case, path)

    def __str__(self):
        return f"{self.case}:{self.path}"


# what no question reads: a file's own descriptions (its `sources` and `estimated` lists are
# read, by the confidence rules; a coalition's `members` decide the question's role)
_UNREAD = {"state": ("name", "aliases", "summary", "indicators", "article", "short_name"),
           "coalition": ("name", "aliases", "summary", "indicators", "article", "short_name")}


def _read_by_question(kind: str, path: str, keys: dict, state_id: str) -> bool:
    """Whether a ``--set`` of ``path`` in the ``kind`` file changes what this question reads:
    anything but a description, another leader's tie, another industry, another target, or
    another member's ``per_member`` entry. ``keys``: the state's map -> the key the question
    reads in it (ties: the leader; industries: the domain; targets: the target)."""
    parts = re.sub(r"\[\d+\]$", "", path).split(".")
    if parts[0] in _UNREAD[kind]:
        return False
    if kind == "coalition":
        return parts[0] != "per_member" or len(parts) == 1 or parts[1] == state_id
    if parts[0] in keys:
        return len(parts) == 1 or parts[1] == keys[parts[0]]
    return True


def question_evidence(state, coalition):
    """The facts to declare for "will ``state`` join ``coalition``?", and the values assumed."""
    s, c = state.data, coalition.data
    leader, target, domain = c["leader"], c.get("target"), c.get("domain")
    dating = state.dating
    facts = [Question(state=state.id, coalition=coalition.id, leader=leader, target=target,
                      domain=domain, year=s["as_of"], earliest=bool(dating and dating.earliest))]
    assumed = [Assumed("coalition", p) for p in coalition.defaults if _bears(p, TRAITS + ("offers", "pressure"))]

    def add(kind, source, path, field, value):
        facts.append(kind(field=field, value=value, source=source, path=path))

    # the coalition, as it applies to this state
    own = (c.get("per_member") or {}).get(state.id, {})
    for trait in TRAITS:
        if trait in own:  # one demand per member (per_member.*.demand)
            add(CoalitionTrait, "coalition", f"per_member.{state.id}.{trait}", trait, own[trait])
        else:
            add(CoalitionTrait, "coalition", trait, trait, c.get(trait))
    for i, word in enumerate(c.get("commitments") or ()):  # one fact per word, matched by value
        add(CoalitionTrait, "coalition", f"commitments[{i}]", "commitments", word)
    restricted = own.get("restricted_share", c.get("restricted_share"))
    add(CoalitionTrait, "coalition", f"per_member.{state.id}.restricted_share"
        if "restricted_share" in own else "restricted_share", "restricted_share",
        1.0 if restricted is None else restricted)
    add(CoalitionTrait, "coalition", "target_product_cut_off", "target_product_cut_off",
        c.get("target_product_cut_off"))
    for section, kind in (("offers", Offer), ("pressure", Pressure)):
        merged = {**(c.get(section) or {}), **(own.get(section) or {})}
        for name, given in sorted(merged.items()):
            if given:
                where = f"per_member.{state.id}.{section}.{name}" if name in (own.get(section) or {}) \
                    else f"{section}.{name}"
                facts.append(kind(kind=name, source="coalition", path=where))

    # the state's security tie to the leader
    tie = (s.get("ties") or {}).get(leader)
    if tie is None:
        add(Tie, "state", f"ties.{leader}", "alliance", "none")
        # values are shared or not with or without an alliance (S7): assumed low, and said so,
        # so that writing a tie entry later can only add evidence, never change this one
        add(Tie, "state", f"ties.{leader}.shared_values", "shared_values", "low")
        assumed.append(Assumed("state", f"ties.{leader}.shared_values"))
    else:
        for name in TIE_FIELDS:
            add(Tie, "state", f"ties.{leader}.{name}", name, tie.get(name))
        for i, source in enumerate(tie.get("threat_from") or ()):
            add(Tie, "state", f"ties.{leader}.threat_from[{i}]", "threat_from", source)
        assumed += [Assumed("state", p) for p in state.defaults if p.startswith(f"ties.{leader}.")]

    for name in ("strategic_autonomy", "government_alignment"):
        add(Autonomy, "state", f"autonomy.{name}", name, (s.get("autonomy") or {}).get(name))
    for i, word in enumerate((s.get("autonomy") or {}).get("objects_to") or ()):
        add(Autonomy, "state", f"autonomy.objects_to[{i}]", "objects_to", word)
    assumed += [Assumed("state", p) for p in state.defaults if p.startswith("autonomy.")]

    # the state's industry in the coalition's domain
    if domain:
        base = f"industries.{domain}"
        industry = (s.get("industries") or {}).get(domain)
        if industry is None:
            industry = dict(ABSENT_INDUSTRY)
            assumed += [Assumed("state", f"{base}.{name}") for name in ABSENT_INDUSTRY]
        else:
            assumed += [Assumed("state", p) for p in state.defaults if p.startswith(base + ".")
                        and not p.startswith(f"{base}.reliance.") and ".target_exposure." not in p]
        for name in ("position", "weight", "catch_up"):
            add(Industry, "state", f"{base}.{name}", name, industry.get(name))
        reliance = (industry.get("reliance") or {}).get(leader)
        if reliance is None:
            add(Reliance, "state", f"{base}.reliance.{leader}", "level", "none")
        else:
            for name in ("level", "kind", "substitutable"):
                add(Reliance, "state", f"{base}.reliance.{leader}.{name}", name, reliance.get(name))
            assumed += [Assumed("state", p) for p in state.defaults
                        if p.startswith(f"{base}.reliance.{leader}.")]
        if target:
            path = f"{base}.target_exposure.{target}.export_share"
            exposure = (industry.get("target_exposure") or {}).get(target)
            share = exposure.get("export_share", 0) if exposure else 0
            if exposure is None or path in state.defaults:
                assumed.append(Assumed("state", path))
            add(Industry, "state", path, "export_share", share)
            for name in EXPOSURE:
                add(Industry, "state", f"{base}.target_exposure.{target}.{name}", name,
                    (exposure or {}).get(name, 0.0))

    # the state's relation with the target
    if target:
        relation = (s.get("targets") or {}).get(target)
        if relation is None:
            relation = dict(ABSENT_TARGET)
            assumed += [Assumed("state", f"targets.{target}.{name}") for name in ABSENT_TARGET]
        else:
            assumed += [Assumed("state", p) for p in state.defaults if p.startswith(f"targets.{target}.")]
        for name in ABSENT_TARGET:
            add(TargetRelation, "state", f"targets.{target}.{name}", name, relation.get(name))
        add(TargetRelation, "state", f"targets.{target}.trade_share", "trade_share",
            relation.get("trade_share", 0.0))

    # values changed with --set are suppositions: the confidence rules must know (CF-04), of
    # those this question reads (a what-if of another industry's weight changes nothing here)
    keys = {"ties": leader, "industries": domain, "targets": target}
    facts += [SetByHand(case=kind, path=o.path) for kind, case in (("state", state),
              ("coalition", coalition)) for o in getattr(case, "overrides", ())
              if _read_by_question(kind, o.path, keys, state.id)]
    for kind, data in (("state", s), ("coalition", c)):
        cited, origins, latest = source_counts(tuple(data.get("sources") or ()))
        facts.append(Sourcing(source=kind, value=cited, path="sources"))
        facts.append(SourceOrigins(source=kind, value=origins, path="sources"))
        facts.append(SourceRecency(source=kind, value=latest, path="sources"))
    read = {re.sub(r"\[\d+\]$", "", f["path"]) for f in facts
            if isinstance(f, (Tie, Autonomy, Industry, Reliance, TargetRelation))}
    facts += [Estimated(case="state", path=p) for p in sorted(set(s.get("estimated") or ()))
              if p in read]
    assumed = sorted(set(assumed), key=str)
    facts += [Defaulted(case=a.case, path=a.path) for a in assumed]
    return facts, assumed


@functools.lru_cache(maxsize=256)
def source_counts(cited: tuple[str, ...]) -> tuple[int, int, int]:
    """A file's sources: how many, how many independent origins, the latest year they cite (0 if
    none). The same for every question about the file, so worked out once (flips asks hundreds)."""
    years = [int(y) for text in cited for y in YEAR.findall(text)]
    return len(cited), len({origin(text) for text in cited}), max(years, default=0)


def origin(source: str) -> str:
    """Who a source line cites: its text before the first comma, colon or parenthesis, in
    lower case ("Liu 2024, Chip 4 section: …" -> "liu 2024"). Lines with the same origin are
    not independent of each other (ICD 203)."""
    head = source.strip()
    head = head[:min((i for i in map(head.find, ",:(;") if i >= 0), default=len(head))]
    words = " ".join(head.lower().split())  # one space between words, none before them
    return words.removeprefix("the " if words.startswith("the ") else "a ")


def _bears(path: str, sections) -> bool:
    return path.split(".", 1)[0] in sections
