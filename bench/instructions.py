"""Instructions per question, counted by valgrind's callgrind: a speed measure the machine's load
cannot move (run by hand; needs valgrind).

    .venv/bin/python bench/instructions.py            # verdict-only pair questions, as flips asks
    .venv/bin/python bench/instructions.py --full     # full answers (answer.ask)

Wall times on the shared 2-core machine vary by a quarter from run to run for the same work;
instruction counts repeat exactly. Each figure is (instructions for N questions − instructions
for 10) / (N − 10), so start-up, imports and loading cancel out. The questions are India → Chip 4
with pairs of one-step changes applied, the heaviest shipped flips search.
"""

from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def ask_questions(count: int, full: bool) -> None:
    from digital_coalitions.analysis import explore as analysis
    from digital_coalitions.inference.engine import CoalitionEngine
    from digital_coalitions.casefiles.question import Resolver, shipped_cases

    base = Resolver(shipped_cases()).base
    state, coalition = base.states["india"], base.coalitions["chip4"]
    asker = analysis._Asker(state, coalition, CoalitionEngine())
    one_step = [c for c in analysis.candidate_changes(state, coalition) if c.steps == 1]
    pairs = [(a, b) for a, b in itertools.combinations(one_step, 2) if a.field != b.field]
    for changes in pairs[:count]:
        asker.answer(changes) if full else asker.verdict(changes)


def counted(count: int, full: bool) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
                   __file__, "--ask", str(count)] + (["--full"] if full else [])
        subprocess.run(command, check=True, capture_output=True)
        return int(re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="full answers, not verdicts only")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--ask", type=int, help=argparse.SUPPRESS)  # the counted child process
    options = parser.parse_args()
    if options.ask is not None:
        ask_questions(options.ask, options.full)
        return
    few, many = counted(10, options.full), counted(options.questions, options.full)
    per_question = (many - few) / (options.questions - 10)
    kind = "full answers" if options.full else "verdict-only pair questions"
    print(f"{per_question / 1e6:.1f} million instructions per question ({kind}, India → Chip 4)")


if __name__ == "__main__":
    main()
