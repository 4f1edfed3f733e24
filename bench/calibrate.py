"""Fit the likelihood's calibration on the backtest's tuning material (never a holdout).

The rules decide the verdict; the likelihood places it inside the verdict's ICD 203 band at
the verdict's base figure, moved by the evidence's shifts along a logistic curve of one slope
(rules/judgment.py). This script chooses the six base figures and the slope that minimise the
Brier score over the tuning material, and prints them with the fit before and after. The values it
finds are copied by hand into rules/concepts.py (VERDICTS) and rules/judgment.py (SLOPE), so that
the rule base stays a plain reading of the paper plus these stated numbers.

    .venv/bin/python bench/calibrate.py
    .venv/bin/python bench/calibrate.py --parts all   # a bound, not a fit to use: every part

``--parts all`` fits on every decision, holdouts included: nothing is left to judge the fit on,
so its figures are not to be copied into the rules. It answers another question: how low the
Brier score could go with these verdicts if only the likelihood were placed better.
"""

from __future__ import annotations

import argparse
import math

from digital_coalitions.analysis.backtest import PARTS, default_decisions, load_decisions
from digital_coalitions.casefiles.question import Resolver, dated, shipped_cases
from digital_coalitions.inference.answer import ask
from digital_coalitions.inference.engine import CoalitionEngine
from digital_coalitions.rules import judgment
from digital_coalitions.rules.concepts import ICD203, VERDICTS


# what the fit may read: the first sample's tuning set, and each later sample once it was scored
# and read (docs/backtest.md); never the first holdout or a sample still held out (the fifth)
TUNING_PARTS = ("tuning", "second", "third", "fourth")


def figure(verdict, steps, base, slope):
    low_step, high_step = VERDICTS[verdict]["band"]
    low, high = ICD203[low_step][1], ICD203[high_step][2]
    start = min(max((base - low) / (high - low), 1e-3), 1 - 1e-3)
    z = math.log(start / (1 - start)) + slope * steps
    return (low + (high - low) / (1 + math.exp(-z))) / 100


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--parts", choices=("tuning", "all"), default="tuning",
                         help="the tuning material (default), or every part: a bound, not a fit")
    parts = PARTS[1:] if options.parse_args().parts == "all" else TUNING_PARTS
    base = Resolver(shipped_cases()).base
    path = default_decisions(base.directory)
    engine = CoalitionEngine()
    rows = []
    for decision in load_decisions(path, base):
        if decision.part not in parts:
            continue
        # the full answer, not the backtest's summary: the fit reads the likelihood's shifts
        answer = ask(*dated(base.states[decision.state], base.coalitions[decision.coalition],
                            decision.as_of), engine)
        steps = sum(f["steps"] for f in answer.facts.values()
                    if type(f).__name__ == "LikelihoodShift")
        rows.append((answer.verdict, steps, float(decision.joins)))

    def base_of(bases, verdict):  # a verdict that shares another's base takes it (concepts.py)
        return bases[VERDICTS[verdict].get("shares", verdict)]

    def brier(bases, slope):
        return sum((figure(v, x, base_of(bases, v), slope) - y) ** 2
                   for v, x, y in rows) / len(rows)

    now = {v: VERDICTS[v]["base"] for v in VERDICTS}
    print(f"decisions fitted ({', '.join(parts)}): {len(rows)}; Brier now {brier(now, judgment.SLOPE):.4f} "
          f"(slope {judgment.SLOPE}, bases {now})")
    for v in VERDICTS:
        ys = [y for verdict, _, y in rows if verdict == v]
        if ys:
            print(f"  {v:18} {len(ys):3} answered, joined {sum(ys) / len(ys):.0%}")
    best = (brier(now, judgment.SLOPE), judgment.SLOPE, dict(now))
    for slope in (0.2, 0.3, 0.4, 0.5, 0.6, 0.8):
        bases = dict(now)
        for _ in range(3):  # coordinate descent over each verdict's base, inside its band
            for v in (v for v in VERDICTS if "shares" not in VERDICTS[v]):  # fitted with it
                low, high = ICD203[VERDICTS[v]["band"][0]][1], ICD203[VERDICTS[v]["band"][1]][2]
                candidates = [low + (high - low) * k / 40 for k in range(1, 40)]
                bases[v] = min(candidates, key=lambda b: brier({**bases, v: b}, slope))
        score = brier(bases, slope)
        print(f"slope {slope}: Brier {score:.4f}  bases " +
              ", ".join(f"{v} {base_of(bases, v):.1f}" for v in bases))
        if score < best[0]:
            best = (score, slope, dict(bases))
    print(f"best: Brier {best[0]:.4f}, slope {best[1]}, bases " +
          ", ".join(f"{v} {round(base_of(best[2], v))}" for v in best[2]))


if __name__ == "__main__":
    main()
