"""Mechanism 2: the technological stranglehold (Liu 2024, *Security Dependency…*, *TTC…*).

The stranglehold is read from the state's industry in the coalition's domain and its reliance
on the leader's technology. The reliance level sets a base (T2); the paper then names what
weakens it, each a ceiling: raw materials and equipment, and anything substitutable, give only
a weak hold (T4); a state without cutting-edge capability offers little to grip
(malposition), and a hold over one firm is not a hold over the state (T6); a minor industry is
no valve over the state's survival (T2). The stranglehold is the lowest of base and ceilings.
"""

from __future__ import annotations

from digital_coalitions.compat import experta

from .base import Stage, at_least, compare, one_of, rule
from .concepts import (
    RELIANCE,
    SACRIFICE,
    STRANGLEHOLD,
    FirmLevelStranglehold,
    Industry,
    InterestSacrifice,
    CoalitionTrait,
    Malposition,
    Pressure,
    Question,
    Reliance,
    Stranglehold,
    StrangleholdBound,
    StrangleholdOutweighsMarket,
    Substitution,
    TargetProductCutOff,
    TechnologicalCarrot,
    TechnologicalStick,
    Verdict,
)

AND, MATCH, NOT, OR, P = experta.AND, experta.MATCH, experta.NOT, experta.OR, experta.P

BASE = {"low": "limited", "moderate": "limited", "high": "significant", "critical": "significant"}


class StrangleholdRules:
    @rule("ST-01", "Reliance on the leader's technology",
          Reliance(field="level", value=MATCH.level & one_of("low", "moderate", "high", "critical")),
          claims=("T2",), stage=Stage.EVIDENCE,
          concludes=StrangleholdBound(bound="base", claim="T2"))
    def reliance_base(self, level):
        """Sets the stranglehold's base from how much the industry relies on the leader.

        A stranglehold is a "valve" of control over the ally's technologies and industries,
        deciding their survival and progress (T2): high or critical reliance is significant,
        lower reliance limited. Only a key technology makes it decisive (ST-07).
        """
        self.declare(StrangleholdBound(bound="base", level=BASE[level],
                                       reason=f"{level} reliance on the leader's technology",
                                       claim="T2"))

    @rule("ST-07", "Key strategic technology",
          Reliance(field="level", value="critical"), Reliance(field="kind", value="key-technology"),
          Reliance(field="substitutable", value=False),
          claims=("T4", "T2"), stage=Stage.EVIDENCE,
          concludes=StrangleholdBound(bound="base", level="decisive",
                                      reason="critical reliance on an irreplaceable key technology",
                                      claim="T4"))
    def key_technology(self):
        """Raises the stranglehold's base to decisive for critical, irreplaceable key technology.

        "The stranglehold force of key strategic technologies is prominent, highly
        recognisable, and difficult to remove. It is a matter of life and death for
        industries" (T4): EDA software, design IP, critical process stages; Samsung "cannot
        find a way to replace US elements".
        """
        self.declare(StrangleholdBound(bound="base", level="decisive",
                                       reason="critical reliance on an irreplaceable key technology",
                                       claim="T4"))

    @rule("ST-02", "Raw materials and equipment give a weaker hold",
          Reliance(field="level", value=at_least(RELIANCE, "low")),
          Reliance(field="kind", value=MATCH.kind & one_of("raw-material", "equipment")),
          claims=("T4",), stage=Stage.EVIDENCE,
          concludes=StrangleholdBound(bound="ceiling", claim="T4"))
    def weak_kind(self, kind):
        """Caps the stranglehold at limited for raw materials and at significant for equipment.

        Raw materials and equipment have "a certain degree of stranglehold force; however, the
        market volume is limited, the difficulty of identification is obvious, and
        substitutability is strong" (T4: Japan's hydrogen fluoride curbs). Equipment is never
        decisive, but the paper also counts the US hold over Korea's etching and deposition
        stages (Applied Materials, Lam, KLA) in the Chip 4 stranglehold, so it can be
        significant; whether it is substitutable is ST-03's question.
        """
        ceiling = "limited" if kind == "raw-material" else "significant"
        self.declare(StrangleholdBound(bound="ceiling", level=ceiling,
                                       reason=f"reliance is on {kind}", claim="T4"))

    @rule("ST-03", "Substitutable reliance",
          Reliance(field="level", value=at_least(RELIANCE, "low")),
          Reliance(field="substitutable", value=True),
          claims=("T4",), stage=Stage.EVIDENCE,
          concludes=StrangleholdBound(bound="ceiling", level="limited",
                                      reason="the supply is substitutable", claim="T4"))
    def substitutable(self):
        """Caps the stranglehold at limited when the state can replace the supply within years.

        Key strategic technologies are "difficult to remove"; what can be substituted is not a
        matter of life and death (T4).
        """
        self.declare(StrangleholdBound(bound="ceiling", level="limited",
                                       reason="the supply is substitutable", claim="T4"))

    @rule("ST-04", "Technological malposition", Industry(field="position", value="lagging"),
          claims=("T6",), stage=Stage.EVIDENCE,
          concludes=(Malposition(),
                     StrangleholdBound(bound="ceiling", level="limited", claim="T6",
                                       reason="malposition: no cutting-edge capability to grip")))
    def malposition(self):
        """Concludes malposition and caps the stranglehold at limited: there is little to grip.

        "Due to malpositioning, technological strangleholds seem to have limited effects within
        the US-European digital relationship": Europe lacks cutting-edge capability in AI and
        semiconductor fabrication (T6).
        """
        self.declare(Malposition())
        self.declare(StrangleholdBound(bound="ceiling", level="limited",
                                       reason="malposition: no cutting-edge capability to grip",
                                       claim="T6"))

    @rule("ST-05", "A hold over a firm, not the state",
          Industry(field="position", value="niche"),
          Reliance(field="level", value=at_least(RELIANCE, "high")),
          claims=("T6",), stage=Stage.EVIDENCE,
          concludes=(FirmLevelStranglehold(),
                     StrangleholdBound(bound="ceiling", level="limited", claim="T6",
                                       reason="the hold grips a niche firm, not the state")))
    def firm_level(self):
        """Concludes the stranglehold grips a niche firm, not the state, and caps it at limited.

        "Although the USA has a technological stranglehold over ASML, it has a relatively weak
        technological stranglehold over Europe"; the Netherlands bargains bilaterally (T6).
        """
        self.declare(FirmLevelStranglehold())
        self.declare(StrangleholdBound(bound="ceiling", level="limited",
                                       reason="the hold grips a niche firm, not the state",
                                       claim="T6"))

    @rule("ST-06", "A minor industry is no valve over the state",
          Reliance(field="level", value=at_least(RELIANCE, "low")),
          Industry(field="weight", value="low"),
          claims=("T2",), stage=Stage.EVIDENCE,
          concludes=StrangleholdBound(bound="ceiling", level="limited",
                                      reason="the industry weighs little in the economy",
                                      claim="T2"))
    def minor_industry(self):
        """Caps the stranglehold at limited when the industry weighs little in the economy.

        The stranglehold matters because, over industries the ally cannot do without, it "can
        determine their survival and progress" (T2); a minor industry is not that.
        """
        self.declare(StrangleholdBound(bound="ceiling", level="limited",
                                       reason="the industry weighs little in the economy",
                                       claim="T2"))

    @rule("ST-10", "Level of the stranglehold", Question(), claims=("T1", "T2"),
          stage=Stage.CLASSIFY, concludes=Stranglehold())
    def stranglehold_level(self):
        """Concludes the stranglehold: its base, lowered to the tightest ceiling; none without reliance.

        Complex coalitions need a stranglehold (T1); its strength is the valve the leader holds
        over the industry (T2), weakened by what T4 and T6 name.
        """
        bounds = self.gather(StrangleholdBound)
        bases = [STRANGLEHOLD.index(b["level"]) for b in bounds if b["bound"] == "base"]
        ceilings = [STRANGLEHOLD.index(b["level"]) for b in bounds if b["bound"] == "ceiling"]
        level = min([max(bases, default=0)] + ceilings)
        self.declare(Stranglehold(level=STRANGLEHOLD[level]))

    # ---- what the stranglehold does -------------------------------------------------------
    @rule("ST-20", "The carrot of the stranglehold",
          Stranglehold(level=at_least(STRANGLEHOLD, "limited")),
          Industry(field="position", value=one_of("frontier", "niche")),
          claims=("T3",), stage=Stage.MECHANISM, concludes=TechnologicalCarrot())
    def carrot(self):
        """Concludes the leader's technology offers this ally leapfrogging and cutting-edge access.

        The stranglehold "allows a dominant state to provide its allies with opportunities for
        technological leapfrogging or participation in cutting-edge industrial and supply
        chains" (T3) — an offer only a capable industry can take up.
        """
        self.declare(TechnologicalCarrot())

    @rule("ST-21", "The stick of the stranglehold",
          OR(Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
             AND(Pressure(kind="technology_sanctions"),
                 Stranglehold(level=at_least(STRANGLEHOLD, "limited")))),
          NOT(TechnologicalStick()),
          claims=("T3",), stage=Stage.MECHANISM, concludes=TechnologicalStick())
    def stick(self):
        """Concludes the leader holds the power of "making or breaking" the ally's industry.

        "The imposition of sanctions or blockades on allies in key technologies will cause
        their digital industries to suffer serious impacts and even face existential crises"
        (T3), whether the hold is significant or sanctions are threatened outright over
        technology the state relies on (a threat over technology it does not use is no stick).
        """
        self.declare(TechnologicalStick())

    @rule("ST-22", "The stranglehold outweighs the market",
          Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
          InterestSacrifice(level=at_least(SACRIFICE, "moderate")),
          claims=("T5",), stage=Stage.MECHANISM, concludes=StrangleholdOutweighsMarket())
    def outweighs_market(self):
        """Concludes the stranglehold weighs more than the target's market in the ally's choice.

        "The Chinese market is critical for Japanese and South Korean enterprises; however,
        technological strangleholds have a greater impact" (T5).
        """
        self.declare(StrangleholdOutweighsMarket())

    @rule("ST-23", "The stick used on the target's own product",
          CoalitionTrait(field="target_product_cut_off", value=MATCH.cut_off & P(
              lambda v: isinstance(v, int) and not isinstance(v, bool))),
          Question(year=MATCH.year),
          compare(lambda cut_off, year: cut_off <= year, "cut off by the year asked about"),
          claims=("T3",), stage=Stage.EVIDENCE, rank=5, reading="project",
          concludes=TargetProductCutOff())
    def target_product_cut_off(self, cut_off):
        """Concludes the leader has cut the target's own products off by the year asked about.

        The paper's stick is the stranglehold's power over allies: "the imposition of sanctions
        or blockades on allies in key technologies will cause their digital industries to suffer
        serious impacts" (T3). The same power used on the target's firms (the paper's "siege
        attack on Huawei's 5G technology"; in the case files, the US rules of May and August
        2020 on Huawei's chips) leaves their kit in the ally's networks without a secure future.
        Our reading: the paper names the embargo, not this effect of it on allies' choices.
        """
        self.declare(TargetProductCutOff(year=cut_off))

    @rule("ST-30", "Substitution after coercion",
          Verdict(value="conflict"), Pressure(kind="technology_sanctions"),
          Stranglehold(level=one_of("limited")),
          OR(Reliance(field="substitutable", value=True),
             Reliance(field="kind", value="raw-material")),
          NOT(Substitution()),
          claims=("T4", "T7"), stage=Stage.CONSEQUENCE, concludes=Substitution())
    def substitution(self):
        """Concludes a weak hold used in anger will be substituted: the state localises supply.

        When Japan banned hydrogen fluoride exports, South Korea "quickly launched the
        construction of a localised production capacity"; Japan "lost its hydrogen fluoride
        monopoly in the South Korean market" (T4). It follows conflict (T7), not accession.
        """
        self.declare(Substitution())
