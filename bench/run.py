"""Benchmark the analyst's commands: memo, flips on the slowest pairing, matrix, and loading
large case directories (bench/load.py); run by hand.

    .venv/bin/python bench/run.py              # medians of 7 runs; scans every pairing for flips
    .venv/bin/python bench/run.py --quick      # 3 runs; flips scanned on a few heavy pairings
    .venv/bin/python bench/run.py --markdown   # the table for docs/speed.md

Each figure is the median wall time of repeated runs in one warm process (imports and the
case base loaded once, as in a long session), plus the same command from a cold process
(``coalition …`` as a user types it, interpreter start-up included; median and range), against
which the targets are judged. Targets on the 2-core
reference machine: memo < 1 s, flips < 3 s on any shipped pairing, matrix < 5 s.
Not part of the test suite: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COALITION = str(Path(sys.executable).with_name("coalition"))
HEAVY = [("eu", "ttc"), ("germany", "huawei-5g-exclusion"), ("india", "chip4"),
         ("france", "ttc"), ("south-korea", "chip4")]
TARGETS = {"ask": None, "memo": 1.0, "flips": 3.0, "matrix": 5.0, "load": None}


def times_of(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def median_time(function, runs: int) -> float:
    return statistics.median(times_of(function, runs))


def cold(args, runs: int) -> list[float]:
    """Wall times of the command as a user types it (the shared machine's speed varies by a
    quarter from run to run, so the range is reported with the median)."""
    def once():
        result = subprocess.run([COALITION, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"coalition {' '.join(args)} failed: {result.stderr}")
    return times_of(once, runs)


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs; flips on a few pairings")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    options = parser.parse_args()
    runs = options.runs or (3 if options.quick else 7)

    from digital_coalitions.analysis.explore import flips, matrix, roles
    from digital_coalitions.inference.engine import CoalitionEngine
    from digital_coalitions.report.memo import build_memo, render_memo
    from digital_coalitions.casefiles.question import Resolver, shipped_cases

    base = Resolver(shipped_cases()).base
    engine = CoalitionEngine()
    states = dict(base.states)
    rows = []

    from digital_coalitions.inference.answer import ask

    korea, chip4 = base.states["south-korea"], base.coalitions["chip4"]
    rows.append(("ask south-korea chip4 (one inference)",
                 median_time(lambda: ask(korea, chip4, engine), max(runs, 50)),
                 cold(["ask", "Will South Korea join Chip 4?"], runs), "ask"))

    def memo(fmt):
        built = build_memo(base.states["south-korea"], base.coalitions["chip4"], states, engine)
        render_memo(built, fmt)

    rows.append(("memo south-korea chip4 (markdown)", median_time(lambda: memo("markdown"), runs),
                 cold(["memo", "south-korea", "chip4"], runs), "memo"))
    rows.append(("memo south-korea chip4 --format html", median_time(lambda: memo("html"), runs),
                 cold(["memo", "south-korea", "chip4", "--format", "html"], runs), "memo"))

    # flips: time every pairing once (warm); then, from the command line, the three slowest and
    # the one that asks the most questions. One warm run is too noisy to name the slowest alone.
    if options.quick:
        pairs = HEAVY
    else:
        pairs = [(s, c) for c in sorted(base.coalitions) for s, role in
                 roles(base.coalitions[c], states).items() if role in ("member", "candidate")]
    scan = {}
    for state, coalition in pairs:
        start = time.perf_counter()
        found = flips(base.states[state], base.coalitions[coalition], engine)
        scan[(state, coalition)] = (time.perf_counter() - start, found.searched)
    heavy = sorted(scan, key=lambda pair: scan[pair][0], reverse=True)[:3]
    heavy += [max(scan, key=lambda pair: scan[pair][1])]
    timed = {pair: cold(["flips", *pair], runs) for pair in dict.fromkeys(heavy)}
    slowest = max(timed, key=lambda pair: statistics.median(timed[pair]))
    warm = median_time(lambda: flips(base.states[slowest[0]], base.coalitions[slowest[1]], engine),
                       runs)
    rows.append((f"flips {slowest[0]} {slowest[1]} (slowest of {len(scan)}; "
                 f"{scan[slowest][1]} questions)", warm, timed[slowest], "flips"))
    typical = statistics.median(t for t, _ in scan.values())

    rows.append(("matrix (all shipped pairings)", median_time(lambda: matrix(base, engine), runs),
                 cold(["matrix"], runs), "matrix"))

    sys.path.insert(0, str(Path(__file__).parent))
    import load  # large case directories: 3 runs, for 10,000 files take most of a minute each

    rows += load.rows(min(runs, 3))

    cores = os.cpu_count()
    if options.markdown:
        print(f"Measured with `.venv/bin/python bench/run.py{' --quick' if options.quick else ''}`"
              f" ({runs} runs each, median; {cores} cores; load average "
              f"{os.getloadavg()[0]:.1f} at the end).\n")
        print("| command | warm process | cold process (`coalition …`): median (range) | target |")
        print("|---|---|---|---|")
        for name, warm_s, cold_s, kind in rows:
            target = f"< {TARGETS[kind]:g} s" if TARGETS[kind] else "—"
            print(f"| {name} | {warm_s:.3f} s | {spread(cold_s)} | {target} |")
        print(f"\nflips, median over the {len(scan)} pairings scanned: {typical:.2f} s (warm).")
        floor_and_clips(runs)
        return
    print(f"{runs} runs each, median; {cores} cores; load average {os.getloadavg()[0]:.1f}")
    for name, warm_s, cold_s, kind in rows:
        target = TARGETS[kind]  # judged on the cold median: the command as a user types it
        flag = "" if target is None else ("ok" if statistics.median(cold_s) < target else "OVER")
        print(f"  {name:<62} warm {warm_s:7.3f} s   cold {spread(cold_s):>20}   "
              f"{'target < %g s' % target if target else ''}  {flag}")
    print(f"  flips, median over the {len(scan)} pairings scanned: {typical:.2f} s (warm)")
    floor_and_clips(runs)


def floor_and_clips(runs: int) -> None:
    """In the same run: experta's no-rule floor and CLIPS on a faithful slice (bench/engine_floor.py)."""
    try:
        import clips  # noqa: F401  (the 'bench' extra)
    except ImportError:
        print("\n(floor and CLIPS skipped: pip install '.[bench]' for clipspy)")
        return
    sys.path.insert(0, str(Path(__file__).parent))
    import engine_floor

    rows, _ = engine_floor.measure(repeats=max(runs * 20, 100))
    print("\n" + engine_floor.tables(rows))


if __name__ == "__main__":
    main()
