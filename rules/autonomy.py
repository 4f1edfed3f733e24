"""Mechanism 3b: autonomy and domestic politics (Liu 2024, *Security Dependency…*, *Chip 4…*, *TTC…*).

Allies weigh their own security concerns, norms and interests; strategic autonomy can
downgrade an initiative (the EU turned the Alliance for the Future of the Internet into a
Declaration) and keeps France and Italy from backing the TTC's anti-China edge (C3). The
sitting government sets the pace of accession but does not decide it (C4).
"""

from __future__ import annotations

from digital_coalitions.compat import experta

from .base import Stage, rule
from .concepts import (
    Autonomy,
    AutonomyPressure,
    CoalitionTrait,
    GovernmentPace,
    ObjectionToContent,
    ObjectionToFraming,
)

MATCH = experta.MATCH

PACE = {"pro-leader": "accelerates", "neutral": "steady", "autonomist": "slows"}


class AutonomyRules:
    @rule("AU-01", "Strategic autonomy", Autonomy(field="strategic_autonomy", value=MATCH.level),
          claims=("C3",), stage=Stage.CONCEPT, concludes=AutonomyPressure())
    def autonomy_pressure(self, level):
        """Concludes how hard the ally's strategic autonomy pulls against the coalition's demands.

        Strategic autonomy "signifies the maintenance of internal unity, holistic interests,
        and international status"; allies weigh their own concerns and norms (C3).
        """
        self.declare(AutonomyPressure(level=level))

    @rule("AU-02", "Objection to dividing the world into camps",
          AutonomyPressure(level="high"), CoalitionTrait(field="framing", value="confrontational"),
          claims=("C3",), stage=Stage.MECHANISM, concludes=ObjectionToFraming())
    def objection(self):
        """Concludes an autonomous ally objects to the coalition's confrontational framing.

        "The EU objected to the idea of dividing the Internet into different camps and the US
        initiative was eventually downgraded" (C3).
        """
        self.declare(ObjectionToFraming())

    @rule("AU-04", "Objection to what members commit to",
          Autonomy(field="objects_to", value=MATCH.commitment),
          CoalitionTrait(field="commitments", value=MATCH.commitment),
          claims=("C3", "D3"), stage=Stage.MECHANISM, concludes=ObjectionToContent())
    def objects_to_content(self, commitment):
        """Concludes the ally objects to what the coalition asks its members to commit to.

        Allies have "their own security concerns, normative cognitions … understanding of
        relevant agendas" (C3); a declaration is its content (D3), so a state that has refused a
        commitment on the record (data localisation against free data flows, Internet shutdowns)
        objects to a text that demands it, whatever its security ties.
        """
        self.declare(ObjectionToContent(commitment=commitment))

    @rule("AU-03", "The government sets the pace",
          Autonomy(field="government_alignment", value=MATCH.stance),
          claims=("C4",), stage=Stage.CONCEPT, concludes=GovernmentPace())
    def government_pace(self, stance):
        """Concludes whether the sitting government accelerates or slows accession.

        "Yoon Suk Yeol's pro-US policy accelerated South Korea's accession … although this was
        not a decisive factor"; both Moon and Yoon resisted first (C4). So it moves the pace
        (readily or reluctantly) and the likelihood, never whether the state joins.
        """
        self.declare(GovernmentPace(pace=PACE[stance], stance=stance))
