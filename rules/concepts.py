"""The facts the rules exchange, named in the paper's words, and the registry of the concepts.

Evidence facts come from the case files, one fact per field, each carrying the dotted ``path``
it was read from and the ``source`` file kind (state or coalition), so that a trace can point
at the line. Derived facts are what the rules conclude; their class names are the paper's
concepts, so that a trace reads like the paper's argument.
"""

from __future__ import annotations

from digital_coalitions.compat import experta
from digital_coalitions.record import FrozenRecord

# the scales, defined in scales.py (the case-file layer reads them there); the rules import them here
from .scales import (  # noqa: F401
    ATTACHMENT,
    AUTONOMY,
    COMMITMENT,
    COMPENSATION,
    CONFIDENCE,
    LEVEL3,
    LEVEL4,
    LEVEL5,
    RECEPTIVENESS,
    RELIANCE,
    SACRIFICE,
    SECURITY_DEPENDENCY,
    STRANGLEHOLD,
)

Fact = experta.Fact

# ---- ICD 203 expressions of likelihood (Intelligence Community Directive 203, 2015) -------------
ICD203 = (
    ("almost no chance", 1, 5),
    ("very unlikely", 5, 20),
    ("unlikely", 20, 45),
    ("roughly even chance", 45, 55),
    ("likely", 55, 80),
    ("very likely", 80, 95),
    ("almost certain", 95, 99),
)

# The time frame a memo states for its judgment (``coalition memo --horizon``): "will it join
# within the next HORIZON_YEARS years?". The rules have no clock; the horizon is the reader's
# time frame, and it bounds what the memo calls plausible (engine/casefiles/schema.py,
# MOVES_WITHIN_HORIZON). Evidence more than STALE_AFTER_YEARS older than the year the memo
# speaks of gets a stated caveat.
HORIZON_YEARS = 2
MAX_HORIZON_YEARS = 5  # beyond this, structure moves too and the memo's reading of it fails
STALE_AFTER_YEARS = 2

# verdicts, from least to most willing to join, with the band of ICD 203 steps each may take
# (likelihood of joining) and the figure (%) it starts from before the evidence moves it. The
# figure moves inside the band and never reaches its edges (rules/judgment.py, LK-10). The base
# figures of declines, joins-loosely and joins were fitted to the backtest's tuning material (the
# first sample's tuning set and the second sample: bench/calibrate.py at the stated slope, minimum
# Brier score; no holdout took part), where each verdict was answered at least ten times;
# conflict and joins-reluctantly, answered too rarely to fit, keep their stated priors. Resists
# shares the decline's band and base: V-03 and V-13 need at least moderate dependency, so a rise
# in dependency can turn a decline into resistance, and with a band of its own below the
# decline's (fitted once on five answers) that rise lowered the likelihood, against S1
# (India and the AFI: 28% to 6.6%; tests/test_properties.py). Sharing them, the resister's
# figure is the decliner's moved by its own evidence, its dependency's shift included; resisting
# answers joined as often as declining ones in the backtest (22% of 9 and 24% of 189:
# bench/calibrate.py --parts all). "shares" names the verdict whose band and base another takes,
# so that bench/calibrate.py fits the two as one (on the tuning material alone, resisting
# answers joined 0 of 5, and a fit of their own would put the base at 2 again).
DECLINES = {"band": (0, 2), "base": 28}
VERDICTS = {
    "conflict": {"band": (0, 1), "base": 5},
    "declines": DECLINES,
    "resists": {**DECLINES, "shares": "declines"},
    "joins-loosely": {"band": (3, 5), "base": 94},
    "joins-reluctantly": {"band": (3, 5), "base": 78},
    "joins": {"band": (4, 6), "base": 95},
}
# the verdicts that are a way of joining (the backtest's "joins"; a member answered otherwise is
# answered against the coalition file's own list)
JOINING = ("joins-loosely", "joins-reluctantly", "joins")


# ---- evidence ----------------------------------------------------------------------------------
class Question(Fact):
    """The question: will ``state`` join ``coalition`` (led by ``leader``, aimed at ``target``)?"""


class Evidence(Fact):
    """A value read from a case file: ``field`` = ``value``, from ``source`` at ``path``."""


class CoalitionTrait(Evidence):
    """A trait of the coalition: demand, framing, status, pillar, organisational base."""


class Offer(Evidence):
    """Something the leader offers this member (subsidies, compromise, exemptions, guarantees)."""


class Pressure(Evidence):
    """Something the leader threatens non-joiners with (security cut-off, technology sanctions)."""


class Tie(Evidence):
    """The state's security tie to the coalition's leader."""


class Autonomy(Evidence):
    """The state's strategic autonomy and its government's stance."""


class Industry(Evidence):
    """The state's industry in the coalition's domain: position, weight, catch-up, export share."""


class Reliance(Evidence):
    """The industry's reliance on the leader's technology: level, kind, substitutability."""


class TargetRelation(Evidence):
    """The state's relation with the coalition's target: threat perception, retaliation risk."""


class Sourcing(Evidence):
    """How many sources a case file cites (``value``)."""


class SourceOrigins(Evidence):
    """How many independent origins a case file's sources have (``value``)."""


class SourceRecency(Evidence):
    """The latest year a case file's sources cite (``value``; 0 if none)."""


class Estimated(Fact):
    """A value the case file marks as an estimate, not a sourced figure (``estimated``)."""


class SetByHand(Fact):
    """A value changed with ``--set`` for a what-if: supposed, not the case file's evidence."""


class Defaulted(Fact):
    """A value the case file did not give; the documented default was assumed."""


# ---- derived: weighing -------------------------------------------------------------------------
class Factor(Fact):
    """One piece of evidence weighed for a concept: ``points`` towards it, with the reason."""


class RestrictedExposure(Fact):
    """The share of the state's exposure to the target (its industry's exports, or its trade)
    that the coalition actually restricts (C1)."""


class StrangleholdBound(Fact):
    """A base level or a ceiling for the stranglehold, with the reason."""


# ---- derived: mechanism 1, security dependency -------------------------------------------------
class AllianceCommitment(Fact):
    """Effectiveness of the leader's security commitments and the alliance regime's authority (S2)."""


class SecurityAttachment(Fact):
    """How much the ally needs the leader's protection: threat, abandonment fear, asymmetry (S2-S4)."""


class SecurityDependency(Fact):
    """Alliance-based security dependency on the leader (S1)."""


class NarrativeReceptiveness(Fact):
    """Receptiveness to the leader's digital threat narrative: threat perception and values (S7)."""


class StatusAnxiety(Fact):
    """Strategic anxiety of an ally outside the leader's core clubs; joining raises its voice (S9)."""


class SecurityLeverage(Fact):
    """The leader can use the asymmetric dependence as leverage: threatened security cut-off (S4)."""


class ThreatFromTarget(Fact):
    """The leader protects the ally against the coalition's own target: the threat and the
    coalition point at the same state (S3, S7)."""


# ---- derived: mechanism 2, technological stranglehold ------------------------------------------
class Stranglehold(Fact):
    """The leader's technological stranglehold over the state's industry in the domain (T2)."""


class Malposition(Fact):
    """Technological malposition: the ally lacks cutting-edge capability; little to grip (T6)."""


class FirmLevelStranglehold(Fact):
    """The stranglehold grips one firm, not the state; its government bargains bilaterally (T6)."""


class TechnologicalCarrot(Fact):
    """The stranglehold's carrot: leapfrogging, access to cutting-edge supply chains (T3)."""


class TechnologicalStick(Fact):
    """The stranglehold's stick: the power of making or breaking the ally's industry (T3)."""


class StrangleholdOutweighsMarket(Fact):
    """The stranglehold bites harder than the target's market pulls (T5)."""


class TargetProductCutOff(Fact):
    """The leader has cut the target's own products off from its technology: the target's kit in
    the ally's networks has no secure future (T3's stick, used on the target)."""


class Substitution(Fact):
    """A weak, substitutable stranglehold used in anger: the ally localises and substitutes (T4)."""


# ---- derived: mechanism 3, sacrifice, compensation, autonomy -----------------------------------
class InterestSacrifice(Fact):
    """The interests the state gives up by joining: market share, export profit, retaliation (C1)."""


class Compensation(Fact):
    """What the leader offers to offset the sacrifice (C2)."""


class AutonomyPressure(Fact):
    """The ally's strategic autonomy pulling against the coalition's demands (C3)."""


class ObjectionToFraming(Fact):
    """An autonomous ally objects to a confrontational framing (dividing the world into camps) (C3)."""


class ObjectionToContent(Fact):
    """The ally has objected, on the record, to what the coalition asks its members to commit to (C3)."""


class GovernmentPace(Fact):
    """The sitting government's stance sets the pace of accession, not the outcome (C4)."""


class SoftenedWording(Fact):
    """The member words its accession as aimed at no one, to limit the cost (C5)."""


# ---- derived: outcomes -------------------------------------------------------------------------
class Compulsion(Fact):
    """What compels the state to accept a demanding coalition: a stranglehold or security leverage."""


class LittleToSacrifice(Fact):
    """What the demanding coalition asks costs this ally little: T1's "market and trade
    sacrifices" are not at stake, so its dependency can carry it, as for a simple one (S1, S2)."""


class CoalitionForm(Fact):
    """The form the coalition takes for this member: coercive and stringent (O1) or looser (O2)."""


class Verdict(Fact):
    """The answer: joins, joins-reluctantly, joins-loosely, resists, declines or conflict."""


class LikelihoodShift(Fact):
    """Evidence that moves the likelihood of joining by ``steps`` ICD 203 steps."""


class Likelihood(Fact):
    """The likelihood of joining: a figure inside the verdict's band, its ICD 203 term and range."""


class ConfidenceDowngrade(Fact):
    """A reason to hold the judgment with less confidence."""


class Confidence(Fact):
    """Confidence in the judgment (high, moderate, low) with its basis."""


# ---- the registry: every concept a reader is told about, once ----------------------------------
class Concept(FrozenRecord):
    """One concept the rules conclude, as every reader of the answer names and shows it.

    ``place`` is its place in the paper's argument: it orders the answer's chain and the memo's
    rows. The labels are formats: ``chain_label`` takes {leader} and {domain}; ``memo_label``
    takes {leader}, {Leader} (capitalised), {target}, {domain}, {industry} ("chip industry", or
    "industry" for a coalition of no domain) and {value}.

    A record (record.py), not a dataclass: the dataclass compiled its methods, and imported
    ``dataclasses``, at every cold ``coalition ask``."""

    FIELDS = ("fact", "key", "field", "place", "chain_label", "heading", "memo_label", "several",
              "in_mechanisms")
    fact: type  # the fact class the rules declare
    key: str  # its name in the answer (``mechanisms``, ``chain``) and for ``coalition why``
    field: str | None  # the field holding its value; None for a yes/no concept
    place: int
    chain_label: str | None = None  # its row in the answer's chain; None: not a step of it
    heading: str | None = None  # the memo section that shows it; None: not shown
    memo_label: str = ""  # its line in the memo
    several: bool = False  # it may be concluded more than once: the answer lists the values
    in_mechanisms: bool = True  # False for the judgment itself, which the answer gives apart

    def __init__(self, fact: type, key: str, field: str | None, place: int,
                 chain_label: str | None = None, heading: str | None = None, memo_label: str = "",
                 several: bool = False, in_mechanisms: bool = True):
        self._set(fact, key, field, place, chain_label, heading, memo_label, several,
                  in_mechanisms)


_SECURITY, _TECHNOLOGY = "Security dependency", "Technological stranglehold"
_COST, _AUTONOMY = "Interest sacrifice and compensation", "Autonomy"

# in the order the answer's ``mechanisms`` lists them
CONCEPTS = (
    Concept(SecurityAttachment, "security_attachment", "level", 10),
    Concept(AllianceCommitment, "alliance_commitment", "level", 20),
    Concept(SecurityDependency, "security_dependency", "level", 30,
            chain_label="Security dependency on {leader}", heading=_SECURITY,
            memo_label="Security dependency on {leader}: {value}"),
    Concept(NarrativeReceptiveness, "narrative_receptiveness", "level", 60, heading=_SECURITY,
            memo_label="Receptiveness to {leader}'s narrative: {value}"),
    Concept(StatusAnxiety, "status_anxiety", None, 70, heading=_SECURITY,
            memo_label="Outside {leader}'s core clubs, joining gains it a voice"),
    Concept(SecurityLeverage, "security_leverage", None, 50,
            chain_label="Security leverage (threatened cut-off)", heading=_SECURITY,
            memo_label="{Leader} can turn the dependency into leverage, threatening to cut back "
                 "protection"),
    Concept(ThreatFromTarget, "threat_from_target", None, 40,
            chain_label="Protected against the target itself", heading=_SECURITY,
            memo_label="{Leader} protects it against {target} itself"),
    Concept(Stranglehold, "stranglehold", "level", 80,
            chain_label="Stranglehold over its {domain}", heading=_TECHNOLOGY,
            memo_label="{Leader}'s technological hold over its {industry}: {value}"),
    Concept(Malposition, "malposition", None, 90, chain_label="Malposition", heading=_TECHNOLOGY,
            memo_label="No cutting-edge capability for the hold to grip"),
    Concept(FirmLevelStranglehold, "firm_level_stranglehold", None, 100,
            chain_label="Stranglehold grips a firm, not the state", heading=_TECHNOLOGY,
            memo_label="The hold grips niche firms, not the state"),
    Concept(TechnologicalCarrot, "technological_carrot", None, 120, heading=_TECHNOLOGY,
            memo_label="The carrot: leapfrogging and a place in cutting-edge supply chains"),
    Concept(TechnologicalStick, "technological_stick", None, 110, heading=_TECHNOLOGY,
            memo_label="The stick: {leader} can threaten its industry with sanctions"),
    Concept(StrangleholdOutweighsMarket, "stranglehold_outweighs_market", None, 130,
            heading=_TECHNOLOGY, memo_label="The hold outweighs {target}'s market"),
    Concept(InterestSacrifice, "interest_sacrifice", "level", 150, chain_label="Interest sacrifice",
            heading=_COST, memo_label="The sacrifice joining asks: {value}"),
    Concept(Compensation, "compensation", "level", 170, chain_label="Compensation", heading=_COST,
            memo_label="{Leader}'s compensation: {value}"),
    Concept(AutonomyPressure, "autonomy_pressure", "level", 190, chain_label="Strategic autonomy",
            heading=_AUTONOMY, memo_label="Strategic autonomy: {value}"),
    Concept(ObjectionToFraming, "objection_to_framing", None, 200,
            chain_label="Objects to the confrontational framing", heading=_AUTONOMY,
            memo_label="It objects to the confrontational framing"),
    Concept(ObjectionToContent, "objection_to_content", "commitment", 210, several=True,
            chain_label="Objects to what members commit to", heading=_AUTONOMY,
            memo_label="It objects to what members commit to"),
    # OC-05 (the sacrifice is low) or OC-06 (a moderate one, borne against the target's threat):
    # a label for both, so a chain row does not read "little" beside "Interest sacrifice moderate"
    Concept(LittleToSacrifice, "little_to_sacrifice", None, 160, chain_label="Cost no bar to joining",
            heading=_COST, memo_label="What the coalition asks is no bar to its joining"),
    Concept(GovernmentPace, "government_pace", "pace", 220, heading=_AUTONOMY,
            memo_label="Its government's pace of accession: {value}"),
    Concept(Compulsion, "compulsion", "source", 230, several=True, chain_label="Compelled by"),
    Concept(CoalitionForm, "coalition_form", "form", 240, chain_label="Form of the coalition"),
    Concept(SoftenedWording, "softened_wording", None, 180, heading=_COST,
            memo_label="It words its accession as aimed at no one"),
    Concept(TargetProductCutOff, "target_product_cut_off", None, 135,
            chain_label="The target's own products cut off", heading=_TECHNOLOGY,
            memo_label="{Leader} has cut {target}'s own products off from its technology"),
    Concept(Substitution, "substitution", None, 140, heading=_TECHNOLOGY,
            memo_label="A weak hold used in anger: it would localise and substitute"),
    Concept(Verdict, "verdict", "value", 250, chain_label="Verdict", in_mechanisms=False),
    Concept(Likelihood, "likelihood", "term", 260, in_mechanisms=False),
    Concept(Confidence, "confidence", "level", 270, in_mechanisms=False),
)
CONCEPT = {concept.key: concept for concept in CONCEPTS}
IN_ARGUMENT_ORDER = tuple(sorted(CONCEPTS, key=lambda concept: concept.place))
