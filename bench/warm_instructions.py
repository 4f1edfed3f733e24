"""Instructions per warm inference, counted by valgrind's callgrind: the slice of
bench/engine_floor.py in our engine and in CLIPS, the whole rule base, and experta's no-rule
floor, on the South Korea / Chip 4 question (run by hand; needs valgrind and the bench extra).

    .venv/bin/python bench/warm_instructions.py                 # all four
    .venv/bin/python bench/warm_instructions.py --python OTHER/.venv/bin/python   # another install
    .venv/bin/python bench/warm_instructions.py --cache slice clips   # simulated cache, branches

Each figure is (instructions for N runs − instructions for 10) / (N − 10) of one warm
reset + declare + run (CLIPS: reset + assert + run through clipspy's C binding), so start-up,
imports, building and loading cancel out; ``PYTHONHASHSEED=0``, so the counts repeat exactly.
The load of the machine moves CPU times by a third; it does not move these.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("slice", "clips", "full", "floor")


def run(kind: str, count: int) -> None:
    sys.path.insert(0, str(HERE))
    import engine_floor as bench
    from digital_coalitions.casefiles.evidence import question_evidence

    state, coalition = bench.question_pair()
    facts, _ = question_evidence(state, coalition)
    if kind == "clips":
        env, prepared = bench.clips_environment(), bench.clips_prepare(facts)
        step = lambda: bench.clips_infer(env, prepared)  # noqa: E731
    else:
        engine = {"slice": bench.SliceEngine, "full": bench.CoalitionEngine,
                  "floor": bench.FloorEngine}[kind]()
        step = lambda: bench.engine_infer(engine, facts)  # noqa: E731
    for _ in range(count):
        step()


def counted(python: str, kind: str, count: int) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python,
                   __file__, "--run", kind, str(count)]
        env = dict(os.environ, PYTHONHASHSEED="0", COALITION_NO_CACHE="1")
        subprocess.run(command, check=True, capture_output=True, env=env)
        return int(re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE).group(1))


def simulated(python: str, kind: str, count: int) -> dict[str, int]:
    """cachegrind's simulated caches and branch predictor for ``count`` runs: its events
    (Ir instructions, D1mr/D1mw first-level data misses, DLmr/DLmw last-level, Bcm/Bim
    mispredicted conditional and indirect branches) by name."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "cachegrind.out"
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--branch-sim=yes",
                   f"--cachegrind-out-file={out}", python, __file__, "--run", kind, str(count)]
        env = dict(os.environ, PYTHONHASHSEED="0", COALITION_NO_CACHE="1")
        subprocess.run(command, check=True, capture_output=True, env=env)
        text = out.read_text()
        events = re.search(r"^events: (.+)$", text, re.MULTILINE).group(1).split()
        values = re.search(r"^summary: (.+)$", text, re.MULTILINE).group(1).split()
        return dict(zip(events, map(int, values)))


def cache_report(python: str, kinds, runs: int) -> None:
    """Per run: instructions, data-cache misses and mispredicted branches, each per thousand
    instructions, for each kind (where CPU time can part from the instruction count)."""
    for kind in kinds:
        few, many = simulated(python, kind, 10), simulated(python, kind, runs)
        per = {k: (many[k] - few[k]) / (runs - 10) for k in many}
        ir = per["Ir"]
        d1 = per.get("D1mr", 0) + per.get("D1mw", 0)
        ll = per.get("DLmr", 0) + per.get("DLmw", 0)
        branches = per.get("Bcm", 0) + per.get("Bim", 0)
        print(f"{kind}: {ir / 1e6:.2f} M instructions, {per.get('Dr', 0) + per.get('Dw', 0):,.0f} "
              f"data reads+writes; per 1,000 instructions: {1000 * d1 / ir:.2f} first-level data "
              f"misses, {1000 * ll / ir:.3f} last-level, {1000 * branches / ir:.2f} mispredicted "
              f"branches", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", help=f"any of {', '.join(KINDS)} (default: all)")
    parser.add_argument("--python", default=sys.executable, help="the install to measure")
    parser.add_argument("--runs", type=int, default=210)
    parser.add_argument("--cache", action="store_true",
                        help="cachegrind's simulated cache misses and mispredicted branches too")
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)  # the counted child process
    options = parser.parse_args()
    if options.run:
        run(options.run[0], int(options.run[1]))
        return
    kinds = options.kinds or list(KINDS)
    if set(kinds) - set(KINDS):
        parser.error(f"kinds are {', '.join(KINDS)}")
    if options.cache:
        cache_report(options.python, kinds, options.runs)
        return
    found = {}
    for kind in kinds:
        few, many = counted(options.python, kind, 10), counted(options.python, kind, options.runs)
        found[kind] = (many - few) / (options.runs - 10)
        print(f"{kind}: {found[kind] / 1e6:.2f} M instructions per run", flush=True)
    if "slice" in found and "clips" in found:
        print(f"slice ÷ CLIPS: {found['slice'] / found['clips']:.2f}×")


if __name__ == "__main__":
    main()
