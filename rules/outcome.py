"""Outcomes: what compels a demanding coalition, and the form it takes (Liu 2024, *Conclusion*).

Security dependency is insufficient for demanding coalitions (T1), because they may demand
market and trade sacrifices (D3, T2): something must compel the sacrifice. The paper names two
things: a significant stranglehold (T2), and, where the interests at stake are not heavy, the
leader's use of the ally's dependence as leverage (S4; the Huawei bans). Alliances "cannot easily
change policies involving complex interests" (S8), so leverage alone does not compel a heavy
sacrifice. Where the demand costs the ally little, nothing needs compelling: dependent allies
"largely accept the USA's security narrative … and follow its mobilisation" (S1, S2). Intense
dependency with a decisive hold gives a coercive, stringent coalition (O1); dependency with
malposition a looser one (O2).
"""

from __future__ import annotations

from .base import Stage, at_least, at_most, not_one_of, rule
from .concepts import (
    SACRIFICE,
    SECURITY_DEPENDENCY,
    STRANGLEHOLD,
    CoalitionForm,
    CoalitionTrait,
    Compulsion,
    InterestSacrifice,
    LittleToSacrifice,
    Malposition,
    NarrativeReceptiveness,
    SecurityDependency,
    SecurityLeverage,
    Stranglehold,
    ThreatFromTarget,
)

COMPLEX = CoalitionTrait(field="demand", value="complex")
DEPENDENT = SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate"))


class OutcomeRules:
    @rule("OC-01", "The stranglehold compels",
          COMPLEX, Stranglehold(level=at_least(STRANGLEHOLD, "significant")), DEPENDENT,
          claims=("T1", "T2"), stage=Stage.MECHANISM, concludes=Compulsion(source="stranglehold"))
    def stranglehold_compels(self):
        """Concludes a significant stranglehold compels a dependent ally to accept the sacrifice.

        "In a digital relationship where there is a significant technological stranglehold,
        even in the face of potential costs and losses, members are forced to make market and
        trade sacrifices and join the digital coalition" (T2); dependency alone is not enough
        (T1), and the hold alone is not either: complex coalitions rely on the stranglehold "in
        addition to the need for an alliance-based security attachment", so a weakly dependent
        partner is coerced, not compelled to join.
        """
        self.declare(Compulsion(source="stranglehold"))

    @rule("OC-02", "Security leverage compels where little is at stake",
          COMPLEX, SecurityLeverage(), InterestSacrifice(level=at_most(SACRIFICE, "low")),
          NarrativeReceptiveness(level=not_one_of("unreceptive")),
          claims=("S4", "S8", "S1"), stage=Stage.MECHANISM, rank=-10, reading="project",
          concludes=Compulsion(source="security leverage"))
    def leverage_compels(self):
        """Concludes the threatened security cut-off compels compliance when little is at stake.

        Threats to end intelligence sharing moved the UK on Huawei once the ban had become cheap
        (S4); but alliances "cannot easily change policies involving complex interests" (S8):
        Germany, with most of its radio network from Chinese vendors, resisted the same threat.
        The lever fails where the sacrifice is real (moderate or heavy), and, in our reading,
        with an ally that rejects the narrative: dependency makes an ally "willing … to respond
        to the dominant state's digital security narratives and mobilisation" (S1), and an ally
        whose files record neither the threat nor the values (the UAE and Turkey over Huawei)
        is not moved by the threat. The paper has leverage work by force ("force the vulnerable
        party to change its policies"); the narrative gate is ours.
        """
        self.declare(Compulsion(source="security leverage"))

    @rule("OC-03", "A coercive, stringent coalition",
          COMPLEX, SecurityDependency(level="intense"), Stranglehold(level="decisive"),
          claims=("O1",), stage=Stage.MECHANISM,
          concludes=CoalitionForm(form="coercive and stringent"))
    def coercive(self):
        """Concludes the coalition is coercive and stringent for this member (Chip 4 for Japan and Korea).

        "Intense security dependency and dominant technological strangleholds": members join
        even at a large sacrifice (O1).
        """
        self.declare(CoalitionForm(form="coercive and stringent"))

    @rule("OC-04", "A looser coalition", COMPLEX, DEPENDENT, Malposition(),
          claims=("O2",), stage=Stage.MECHANISM, concludes=CoalitionForm(form="looser"))
    def looser(self):
        """Concludes the coalition takes a looser form: less pressure, more concessions (the TTC).

        With moderate dependency and malposition the leader "has made less use of alliance
        pressure and has instead tried to discover the intersection of the two sides' policy
        objectives" (O2). A deeper dependency does not make the form less loose where there is
        still nothing to grip, so it holds from moderate dependency up.
        """
        self.declare(CoalitionForm(form="looser"))

    @rule("OC-05", "Little to sacrifice",
          COMPLEX, InterestSacrifice(level=at_most(SACRIFICE, "low")),
          claims=("T1", "T2", "D3"), stage=Stage.MECHANISM, reading="project",
          concludes=LittleToSacrifice(because="the sacrifice is low"))
    def little_to_sacrifice(self):
        """Concludes the demand costs the ally little: no market and trade sacrifice is at stake.

        T1 asks for a stranglehold because demanding coalitions may demand market and trade
        sacrifices (D3), which members make only when "forced" (T2). Where the demand asks none
        (share intelligence, ban a vendor the state barely uses), T1's reason falls away, and
        dependency carries the ally as it does for a simple coalition. Our reading of T1's scope.
        """
        self.declare(LittleToSacrifice(because="the sacrifice is low"))

    @rule("OC-06", "A cost borne against the target's own threat",
          COMPLEX, InterestSacrifice(level="moderate"), ThreatFromTarget(),
          claims=("S3", "S7", "T1"), stage=Stage.MECHANISM, reading="project",
          concludes=LittleToSacrifice(because="a moderate cost, borne against the threat the "
                                      "target itself poses"))
    def cost_against_the_threat(self):
        """Concludes a moderate cost is little to an ally the leader protects against the target itself.

        Allies "automatically extend the value of security cooperation and the sense of being
        protected … to the digital realm" (S3), and threat perception is the coalition's
        foundation (S7): where the coalition is aimed at the very state the ally is protected
        against, a moderate sacrifice is part of its own defence. Our reading of S3 with S7.
        """
        self.declare(LittleToSacrifice(because="a moderate cost, borne against the threat the "
                                               "target itself poses"))
