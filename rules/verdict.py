"""The verdict: one decision table over the paper's concepts, read top to bottom.

``DECISION_TABLE`` is the whole verdict layer. Each row is a branch: the concepts it needs, the
verdict it concludes, the claims behind it, and whether it is the paper's claim or this
project's reading of it. The first row whose conditions hold decides; precedence is the order of
the rows and nothing else (each becomes an experta rule whose salience is its row, and every
verdict rule needs that no verdict exists yet). The table reads as the paper's argument:

1. no security basis at all: coercion brings conflict (T7), otherwise the state stays out (S1, S6);
2. objections, of a state nothing compels: our readings first, that a state fearing the target
   keeps its vendors out on its own (C3, S7) and an objecting ally that shares the threat does
   so through an instrument of its own (C3, the 5G toolbox); then the paper's, an autonomous
   ally's objection to the framing (C3) and one to what members commit to (C3);
3. simple coalitions: dependency suffices (S5); shared outlook or high shared values carry a
   weakly dependent state, and a weak partner joins the supply-chain element (S7, A2, A3, our
   readings); otherwise it stays out (S1);
4. demanding coalitions that cost the ally little: dependency carries it (S1, S2, our reading of
   T1's scope), after the paper's own forms (see 5);
5. demanding coalitions that cost it: something must compel the sacrifice (T1). First the
   paper's own forms: a heavy sacrifice held out against while compensation falls far short
   (C2, O3), bilateral bargaining over a firm (T6), the looser form (O2), ready accession under
   the stranglehold (O1); then our reading that a costless demand needs no compulsion (S1, S2);
   then accession at a sacrifice under the stranglehold or leverage (T2, S4); then, for a vendor
   exclusion, our readings of the 5G passages: an ally sharing the threat bears a moderate cost
   loosely, and one restricts a vendor the leader has cut off (S1, S7, T3); then resistance
   under pressure (S4, S8), or staying out (T1, S8).

``docs/verdicts.md`` is generated from this table (`coalition rules verdicts`).
"""

from __future__ import annotations

from digital_coalitions.compat import experta
from digital_coalitions.record import FrozenRecord

from .base import Stage, at_least, at_most, not_one_of, one_of, rule
from .concepts import (
    COMPENSATION,
    SACRIFICE,
    SECURITY_DEPENDENCY,
    STRANGLEHOLD,
    AutonomyPressure,
    CoalitionForm,
    CoalitionTrait,
    Compensation,
    Compulsion,
    FirmLevelStranglehold,
    GovernmentPace,
    InterestSacrifice,
    LittleToSacrifice,
    NarrativeReceptiveness,
    ObjectionToContent,
    ObjectionToFraming,
    Pressure,
    Question,
    SecurityDependency,
    SecurityLeverage,
    Stranglehold,
    TargetProductCutOff,
    ThreatFromTarget,
    Verdict,
)

AND, NOT, OR = experta.AND, experta.NOT, experta.OR
SIMPLE = CoalitionTrait(field="demand", value="simple")
COMPLEX = CoalitionTrait(field="demand", value="complex")
NO_DEPENDENCY = SecurityDependency(level="none")
DEPENDENT = SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate"))
WEAKLY_DEPENDENT = SecurityDependency(level=at_most(SECURITY_DEPENDENCY, "low"))
SOME_DEPENDENCY = SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "low"))  # any tie at all
RECEPTIVE = NarrativeReceptiveness(level="receptive")
ANSWERED = NarrativeReceptiveness(level=not_one_of("unreceptive"))  # the narrative has landed
# a coalition with a text to sign: not an initiative still proposed, nor one its members downgraded
IN_FORCE = CoalitionTrait(field="status", value=not_one_of("proposed", "downgraded"))
UNCOMPELLED = NOT(Compulsion())
# the ask to keep the target's firms out of the state's own networks (the Huawei campaign, the
# Clean Network): the class the 5G passages of the paper are about
VENDOR_EXCLUSION = CoalitionTrait(field="commitments", value="vendor-exclusion")
UNDECIDED = NOT(Verdict())
ALLIANCE_BASED = CoalitionTrait(field="organisational_base",
                                value=one_of("alliances", "partial-alliances"))
# a stranglehold is "used" when it is significant, or when sanctions are threatened over
# technology the state does rely on (a threat over nothing it uses is no stranglehold)
COERCION = OR(Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
              AND(Pressure(kind="technology_sanctions"),
                  Stranglehold(level=at_least(STRANGLEHOLD, "limited"))))


class Branch(FrozenRecord):
    """One row of the decision table (a record, record.py: a dataclass compiled its methods at
    every cold start)."""

    FIELDS = ("id", "title", "verdict", "when", "claims", "doc", "reading")
    id: str
    title: str
    verdict: str
    when: tuple  # experta patterns, all of which must hold
    claims: tuple[str, ...]
    doc: str  # first line: what it concludes; then why, in the paper's words
    reading: str = "paper"  # "project" where the row is our reading, not the paper's claim

    def __init__(self, id: str, title: str, verdict: str, when: tuple, claims: tuple[str, ...],
                 doc: str, reading: str = "paper"):
        self._set(id, title, verdict, when, claims, doc, reading)


DECISION_TABLE: tuple[Branch, ...] = (
    # ---- 1. no security basis --------------------------------------------------------------
    Branch("V-01", "Coercion without dependency brings conflict", "conflict",
           (COMPLEX, NO_DEPENDENCY, COERCION), ("T7",), """
        Concludes conflict: a stranglehold used on a state with no security dependency at all.

        "Without security dependency, the use of a technological stranglehold will not lead to
        digital coalitions but may instead lead to intense conflicts" (T7: Japan's 2019 curbs on
        South Korea). T7 is about a stranglehold used with *no* dependency: a partner with real
        security ties, however weak, is not in conflict with its protector."""),
    Branch("V-02", "No security basis", "declines",
           (NO_DEPENDENCY, ALLIANCE_BASED), ("S1", "S6"), """
        Concludes the state declines: it has no security dependency, and the coalition rests on alliances.

        Security dependency is the basis of almost all digital coalitions, which "use alliances
        as their organisational basis" (S6), and decides how likely an ally is to respond (S1)."""),
    Branch("V-19", "No security basis, no shared outlook", "declines",
           (NO_DEPENDENCY, NOT(RECEPTIVE)), ("S1", "S6", "S7"), """
        Concludes the state declines: no security dependency, and it does not share the threat and values.

        A coalition that reaches beyond its alliance base (S6: "small clubs" that expand) can
        only draw in a state with no dependency through the ideational foundations, threat
        perception and shared values (S7); without them there is nothing to answer."""),
    # ---- 2. objections -----------------------------------------------------------------------
    Branch("V-22", "A state that fears the target keeps its firms out on its own", "joins-loosely",
           (COMPLEX, VENDOR_EXCLUSION, LittleToSacrifice(), NarrativeReceptiveness(threat="high"),
            OR(NOT(RECEPTIVE), WEAKLY_DEPENDENT), NOT(ObjectionToContent()), UNCOMPELLED),
           ("C3", "S7"), """
        Concludes a state that fears the target but not the leader's values keeps the target's vendors out, in parallel and on its own terms, when that costs it little.

        Allies weigh "their own security concerns" (C3), and threat perception is the
        coalition's ideational foundation (S7): a state that sees the target as a high threat
        acts in parallel with a vendor exclusion on its own threat assessment, without joining
        a camp. (The "digital non-aligned movement" the paper cites from the literature, of
        states that "desire strategic autonomy and not have to choose between the USA and
        China", is the stance it keeps while doing so.) A security measure against the threat,
        not an economic choice: the row reads only a coalition that asks members to keep the
        target's firms out of their networks, and not a state that has refused that very
        measure on the record (V-14). It comes before any objection to the coalition's framing,
        since the measure is its own; a dependent ally that shares the values as well is read by
        the rows on dependency (V-15, V-16), which join. Our reading.""",
           reading="project"),
    Branch("V-23", "An objecting ally that shares the threat joins in a form of its own",
           "joins-loosely",
           (COMPLEX, VENDOR_EXCLUSION, ObjectionToFraming(), RECEPTIVE, DEPENDENT,
            InterestSacrifice(level=at_most(SACRIFICE, "moderate")), UNCOMPELLED),
           ("C3", "S7", "S1"), """
        Concludes a dependent ally that objects to the framing but shares the threat keeps the target's vendors out loosely, through an instrument of its own.

        Autonomy weighs the ally's "own security concerns" (C3), and it can change what the
        leader gets: the EU "objected to the idea of dividing the Internet into different camps
        and the US initiative was eventually downgraded". Where the ask is to keep the target's
        vendors out, an objecting ally that shares the threat and the values (S7) at a cost that
        is not heavy takes the measure through an instrument of its own: "security dependency on
        the USA and the EU's concerns about its own security produced synergistic effects", and
        the Commission's 5G toolbox (early 2020) required member states "to ban devices from
        'high-risk suppliers'", with Huawei and ZTE the main targets. An ally without that shared
        outlook presses for a downgrade and stays out (V-03). Like V-03 it reads an ally nothing
        compels: a compelled one is read by the rows on compulsion (V-08). Our reading of C3
        with that passage.""",
           reading="project"),
    Branch("V-03", "Autonomy presses for a downgrade", "resists",
           (ObjectionToFraming(), DEPENDENT, UNCOMPELLED), ("C3",), """
        Concludes the ally resists: it objects to the coalition as proposed and presses for less.

        The EU objected to "dividing the Internet into different camps" and the Alliance for
        the Future of the Internet was downgraded to a Declaration (C3): an ally's autonomy can
        downgrade an initiative its dependency would otherwise carry. Nothing compels it."""),
    Branch("V-20", "A non-aligned state keeps out of a camp", "declines",
           (ObjectionToFraming(), UNCOMPELLED), ("C3",), """
        Concludes a state with a doctrine of autonomy and little dependency stays out of a confrontational coalition.

        Autonomy weighs "internal unity, holistic interests, and international status" (C3);
        a state that is not the leader's ally has no initiative to downgrade from inside: it
        stays out of a coalition that divides the world into camps (the paper's "digital
        non-aligned movement": states that "desire strategic autonomy and not have to choose
        between the USA and China"). Our reading: C3 is stated for allies.""",
           reading="project"),
    Branch("V-14", "An objection to what members commit to", "declines",
           (ObjectionToContent(), UNCOMPELLED), ("C3", "D3"), """
        Concludes the state stays out of a coalition whose commitments it has refused on the record.

        Allies weigh "their own security concerns, normative cognitions, bilateral and
        multilateral considerations, understanding of relevant agendas" (C3); a declaration is
        its content (D3). Nothing compels it to sign what it has refused."""),
    # ---- 3. simple coalitions ----------------------------------------------------------------
    Branch("V-04", "Dependency suffices for a declaratory coalition", "joins",
           (SIMPLE, DEPENDENT), ("S5", "S1", "D3"), """
        Concludes the state joins a simple coalition on the strength of its dependency.

        "For simple digital coalitions, such as ideology-oriented coalitions, security
        dependency can be a sufficient element" (S5)."""),
    Branch("V-05", "Shared values carry a weakly dependent state", "joins",
           (SIMPLE, RECEPTIVE), ("S7", "S6", "A3"), """
        Concludes a weakly dependent state that shares the threat and values joins a simple coalition.

        Threat perception and shared values are the ideational foundations of digital
        coalitions (S7); coalitions expand from the alliance club to partners (S6), drawing in
        non-traditional allies (A3), and a declaration asks nothing of them they do not already
        hold. Our reading: the paper ties simple coalitions to dependency (S5) and does not say
        how far values alone carry.""",
           reading="project"),
    Branch("V-26", "Shared values carry a weakly dependent state into a declaration of values",
           "joins",
           (SIMPLE, SOME_DEPENDENCY,
            NarrativeReceptiveness(shared_values="high"), IN_FORCE),
           ("S7", "D3", "A3"), """
        Concludes a weakly dependent state that holds the leader's values highly joins a simple coalition that is in force.

        Simple coalitions are ideational: "for simple digital coalitions, such as
        ideology-oriented coalitions, security dependency can be a sufficient element" (S5, D3).
        What they ask is assent to values, so of the two ideational foundations (S7) it is the
        shared values, not the threat, that a declaration reads; partners beyond the alliance
        club are drawn in by political trust (A3: the US seeks to "unite traditional allies,
        rope in nontraditional allies, and draw in emerging market countries"). Only a
        coalition in force: an initiative still proposed, or one its members had downgraded (the
        Alliance for the Future of the Internet), has no declaration yet to sign. Our reading:
        the paper ties simple coalitions to dependency (S5).""",
           reading="project"),
    Branch("V-25", "A partner drawn into the supply-chain element", "joins",
           (SIMPLE, CoalitionTrait(field="pillar", value="supply-chain"),
            SOME_DEPENDENCY, ANSWERED),
           ("A2", "A3", "S6"), """
        Concludes a weakly dependent partner that has not rejected the narrative joins a declaratory framework of the technology supply-chain element.

        Structural technological power has its supply-chain element (the IPEF Supply Chain
        Agreement, the Minerals Security Partnership: A2), and the US seeks to "unite traditional
        allies, rope in nontraditional allies, and draw in emerging market countries", choosing
        "different combinations of coalitions according to the characteristics of
        techno-political competition in different fields" (A3, Tang 2024): the supply-chain
        frameworks are where the tier beyond the alliance club is drawn in (S6: coalitions start
        as small clubs and expand). Tang also has partners chosen by "political trust", so a
        partner that rejects the narrative is not carried. Our reading of Tang 2024: the paper
        ties simple coalitions to dependency (S5).""",
           reading="project"),
    Branch("V-28", "A declaration aimed at no state asks no one to take sides", "joins",
           (SIMPLE, Question(target=None), SOME_DEPENDENCY, ANSWERED, IN_FORCE), ("S7",), """
        Concludes a weakly dependent state that holds the leader's values at least in part joins a declaration aimed at no state.

        The paper's coalitions have "a clear target (i.e., a specific state or threat)", and
        "the leaders and targets should be states" (D2): a declaration on ransomware, on military
        AI or on the export of surveillance tools names a threat but no state, so it lies outside
        the paper's definition, and the paper says nothing of who joins it. Of the two ideational
        foundations (S7) only shared values can be read there (SD-34), and this row lets them
        carry a weak partner that holds them even moderately, where a declaration aimed at the
        target needs them high (V-26): our extension of the cost of taking a side against the
        target, which the paper states for demanding coalitions (C1), to declarations. A partner
        that rejects the values (low) is not carried (V-06); as for V-26, only a coalition in
        force. Our reading: within its definition the paper ties simple coalitions to dependency
        (S5, S1).""",
           reading="project"),
    Branch("V-06", "Too little dependency for a declaratory coalition", "declines",
           (SIMPLE,), ("S1",), """
        Concludes the state stays out of a simple coalition it has too little dependency to answer.

        The lower the dependency, the less willing an ally is to respond to the leader's
        narrative and mobilisation (S1)."""),
    # ---- 4. demanding coalitions: the paper's specific forms ---------------------------------
    Branch("V-13", "Holding out for compensation", "resists",
           (COMPLEX, Compulsion(source="stranglehold"), InterestSacrifice(level="heavy"),
            Compensation(level=at_most(COMPENSATION, "partial")), NOT(ThreatFromTarget())),
           ("C1", "C2", "O3"), """
        Concludes the state resists: the hold is strong, but the compensation falls far short of a heavy sacrifice.

        "To build and sustain complex digital coalitions, the dominant state offers
        compensation" (C2); South Korea, exporting over 60% of its chips to China, resisted
        under two governments and joined once the USA added exemptions and an
        extended-deterrence pledge to the subsidies (C1). "Once the US substitutionary temptation
        falls far short of compensating for the sacrifice of allies' interests", the coalition
        is at risk (O3). An ally the leader protects against the target itself does not hold out
        for a price (S3)."""),
    Branch("V-17", "A hold over a firm: bargaining bilaterally", "joins-loosely",
           (COMPLEX, FirmLevelStranglehold(), DEPENDENT), ("T6", "S4"), """
        Concludes the state goes along through bilateral bargaining: the hold grips its firm, not the state.

        "ASML ceased exporting EUV lithography to China in accordance with US directives", but
        "instead of putting the issue … into the TTC framework … the Netherlands is willing to
        negotiate bilaterally with the USA to minimise the impact of US policy on ASML" (T6)."""),
    Branch("V-09", "A looser accession", "joins-loosely",
           (COMPLEX, CoalitionForm(form="looser"), Compensation(level=at_least(COMPENSATION,
                                                                               "partial")),
            ANSWERED), ("O2", "C2", "T6"), """
        Concludes the state joins a looser form, keeping autonomy while the leader makes concessions.

        The TTC is looser: moderate dependency and malposition, so "the USA has made less use of
        alliance pressure and has instead tried to discover the intersection of the two sides'
        policy objectives", making concessions (O2, C2), with an ally that has answered the
        narrative ("Europe has responded to this US narrative")."""),
    Branch("V-07", "Ready accession", "joins",
           (COMPLEX, Compulsion(source="stranglehold"),
            SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "high")),
            InterestSacrifice(level=at_most(SACRIFICE, "moderate")), AutonomyPressure(level="low"),
            GovernmentPace(pace=not_one_of("slows"))), ("O1", "S1", "T2", "T5"), """
        Concludes the state joins readily: deeply dependent, held by the stranglehold, with little to lose.

        The USA "first succeeded in convincing Japan", and "Japan's submissive accession to Chip 4
        avoids losses incurred by the possible exertion of a USA's technological stranglehold"
        (O1, T2, T5)."""),
    # ---- 5. demanding coalitions that cost the ally little ------------------------------------
    Branch("V-15", "A dependent ally follows at little cost", "joins",
           (COMPLEX, LittleToSacrifice(), DEPENDENT, RECEPTIVE,
            AutonomyPressure(level=not_one_of("high"))), ("S1", "S2", "S7", "T1"), """
        Concludes a dependent ally that has accepted the narrative joins readily a demanding coalition that costs it little.

        "Breaking away from a scaled-up digital coalition would seriously impact allies'
        security dependencies; thus, the allies largely accept the USA's security narrative on
        China and follow its mobilisation directives" (S1, S2, S7): Denmark and Sweden banned
        Huawei "in line with US demands". With no market sacrifice at stake, T1 asks nothing
        more. Our reading of T1's scope.""",
           reading="project"),
    Branch("V-16", "An autonomous ally follows at little cost, on its own terms", "joins-loosely",
           (COMPLEX, LittleToSacrifice(), DEPENDENT, RECEPTIVE), ("S1", "C3"), """
        Concludes a dependent ally with a doctrine of autonomy joins a costless demand loosely.

        It answers the leader's call (S1) but keeps its own way of doing it (C3): France and
        Italy do not back the TTC's anti-China edge though they take part.""",
           reading="project"),
    Branch("V-12", "A shared threat at little cost", "joins-loosely",
           (COMPLEX, LittleToSacrifice(), RECEPTIVE), ("S7", "C1"), """
        Concludes a receptive, weakly dependent state acts on its own terms when the demand costs it little.

        Digital coalitions emerge with "threat perception and overlapping values" (S7); where
        the demand asks no real sacrifice (C1), a state that shares the threat assessment acts
        on it through its own processes (Sweden in 2020, a non-aligned partner whose own security
        service named China a threat). Our reading: the paper has Sweden banning Huawei "in line
        with US demands" (S1, S4).""",
           reading="project"),
    # ---- 6. demanding coalitions that cost it: what compels ---------------------------------
    Branch("V-08", "Accession at a sacrifice", "joins-reluctantly",
           (COMPLEX, Compulsion()), ("O1", "T2", "T5", "C1", "C4", "S4"), """
        Concludes the state joins reluctantly: compelled, but at a sacrifice, under pressure or against its autonomy.

        South Korea "was the most reluctant to join", resisting under two governments, and
        joined last; the stranglehold outweighed the market (O1, T5, C1, C4). Leverage forces a
        policy change (S4)."""),
    Branch("V-21", "Dependency and the ally's own concern: a moderate cost, borne loosely",
           "joins-loosely",
           (COMPLEX, VENDOR_EXCLUSION, SOME_DEPENDENCY,
            RECEPTIVE, InterestSacrifice(level=at_most(SACRIFICE, "moderate"))),
           ("S1", "S7", "C3"), """
        Concludes an ally that shares the threat keeps the target's vendors out loosely, at a moderate sacrifice.

        After the resistance of 2018 "security dependency was utilised to put more pressure on
        Europe", and "security dependency on the USA and the EU's concerns about its own security
        produced synergistic effects": the 5G toolbox required member states "to ban devices
        from 'high-risk suppliers'" (the paper's TTC section). Dependency makes the ally answer
        (S1); its own threat perception and values (S7, C3) carry it over a cost that is real but
        not heavy, in an instrument it sets itself. The passage is about excluding the target's
        vendors, and the row reads only that ask: a heavy sacrifice, or any other demanding
        coalition, still needs the stranglehold (T1, S8). Our reading of that passage.""",
           reading="project"),
    Branch("V-24", "The target's vendor cut off: restricted in rules of its own", "joins-loosely",
           (COMPLEX, VENDOR_EXCLUSION, TargetProductCutOff(), DEPENDENT, ANSWERED,
            InterestSacrifice(level=at_most(SACRIFICE, "moderate"))), ("T3", "S1"), """
        Concludes a dependent ally restricts a vendor the leader has cut off from its technology, in rules of its own, at a cost that is not heavy.

        Once the leader has cut the target's products off from its key technology (ST-23), the
        vendor's kit has no secure future in the ally's networks; an ally that answers the
        narrative, if only in part (S1), then restricts the vendor through rules of its own
        rather than an outright ban (the record: Italy's conditions on Huawei contracts in 2020,
        Spain's 5G security law in 2022; the case files' sources). The cut-off also lowers the
        cost of replacing the kit (SC-08); this row is what it does to the answer of an ally
        that still bears a moderate cost. A heavy sacrifice is still not carried (S8). Our
        reading: the paper names the embargo on Huawei, not this effect of it.""",
           reading="project"),
    Branch("V-18", "Pressure meets complex interests", "resists",
           (COMPLEX, SecurityLeverage(), ANSWERED), ("S4", "S8", "S1"), """
        Concludes the state resists: the leader presses with its dependence, but too much is at stake.

        Asymmetric dependence lets the leader threaten a cut-off (S4), but "alliances are not a
        panacea and cannot easily change policies involving complex interests" (S8): Germany
        resisted US pressure over Huawei in 2018-2019; the UK hesitated until the ban was cheap.
        The row reads an ally that has answered the narrative, if only in part (S1): leverage
        is pressure on an ally that shares enough of the leader's outlook to bargain over the
        cost; one that rejects the narrative is not moved by it and stays out (V-10). Our reading: the paper does not name the verdict of an ally that is pressed and holds
        out.""",
           reading="project"),
    Branch("V-10", "Dependency without a stranglehold is not enough", "declines",
           (COMPLEX,), ("T1", "S8"), """
        Concludes the state declines a demanding coalition nothing compels and that costs it.

        Security dependency is insufficient for demanding coalitions (T1); alliances cannot
        easily change policies involving complex interests: South Korea joined the AIIB despite
        US opposition (S8). Pressure, where there is any, does not move an ally that rejects the
        narrative (see V-18)."""),
)

# Rows run from rank 95 down in steps of RANK_STEP: all inside the verdict stage, the first row highest.
RANK_TOP, RANK_STEP = 95, 3
assert RANK_TOP - RANK_STEP * (len(DECISION_TABLE) - 1) >= 0, "the table outgrew its stage"


def _branch_rule(branch: Branch, row: int):
    def concludes(self):
        self.declare(Verdict(value=branch.verdict))

    concludes.__name__ = concludes.__qualname__ = "branch_" + branch.id.replace("-", "_").lower()
    concludes.__doc__ = branch.doc
    concludes.__module__ = __name__
    return rule(branch.id, branch.title, *branch.when, UNDECIDED, claims=branch.claims,
                stage=Stage.VERDICT, rank=RANK_TOP - RANK_STEP * row, reading=branch.reading,
                concludes=Verdict(value=branch.verdict))(concludes)


class VerdictRules:
    """The decision table as experta rules: one rule per row, ranked by the row's place."""


for _row, _branch in enumerate(DECISION_TABLE):
    setattr(VerdictRules, "branch_" + _branch.id.replace("-", "_").lower(),
            _branch_rule(_branch, _row))
del _row, _branch
