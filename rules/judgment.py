"""Likelihood and confidence of the verdict, in the terms of ICD 203.

**Likelihood.** The verdict decides the band (a decline is never "likely"); the evidence moves the
figure inside it. Each piece of evidence that makes joining likelier or less likely adds a shift
(S1: dependency sets how willing an ally is; C2 compensation, C1 the sacrifice and retaliation,
C4 the government's pace, S7 the narrative, S9 status, T3 the carrot, O1 the coercive form, S3
protection against the target itself). The shifts do not depend on the verdict, so stronger
evidence for joining never lowers the figure, and they move it along a logistic curve that
approaches the band's edges without reaching them: every shift moves the figure, none saturates.
The ICD 203 term is the one whose range holds the figure.

**Confidence** is about the evidence, not the outcome (ICD 203, analytic standard 1: the quality,
number and independence of sources): it starts high, and each reason to doubt lowers it a step:
values assumed by default or marked as estimates, files citing few sources or sources from one
origin, sources older than the evidence, evidence from a later year than the one asked, values
supposed with --set, and mechanisms pulling in opposite directions.
"""

from __future__ import annotations

import math

from digital_coalitions.compat import experta

from .base import Stage, at_least, compare, one_of, rule
from .concepts import (
    COMPENSATION,
    CONFIDENCE,
    ICD203,
    STRANGLEHOLD,
    VERDICTS,
    AutonomyPressure,
    CoalitionForm,
    CoalitionTrait,
    Compensation,
    Confidence,
    ConfidenceDowngrade,
    Defaulted,
    Estimated,
    GovernmentPace,
    InterestSacrifice,
    Likelihood,
    LikelihoodShift,
    NarrativeReceptiveness,
    Question,
    SecurityDependency,
    SetByHand,
    SourceOrigins,
    SourceRecency,
    Sourcing,
    StatusAnxiety,
    Stranglehold,
    StrangleholdOutweighsMarket,
    TargetRelation,
    TechnologicalCarrot,
    ThreatFromTarget,
    Verdict,
)

MATCH, NOT, OR = experta.MATCH, experta.NOT, experta.OR
COMPLEX = CoalitionTrait(field="demand", value="complex")
SLOPE = 0.5  # how far one step of evidence moves the figure (fitted with VERDICTS: bench/calibrate.py)
FEW_SOURCES, FEW_ORIGINS = 3, 2  # below these a file's sourcing cannot support high confidence
STALE_YEARS = 3  # sources all older than the evidence by more than this are dated


def figure_of(verdict: str, steps: float) -> float:
    """The likelihood of joining (%) for a verdict moved by ``steps`` of evidence: inside the
    verdict's band, starting from its base figure, never reaching the band's edges."""
    low_step, high_step = VERDICTS[verdict]["band"]
    low, high = ICD203[low_step][1], ICD203[high_step][2]
    start = (VERDICTS[verdict]["base"] - low) / (high - low)
    position = 1 / (1 + math.exp(-(math.log(start / (1 - start)) + SLOPE * steps)))
    return low + (high - low) * position


def term_of(figure: float) -> tuple[str, int, int, int]:
    """The ICD 203 term whose range holds the figure, with its range and step."""
    for step, (term, low, high) in enumerate(ICD203):
        if figure < high or step == len(ICD203) - 1:
            return term, low, high, step
    raise AssertionError(figure)


class JudgmentRules:
    # ---- likelihood shifts (independent of the verdict) -----------------------------------
    @rule("LK-01", "Dependency sets the likelihood",
          SecurityDependency(level=MATCH.level & one_of("none", "low", "high", "intense")),
          Verdict(), claims=("S1",), stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(claim="S1"))
    def dependency_shift(self, level):
        """Moves the likelihood with the dependency: down for none or low, up for high and intense.

        "The higher the dependency, the more willing allies will be to respond to the dominant
        state's digital security narrative and mobilisation" (S1).
        """
        steps = {"none": -1.5, "low": -1, "high": 0.5, "intense": 1}[level]
        self.declare(LikelihoodShift(steps=steps, reason=f"{level} security dependency", claim="S1"))

    @rule("LK-02", "Compensation makes joining likelier",
          Compensation(level=MATCH.level & at_least(COMPENSATION, "partial"), score=MATCH.score),
          Verdict(), claims=("C2",), stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(claim="C2"))
    def compensation_shift(self, level, score):
        """Moves the likelihood up half a step for each kind of compensation offered.

        The leader offers compensation "to build and sustain complex digital coalitions" (C2).
        """
        self.declare(LikelihoodShift(steps=0.5 * score, reason=f"{level} compensation",
                                     claim="C2"))

    @rule("LK-03", "Retaliation risk makes joining less likely",
          COMPLEX, TargetRelation(field="retaliation_risk", value="high"), Verdict(),
          claims=("C1",), stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(reason="high risk of retaliation", claim="C1"))
    def retaliation_shift(self):
        """Moves the likelihood down a step when the target's retaliation is feared.

        Fear of the target's retaliation adds to the cost (C1): South Korea "was concerned about
        China's retaliation in joining the chip coalition, which would seriously damage its economy".
        """
        self.declare(LikelihoodShift(steps=-1, reason="high risk of retaliation", claim="C1"))

    @rule("LK-04", "The government's pace",
          GovernmentPace(pace=MATCH.pace & one_of("accelerates", "slows")), Verdict(),
          claims=("C4",), stage=Stage.LIKELIHOOD, rank=10, concludes=LikelihoodShift(claim="C4"))
    def pace_shift(self, pace):
        """Moves the likelihood a step with a pro-leader or autonomist government.

        A pro-leader government accelerates accession "although this was not a decisive
        factor" (C4): it moves the likelihood and the pace, never whether the state joins.
        """
        steps = {"accelerates": 1, "slows": -1}[pace]
        self.declare(LikelihoodShift(steps=steps, reason=f"the government {pace} accession",
                                     claim="C4"))

    @rule("LK-05", "The threat narrative lands",
          NarrativeReceptiveness(level=MATCH.level & one_of("receptive", "unreceptive"),
                                 threat=MATCH.threat), Verdict(),
          claims=("S7",), stage=Stage.LIKELIHOOD, rank=10, concludes=LikelihoodShift(claim="S7"))
    def narrative_shift(self, level, threat):
        """Moves the likelihood a step for a receptive or unreceptive ally.

        Threat perception and shared values are the ideational foundations (S7); a declaration
        aimed at no state is read by values alone (SD-34), and the reason says so.
        """
        steps = {"receptive": 1, "unreceptive": -1}[level]
        narrative = "the threat narrative" if threat is not None else "the leader's values"
        self.declare(LikelihoodShift(steps=steps, reason=f"{level} to {narrative}", claim="S7"))

    @rule("LK-06", "Joining gains voice", StatusAnxiety(), Verdict(), claims=("S9",),
          stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(steps=0.5, reason="joining gains voice outside the core clubs",
                                    claim="S9"))
    def status_shift(self):
        """Moves the likelihood up half a step for an ally anxious not to lag behind.

        "Joining Chip 4 has the potential to enhance South Korea's voice" (S9).
        """
        self.declare(LikelihoodShift(steps=0.5, reason="joining gains voice outside the core clubs",
                                     claim="S9"))

    @rule("LK-07", "Autonomy pulls against it",
          AutonomyPressure(level="high"), Verdict(), claims=("C3",), stage=Stage.LIKELIHOOD,
          rank=10, concludes=LikelihoodShift(reason="a doctrine of strategic autonomy", claim="C3"))
    def autonomy_shift(self):
        """Moves the likelihood down a step for an ally with a doctrine of strategic autonomy.

        Allies weigh their own security concerns, norms and interests; "France and Italy do not
        explicitly support the TTC's anti-China inclinations" (C3).
        """
        self.declare(LikelihoodShift(steps=-1, reason="a doctrine of strategic autonomy",
                                     claim="C3"))

    @rule("LK-08", "The carrot of cutting-edge access",
          COMPLEX, TechnologicalCarrot(), Verdict(), claims=("T3",), stage=Stage.LIKELIHOOD,
          rank=10,
          concludes=LikelihoodShift(steps=0.5, reason="the leader's technology is a carrot",
                                    claim="T3"))
    def carrot_shift(self):
        """Moves the likelihood up half a step where the leader's technology offers leapfrogging.

        The stranglehold lets the leader offer "opportunities for technological leapfrogging or
        participation in cutting-edge industrial and supply chains", which "satisfies allies'
        expectations" (T3): the mainstream view in South Korea saw the upgrading in joining.
        """
        self.declare(LikelihoodShift(steps=0.5, reason="the leader's technology is a carrot",
                                     claim="T3"))

    @rule("LK-09", "Protected against the target itself", ThreatFromTarget(), Verdict(),
          claims=("S3", "S7"), stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(steps=1, reason="the coalition is aimed at the state the "
                                    "leader protects it against", claim="S3"))
    def target_threat_shift(self):
        """Moves the likelihood up a step where the leader protects the ally against the target itself.

        Security cooperation is extended into the digital realm against the threat it protects
        from (S3); a coalition aimed at that very state answers the ally's own threat
        perception (S7).
        """
        self.declare(LikelihoodShift(steps=1, reason="the coalition is aimed at the state the "
                                                     "leader protects it against", claim="S3"))

    @rule("LK-11", "A coercive, stringent coalition",
          CoalitionForm(form="coercive and stringent"), Verdict(), claims=("O1",),
          stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(steps=0.5, reason="a coercive and stringent coalition",
                                    claim="O1"))
    def coercive_shift(self):
        """Moves the likelihood up half a step where intense dependency meets a decisive hold.

        A coercive, stringent coalition is one members join "even in the face of significant
        sacrifices of interest" (O1).
        """
        self.declare(LikelihoodShift(steps=0.5, reason="a coercive and stringent coalition",
                                     claim="O1"))

    @rule("LK-12", "The sacrifice weighs against joining",
          COMPLEX, InterestSacrifice(level=MATCH.level & one_of("moderate", "heavy")),
          NOT(StrangleholdOutweighsMarket()), Verdict(),
          claims=("C1", "T5"), stage=Stage.LIKELIHOOD, rank=10,
          concludes=LikelihoodShift(claim="C1"))
    def sacrifice_shift(self, level):
        """Moves the likelihood down for a moderate or heavy sacrifice, unless the stranglehold outweighs it.

        The heavier the exposure to the target's market, the more reluctant the ally (C1);
        but where the stranglehold bites, "the Chinese market is critical for Japanese and South
        Korean enterprises; however, technological strangleholds have a greater impact" (T5).
        """
        steps = {"moderate": -0.5, "heavy": -1}[level]
        self.declare(LikelihoodShift(steps=steps, reason=f"a {level} sacrifice", claim="C1"))

    @rule("LK-10", "Likelihood of joining", Verdict(value=MATCH.verdict), claims=("S1", "ICD203"),
          stage=Stage.LIKELIHOOD, concludes=Likelihood())
    def likelihood(self, verdict):
        """Concludes the likelihood: a figure inside the verdict's band, moved by the shifts, and its ICD 203 term.

        The verdict decides the band (a decline is never "likely"); the evidence moves the
        figure inside it (S1), along a curve that never reaches the band's edges.
        """
        figure = figure_of(verdict, self.weigh_shifts())
        term, low, high, step = term_of(figure)
        self.declare(Likelihood(term=term, low=low, high=high, step=step,
                                figure=round(figure, 1)))

    # ---- confidence ----------------------------------------------------------------------
    @rule("CF-01", "Assumed rather than known", Question(), Defaulted(),
          NOT(ConfidenceDowngrade(cause="assumed")), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10, concludes=ConfidenceDowngrade(cause="assumed"))
    def assumed_values(self):
        """Lowers confidence a step when the answer rests on defaulted values (two steps if many).

        A default is the lowest value of its scale: an assumption, not evidence.
        """
        count = len(self.gather(Defaulted))
        self.declare(ConfidenceDowngrade(
            cause="assumed", steps=2 if count >= 5 else 1,
            reason=f"{count} value{'s' if count != 1 else ''} assumed by default, not known"))

    @rule("CF-02", "Unsourced evidence", Sourcing(source=MATCH.source, value=0), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10,
          concludes=ConfidenceDowngrade(cause="unsourced", steps=1))
    def unsourced(self, source):
        """Lowers confidence a step when a case file cites no sources.

        ICD 203 asks for the quality and credibility of sources to be described; evidence that
        nobody can check is weaker evidence.
        """
        self.declare(ConfidenceDowngrade(cause="unsourced", steps=1,
                                         reason=f"the {source} file cites no sources"))

    @rule("CF-05", "Few or dependent sources",
          Sourcing(source=MATCH.source, value=MATCH.cited),
          SourceOrigins(source=MATCH.source, value=MATCH.origins),
          compare(lambda cited, origins: 0 < cited < FEW_SOURCES or 0 < origins < FEW_ORIGINS,
                  f"fewer than {FEW_SOURCES} sources or {FEW_ORIGINS} independent origins"),
          claims=("ICD203",), stage=Stage.CONFIDENCE, rank=10,
          concludes=ConfidenceDowngrade(steps=1))
    def thinly_sourced(self, source, cited, origins):
        """Lowers confidence a step when a file cites few sources, or sources of one origin only.

        ICD 203 weighs the number and the independence of sources: one line, or many lines
        from one paper, cannot carry high confidence.
        """
        self.declare(ConfidenceDowngrade(
            cause=f"thin-{source}", steps=1,
            reason=f"the {source} file cites {cited} source{'s' if cited != 1 else ''} from "
                   f"{origins} independent origin{'s' if origins != 1 else ''}"))

    @rule("CF-06", "Estimated values", Question(), Estimated(),
          NOT(ConfidenceDowngrade(cause="estimated")), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10,
          concludes=ConfidenceDowngrade(cause="estimated", steps=1))
    def estimated_values(self):
        """Lowers confidence a step when values the question reads are marked as estimates.

        An estimate is a judgment about the evidence, not a sourced figure (ICD 203).
        """
        count = len(self.gather(Estimated))
        self.declare(ConfidenceDowngrade(
            cause="estimated", steps=1,
            reason=f"{count} value{'s' if count != 1 else ''} the answer reads "
                   f"{'are estimates' if count != 1 else 'is an estimate'}"))

    @rule("CF-07", "Dated sources",
          Question(year=MATCH.year), SourceRecency(source="state", value=MATCH.latest),
          compare(lambda year, latest: 0 < latest < year - STALE_YEARS,
                  f"no source later than {STALE_YEARS} years before the evidence's year"),
          claims=("ICD203",), stage=Stage.CONFIDENCE, rank=10,
          concludes=ConfidenceDowngrade(cause="dated", steps=1))
    def dated_sources(self, year, latest):
        """Lowers confidence a step when the state file's sources all predate its evidence by years.

        ICD 203 asks whether information is current: evidence for one year resting only on
        sources years older is dated.
        """
        self.declare(ConfidenceDowngrade(
            cause="dated", steps=1,
            reason=f"the state file's latest source is of {latest}, its evidence of {year}"))

    @rule("CF-08", "Evidence from a later year", Question(earliest=True), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10,
          concludes=ConfidenceDowngrade(cause="later", steps=1, reason="the evidence describes a "
                                        "later year than the one asked about"))
    def later_evidence(self):
        """Lowers confidence a step when the year asked about is earlier than any evidence.

        The state file's earliest evidence describes a later year than the question: what was
        different then is not known.
        """
        self.declare(ConfidenceDowngrade(
            cause="later", steps=1,
            reason="the evidence describes a later year than the one asked about"))

    @rule("CF-04", "A what-if, not the evidence", Question(), SetByHand(),
          NOT(ConfidenceDowngrade(cause="what-if")), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10, concludes=ConfidenceDowngrade(cause="what-if", steps=1))
    def what_if(self):
        """Lowers confidence a step when values were changed by hand with --set.

        ICD 203 separates assumptions from evidence: a value supposed for a what-if is not
        something the case file's sources support, however plausible the change.
        """
        count = len(self.gather(SetByHand))
        self.declare(ConfidenceDowngrade(
            cause="what-if", steps=1,
            reason=f"{count} value{'s' if count != 1 else ''} set by hand with --set: "
                   "a what-if, not the case files' evidence"))

    @rule("CF-03", "Mechanisms pull apart",
          Stranglehold(level=at_least(STRANGLEHOLD, "significant")),
          InterestSacrifice(level="heavy"), claims=("T5", "C1", "ICD203"), stage=Stage.CONFIDENCE, rank=10,
          concludes=ConfidenceDowngrade(
              cause="cross-pressure", steps=1,
              reason="a strong stranglehold pulls against a heavy sacrifice"))
    def cross_pressure(self):
        """Lowers confidence a step when a strong stranglehold meets a heavy sacrifice.

        The paper's hardest case: South Korea resisted under two governments before the
        stranglehold won out over the market (T5, C1); such cases turn on timing and
        compensation.
        """
        self.declare(ConfidenceDowngrade(
            cause="cross-pressure", steps=1,
            reason="a strong stranglehold pulls against a heavy sacrifice"))

    @rule("CF-10", "Confidence", Verdict(), Likelihood(), claims=("ICD203",),
          stage=Stage.CONFIDENCE, concludes=Confidence())
    def confidence(self):
        """Concludes the confidence, high less one step per reason to doubt, with its basis.

        Confidence rests on the evidence (sourced, independent, current, given rather than
        assumed or estimated) and on whether the mechanisms agree (ICD 203).
        """
        downgrades = self.gather(ConfidenceDowngrade)
        steps = sum(d["steps"] for d in downgrades)
        level = CONFIDENCE[max(0, len(CONFIDENCE) - 1 - steps)]
        if downgrades:
            basis = [d["reason"] for d in downgrades]
        else:
            cited = {f["source"]: (f["value"], 0) for f in self.gather(Sourcing)}
            origins = {f["source"]: f["value"] for f in self.gather(SourceOrigins)}
            basis = ["the state file cites {} sources from {} independent origins and the "
                     "coalition file {} from {}; every value used is given, none estimated, and "
                     "the mechanisms agree".format(cited["state"][0], origins["state"],
                                                  cited["coalition"][0], origins["coalition"])]
        self.declare(Confidence(level=level, basis=tuple(basis)))
