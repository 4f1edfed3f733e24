"""Mechanism 3a: interest sacrifice and compensation (Liu 2024, *Security Dependency…*, *Chip 4…*).

A demanding coalition costs its members interests: market share and export profit in the
target's market, and the fear of the target's retaliation (C1). A declaratory coalition asks
for no such sacrifice (D3). What a coalition costs is what it restricts: the share of the
industry's exports to the target its controls cover (all of it unless the coalition file says
otherwise), or of the state's trade with the target where the coalition names no industry; the
equipment from the target's firms it makes the state rip out; the inputs the target could cut off
in retaliation. To build and sustain demanding coalitions the leader compensates: externalised
concessions of domestic law (subsidies), competitive compromise (market access, regulation,
carve-outs) and additional security promises (C2).
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
    RestrictedExposure,
    SoftenedWording,
    TargetProductCutOff,
    TargetRelation,
    Verdict,
)

MATCH = experta.MATCH

COMPLEX = CoalitionTrait(field="demand", value="complex")
# the points from which each level of the scale starts
SACRIFICE_BANDS = tuple(zip((0, 1, 3, 5), SACRIFICE))
COMPENSATION_BANDS = tuple(zip((0, 1, 2), COMPENSATION))
# the shares the rules weigh, as (floor, points) from the highest floor down; below the lowest a
# share does not count. Exports, trade and installed equipment (SC-01, SC-02, SC-07, SC-08): 10%
# counts, a quarter counts more, a half or more counts most (South Korea's >60%)
SHARE_POINTS = ((0.5, 3), (0.25, 2), (0.1, 1))
# critical inputs from the target (SC-09): a quarter counts, a half or more counts double
IMPORT_SHARE_POINTS = ((0.5, 2), (0.25, 1))
SHARE_FLOOR, IMPORT_SHARE_FLOOR = SHARE_POINTS[-1][0], IMPORT_SHARE_POINTS[-1][0]
OFFERS = {
    "subsidies": ("subsidies: an externalised concession of domestic law", "C2"),
    "regulatory_compromise": ("competitive compromise on market access and regulation", "C2"),
    "exemptions": ("exemptions from the coalition's own restrictions", "C2"),
    "security_guarantees": ("additional security promises", "C2"),
}


def share_points(share: float, table=SHARE_POINTS) -> int:
    return next((points for floor, points in table if share >= floor), 0)


class SacrificeRules:
    # ---- what the coalition restricts ------------------------------------------------------
    @rule("SC-05", "The exports the coalition restricts",
          COMPLEX, Industry(field="export_share", value=MATCH.share),
          CoalitionTrait(field="restricted_share", value=MATCH.restricted),
          claims=("C1",), stage=Stage.EVIDENCE, rank=5, concludes=RestrictedExposure(of="exports"))
    def restricted_exports(self, share, restricted):
        """Concludes the share of the industry's exports to the target the coalition restricts.

        Joining costs "market share and export profit" (C1) only where the coalition restricts
        them: US chip-equipment controls cover the most advanced tools, not the whole trade.
        """
        self.declare(RestrictedExposure(of="exports", share=round(share * restricted, 4)))

    @rule("SC-06", "The trade the coalition puts at stake",
          COMPLEX, Question(domain=None), TargetRelation(field="trade_share", value=MATCH.share),
          CoalitionTrait(field="restricted_share", value=MATCH.restricted),
          claims=("C1",), stage=Stage.EVIDENCE, rank=5, concludes=RestrictedExposure(of="trade"))
    def restricted_trade(self, share, restricted):
        """Concludes the share of the state's trade with the target a domain-free coalition puts at stake.

        Where a demanding coalition names no industry, what it puts at risk is the economic
        relationship with the target as a whole: the heavier the exposure to the target's
        market, the more reluctant the ally (C1).
        """
        self.declare(RestrictedExposure(of="trade", share=round(share * restricted, 4)))

    # ---- weighing the sacrifice -----------------------------------------------------------
    @rule("SC-01", "Exposure to the target's market",
          COMPLEX, RestrictedExposure(of=MATCH.of, share=MATCH.share & share_at_least(SHARE_FLOOR)),
          claims=("C1",), stage=Stage.EVIDENCE, concludes=Factor(concept="sacrifice", claim="C1"))
    def export_exposure(self, of, share):
        """Weighs the restricted exposure to the target: a half or more weighs most.

        "Given that more than 60% of South Korea's chips were exported to China, South Korea was
        wary of the Chip 4's goal of confronting China" (C1).
        """
        what = "the industry's exports" if of == "exports" else "the state's exports"
        self.declare(Factor(concept="sacrifice", points=share_points(share),
                            reason=f"{share:.0%} of {what} to the target are restricted",
                            claim="C1"))

    @rule("SC-02", "A heavy industry is exposed",
          COMPLEX, RestrictedExposure(of="exports", share=share_at_least(SHARE_FLOOR)),
          Industry(field="weight", value="high"),
          claims=("C1", "T2"), stage=Stage.EVIDENCE,
          concludes=Factor(concept="sacrifice", points=1,
                           reason="the exposed industry weighs heavily in the economy", claim="C1"))
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
          claims=("C1",), stage=Stage.EVIDENCE, concludes=Factor(concept="sacrifice", claim="C1"))
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
          claims=("C5",), stage=Stage.EVIDENCE,
          concludes=Factor(concept="sacrifice", reason="members may word it as aimed at no one",
                           claim="C5"))
    def softened_framing(self):
        """Takes a point off the sacrifice when members may word the coalition as aimed at no one.

        Members soften the framing to limit the cost: South Korea stated the coalition was not
        intended to target or restrict China (C5).
        """
        self.declare(Factor(concept="sacrifice", points=-1,
                            reason="members may word it as aimed at no one", claim="C5"))

    @rule("SC-07", "Ripping out the target's equipment",
          COMPLEX, Industry(field="installed_share", value=MATCH.share & share_at_least(SHARE_FLOOR)),
          claims=("C1",), stage=Stage.EVIDENCE, concludes=Factor(concept="sacrifice", claim="C1"))
    def installed_base(self, share):
        """Weighs the target's equipment already installed, which excluding its firms means replacing.

        Joining costs "market share and export profit" and more (C1): a ban on the target's
        vendors makes operators rip out and replace what they installed (the UK's hesitation:
        Huawei supplied a third of its radio network).
        """
        self.declare(Factor(concept="sacrifice", points=share_points(share),
                            reason=f"{share:.0%} of the installed equipment is the target's",
                            claim="C1"))

    @rule("SC-08", "The leader's hold over the target's own product",
          COMPLEX, Industry(field="installed_share", value=share_at_least(SHARE_FLOOR)),
          TargetProductCutOff(year=MATCH.cut_off),
          claims=("T3", "C1"), stage=Stage.EVIDENCE,
          concludes=Factor(concept="sacrifice", claim="T3"))
    def target_cut_off(self, cut_off):
        """Takes a point off the cost of replacement once the leader has cut the target's products off.

        The stranglehold's stick works on the target too: with the leader's technology denied to
        the target's firms (the US rules of May and August 2020 on Huawei's chips), their
        installed kit has no secure future, and replacing it is cheaper than keeping it (T3, C1).
        """
        self.declare(Factor(concept="sacrifice", points=-1,
                            reason=f"the leader cut the target's products off in {cut_off}",
                            claim="T3"))

    @rule("SC-09", "Inputs the target could cut off",
          COMPLEX, Industry(field="import_share", value=MATCH.share & share_at_least(IMPORT_SHARE_FLOOR)),
          claims=("C1",), stage=Stage.EVIDENCE, concludes=Factor(concept="sacrifice", claim="C1"))
    def import_dependence(self, share):
        """Weighs the critical inputs the industry imports from the target, which retaliation could cut.

        Fear of the target's retaliation adds to the cost of joining (C1); an industry whose
        inputs come from the target is exposed to it (critical minerals, processed materials).
        """
        self.declare(Factor(concept="sacrifice", points=share_points(share, IMPORT_SHARE_POINTS),
                            reason=f"{share:.0%} of its critical inputs come from the target",
                            claim="C1"))

    @rule("SC-10", "Level of interest sacrifice", Question(), COMPLEX,
          claims=("C1", "D3"), stage=Stage.CLASSIFY, concludes=InterestSacrifice())
    def sacrifice_level(self):
        """Classifies the sacrifice of a demanding coalition: low 1-2, moderate 3-4, heavy 5+ points.

        Joining a complex coalition costs allies interests (C1).
        """
        score = self.weigh("sacrifice")
        self.declare(InterestSacrifice(level=level_of(score, SACRIFICE_BANDS), score=score))

    @rule("SC-11", "A declaratory coalition asks no sacrifice",
          Question(), CoalitionTrait(field="demand", value="simple"),
          claims=("D3", "S5"), stage=Stage.CLASSIFY,
          concludes=InterestSacrifice(level="none", score=0))
    def no_sacrifice(self):
        """Concludes a simple coalition costs no market interests.

        Simple coalitions centre on conceptions and governance initiatives (D3); only demanding
        ones ask market and trade sacrifices.
        """
        self.declare(InterestSacrifice(level="none", score=0))

    # ---- compensation (C2) ----------------------------------------------------------------
    @rule("CP-01", "The leader's offer", Offer(kind=MATCH.kind), claims=("C2",),
          stage=Stage.EVIDENCE, concludes=Factor(concept="compensation", points=1))
    def offer(self, kind):
        """Weighs each thing the leader offers this member as compensation.

        The leader compensates through externalised concessions of domestic law (subsidies),
        competitive compromise (market access, regulation, exemptions) and additional security
        promises (C2).
        """
        reason, claim = OFFERS[kind]
        self.declare(Factor(concept="compensation", points=1, reason=reason, claim=claim))

    @rule("CP-10", "Level of compensation", Question(), claims=("C2",), stage=Stage.CLASSIFY,
          concludes=Compensation())
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
          claims=("C5",), stage=Stage.CONSEQUENCE, concludes=SoftenedWording())
    def softened_wording(self):
        """Concludes a reluctant member will word its accession as aimed at no one.

        South Korea "carefully organised its wording to state that the coalition was not
        intended to target or restrict China" and stressed the One China principle (C5).
        """
        self.declare(SoftenedWording())


__all__ = ["SacrificeRules", "COMPENSATION", "IMPORT_SHARE_POINTS", "SHARE_POINTS", "share_points"]
