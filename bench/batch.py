"""Benchmark the batch commands (matrix, rules coverage, backtest): wall time from a cold process
with an empty answer cache and with a warm one, and the peak memory of the matrix over large
generated case directories (bench/load.py's copies of the shipped state files); run by hand.

    .venv/bin/python bench/batch.py                       # 5 runs each; matrix memory at 200, 400 states
    .venv/bin/python bench/batch.py --runs 3 --sizes 400 1000
    .venv/bin/python bench/batch.py --coalition OTHER/.venv/bin/coalition   # another install, same minutes

*Cold cache*: every run gets a new, empty cache directory ($COALITION_CACHE_DIR), so every
question is asked; *warm cache*: the directory a first run filled. Each command is the command as
a user types it (``coalition matrix --format json``, output discarded), interpreter start-up
included; median and range of the runs. An install without the cache (before it existed)
ignores the variable: its two rows are the same command. The CPU seconds of a cold run (the
command and its workers) over its wall time say how many cores it kept busy. Memory: the peak
resident set of the command's own process and, apart, of the largest of its worker processes
(getrusage), for ``matrix --cases DIR --only-cases`` over DIR of N state files, each run cold
(no cache). The machine is shared: run the two installs to compare in the same minutes, and read
the ranges.
Not part of the test suite: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

COMMANDS = {"matrix": ["matrix", "--format", "json"],
            "rules coverage": ["rules", "coverage", "--format", "json"],
            "backtest": ["backtest", "--format", "json"]}

# runs the command in this process, then reports its own peak RSS and its children's (KiB)
MEASURE = """
import os, resource, sys
sys.argv = ["coalition", *sys.argv[1:]]
null = os.open(os.devnull, os.O_WRONLY)
report = os.dup(1)
os.dup2(null, 1)
from digital_coalitions import main
try:
    main()
except SystemExit as end:
    if end.code not in (0, None):
        raise
os.write(report, ("%d %d\\n" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)).encode())
"""


def environment(cache_dir: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COALITION_NO_CACHE", "COALITION_CACHE_DIR", "COALITION_CASES")}
    if cache_dir is not None:
        env["COALITION_CACHE_DIR"] = str(cache_dir)
    return env


def cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


CPU: list[float] = []  # the CPU seconds of each timed run (the command and its workers)


def timed(coalition: str, args: list[str], cache_dir: Path) -> float:
    start, cpu = time.perf_counter(), cpu_of_children()
    result = subprocess.run([coalition, *args, "-q"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=environment(cache_dir))
    took = time.perf_counter() - start
    CPU.append(cpu_of_children() - cpu)
    if result.returncode != 0:
        raise SystemExit(f"coalition {' '.join(args)} failed: {result.stderr}")
    return took


def wall_times(coalition: str, args: list[str], runs: int, root: Path) -> tuple[list, list]:
    """(cold-cache times, warm-cache times): cold runs each in a new cache directory, warm runs
    in the one the first cold run filled, after it."""
    CPU.clear()
    cold = [timed(coalition, args, root / f"cold-{n}") for n in range(runs)]
    cold_cpu = list(CPU)
    warm = [timed(coalition, args, root / "cold-0") for _ in range(runs)]
    return cold, warm, cold_cpu


def peak_memory(coalition: str, directory: Path, root: Path) -> tuple[int, int]:
    """(peak RSS of the command's process, of its largest worker), KiB, for one cold matrix."""
    python = str(Path(coalition).with_name("python"))
    args = ["matrix", "--cases", str(directory), "--only-cases", "--format", "json", "-q"]
    result = subprocess.run([python, "-c", MEASURE, *args], capture_output=True, text=True,
                            env=environment(root / f"memory-{directory.name}"))
    if result.returncode != 0:
        raise SystemExit(f"coalition {' '.join(args)} failed: {result.stderr}")
    own, children = result.stdout.split()
    return int(own), int(children)


def cells(directory: Path) -> int:
    return (len(list((directory / "states").glob("*.yaml")))
            * len(list((directory / "coalitions").glob("*.yaml"))))


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 400],
                        help="state files in the generated directories for the memory rows")
    parser.add_argument("--coalition", default=str(Path(sys.executable).with_name("coalition")),
                        help="the command to measure (default: this environment's)")
    parser.add_argument("--only", choices=sorted(COMMANDS), nargs="*", default=sorted(COMMANDS))
    options = parser.parse_args()
    from load import make_directory

    print(f"{options.coalition}: {options.runs} runs each, median (range); {os.cpu_count()} "
          f"cores; load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name in options.only:
            cold, warm, cpu = wall_times(options.coalition, COMMANDS[name], options.runs,
                                         root / name.replace(" ", "-"))
            cores = statistics.median(c / w for c, w in zip(cpu, cold))
            print(f"  {name:<16} cold cache {spread(cold)}, {statistics.median(cpu):.1f} s of "
                  f"CPU on {cores:.2f} cores   warm cache {spread(warm)}   "
                  f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        for size in options.sizes:
            directory = make_directory(root, size)
            start = time.perf_counter()
            own, workers = peak_memory(options.coalition, directory, root)
            took = time.perf_counter() - start
            print(f"  matrix over {size:,} state files ({cells(directory):,} cells): peak RSS "
                  f"{own / 1024:.0f} MiB (largest worker {workers / 1024:.0f} MiB), "
                  f"{took:.1f} s (load average {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
