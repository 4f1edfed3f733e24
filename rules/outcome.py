"""Outcomes: what compels a demanding coalition, and the form it takes (Liu 2024, *Conclusion*).

Security dependency is insufficient for demanding coalitions (T1): something must compel the
sacrifice. The paper names two things: a significant stranglehold (T2), and, where the
interests at stake are not heavy, the leader's use of the ally's dependence as leverage (S4;
the Huawei bans). Alliances "cannot easily change policies involving complex interests" (S8),
so leverage alone does not compel a heavy sacrifice. Intense dependency with a decisive hold
gives a coercive, stringent coalition (O1); moderate dependency with malposition a looser one
(O2).
"""

from __future__ import annotations


from .base import Stage, at_least, at_most, rule
from .concepts import (
    SACRIFICE,
    SECURITY_DEPENDENCY,
    STRANGLEHOLD,
    CoalitionForm,
    CoalitionTrait,
    Compulsion,
    Industry,
    InterestSacrifice,
    Malposition,
    SecurityDependency,
    SecurityLeverage,
    Stranglehold,
)

COMPLEX = CoalitionTrait(field="demand", value="complex")


class OutcomeRules:
    @rule("OC-01", "The stranglehold compels",
          COMPLEX, Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
          SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate")),
          claims=("T1", "T2"), stage=Stage.MECHANISM)
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
          COMPLEX, SecurityLeverage(), InterestSacrifice(level=at_most(SACRIFICE, "moderate")),
          Industry(field="position"),
          claims=("S4", "S8"), stage=Stage.MECHANISM, rank=-10)
    def leverage_compels(self):
        """Concludes the threatened security cut-off compels compliance when the sacrifice is not heavy.

        Threats to end intelligence sharing moved Germany and the UK on Huawei (S4); but
        alliances "cannot easily change policies involving complex interests" (S8), so the
        lever fails against a heavy sacrifice — and where the coalition names no industry, the
        interests at stake cannot be weighed at all (the AIIB), so it does not compel there.
        """
        self.declare(Compulsion(source="security leverage"))

    @rule("OC-03", "A coercive, stringent coalition",
          COMPLEX, SecurityDependency(level="intense"), Stranglehold(level="decisive"),
          claims=("O1",), stage=Stage.MECHANISM)
    def coercive(self):
        """Concludes the coalition is coercive and stringent for this member (Chip 4 for Japan and Korea).

        "Intense security dependency and dominant technological strangleholds": members join
        even at a large sacrifice (O1).
        """
        self.declare(CoalitionForm(form="coercive and stringent"))

    @rule("OC-04", "A looser coalition",
          COMPLEX, SecurityDependency(level="moderate"), Malposition(),
          claims=("O2",), stage=Stage.MECHANISM)
    def looser(self):
        """Concludes the coalition takes a looser form: less pressure, more concessions (the TTC).

        With moderate dependency and malposition the leader "has made less use of alliance
        pressure and has instead tried to discover the intersection of the two sides' policy
        objectives" (O2).
        """
        self.declare(CoalitionForm(form="looser"))
