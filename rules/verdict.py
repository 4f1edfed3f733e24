"""The verdict: one of six, concluded by a decision list whose order is explicit (``rank``).

Each verdict rule fires only while no verdict exists, and the ranks below are the order in
which the paper's mechanisms are consulted: conflict and the absence of any security basis
first (T7, S1); an autonomous ally's objection next (C3); then declaratory coalitions, where
dependency suffices (S5); then demanding ones, where something must compel the sacrifice (T1)
and the manner of joining follows from sacrifice, autonomy and the government's pace (O1, C1,
C4), or the coalition is joined loosely (O2; S7 where the ally shares the threat and the cost
is small) or declined (S8). The last rule of each kind
catches every remaining case, so every question gets exactly one verdict.
"""

from __future__ import annotations

from digital_coalitions.compat import experta

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
    NarrativeReceptiveness,
    ObjectionToFraming,
    Pressure,
    Question,
    SecurityDependency,
    Stranglehold,
    TechnologicalStick,
    Tie,
    Verdict,
)

AND, NOT, OR = experta.AND, experta.NOT, experta.OR
SIMPLE = CoalitionTrait(field="demand", value="simple")
COMPLEX = CoalitionTrait(field="demand", value="complex")
UNDECIDED = NOT(Verdict())


class VerdictRules:
    @rule("V-01", "Coercion without dependency brings conflict",
          COMPLEX, SecurityDependency(level=one_of("none", "low")),
          Tie(field="alliance", value=one_of("none", "partner", "major-non-treaty-ally")),
          OR(Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
             AND(Pressure(kind="technology_sanctions"),
                 Stranglehold(level=at_least(STRANGLEHOLD, "limited")))),
          UNDECIDED, claims=("T7",), stage=Stage.VERDICT, rank=90)
    def conflict(self):
        """Concludes conflict: a stranglehold used on a state with no security dependency.

        "Without security dependency, the use of a technological stranglehold will not lead to
        digital coalitions but may instead lead to intense conflicts" (T7: Japan's 2019 curbs
        on South Korea). The hold is "used" when it is significant or when sanctions are
        threatened over technology the state does rely on; a threat with nothing to grip is no
        stranglehold. The dependency the paper means is alliance-based: a partner without a
        treaty, weakly dependent, is coerced as if it had none.
        """
        self.declare(Verdict(value="conflict"))

    @rule("V-02", "No security basis", SecurityDependency(level="none"), UNDECIDED,
          claims=("S1", "S6"), stage=Stage.VERDICT, rank=80)
    def no_basis(self):
        """Concludes the state declines: it has no security dependency to answer the leader's call.

        Security dependency is the basis of almost all digital coalitions (S6) and decides how
        likely an ally is to respond (S1).
        """
        self.declare(Verdict(value="declines"))

    @rule("V-03", "Autonomy presses for a downgrade",
          ObjectionToFraming(), NOT(Compulsion()), UNDECIDED,
          claims=("C3",), stage=Stage.VERDICT, rank=70)
    def resists(self):
        """Concludes the state resists: it objects to the coalition as proposed and presses for less.

        The EU objected to "dividing the Internet into different camps" and the Alliance for
        the Future of the Internet was downgraded to a Declaration (C3). Nothing compels it.
        """
        self.declare(Verdict(value="resists"))

    @rule("V-04", "Dependency suffices for a declaratory coalition",
          SIMPLE, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate")), UNDECIDED,
          claims=("S5", "S1", "D3"), stage=Stage.VERDICT, rank=60)
    def joins_simple(self):
        """Concludes the state joins a simple coalition on the strength of its dependency.

        "For simple digital coalitions, such as ideology-oriented coalitions, security
        dependency can be a sufficient element" (S5).
        """
        self.declare(Verdict(value="joins"))

    @rule("V-05", "Weak dependency, receptive to the narrative",
          SIMPLE, SecurityDependency(level="low"), NarrativeReceptiveness(level="receptive"),
          UNDECIDED, claims=("S1", "S7"), stage=Stage.VERDICT, rank=50)
    def joins_simple_loosely(self):
        """Concludes a weakly dependent but receptive state joins a simple coalition loosely.

        Threat perception and shared values make allies receptive (S7) even where dependency,
        which sets the likelihood (S1), is low.
        """
        self.declare(Verdict(value="joins-loosely"))

    @rule("V-06", "Too little dependency for a declaratory coalition", SIMPLE, UNDECIDED,
          claims=("S1",), stage=Stage.VERDICT, rank=40)
    def declines_simple(self):
        """Concludes the state stays out of a simple coalition it has too little dependency to answer.

        The lower the dependency, the less willing an ally is to respond to the leader's
        narrative and mobilisation (S1).
        """
        self.declare(Verdict(value="declines"))

    @rule("V-07", "Ready accession",
          COMPLEX, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "high")), Compulsion(),
          InterestSacrifice(level=at_most(SACRIFICE, "moderate")), AutonomyPressure(level="low"),
          GovernmentPace(pace=not_one_of("slows")), UNDECIDED,
          claims=("O1", "S1", "T2", "T5"), stage=Stage.VERDICT, rank=30)
    def joins_readily(self):
        """Concludes the state joins readily: deeply dependent, compelled, with little to lose.

        Japan "acceded submissively and first" to Chip 4, avoiding the losses a US stranglehold
        could inflict (O1, T2, T5).
        """
        self.declare(Verdict(value="joins"))

    @rule("V-13", "Holding out for compensation",
          COMPLEX, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "low")),
          Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
          InterestSacrifice(level="heavy"), Compensation(level="none"), UNDECIDED,
          claims=("C1", "C2", "O3"), stage=Stage.VERDICT, rank=35)
    def holds_out(self):
        """Concludes the state resists: the hold is strong but a heavy sacrifice goes uncompensated.

        "To build and sustain complex digital coalitions, the dominant state offers
        compensation" (C2); South Korea, exporting over 60% of its chips to China, resisted
        under two governments and joined once the USA offered exemptions and an
        extended-deterrence pledge (C1). Compensation falling far short of the sacrifice puts
        a coalition at risk (O3).
        """
        self.declare(Verdict(value="resists"))

    @rule("V-11", "Little to lose",
          COMPLEX, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate")), Compulsion(),
          InterestSacrifice(level=at_most(SACRIFICE, "low")), AutonomyPressure(level="low"),
          GovernmentPace(pace=not_one_of("slows")), UNDECIDED,
          claims=("S1", "S4", "C1"), stage=Stage.VERDICT, rank=25)
    def joins_at_little_cost(self):
        """Concludes a dependent, compelled ally with little to lose and no autonomy agenda joins readily.

        Denmark and Sweden banned Huawei 5G equipment "in line with US demands" (S1, S4): the
        leader's call meets a dependent ally, and the demand costs it little (C1).
        """
        self.declare(Verdict(value="joins"))

    @rule("V-08", "Accession at a sacrifice",
          COMPLEX, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "moderate")), Compulsion(),
          UNDECIDED, claims=("O1", "T2", "T5", "C1", "C4"), stage=Stage.VERDICT, rank=20)
    def joins_reluctantly(self):
        """Concludes the state joins reluctantly: compelled, but at a sacrifice or against its autonomy.

        South Korea "was the most reluctant to join", resisting under two governments, and
        joined last; the stranglehold outweighed the market (O1, T5, C1, C4).
        """
        self.declare(Verdict(value="joins-reluctantly"))

    @rule("V-09", "A looser accession",
          COMPLEX, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "low")),
          Stranglehold(level=at_least(STRANGLEHOLD, "limited")),
          OR(CoalitionForm(form="looser"), Compensation(level=at_least(COMPENSATION, "partial")),
             FirmLevelStranglehold(), TechnologicalStick()),
          UNDECIDED, claims=("O2", "T6", "C2", "T3", "T1"), stage=Stage.VERDICT, rank=10)
    def joins_loosely(self):
        """Concludes the state joins a looser form, keeping autonomy and bargaining for concessions.

        The TTC is looser: moderate dependency and malposition, so the USA made concessions and
        used less pressure (O2, C2); the Netherlands bargained bilaterally over ASML rather than
        inside the coalition (T6). Something must still grip (T1): compensation does not stand
        in for a stranglehold where there is none.
        """
        self.declare(Verdict(value="joins-loosely"))

    @rule("V-12", "A shared threat at little cost",
          COMPLEX, SecurityDependency(level=at_least(SECURITY_DEPENDENCY, "low")),
          NarrativeReceptiveness(level="receptive"), InterestSacrifice(level=at_most(SACRIFICE, "low")),
          Stranglehold(level=at_least(STRANGLEHOLD, "limited")),
          UNDECIDED, claims=("S7", "C1"), stage=Stage.VERDICT, rank=5)
    def joins_on_own_terms(self):
        """Concludes a receptive ally joins on its own terms when the demand costs it little.

        Digital coalitions "emerge with threat perception and overlapping values" (S7); where
        the demand asks no real sacrifice (C1), an ally that shares the threat assessment acts
        on it through its own processes. This is our reading, not the paper's mechanism: the
        paper has Sweden banning Huawei "in line with US demands" (S1, S4); a weakly dependent
        non-aligned partner in 2020 is not compelled by either, so we read its ban as acting on
        its own threat assessment (S7). It needs some technological valve, however limited;
        without one alliances cannot change its policy (S8: the AIIB).
        """
        self.declare(Verdict(value="joins-loosely"))

    @rule("V-10", "Dependency without a stranglehold is not enough", COMPLEX, Question(), UNDECIDED,
          claims=("T1", "S8"), stage=Stage.VERDICT, rank=0)
    def declines_complex(self):
        """Concludes the state declines a demanding coalition nothing compels or compensates.

        Security dependency is insufficient for demanding coalitions (T1); alliances cannot
        easily change policies involving complex interests — South Korea joined the AIIB
        despite US opposition (S8).
        """
        self.declare(Verdict(value="declines"))
