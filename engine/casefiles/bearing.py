"""The evidence that bears on one question, slot by slot: what flips move and the explorer edits.

``bearing(state, coalition)`` lists every value of the two case files the rules read for this
question (the state's tie to the leader, its autonomy, its industry in the coalition's domain
and reliance on the leader, its relation with the target; the coalition's demand, framing,
offers and pressure as they apply to this state), each with its form (a word of a scale, a
yes/no, a share), its value or the default the rules assume, and the ``--set`` path that
changes it. ``Slot.changes()`` are the moves a flip search tries along it.
"""

from __future__ import annotations

from dataclasses import dataclass

from digital_coalitions.rules import security
from digital_coalitions.rules.sacrifice import IMPORT_SHARE_POINTS, SHARE_POINTS

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.overrides import show_value

_FLOORS = tuple(sorted(floor for floor, _ in SHARE_POINTS))
# shares the rules compare against, lowest first: SD-07 (arms imports, security.ARMS_SHARE) and
# the sacrifice rules' floors (rules/sacrifice.py)
SHARE_THRESHOLDS = {
    "arms_import_share": (security.ARMS_SHARE,),
    "export_share": _FLOORS,  # SC-01
    "installed_share": _FLOORS,  # SC-07
    "import_share": tuple(sorted(floor for floor, _ in IMPORT_SHARE_POINTS)),  # SC-09
    "trade_share": _FLOORS,  # SC-06 with SC-01
}
BELOW = 0.01  # a share moved below a threshold lands this far under it
TIE_WORDS = ("alliance", "institutionalisation", "existential_threat", "joint_exercises",
             "intelligence_dependence", "abandonment_fear", "shared_values")
TIE_FLAGS = ("extended_deterrence", "in_core_clubs")
OFFERS = ("subsidies", "regulatory_compromise", "exemptions", "security_guarantees")
PRESSURES = ("security_cutoff", "technology_sanctions")
FORMS = ("scale", "flag", "share")


@dataclass(frozen=True)
class Change:
    """One value of the evidence moved: ``case`` file, dotted ``path``, from ``before`` to ``after``."""

    case: str
    path: str
    before: object
    after: object
    steps: int  # ordinal steps moved (1 for a flipped boolean or a share over one threshold)
    up: bool  # up its scale (more, stronger, true)

    @property
    def assignment(self) -> str:
        return f"{self.case}.{self.path}={show_value(self.after)}"

    @property
    def field(self) -> str:
        return f"{self.case}.{self.path}"

    @property
    def within_horizon(self) -> bool:
        """Whether the value can change within a memo's horizon (else it is structural)."""
        return S.moves_within_horizon(self.case, self.path)

    def __str__(self) -> str:
        return f"{self.field}: {show_value(self.before)} -> {show_value(self.after)}"


@dataclass(frozen=True)
class Slot:
    """One value the question reads: ``case`` ("state" or "coalition"), its dotted ``path`` in
    that file, its ``form``, and its ``value`` as the rules read it (the default where the file
    leaves it out; None for a scale word the file does not give)."""

    case: str
    path: str
    form: str  # one of FORMS
    value: object
    words: tuple = ()  # a scale's words, lowest first
    thresholds: tuple = ()  # a share's thresholds the rules compare against

    @property
    def field(self) -> str:
        """The ``--set`` path: ``state.ties.united-states.alliance``."""
        return f"{self.case}.{self.path}"

    def changes(self) -> list[Change]:
        """The moves a flip search tries: every other word of a scale (1, 2, … steps), a yes/no
        turned over, a share moved just across each threshold (one step per threshold)."""
        if self.form == "flag":
            return [Change(self.case, self.path, bool(self.value), not self.value, 1,
                           not self.value)]
        if self.form == "scale":
            if self.value not in self.words:
                return []
            here = self.words.index(self.value)
            return [Change(self.case, self.path, self.value, word, abs(i - here), i > here)
                    for i, word in enumerate(self.words) if i != here]
        value = 0.0 if self.value is None else float(self.value)
        above = [t for t in self.thresholds if t > value]
        below = [t for t in self.thresholds if t <= value]
        return ([Change(self.case, self.path, value, t, n, True)
                 for n, t in enumerate(above, start=1)]
                + [Change(self.case, self.path, value, round(max(0.0, t - BELOW), 4), n, False)
                   for n, t in enumerate(reversed(below), start=1)])


def _get(data, path: str):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _scale(case: str, path: str, value) -> Slot:
    words = S.scale(path) if "." in path else S.field(case, path).words
    return Slot(case, path, "scale", value, words=tuple(words))


def _flag(case: str, path: str, value) -> Slot:
    return Slot(case, path, "flag", bool(value))


def _share(case: str, path: str, value, name: str) -> Slot:
    return Slot(case, path, "share", value, thresholds=SHARE_THRESHOLDS[name])


def bearing(state, coalition) -> list[Slot]:
    """Every value of the evidence that bears on this question, in the order flips try them."""
    s, c = state.data, coalition.data
    leader, target, domain = c["leader"], c.get("target"), c.get("domain")
    out: list[Slot] = []
    tie = (s.get("ties") or {}).get(leader)
    if tie is None:
        out.append(_scale("state", f"ties.{leader}.alliance", "none"))
    else:
        out += [_scale("state", f"ties.{leader}.{name}", tie.get(name)) for name in TIE_WORDS]
        out += [_flag("state", f"ties.{leader}.{name}", tie.get(name)) for name in TIE_FLAGS]
        out.append(_share("state", f"ties.{leader}.arms_import_share",
                          tie.get("arms_import_share"), "arms_import_share"))
    out += [_scale("state", f"autonomy.{name}", _get(s, f"autonomy.{name}"))
            for name in ("strategic_autonomy", "government_alignment")]
    if domain:
        base = f"industries.{domain}"
        industry = (s.get("industries") or {}).get(domain) or {}
        out += [_scale("state", f"{base}.{name}", industry.get(name, default))
                for name, default in (("position", "lagging"), ("weight", "low"))]
        out.append(_flag("state", f"{base}.catch_up", industry.get("catch_up", False)))
        reliance = (industry.get("reliance") or {}).get(leader)
        path = f"{base}.reliance.{leader}"
        if reliance is None:
            out.append(_scale("state", f"{path}.level", "none"))
        else:
            out.append(_scale("state", f"{path}.level", reliance.get("level")))
            out.append(_scale("state", f"{path}.kind", reliance.get("kind")))
            out.append(_flag("state", f"{path}.substitutable", reliance.get("substitutable")))
        if target:
            out += [_share("state", f"{base}.target_exposure.{target}.{name}",
                           _get(industry, f"target_exposure.{target}.{name}"), name)
                    for name in ("export_share", "installed_share", "import_share")]
    if target:
        relation = (s.get("targets") or {}).get(target) or {}
        out += [_scale("state", f"targets.{target}.{name}", relation.get(name, "low"))
                for name in ("threat_perception", "retaliation_risk")]
        if not domain:  # the trade a domain-free coalition puts at stake
            out.append(_share("state", f"targets.{target}.trade_share",
                              relation.get("trade_share"), "trade_share"))
    out += [_scale("coalition", name, c.get(name)) for name in ("demand", "framing")]
    own = (c.get("per_member") or {}).get(state.id) or {}
    for section, names in (("offers", OFFERS), ("pressure", PRESSURES)):
        for name in names:
            given = (own.get(section) or {}).get(name, (c.get(section) or {}).get(name, False))
            out.append(_flag("coalition", f"per_member.{state.id}.{section}.{name}", given))
    return out
