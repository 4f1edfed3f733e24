"""Which of a case file's sources support which value, and the memo's basis for its confidence.

ICD 203 asks that confidence rest on the quality, number and independence of the sources. The
rules' confidence (CF-xx) already weighs how many sources each file cites and from how many
origins (``engine/casefiles/evidence.py``, ``source_counts``); the memo states the basis a reader can
check: the values the verdict rests on, the sources linked to them, how many independent
origins those have, how recent they are, what was assumed or estimated, and whether most of it
rests on one source.

A source is *linked* to a value when its text names the field (``(offers.subsidies)``,
``(abandonment_fear: high)``, as the case files' sources often do) or uses the words a source
about that value uses (``SOURCE_WORDS``: "arms imports" for ``arms_import_share``). The link is
read from the text, so it can miss or over-reach; the annex shows every link.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from digital_coalitions.casefiles.evidence import YEAR, origin

# what a source about a value says, by the field's last name (lower case, matched from a word's
# start); the field's own name is always matched as well
SOURCE_WORDS = {
    "alliance": ("alliance", "treaty", "nato"),
    "institutionalisation": ("institutionalis", "combined forces", "command"),
    "existential_threat": ("existential", "military threat", "main threat", "direct threat",
                           "nuclear and missile", "invasion"),
    "extended_deterrence": ("extended deterrence", "extended-deterrence", "nuclear umbrella",
                            "nuclear guarantee", "nuclear consultative"),
    "joint_exercises": ("exercise",),
    "arms_import_share": ("arms import", "arms transfers"),
    "intelligence_dependence": ("intelligence",),
    "abandonment_fear": ("abandonment", "continuity of us policy", "troops to be withdrawn"),
    "shared_values": ("values", "democra"),
    "in_core_clubs": ("nato", "quad", "aukus", "five eyes", "core club"),
    "threat_from": ("threat from",),
    "strategic_autonomy": ("autonomy", "sovereignty", "strategic ambiguity"),
    "government_alignment": ("government", "administration", "president"),
    "objects_to": ("object", "refus", "did not sign", "declined to"),
    "position": ("cutting-edge", "leading-edge", "frontier", "technology level", "lagging",
                 "niche"),
    "weight": ("of its goods exports", "of goods exports", "of gdp", "of exports"),
    "catch_up": ("chips act", "cluster", "programme", "rapidus", "locali"),
    "level": ("rely", "relies", "reliance", "depend", "controlled by", "cannot replace"),
    "kind": ("rely", "relies", "reliance", "depend", "key technolog", "equipment"),
    "substitutable": ("replace", "substitut", "alternative"),
    "export_share": ("export",),
    "installed_share": ("installed", "radio access", "network equipment", "base station"),
    "import_share": ("import",),
    "trade_share": ("exports to", "goods exports", "trade data"),
    "threat_perception": ("threat", "rival"),
    "retaliation_risk": ("retaliat", "boycott", "coercion", "sanctions on"),
    "subsidies": ("subsid", "chips act"),
    "regulatory_compromise": ("compromis", "concession", "gdpr", "privacy framework"),
    "exemptions": ("exempt", "waiver", "permission", "carve"),
    "security_guarantees": ("security guarantee", "extended deterrence", "pledge"),
    "security_cutoff": ("intelligence sharing", "cut off", "cut-off", "protection"),
    "technology_sanctions": ("sanction", "restrictive polic"),
    "demand": ("stringent", "sacrific", "coordination", "declaration", "demanding"),
    "framing": ("framing", "aimed at", "confront", "non-market", "no state named", "name no"),
    "commitments": ("commitment", "working group", "principles"),
    "restricted_share": ("restrict",),
    "organisational_base": ("alliances", "partnership", "bedrock"),
}
# the paper whose theory the rules encode: evidence from it is not independent of the theory
THEORY = "liu 2024"
MAX_SHOWN = 3  # sources cited beside one judgment


def _normal(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "


def _leaf(path: str) -> str:
    return re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])


def _named(path: str, text: str) -> bool:
    """Whether a source's text names the field: its last name, or its last two parts."""
    parts = [re.sub(r"\[\d+\]$", "", p) for p in path.split(".")]
    names = [" ".join(parts[-2:])] if len(parts) >= 2 else []
    if "_" in parts[-1]:  # a name of its own (abandonment_fear), not a common word (level)
        names.append(parts[-1])
    return any(_normal(name) in text for name in names)


def _about(path: str, text: str) -> bool:
    words = SOURCE_WORDS.get(_leaf(path), ())
    return any(" " + _normal(word).strip() in text for word in words)


@dataclass
class Link:
    """The sources linked to one value: first those that name its field, then those about it."""

    case: str  # state or coalition
    path: str
    named: list[int] = field(default_factory=list)
    about: list[int] = field(default_factory=list)

    @property
    def numbers(self) -> list[int]:
        return self.named + [n for n in self.about if n not in self.named]


def keyed_by(path: str) -> str | None:
    """The state a value is about besides its own (``ties.united-states.alliance``: the
    leader; ``targets.china.retaliation_risk``: the target), or None."""
    parts = path.split(".")
    if parts[0] in ("ties", "targets") and len(parts) > 2:
        return parts[1]
    if parts[0] == "industries" and len(parts) > 4 and parts[2] in ("reliance", "target_exposure"):
        return parts[3]
    return None


def link(case: str, path: str, sources: list[dict], names: dict | None = None) -> Link:
    """The memo's sources (``{n, case, text}``) linked to the value at ``path`` of a ``case``
    file. A source that is only about the value's subject must also name the state the value is
    about (``names``: state id -> its names), so that Korea's reliance on Japanese materials is
    not read as a source of its reliance on the United States."""
    found = Link(case, path)
    other = keyed_by(path)
    wanted = [_normal(n) for n in (names or {}).get(other, ())] if other else []
    for source in sources:
        if source["case"] != case:
            continue
        text = _normal(source["text"])
        if _named(path, text):
            found.named.append(source["n"])
        elif _about(path, text) and (not wanted or any(n in text for n in wanted)):
            found.about.append(source["n"])
    return found


def shown_for(links: list[Link], limit: int = MAX_SHOWN) -> list[int]:
    """The sources to cite beside a judgment resting on ``links``: named ones first."""
    named = [n for lk in links for n in lk.named]
    about = [n for lk in links for n in lk.about]
    chosen: list[int] = []
    for n in named + about:
        if n not in chosen:
            chosen.append(n)
    return sorted(chosen[:limit])


def origin_name(text: str) -> str:
    """Who a source line cites, as written ("Liu 2024", "SIPRI Trends in …")."""
    head = re.split(r"[,:(;]", text.strip(), maxsplit=1)[0].strip()
    return head if len(head) <= 60 else head[:57].rstrip() + "…"


def references(numbers, sources: list[dict]) -> list[tuple[str, list[int]]]:
    """The sources ``numbers`` as short references, grouped by origin as :func:`basis` (and
    CF-05) count them and named as it names them, with the numbers of their lines, in the order
    of their first number."""
    by_number = {s["n"]: s for s in sources}
    names: dict[str, str] = {}
    grouped: dict[str, list[int]] = {}
    for n in sorted(set(numbers)):
        key = origin(by_number[n]["text"])
        names.setdefault(key, origin_name(by_number[n]["body"]))  # the words without field notes
        grouped.setdefault(key, []).append(n)
    return [(names[key], found) for key, found in grouped.items()]


@dataclass
class Basis:
    """What the verdict's values rest on, for the memo's statement of confidence (ICD 203)."""

    values: int  # case-file values beneath the verdict, its likelihood and its chain
    linked: int  # of those, with at least one linked source
    sources: int  # distinct sources linked to them
    origins: int  # independent origins of those sources
    latest: int  # the latest year those sources cite (0: none)
    evidence_year: int
    defaulted: int
    estimated: int
    dominant: str = ""  # the origin that supports the most values, as written
    dominant_values: int = 0  # how many values it supports
    dominant_is_theory: bool = False  # it is the paper whose theory the rules encode
    alone: list = field(default_factory=list)  # (case, path, origin, (n,)): one source line each
    # (case, path, origin, sources): several source lines, all from one origin (not independent)
    shared: list = field(default_factory=list)
    unlinked: list = field(default_factory=list)  # (case, path) of values with no linked source
    by_case: dict = field(default_factory=dict)  # state / coalition -> linked sources from its file

    @property
    def single_source(self) -> bool:
        return bool(self.alone)

    @property
    def one_origin(self) -> list:
        """The values that rest on one origin, by one source line or several."""
        return self.alone + self.shared


def basis(values: list[tuple[str, str]], sources: list[dict], evidence_year: int,
          defaulted: int, estimated: int, names: dict | None = None,
          until: int | None = None) -> tuple[Basis, dict]:
    """The basis for the values ``(case, path)`` the verdict rests on; and their links. Years a
    source names after ``until`` (the memo's year) are targets it quotes, not its date."""
    links = {value: link(*value, sources, names) for value in values}
    by_number = {s["n"]: s for s in sources}
    used = sorted({n for lk in links.values() for n in lk.numbers})
    origin_of = {n: origin(by_number[n]["text"]) for n in used}
    shown = {}
    for n in used:
        shown.setdefault(origin_of[n], origin_name(by_number[n]["text"]))
    support, alone, shared = Counter(), [], []
    for value, lk in links.items():
        origins = sorted({origin_of[n] for n in lk.numbers})
        support.update(origins)
        if len(origins) == 1:
            (alone if len(lk.numbers) == 1 else shared).append(
                (*value, shown[origins[0]], tuple(lk.numbers)))
    dominant, count = (support.most_common(1)[0] if support else ("", 0))
    years = [int(y) for n in used for y in YEAR.findall(by_number[n]["text"])
             if until is None or int(y) <= until]
    result = Basis(
        values=len(values), linked=sum(1 for lk in links.values() if lk.numbers),
        sources=len(used), origins=len(set(origin_of.values())), latest=max(years, default=0),
        evidence_year=evidence_year, defaulted=defaulted, estimated=estimated,
        dominant=shown.get(dominant, ""), dominant_values=count,
        dominant_is_theory=dominant == THEORY, alone=alone, shared=shared,
        unlinked=[value for value, lk in links.items() if not lk.numbers],
        by_case={case: sum(1 for n in used if by_number[n]["case"] == case)
                 for case in ("state", "coalition")})
    return result, links
