"""Likelihood and confidence of the verdict, in the terms of ICD 203.

Each verdict starts from a step on the ICD 203 scale of likelihood (of joining) and may move
within its band, never out of it: evidence shifts the likelihood (S1: dependency sets how
willing an ally is; C2 compensation, C1 retaliation, C4 the government's pace, S7 the
narrative, S9 status), and the verdict keeps the last word. The shifts do not depend on the
verdict, so stronger evidence for joining can never lower the likelihood.

Confidence is about the evidence, not the outcome: it starts high and each reason to doubt
(assumed values, unsourced files, mechanisms pulling in opposite directions) lowers it a step.
"""

from __future__ import annotations

from digital_coalitions.compat import experta

from .base import Stage, at_least, one_of, rule
from .concepts import (
    COMPENSATION,
    CONFIDENCE,
    ICD203,
    STRANGLEHOLD,
    VERDICTS,
    AutonomyPressure,
    CoalitionTrait,
    Compensation,
    Confidence,
    ConfidenceDowngrade,
    Defaulted,
    GovernmentPace,
    InterestSacrifice,
    Likelihood,
    LikelihoodShift,
    NarrativeReceptiveness,
    Question,
    SecurityDependency,
    SetByHand,
    Sourcing,
    StatusAnxiety,
    Stranglehold,
    TargetRelation,
    Verdict,
)
MATCH, NOT = experta.MATCH, experta.NOT
SHIFT = Stage.LIKELIHOOD + 10
DOUBT = Stage.CONFIDENCE + 10


class JudgmentRules:
    # ---- likelihood shifts (independent of the verdict) -----------------------------------
    @rule("LK-01", "Dependency sets the likelihood",
          SecurityDependency(level=MATCH.level & one_of("none", "low", "intense")), Verdict(),
          claims=("S1",), stage=Stage.LIKELIHOOD, rank=10)
    def dependency_shift(self, level):
        """Moves the likelihood up a step for intense dependency and down a step for low or none.

        "The higher the dependency, the more willing allies will be to respond to the dominant
        state's digital security narrative and mobilisation" (S1).
        """
        steps = {"none": -1, "low": -1, "intense": 1}[level]
        self.declare(LikelihoodShift(steps=steps, reason=f"{level} security dependency", claim="S1"))

    @rule("LK-02", "Compensation makes joining likelier",
          Compensation(level=MATCH.level & at_least(COMPENSATION, "partial")), Verdict(),
          claims=("C2",), stage=Stage.LIKELIHOOD, rank=10)
    def compensation_shift(self, level):
        """Moves the likelihood up a step when the leader compensates.

        The leader offers compensation "to build and sustain complex digital coalitions" (C2).
        """
        self.declare(LikelihoodShift(steps=1, reason=f"{level} compensation", claim="C2"))

    @rule("LK-03", "Retaliation risk makes joining less likely",
          CoalitionTrait(field="demand", value="complex"),
          TargetRelation(field="retaliation_risk", value="high"), Verdict(),
          claims=("C1",), stage=Stage.LIKELIHOOD, rank=10)
    def retaliation_shift(self):
        """Moves the likelihood down a step when the target's retaliation is feared.

        "Fear of the target's retaliation adds to the cost" (C1).
        """
        self.declare(LikelihoodShift(steps=-1, reason="high risk of retaliation", claim="C1"))

    @rule("LK-04", "The government's pace",
          GovernmentPace(pace=MATCH.pace & one_of("accelerates", "slows")), Verdict(), claims=("C4",), stage=Stage.LIKELIHOOD,
          rank=10)
    def pace_shift(self, pace):
        """Moves the likelihood a step with a pro-leader or autonomist government.

        A pro-leader government accelerates accession "although this was not a decisive
        factor" (C4): it moves the likelihood and the pace, never whether the state joins.
        """
        steps = {"accelerates": 1, "slows": -1}[pace]
        self.declare(LikelihoodShift(steps=steps, reason=f"the government {pace} accession",
                                     claim="C4"))

    @rule("LK-05", "The threat narrative lands",
          NarrativeReceptiveness(level=MATCH.level & one_of("receptive", "unreceptive")), Verdict(),
          claims=("S7",),
          stage=Stage.LIKELIHOOD, rank=10)
    def narrative_shift(self, level):
        """Moves the likelihood a step for a receptive or unreceptive ally.

        Threat perception and shared values are the ideational foundations (S7).
        """
        steps = {"receptive": 1, "unreceptive": -1}[level]
        self.declare(LikelihoodShift(steps=steps, reason=f"{level} to the threat narrative",
                                     claim="S7"))

    @rule("LK-06", "Joining gains voice", StatusAnxiety(), Verdict(), claims=("S9",),
          stage=Stage.LIKELIHOOD, rank=10)
    def status_shift(self):
        """Moves the likelihood up a step for an ally anxious not to lag behind.

        "Joining Chip 4 has the potential to enhance South Korea's voice" (S9).
        """
        self.declare(LikelihoodShift(steps=1, reason="joining gains voice outside the core clubs",
                                     claim="S9"))

    @rule("LK-07", "Autonomy pulls against it",
          AutonomyPressure(level="high"), Verdict(), claims=("C3",), stage=Stage.LIKELIHOOD,
          rank=10)
    def autonomy_shift(self):
        """Moves the likelihood down a step for an ally with a doctrine of strategic autonomy.

        Allies weigh their own security concerns, norms and interests; "France and Italy do not
        explicitly support the TTC's anti-China inclinations" (C3).
        """
        self.declare(LikelihoodShift(steps=-1, reason="a doctrine of strategic autonomy",
                                     claim="C3"))

    @rule("LK-10", "Likelihood of joining", Verdict(value=MATCH.verdict), claims=("S1", "ICD203"),
          stage=Stage.LIKELIHOOD)
    def likelihood(self, verdict):
        """Concludes the ICD 203 likelihood: the verdict's starting step plus the shifts, kept in its band.

        The verdict decides the band (a decline is never "likely"); the evidence moves the
        likelihood inside it (S1).
        """
        low, high = VERDICTS[verdict]["band"]
        step = VERDICTS[verdict]["base"] + self.weigh_shifts()
        step = max(low, min(high, step))
        term, floor, ceiling = ICD203[step]
        self.declare(Likelihood(term=term, low=floor, high=ceiling, step=step))

    # ---- confidence ----------------------------------------------------------------------
    @rule("CF-01", "Assumed rather than known", Question(), Defaulted(),
          NOT(ConfidenceDowngrade(cause="assumed")), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10)
    def assumed_values(self):
        """Lowers confidence a step when the answer rests on defaulted values (two steps if many).

        A default is the lowest value of its scale: an assumption, not evidence.
        """
        count = len(self.gather(Defaulted))
        self.declare(ConfidenceDowngrade(
            cause="assumed", steps=2 if count >= 5 else 1,
            reason=f"{count} value{'s' if count != 1 else ''} assumed by default, not known"))

    @rule("CF-02", "Unsourced evidence", Sourcing(source=MATCH.source, value=0), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10)
    def unsourced(self, source):
        """Lowers confidence a step when a case file cites no sources.

        ICD 203 asks for the quality and credibility of sources to be described; evidence that
        nobody can check is weaker evidence.
        """
        self.declare(ConfidenceDowngrade(cause="unsourced", steps=1,
                                         reason=f"the {source} file cites no sources"))

    @rule("CF-04", "A what-if, not the evidence", Question(), SetByHand(),
          NOT(ConfidenceDowngrade(cause="what-if")), claims=("ICD203",),
          stage=Stage.CONFIDENCE, rank=10)
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
          InterestSacrifice(level="heavy"), claims=("T5", "C1", "ICD203"), stage=Stage.CONFIDENCE, rank=10)
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
          stage=Stage.CONFIDENCE)
    def confidence(self):
        """Concludes the confidence, high less one step per reason to doubt, with its basis.

        Confidence rests on the evidence (complete, sourced) and on whether the mechanisms agree.
        """
        downgrades = self.gather(ConfidenceDowngrade)
        steps = sum(d["steps"] for d in downgrades)
        level = CONFIDENCE[max(0, len(CONFIDENCE) - 1 - steps)]
        basis = [d["reason"] for d in downgrades] or [
            "every value used was given in sourced case files, and the mechanisms agree"]
        self.declare(Confidence(level=level, basis=tuple(basis)))
