"""Mechanism 1: alliance-based security dependency (Liu 2024, *Security Dependency…*).

Security dependency is read from two things the paper names (S2): the effectiveness of the
leader's commitments and the authority of the alliance regime (**alliance commitment**), and
how much the ally needs them: protection against an existential threat (S3), fear of
abandonment (S2), and asymmetric dependence in arms and intelligence (S4) (**security
attachment**). "The stronger the alliance-based security attachment, the more prominent the
impact of commitment effectiveness and institutional authority": the two combine by the table
``DEPENDENCY``, and only strong attachment under strong commitment is *intense*. This is why
Europe, bound by NATO's highly institutionalised regime but facing no existential threat, is
*moderate* ("partial and confined"), while Japan and South Korea are *intense*.
"""

from __future__ import annotations

from digital_coalitions.compat import experta

from .base import Stage, at_least, level_of, one_of, rule, share_at_least
from .concepts import (
    ATTACHMENT,
    COMMITMENT,
    LEVEL4,
    SECURITY_DEPENDENCY,
    AllianceCommitment,
    CoalitionTrait,
    Factor,
    NarrativeReceptiveness,
    Pressure,
    Question,
    SecurityAttachment,
    SecurityDependency,
    SecurityLeverage,
    StatusAnxiety,
    TargetRelation,
    ThreatFromTarget,
    Tie,
)

MATCH, NOT, AS = experta.MATCH, experta.NOT, experta.AS

ALLIED = one_of("partner", "major-non-treaty-ally", "bilateral-treaty", "collective-defence")
ALLIANCE_POINTS = {"partner": 1, "major-non-treaty-ally": 2, "bilateral-treaty": 3, "collective-defence": 3}
INSTITUTION_POINTS = {"moderate": 1, "high": 2}
THREAT_POINTS = {"low": 1, "moderate": 2, "high": 3}
FEAR_POINTS = {"moderate": 1, "high": 2}
# the points from which each level of the scale starts
COMMITMENT_BANDS = tuple(zip((0, 1, 3, 5), COMMITMENT))
ATTACHMENT_BANDS = tuple(zip((0, 3, 5), ATTACHMENT))
ARMS_SHARE = 0.5
# security dependency by alliance commitment (rows) and security attachment (columns), S2
DEPENDENCY = {
    "low": {"low": "low", "moderate": "low", "high": "moderate"},
    "moderate": {"low": "low", "moderate": "moderate", "high": "high"},
    "high": {"low": "moderate", "moderate": "moderate", "high": "intense"},
}  # a majority of arms imports from the leader is asymmetric dependence


def receptiveness(values: str, threat: str) -> str:
    """S7's two ideational foundations read together: both at least moderate and one high is
    receptive, both low unreceptive, anything else mixed."""
    pair = {values, threat}
    if pair <= {"moderate", "high"} and "high" in pair:
        return "receptive"
    return "unreceptive" if pair == {"low"} else "mixed"


class SecurityRules:
    # ---- alliance commitment (S2, S6) -----------------------------------------------------
    @rule("SD-01", "Alliance commitment", Tie(field="alliance", value=MATCH.alliance & ALLIED),
          claims=("S2", "S6"), stage=Stage.EVIDENCE,
          concludes=Factor(concept="commitment", claim="S2"))
    def alliance_commitment(self, alliance):
        """Weighs the kind of alliance as a commitment: treaty alliances count most.

        The effectiveness of the leader's security commitments is the first thing allies weigh
        (S2); digital coalitions are built on the organisational base of alliances (S6).
        """
        self.declare(Factor(concept="commitment", points=ALLIANCE_POINTS[alliance],
                            reason=f"{alliance} alliance with the leader", claim="S2"))

    @rule("SD-02", "Institutionalised alliance regime",
          Tie(field="alliance", value=ALLIED),
          Tie(field="institutionalisation", value=MATCH.level & one_of("moderate", "high")),
          claims=("S2",), stage=Stage.EVIDENCE, concludes=Factor(concept="commitment", claim="S2"))
    def institutionalised_regime(self, level):
        """Weighs the alliance's institutionalisation as authority (NATO: high).

        "A high degree of institutionalisation brings authority to the alliance", generating
        elite networks that influence members' positions (S2).
        """
        self.declare(Factor(concept="commitment", points=INSTITUTION_POINTS[level],
                            reason=f"{level} institutionalisation of the alliance", claim="S2"))

    @rule("SD-03", "Extended deterrence",
          Tie(field="alliance", value=ALLIED), Tie(field="extended_deterrence", value=True),
          claims=("S2", "S3"), stage=Stage.EVIDENCE,
          concludes=Factor(concept="commitment", points=1,
                           reason="under the leader's extended deterrence", claim="S2"))
    def extended_deterrence(self):
        """Weighs the leader's nuclear umbrella as a credible commitment.

        Extended deterrence is the alliance's "umbrella" or "shield" effect; it makes the
        commitment credible (S2) and is the protection allies extend into the digital realm (S3).
        """
        self.declare(Factor(concept="commitment", points=1,
                            reason="under the leader's extended deterrence", claim="S2"))

    @rule("SD-04", "Protection demonstrated in joint exercises",
          Tie(field="alliance", value=ALLIED), Tie(field="joint_exercises", value="regular"),
          claims=("S3",), stage=Stage.EVIDENCE,
          concludes=Factor(concept="commitment", points=1,
                           reason="regular joint exercises with the leader", claim="S3"))
    def joint_exercises(self):
        """Weighs regular joint exercises as demonstrated protection.

        Joint exercises "demonstrate the USA's determination to help Japan and South Korea
        defend themselves", which makes allies extend security cooperation to digital issues (S3).
        """
        self.declare(Factor(concept="commitment", points=1,
                            reason="regular joint exercises with the leader", claim="S3"))

    # ---- security attachment (S2, S3, S4) -------------------------------------------------
    @rule("SD-05", "Protection against an existential threat",
          Tie(field="alliance", value=ALLIED),
          Tie(field="existential_threat", value=MATCH.level & one_of("low", "moderate", "high")),
          claims=("S3",), stage=Stage.EVIDENCE, concludes=Factor(concept="attachment", claim="S3"))
    def existential_threat(self, level):
        """Weighs the threat the leader protects against; an existential one weighs most.

        Protection against an existential threat (North Korea for South Korea; Russia for
        Norway) is what makes allies extend the value of security cooperation to the digital
        realm (S3).
        """
        self.declare(Factor(concept="attachment", points=THREAT_POINTS[level],
                            reason=f"{level} threat the leader protects against", claim="S3"))

    @rule("SD-06", "Fear of abandonment",
          Tie(field="alliance", value=ALLIED),
          Tie(field="abandonment_fear", value=MATCH.level & one_of("moderate", "high")),
          claims=("S2",), stage=Stage.EVIDENCE, concludes=Factor(concept="attachment", claim="S2"))
    def abandonment_fear(self, level):
        """Weighs the ally's fear of abandonment in a crisis.

        Abandonment "creates a sense of deprivation of benefits, status and security, which
        makes members reluctant to break away from alignment with the dominant state" (S2).
        """
        self.declare(Factor(concept="attachment", points=FEAR_POINTS[level],
                            reason=f"{level} fear of abandonment", claim="S2"))

    @rule("SD-07", "Asymmetric dependence in arms",
          Tie(field="alliance", value=ALLIED),
          Tie(field="arms_import_share", value=MATCH.share & share_at_least(ARMS_SHARE)),
          claims=("S4",), stage=Stage.EVIDENCE,
          concludes=Factor(concept="attachment", points=1, claim="S4"))
    def arms_dependence(self, share):
        """Weighs arms imports mostly from the leader as asymmetric dependence.

        Asymmetric dependence is leverage: the stronger party can threaten to reduce
        protection (S4). (Up to 95% of the Netherlands' equipment imports were US weaponry.)
        """
        self.declare(Factor(concept="attachment", points=1,
                            reason=f"{share:.0%} of arms imports from the leader", claim="S4"))

    @rule("SD-08", "Asymmetric dependence in intelligence",
          Tie(field="alliance", value=ALLIED), Tie(field="intelligence_dependence", value="high"),
          claims=("S4",), stage=Stage.EVIDENCE,
          concludes=Factor(concept="attachment", points=1,
                           reason="high dependence on the leader's intelligence", claim="S4"))
    def intelligence_dependence(self):
        """Weighs a high dependence on the leader's intelligence as asymmetric dependence.

        The leader can threaten to end intelligence sharing, as the USA did with Germany and
        South Korea over Huawei (S4).
        """
        self.declare(Factor(concept="attachment", points=1,
                            reason="high dependence on the leader's intelligence", claim="S4"))

    # ---- classification -------------------------------------------------------------------
    @rule("SD-10", "Level of alliance commitment", Question(), claims=("S2", "S6"),
          stage=Stage.CLASSIFY, concludes=AllianceCommitment())
    def commitment_level(self):
        """Classifies the commitment factors: low 1-2, moderate 3-4, high 5 or more points.

        The effectiveness of commitments and the authority of the regime together (S2).
        """
        score = self.weigh("commitment")
        self.declare(AllianceCommitment(level=level_of(score, COMMITMENT_BANDS), score=score))

    @rule("SD-11", "Level of security attachment", Question(), claims=("S2", "S3", "S4"),
          stage=Stage.CLASSIFY, concludes=SecurityAttachment())
    def attachment_level(self):
        """Classifies the attachment factors: low 0-2, moderate 3-4, high 5 or more points.

        How much the ally needs protection: the threat (S3), fear of abandonment (S2) and
        asymmetric dependence (S4).
        """
        score = self.weigh("attachment")
        self.declare(SecurityAttachment(level=level_of(score, ATTACHMENT_BANDS), score=score))

    @rule("SD-20", "No security tie", Question(), Tie(field="alliance", value="none"),
          claims=("S1", "S6", "T7"), stage=Stage.CONCEPT,
          concludes=SecurityDependency(level="none"))
    def no_security_tie(self):
        """Concludes there is no security dependency when the state has no tie to the leader.

        Digital coalitions are built on alliances (S6); without that base the leader's
        narrative has no pull (S1), and coercion brings conflict instead (T7).
        """
        self.declare(SecurityDependency(level="none"))

    @rule("SD-21", "Security dependency", Tie(field="alliance", value=ALLIED),
          SecurityAttachment(level=MATCH.attachment), AllianceCommitment(level=MATCH.commitment),
          claims=("S1", "S2"), stage=Stage.CONCEPT, concludes=SecurityDependency())
    def security_dependency(self, attachment, commitment):
        """Concludes the security dependency from attachment and commitment together (table DEPENDENCY).

        Members weigh "the effectiveness of security commitments and the authority of the
        coalition regime, as well as members' feelings of abandonment" (S2). A highly
        institutionalised regime carries authority of its own (NATO "is bound to generate elite
        networks … that influence its members' policy positions"), so a strong commitment (a
        treaty alliance with an institutionalised regime, deterrence and exercises) makes an ally
        at least moderately dependent; "the stronger the alliance-based security attachment, the more
        prominent the impact of commitment effectiveness and institutional authority", so only
        strong attachment under strong commitment is intense (Japan, South Korea). Europe's
        dependency, even with Russia at the door, stays "partial and confined": moderate.
        """
        self.declare(SecurityDependency(level=DEPENDENCY[commitment][attachment]))

    # ---- ideational foundations and status (S7, S9) ----------------------------------------
    @rule("SD-30", "Receptive to the threat narrative",
          Tie(field="shared_values", value=MATCH.values),
          TargetRelation(field="threat_perception", value=MATCH.threat),
          claims=("S7",), stage=Stage.CONCEPT, concludes=NarrativeReceptiveness())
    def narrative_receptiveness(self, values, threat):
        """Concludes how receptive the ally is to the leader's digital threat narrative.

        Threat perception and shared values are the ideational foundations of a digital
        coalition (S7): both at least moderate and one high is receptive; both low is not.
        """
        self.declare(NarrativeReceptiveness(level=receptiveness(values, threat),
                                            shared_values=values, threat=threat))

    @rule("SD-34", "Receptive to a declaration aimed at no state",
          Question(target=None), CoalitionTrait(field="demand", value="simple"),
          Tie(field="shared_values", value=MATCH.values),
          claims=("S7", "D3"), stage=Stage.CONCEPT, reading="project",
          concludes=NarrativeReceptiveness())
    def values_narrative_receptiveness(self, values):
        """Concludes how receptive the ally is to a declaration that names no target state.

        Threat perception and shared values are the ideational foundations of a digital
        coalition (S7), and the threat perceived is of the target state. A declaration that
        names none (on commercial spyware, military AI, ransomware) names a threat that is no
        state, so only the other foundation can be read: shared values, as SD-30 reads the pair
        when both are the same (high values receptive, low unreceptive, moderate mixed). Simple
        coalitions are ideational (D3), so only a declaration is read so. The paper's
        coalitions have a target state (D2), so this stretches S7 to coalitions outside its
        definition: the project's reading.
        """
        self.declare(NarrativeReceptiveness(level=receptiveness(values, values),
                                            shared_values=values, threat=None))

    @rule("SD-31", "Outside the core clubs",
          Tie(field="alliance", value=one_of("major-non-treaty-ally", "bilateral-treaty",
                                             "collective-defence")),
          Tie(field="in_core_clubs", value=False),
          SecurityAttachment(level=at_least(ATTACHMENT, "moderate")),
          claims=("S9",), stage=Stage.CONCEPT, concludes=StatusAnxiety())
    def status_anxiety(self):
        """Concludes the ally feels strategic anxiety about lagging behind, so joining gains it voice.

        South Korea is in none of NATO, the Quad, AUKUS or Five Eyes; "joining Chip 4 has the
        potential to enhance South Korea's voice" (S9).
        """
        self.declare(StatusAnxiety())

    @rule("SD-33", "Protected against the coalition's own target",
          Question(target=MATCH.target), Tie(field="alliance", value=ALLIED),
          Tie(field="existential_threat", value=at_least(LEVEL4, "moderate")),
          Tie(field="threat_from", value=MATCH.target),
          claims=("S3", "S7"), stage=Stage.CONCEPT, concludes=ThreatFromTarget())
    def threat_from_target(self, target):
        """Concludes the leader protects this ally against the very state the coalition targets.

        Protection against an existential threat is what makes allies extend security
        cooperation into the digital realm (S3), and threat perception is the coalition's
        ideational foundation (S7): where the threat and the coalition point at the same state
        (Japan and Taiwan against China), joining is part of the ally's own defence.
        """
        self.declare(ThreatFromTarget(target=target))

    @rule("SD-32", "Security dependency as leverage",
          Pressure(kind="security_cutoff"),
          SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate")),
          claims=("S4",), stage=Stage.MECHANISM, concludes=SecurityLeverage())
    def security_leverage(self):
        """Concludes the leader can turn the ally's dependence into pressure to comply.

        The USA threatened South Korea and Germany with an end to intelligence sharing and
        reduced protection over Huawei; the UK went from hesitation to a ban (S4). The threat
        only bites where there is a dependency to threaten.
        """
        self.declare(SecurityLeverage())
