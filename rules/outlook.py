"""The coalition's outlook: how firm and how stable it is, and where it is weak (Liu 2024,
*Chip 4…*, *TTC…*, *Conclusion*; Tang 2024).

These rules reason about a whole coalition, not one question. Their evidence is one
``MemberAnswer`` per state (what the question rules concluded for it, with the two pieces of
case-file evidence the outlook reads besides: its tie to the leader and its catch-up
programme) and one ``CoalitionProfile``. They run in their own small engine
(``digital_coalitions.analysis.outlook.OutlookEngine``), after the question rules have answered every
state, and follow the same conventions: per-member conclusions first (stage EVIDENCE), then
the coalition-level classification that weighs them (CLASSIFY), then the coalition's firmness
as a decision list ordered by ``rank`` (CONCEPT).

Firmness follows O1/O2: members held by intense dependency and a decisive stranglehold make a
coercive, stringent coalition; moderate dependency and malposition a looser one. Stability
follows O3 (compensation against sacrifice), erosion O4 (allies' catch-up programmes against
the stranglehold), efficacy of simple coalitions O5, the weakest links O6 (the target's wedge
strategy), the pillar A2, the tiers of political trust A3 and the conflicts of interest A4.
"""

from __future__ import annotations

from digital_coalitions.compat import experta

from .base import Stage, at_least, at_most, level_of, not_one_of, one_of, rule
from .concepts import COMPENSATION, SACRIFICE, SECURITY_DEPENDENCY, STRANGLEHOLD

Fact = experta.Fact
MATCH, NOT, OR, EXISTS = experta.MATCH, experta.NOT, experta.OR, experta.EXISTS

STAYING_OUT = ("resists", "declines", "conflict")
TREATY = ("bilateral-treaty", "collective-defence")
ELEMENTS = {
    "infrastructure": "key technological infrastructure (undersea cables, grids, telecom networks "
                      "and the security rules for them)",
    "supply-chain": "technology supply-chain systems",
    "ecosystem": "technology ecosystems (standards and values)",
}
RISK_BANDS = ((0, "low"), (1, "moderate"), (2, "high"))
DEPTH_BANDS = ((0, "none"), (1, "some"), (3, "pervasive"))


# ---- evidence: the members' answers and the coalition's traits ---------------------------------
class MemberAnswer(Fact):
    """One state's answer from the question rules, as a member (``role`` member) or candidate.

    Fields: state, name, role, verdict, likelihood, step (the ICD 203 step), security_dependency,
    stranglehold, malposition, interest_sacrifice, compensation, autonomy_pressure,
    coalition_form, compulsion; and from its case file: alliance (its tie to the leader) and
    catch_up (a national programme against the reliance in the coalition's domain).
    """


class CoalitionProfile(Fact):
    """The coalition's traits: demand, framing, status, pillar, domain, target, the leader's offers."""


# ---- derived, per member -----------------------------------------------------------------------
class CompensationShortfall(Fact):
    """The leader's compensation falls far short of this member's sacrifice (O3)."""


class CompensatedSacrifice(Fact):
    """A heavy sacrifice this member bears only because the leader compensates it (O3, C2)."""


class CatchUpProgramme(Fact):
    """A member invests to weaken the stranglehold that holds it (O4: Rapidus, the K-semiconductor belt)."""


class PartnerTier(Fact):
    """A state's tier in the unequal "food chain" of political trust (A3)."""


class ConflictOfInterest(Fact):
    """A conflict of interest between the leader and a member (A4)."""


class WeakLink(Fact):
    """A reason a target's wedge strategy could pry this member away from the leader (O6)."""


# ---- derived, the coalition --------------------------------------------------------------------
class CoalitionFirmness(Fact):
    """How firmly the coalition holds its members: coercive and stringent (O1), looser (O2), ..."""


class DestabilisationRisk(Fact):
    """The risk that the coalition destabilises as compensation falls short of sacrifice (O3)."""


class ErosionRisk(Fact):
    """The risk that allies' catch-up programmes erode the stranglehold the coalition rests on (O4)."""


class StructuralPillar(Fact):
    """The element of structural technological power the coalition builds (A2)."""


class LimitOnDepth(Fact):
    """How far conflicts of interest limit how deep and stable the coalition gets (A4)."""


class SimpleCoalitionEfficacy(Fact):
    """The efficacy of a simple coalition: the leader's ideological edge and joint action (O5)."""


class WedgeTargets(Fact):
    """The weakest links, most exposed first, that a target's wedge strategy would aim at (O6)."""


MEMBER = "member"
WITH_TARGET = not_one_of(None)
# a coalition its file marks defunct holds no one (OL-75): it has no stability, erosion, depth
# or weak links left to read, only what it was
LAPSED = ("defunct",)
HOLDING = not_one_of(*LAPSED)


class OutlookRules:
    # ---- stability: compensation against sacrifice (O3) ----------------------------------
    @rule("OL-01", "Compensation falls far short of a heavy sacrifice",
          MemberAnswer(role=MEMBER, state=MATCH.state, interest_sacrifice="heavy",
                       compensation=MATCH.compensation & at_most(COMPENSATION, "partial")),
          claims=("O3", "C1", "C2"), stage=Stage.EVIDENCE,
          concludes=CompensationShortfall(sacrifice="heavy"))
    def heavy_shortfall(self, state, compensation):
        """Concludes the leader's compensation falls far short of a member's heavy sacrifice.

        "Once the US substitutionary temptation falls far short of compensating for the
        sacrifice of allies' interests, the coalition will face the risk of destabilisation"
        (O3); a heavy sacrifice (C1) met by no more than one kind of offer (C2) is that gap.
        """
        self.declare(CompensationShortfall(state=state, sacrifice="heavy",
                                           compensation=compensation))

    @rule("OL-02", "A moderate sacrifice goes uncompensated",
          MemberAnswer(role=MEMBER, state=MATCH.state, interest_sacrifice="moderate",
                       compensation="none"),
          claims=("O3", "C1"), stage=Stage.EVIDENCE,
          concludes=CompensationShortfall(sacrifice="moderate", compensation="none"))
    def moderate_shortfall(self, state):
        """Concludes a member's moderate sacrifice goes without any compensation.

        Joining costs the member market share and export profit (C1); with nothing offered in
        return, the gap the paper warns of (O3) opens even where the sacrifice is not heavy.
        """
        self.declare(CompensationShortfall(state=state, sacrifice="moderate", compensation="none"))

    @rule("OL-03", "A heavy sacrifice held by compensation",
          MemberAnswer(role=MEMBER, state=MATCH.state, interest_sacrifice="heavy",
                       compensation="substantial"),
          claims=("O3", "C2"), stage=Stage.EVIDENCE, concludes=CompensatedSacrifice())
    def compensated_sacrifice(self, state):
        """Concludes a member bears a heavy sacrifice only as long as the leader keeps compensating.

        South Korea was "the most reluctant to join" Chip 4 and joined after Japan, with
        compensation (O1, C2): "in exchange, the USA pledged to provide security guarantees based
        on extended deterrence", and exempted the equipment for its China fabs. If the
        compensation lapses, the gap of O3 opens; the coalition's stability rests on it.
        """
        self.declare(CompensatedSacrifice(state=state))

    @rule("OL-10", "Risk of destabilisation",
          CoalitionProfile(demand="complex", status=HOLDING), EXISTS(MemberAnswer(role=MEMBER)),
          claims=("O3",), stage=Stage.CLASSIFY, concludes=DestabilisationRisk())
    def destabilisation_risk(self):
        """Concludes the risk of destabilisation: high with two shortfalls, moderate with one or a held sacrifice.

        "Subsidies in the domestic semiconductor industry erode trust and solidarity among
        coalition members and reduce the cohesion of the digital coalition", and European
        companies "face unfair market competition owing to asynchronous penalties"; where
        compensation falls far short of the allies' sacrifice "the coalition will face the risk of
        destabilisation" (O3). A sacrifice held only by compensation is a risk in waiting. A
        coalition with no members yet (OL-71) has no one's sacrifice to weigh: no risk is read.
        """
        shortfalls = sorted(f["state"] for f in self.gather(CompensationShortfall))
        held = sorted(f["state"] for f in self.gather(CompensatedSacrifice))
        score = 2 if len(shortfalls) >= 2 else 1 if (shortfalls or held) else 0
        self.declare(DestabilisationRisk(level=level_of(score, RISK_BANDS),
                                         shortfalls=tuple(shortfalls), held=tuple(held)))

    @rule("OL-11", "A declaratory coalition asks no sacrifice to compensate",
          CoalitionProfile(demand="simple", status=HOLDING),
          claims=("O3", "D3"), stage=Stage.CLASSIFY, concludes=DestabilisationRisk(level="low"))
    def no_destabilisation(self):
        """Concludes a simple coalition runs no risk of destabilisation from uncompensated sacrifice.

        Simple coalitions centre on conceptions and governance initiatives and ask no market
        sacrifice (D3), so the gap between compensation and sacrifice (O3) cannot open.
        """
        self.declare(DestabilisationRisk(level="low", shortfalls=(), held=()))

    # ---- erosion: allies' catch-up programmes (O4) -----------------------------------------
    @rule("OL-20", "A member invests to weaken the stranglehold",
          MemberAnswer(role=MEMBER, state=MATCH.state, catch_up=True,
                       stranglehold=MATCH.stranglehold & at_least(STRANGLEHOLD, "limited")),
          claims=("O4", "T2"), stage=Stage.EVIDENCE, concludes=CatchUpProgramme())
    def catch_up(self, state, stranglehold):
        """Concludes a member runs a catch-up programme against the leader's stranglehold over it.

        "Japan is planning to emasculate the USA's technological stranglehold" (Rapidus); South
        Korea's $220 billion cluster aims "to weaken the constraints of the USA's technological
        stranglehold" (O4).
        """
        self.declare(CatchUpProgramme(state=state, stranglehold=stranglehold))

    @rule("OL-21", "Risk of erosion",
          CoalitionProfile(domain=not_one_of(None), status=HOLDING), EXISTS(MemberAnswer(role=MEMBER)),
          claims=("O4",), stage=Stage.CLASSIFY, concludes=ErosionRisk())
    def erosion_risk(self):
        """Concludes the risk of erosion: moderate with one member catching up, high with two or more.

        "The loss of US technological superiority (either to China or its allies) may lead to
        the collapse of digital coalitions or they may be transformed into non-confrontational
        cooperative mechanisms" (O4); each ally's catch-up programme is a step towards it. A
        coalition with no members yet (OL-71) has no ally's programme to weigh: no risk is read.
        """
        members = sorted(f["state"] for f in self.gather(CatchUpProgramme))
        self.declare(ErosionRisk(level=level_of(len(members), RISK_BANDS), members=tuple(members)))

    @rule("OL-22", "No technology domain to erode",
          CoalitionProfile(domain=None, status=HOLDING),
          claims=("O4",), stage=Stage.CLASSIFY, concludes=ErosionRisk(level="low"))
    def no_erosion(self):
        """Concludes a coalition with no technology domain rests on no stranglehold that could erode.

        Erosion is the loss of the leader's technological superiority in a domain (O4); a
        domain-free coalition does not rest on one.
        """
        self.declare(ErosionRisk(level="low", members=()))

    # ---- the pillar (A2) -------------------------------------------------------------------
    @rule("OL-30", "An element of structural technological power",
          CoalitionProfile(pillar=MATCH.pillar & one_of(*ELEMENTS)),
          claims=("A2", "A1"), stage=Stage.CLASSIFY, concludes=StructuralPillar())
    def pillar(self, pillar):
        """Concludes which element of structural technological power the coalition builds.

        "The elements that determine structural technological power include key technological
        infrastructure, technological supply chain systems and technological ecosystems" (A2),
        the focus of the "multipolar technology alliance" (A1).
        """
        self.declare(StructuralPillar(pillar=pillar, element=ELEMENTS[pillar]))

    # ---- tiers of political trust (A3) -------------------------------------------------------
    @rule("OL-31", "A traditional ally",
          MemberAnswer(state=MATCH.state, role=MATCH.role, alliance=one_of(*TREATY)),
          claims=("A3", "S6"), stage=Stage.EVIDENCE,
          concludes=PartnerTier(tier="traditional ally", rank=1))
    def traditional_ally(self, state, role):
        """Concludes a state with a treaty alliance is in the top tier, a traditional ally.

        The strategy is "to unite traditional allies, rope in nontraditional allies, and draw in
        emerging market countries"; the framework "is based on different political trust
        levels", an unequal "food chain" (A3). Treaty allies are the coalitions' base (S6).
        """
        self.declare(PartnerTier(state=state, role=role, tier="traditional ally", rank=1))

    @rule("OL-32", "A non-traditional ally",
          MemberAnswer(state=MATCH.state, role=MATCH.role,
                       alliance=one_of("major-non-treaty-ally", "partner")),
          claims=("A3",), stage=Stage.EVIDENCE,
          concludes=PartnerTier(tier="non-traditional ally", rank=2))
    def non_traditional_ally(self, state, role):
        """Concludes a state tied to the leader without a treaty is a non-traditional ally.

        The leader seeks to "rope in nontraditional allies" at a lower level of political trust
        than its treaty allies (A3).
        """
        self.declare(PartnerTier(state=state, role=role, tier="non-traditional ally", rank=2))

    @rule("OL-33", "An emerging-market partner",
          MemberAnswer(state=MATCH.state, role=MATCH.role, alliance="none"),
          claims=("A3",), stage=Stage.EVIDENCE,
          concludes=PartnerTier(tier="emerging-market partner", rank=3))
    def emerging_partner(self, state, role):
        """Concludes a state with no security tie to the leader is drawn in as an emerging-market partner.

        The bottom of the "food chain": states the leader draws in without alliance trust (A3).
        """
        self.declare(PartnerTier(state=state, role=role, tier="emerging-market partner", rank=3))

    # ---- conflicts of interest (A4) ---------------------------------------------------------
    @rule("OL-40", "An economic-security dilemma",
          MemberAnswer(role=MEMBER, state=MATCH.state,
                       security_dependency=at_least(SECURITY_DEPENDENCY, "high"),
                       interest_sacrifice=at_least(SACRIFICE, "moderate")),
          claims=("A4", "C1", "S1"), stage=Stage.EVIDENCE,
          concludes=ConflictOfInterest(kind="economic-security dilemma",
                                       reason="it depends on the leader for security and on "
                                              "the target's market for its industry"))
    def economic_security_dilemma(self, state):
        """Concludes a member faces an economic-security dilemma: its security with the leader, its market with the target.

        "The US and its allies have a conflict of interests in many areas, such as cross-border
        data flow asymmetry, digital market subsidies competition and economic security
        dilemmas" (A4); a deeply dependent member (S1) that sacrifices in the target's market
        (C1) lives that dilemma.
        """
        self.declare(ConflictOfInterest(state=state, kind="economic-security dilemma",
                                        reason="it depends on the leader for security and on "
                                               "the target's market for its industry"))

    @rule("OL-41", "Subsidy competition",
          CoalitionProfile(subsidies=True),
          MemberAnswer(role=MEMBER, state=MATCH.state, catch_up=True),
          claims=("A4", "O3"), stage=Stage.EVIDENCE,
          concludes=ConflictOfInterest(kind="subsidy competition",
                                       reason="its own catch-up programme competes with the "
                                              "leader's subsidies"))
    def subsidy_competition(self, state):
        """Concludes the leader's subsidies and a member's own programme compete for the same industry.

        "Digital market subsidies competition" is a conflict of interest (A4); the "worldwide
        chip subsidy race" erodes trust and cohesion (O3).
        """
        self.declare(ConflictOfInterest(state=state, kind="subsidy competition",
                                        reason="its own catch-up programme competes with the "
                                               "leader's subsidies"))

    @rule("OL-42", "Divergent interests and norms",
          MemberAnswer(role=MEMBER, state=MATCH.state, autonomy_pressure="high"),
          claims=("A4", "C3"), stage=Stage.EVIDENCE,
          concludes=ConflictOfInterest(kind="divergent interests and norms",
                                       reason="its strategic autonomy puts its own interests "
                                              "and norms first"))
    def divergent_interests(self, state):
        """Concludes an autonomous member's own interests and norms diverge from the leader's agenda.

        France and Italy "do not explicitly support the TTC's anti-China inclinations" (C3):
        conflicts of interest of this kind "severely restricted the depth and stability of
        transatlantic digital connectivity" (A4).
        """
        self.declare(ConflictOfInterest(state=state, kind="divergent interests and norms",
                                        reason="its strategic autonomy puts its own interests "
                                               "and norms first"))

    @rule("OL-45", "Conflicts of interest limit depth", CoalitionProfile(status=HOLDING),
          EXISTS(MemberAnswer(role=MEMBER)),
          claims=("A4",), stage=Stage.CLASSIFY, concludes=LimitOnDepth())
    def limit_on_depth(self):
        """Concludes how far conflicts of interest limit the coalition: none, some (1-2), pervasive (3+).

        Conflicts of interest "have severely restricted the depth and stability" of the
        leader's coalitions with its allies (A4). A coalition with no members yet (OL-71) has
        no allies' interests to set against the leader's: nothing is read.
        """
        conflicts = self.gather(ConflictOfInterest)
        self.declare(LimitOnDepth(level=level_of(len(conflicts), DEPTH_BANDS),
                                  count=len(conflicts),
                                  states=tuple(sorted({f["state"] for f in conflicts}))))

    # ---- efficacy of simple coalitions (O5) --------------------------------------------------
    @rule("OL-50", "An ideological edge with joint action",
          CoalitionProfile(demand="simple", framing="confrontational", status="active"),
          claims=("O5",), stage=Stage.CLASSIFY,
          concludes=SimpleCoalitionEfficacy(
              level="higher", reason="a confrontational framing in an active coalition"))
    def simple_efficacy(self):
        """Concludes a simple coalition has an edge while the leader leans into ideological confrontation.

        "The efficacy and vitality of such coalitions hinge on the US inclination toward
        ideological confrontation and the intensity of substantive joint actions" (O5): a
        confrontational framing in an active coalition is both.
        """
        self.declare(SimpleCoalitionEfficacy(level="higher",
                                             reason="a confrontational framing in an active "
                                                    "coalition"))

    @rule("OL-51", "A softened or stalled declaration",
          CoalitionProfile(demand="simple"),
          OR(CoalitionProfile(framing="softened"),
             CoalitionProfile(status=one_of("proposed", "downgraded", "defunct"))),
          NOT(SimpleCoalitionEfficacy()),
          claims=("O5", "C3"), stage=Stage.CLASSIFY,
          concludes=SimpleCoalitionEfficacy(level="limited",
                                            reason="a softened framing or a stalled initiative"))
    def simple_efficacy_limited(self):
        """Concludes a simple coalition has limited efficacy when softened, stalled or downgraded.

        Efficacy hinges on the leader's ideological edge and substantive joint action (O5); a
        softened framing or a downgraded initiative (the Alliance for the Future of the
        Internet became a Declaration, C3) has neither.
        """
        self.declare(SimpleCoalitionEfficacy(level="limited",
                                             reason="a softened framing or a stalled initiative"))

    # ---- the weakest links (O6) ------------------------------------------------------------
    @rule("OL-60", "A reluctant or half-hearted member",
          MemberAnswer(role=MEMBER, state=MATCH.state,
                       verdict=MATCH.verdict & not_one_of("joins")),
          claims=("O6", "C1", "C3"), stage=Stage.EVIDENCE, concludes=WeakLink())
    def reluctant_member(self, state, verdict):
        """Concludes a member that joins only reluctantly, loosely or not at all is a weak link.

        Among the target's counter-options is "implementing a wedge strategy against US allies"
        (O6); a member that resisted (C1) or keeps its autonomy (C3) is where a wedge bites.
        """
        self.declare(WeakLink(state=state, reason=f"the rules say it {verdict.replace('-', ' ')}"))

    @rule("OL-61", "A member exposed to the target's market",
          CoalitionProfile(target=WITH_TARGET),
          MemberAnswer(role=MEMBER, state=MATCH.state,
                       interest_sacrifice=at_least(SACRIFICE, "moderate")),
          claims=("O6", "C1"), stage=Stage.EVIDENCE,
          concludes=WeakLink(reason="much at stake in the target's market"))
    def exposed_member(self, state):
        """Concludes a member with much at stake in the target's market is a weak link.

        The target can offer or withhold its market: South Korea feared China's retaliation
        (C1), which is the lever of a wedge strategy (O6).
        """
        self.declare(WeakLink(state=state, reason="much at stake in the target's market"))

    @rule("OL-62", "A member loosely tied to the leader",
          MemberAnswer(role=MEMBER, state=MATCH.state,
                       security_dependency=at_most(SECURITY_DEPENDENCY, "low")),
          claims=("O6", "S1"), stage=Stage.EVIDENCE,
          concludes=WeakLink(reason="little security dependency on the leader"))
    def loosely_tied(self, state):
        """Concludes a member with little security dependency on the leader is a weak link.

        Dependency decides how willing an ally is to answer the leader's call (S1); where it is
        low, a wedge strategy (O6) meets little resistance.
        """
        self.declare(WeakLink(state=state, reason="little security dependency on the leader"))

    @rule("OL-65", "Where a wedge would be driven",
          CoalitionProfile(target=WITH_TARGET, status=HOLDING), EXISTS(MemberAnswer(role=MEMBER)),
          claims=("O6",), stage=Stage.CLASSIFY, concludes=WedgeTargets())
    def wedge_targets(self):
        """Concludes the members a target's wedge strategy would aim at, least likely to hold first.

        China's counter-options include "a wedge strategy against US allies" (O6); it would aim
        where the members' own answers are weakest: lowest likelihood first, then most reasons.
        A coalition with no members yet (OL-71) has none to drive a wedge between.
        """
        reasons: dict[str, list[str]] = {}
        for link in self.gather(WeakLink):
            reasons.setdefault(link["state"], []).append(link["reason"])
        steps = {m["state"]: m["step"] for m in self.gather(MemberAnswer)}
        ordered = sorted(reasons, key=lambda s: (steps.get(s, 0), -len(reasons[s]), s))
        self.declare(WedgeTargets(states=tuple(ordered),
                                  reasons=tuple(tuple(reasons[s]) for s in ordered)))

    # ---- firmness (O1, O2): a decision list, by rank -----------------------------------------
    @rule("OL-75", "A coalition its file marks defunct",
          CoalitionProfile(status=MATCH.status & one_of(*LAPSED)),
          NOT(CoalitionFirmness()), claims=("D2",), stage=Stage.CONCEPT, rank=60,
          concludes=CoalitionFirmness(form=None))
    def lapsed(self, status):
        """Concludes the coalition holds no one: its file marks it defunct.

        A coalition is an institutionalised vehicle with routine collective action (D2); once
        its file marks it defunct it has neither, whatever its members once did. Ranked first,
        so that a defunct coalition's listed members do not make it "firm by consent". (A
        downgraded one may go on in a lesser form, as IPEF's trade talks did: it is read as it
        stands.)
        """
        self.declare(CoalitionFirmness(level=status, form=None))

    @rule("OL-70", "Members the rules say would stay out",
          MemberAnswer(role=MEMBER, verdict=one_of(*STAYING_OUT)), NOT(CoalitionFirmness()),
          claims=("C3", "S8", "T7"), stage=Stage.CONCEPT, rank=50,
          concludes=CoalitionFirmness(level="contested", form=None))
    def contested(self):
        """Concludes the coalition is contested: the rules say some of its own members would stay out.

        Allies weigh their own interests: autonomy downgrades initiatives (C3), alliances
        cannot force policy where complex interests are at stake (S8), and coercion without
        dependency brings conflict (T7).
        """
        self.declare(CoalitionFirmness(level="contested", form=None))

    @rule("OL-71", "No members yet", CoalitionProfile(), NOT(MemberAnswer(role=MEMBER)),
          NOT(CoalitionFirmness()), claims=("D2", "S6"), stage=Stage.CONCEPT, rank=40,
          concludes=CoalitionFirmness(level="unformed", form=None))
    def unformed(self):
        """Concludes the coalition has no members to hold: it is a proposal, not yet a coalition.

        A coalition needs routine collective action by its member states (D2); they start as
        "small clubs" of traditional allies (S6).
        """
        self.declare(CoalitionFirmness(level="unformed", form=None))

    @rule("OL-72", "A coercive, stringent coalition",
          CoalitionProfile(demand="complex"),
          MemberAnswer(role=MEMBER, coalition_form="coercive and stringent"),
          NOT(MemberAnswer(role=MEMBER, verdict=not_one_of("joins", "joins-reluctantly"))),
          NOT(CoalitionFirmness()), claims=("O1",), stage=Stage.CONCEPT, rank=30,
          concludes=CoalitionFirmness(level="firm", form="coercive and stringent"))
    def coercive(self):
        """Concludes the coalition is firm, coercive and stringent: its members join even at a sacrifice.

        "Chip 4 is a more coercive and stringent digital coalition": intense dependency and a
        decisive stranglehold hold members who join "even in the face of significant
        sacrifices of interest" (O1).
        """
        self.declare(CoalitionFirmness(level="firm", form="coercive and stringent"))

    @rule("OL-73", "A looser coalition",
          CoalitionProfile(demand="complex"),
          OR(MemberAnswer(role=MEMBER, verdict="joins-loosely"),
             MemberAnswer(role=MEMBER, coalition_form="looser")),
          NOT(CoalitionFirmness()), claims=("O2",), stage=Stage.CONCEPT, rank=20,
          concludes=CoalitionFirmness(level="loose", form="looser"))
    def looser(self):
        """Concludes the coalition is looser: members keep their autonomy and bargain for concessions.

        "TTC is looser": with moderate dependency and malposition the leader "has made less
        use of alliance pressure and has instead tried to discover the intersection of the two
        sides' policy objectives" (O2).
        """
        self.declare(CoalitionFirmness(level="loose", form="looser"))

    @rule("OL-74", "Members join of their own accord",
          CoalitionProfile(demand=MATCH.demand), NOT(CoalitionFirmness()),
          claims=("S1", "S5"), stage=Stage.CONCEPT, rank=10,
          concludes=CoalitionFirmness(level="firm"))
    def consenting(self, demand):
        """Concludes the coalition is firm by consent: its members join without being coerced.

        Security dependency decides how willing allies are to answer the leader's call (S1);
        for a simple coalition it can suffice (S5).
        """
        self.declare(CoalitionFirmness(level="firm", form="by consent" if demand == "complex"
                                       else "declaratory"))


OUTLOOK_RULE_MIXINS = (OutlookRules,)
