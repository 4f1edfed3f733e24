"""Mechanism 3a: interest sacrifice and compensation (Liu 2024, *Security Dependency…*, *Chip 4…*).

A demanding coalition costs its members interests: market share and export profit in the
target's market, and the fear of the target's retaliation (C1). A declaratory coalition asks
for no such sacrifice (D3). To build and sustain demanding coalitions the leader compensates:
externalised concessions of domestic law (subsidies), competitive compromise (market access,
regulation, carve-outs) and additional security promises (C2).
"""

from __future__ import annotations

from digital_coalitions.compat import experta

from .base import Stage, at_least, level_of, one_of, rule, share_at_least
from .concepts import (
    COMPENSATION,
    LEVEL3,
    SACRIFICE,
    CoalitionTrait,
    Compensation,
    Factor,
    Industry,
    InterestSacrifice,
    Offer,
    Question,
    TargetRelation,
    Verdict,
    SoftenedWording,
)

MATCH, NOT = experta.MATCH, experta.NOT

COMPLEX = CoalitionTrait(field="demand", value="complex")
SACRIFICE_BANDS = ((0, "none"), (1, "low"), (3, "moderate"), (5, "heavy"))
COMPENSATION_BANDS = ((0, "none"), (1, "partial"), (2, "substantial"))
OFFERS = {
    "subsidies": ("subsidies: an externalised concession of domestic law", "C2"),
    "regulatory_compromise": ("competitive compromise on market access and regulation", "C2"),
    "exemptions": ("exemptions from the coalition's own restrictions", "C2"),
    "security_guarantees": ("additional security promises", "C2"),
}


class SacrificeRules:
    @rule("SC-01", "Exposure to the target's market",
          COMPLEX, Industry(field="export_share", value=MATCH.share & share_at_least(0.1)),
          claims=("C1",), stage=Stage.EVIDENCE)
    def export_exposure(self, share):
        """Weighs the industry's exports to the target: a half or more weighs most.

        "Given that more than 60% of South Korea's chips were exported to China, South Korea was
        wary of the Chip 4's goal of confronting China" (C1).
        """
        points = 3 if share >= 0.5 else 2 if share >= 0.25 else 1
        self.declare(Factor(concept="sacrifice", points=points,
                            reason=f"{share:.0%} of the industry's exports go to the target",
                            claim="C1"))

    @rule("SC-02", "A heavy industry is exposed",
          COMPLEX, Industry(field="export_share", value=share_at_least(0.1)),
          Industry(field="weight", value="high"),
          claims=("C1", "T2"), stage=Stage.EVIDENCE)
    def heavy_industry(self):
        """Weighs the exposed industry's weight in the economy and exports.

        The loss of market share is "extremely tormenting for some allies" where the industry
        carries the economy (C1).
        """
        self.declare(Factor(concept="sacrifice", points=1,
                            reason="the exposed industry weighs heavily in the economy",
                            claim="C1"))

    @rule("SC-03", "Fear of the target's retaliation",
          COMPLEX, TargetRelation(field="retaliation_risk", value=MATCH.risk & one_of("moderate", "high")),
          claims=("C1",), stage=Stage.EVIDENCE)
    def retaliation(self, risk):
        """Weighs the retaliation the state expects from the target if it joins.

        South Korea "was concerned about China's retaliation in joining the chip coalition,
        which would seriously damage its economy" (C1).
        """
        self.declare(Factor(concept="sacrifice", points=1 if risk == "moderate" else 2,
                            reason=f"{risk} risk of the target's retaliation", claim="C1"))

    @rule("SC-04", "A softened framing limits the cost",
          COMPLEX, CoalitionTrait(field="framing", value="softened"),
          TargetRelation(field="retaliation_risk", value=one_of("moderate", "high")),
          claims=("C5",), stage=Stage.EVIDENCE)
    def softened_framing(self):
        """Takes a point off the sacrifice when members may word the coalition as aimed at no one.

        Members soften the framing to limit the cost: South Korea stated the coalition was not
        intended to target or restrict China (C5).
        """
        self.declare(Factor(concept="sacrifice", points=-1,
                            reason="members may word it as aimed at no one", claim="C5"))

    @rule("SC-10", "Level of interest sacrifice", Question(), COMPLEX,
          claims=("C1", "D3"), stage=Stage.CLASSIFY)
    def sacrifice_level(self):
        """Classifies the sacrifice of a demanding coalition: low 1-2, moderate 3-4, heavy 5+ points.

        Joining a complex coalition costs allies interests (C1).
        """
        score = self.weigh("sacrifice")
        self.declare(InterestSacrifice(level=level_of(score, SACRIFICE_BANDS), score=score))

    @rule("SC-11", "A declaratory coalition asks no sacrifice",
          Question(), CoalitionTrait(field="demand", value="simple"),
          claims=("D3", "S5"), stage=Stage.CLASSIFY)
    def no_sacrifice(self):
        """Concludes a simple coalition costs no market interests.

        Simple coalitions centre on conceptions and governance initiatives (D3); only demanding
        ones ask market and trade sacrifices.
        """
        self.declare(InterestSacrifice(level="none", score=0))

    # ---- compensation (C2) ----------------------------------------------------------------
    @rule("CP-01", "The leader's offer", Offer(kind=MATCH.kind), claims=("C2",),
          stage=Stage.EVIDENCE)
    def offer(self, kind):
        """Weighs each thing the leader offers this member as compensation.

        The leader compensates through externalised concessions of domestic law (subsidies),
        competitive compromise (market access, regulation, exemptions) and additional security
        promises (C2).
        """
        reason, claim = OFFERS[kind]
        self.declare(Factor(concept="compensation", points=1, reason=reason, claim=claim))

    @rule("CP-10", "Level of compensation", Question(), claims=("C2",), stage=Stage.CLASSIFY)
    def compensation_level(self):
        """Classifies compensation: none, partial (one kind of offer), substantial (two or more).

        South Korea received subsidies, equipment exemptions and an extended-deterrence pledge
        (C2).
        """
        score = self.weigh("compensation")
        self.declare(Compensation(level=level_of(score, COMPENSATION_BANDS), score=score))

    # ---- consequence (C5) -----------------------------------------------------------------
    @rule("SC-20", "Softened wording of accession",
          Verdict(value="joins-reluctantly"),
          TargetRelation(field="retaliation_risk", value=at_least(LEVEL3, "moderate")),
          claims=("C5",), stage=Stage.CONSEQUENCE)
    def softened_wording(self):
        """Concludes a reluctant member will word its accession as aimed at no one.

        South Korea "carefully organised its wording to state that the coalition was not
        intended to target or restrict China" and stressed the One China principle (C5).
        """
        self.declare(SoftenedWording())


__all__ = ["SacrificeRules", "COMPENSATION", "SACRIFICE"]
