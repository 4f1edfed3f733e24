"""Benchmark loading a large case directory: the shipped cases plus N generated state files.

    .venv/bin/python bench/load.py                 # 1,000 and 10,000 state files, median of 3
    .venv/bin/python bench/load.py --sizes 1000 2000 4000 --runs 1

Each generated file is a shipped state file under a new id and name (without aliases, which
would clash), so every file is as large, as sourced and as cross-referenced as a real one. The
warm time is ``load_dir`` in one process: reading, validating and cross-checking every file;
the cold time is ``coalition list --cases DIR --only-cases``, which loads the directory once.
bench/run.py adds these rows to its table. Not part of the test suite: timings depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_directory(root: Path, size: int) -> Path:
    """A case directory of ``size`` state files: the shipped ones, then generated copies."""
    from digital_coalitions.casefiles.question import shipped_cases

    shipped = shipped_cases()
    directory = root / f"cases-{size}"
    shutil.copytree(shipped / "coalitions", directory / "coalitions")
    shutil.copytree(shipped / "states", directory / "states")
    originals = sorted((shipped / "states").glob("*.yaml"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in originals]
    for n in range(size - len(originals)):
        stem, text = texts[n % len(texts)]
        new = f"{stem}-{n}"
        text = re.sub(r"^id: .*$", f"id: {new}", text, count=1, flags=re.M)
        text = re.sub(r"^name: (.*)$", rf"name: \1 {n}", text, count=1, flags=re.M)
        text = re.sub(r"^aliases: .*\n", "", text, count=1, flags=re.M)
        (directory / "states" / f"{new}.yaml").write_text(text, encoding="utf-8")
    return directory


def load_times(directory: Path, runs: int) -> list[float]:
    from digital_coalitions.casefiles.loader import load_dir

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        base = load_dir(directory)
        times.append(time.perf_counter() - start)
    assert len(base.states) >= 1
    return times


def cold_times(directory: Path, runs: int) -> list[float]:
    coalition = str(Path(sys.executable).with_name("coalition"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([coalition, "list", "--cases", str(directory), "--only-cases"],
                                capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"coalition list --cases {directory} failed: {result.stderr}")
    return times


def rows(runs: int, sizes=(1000, 10000)):
    """(name, warm median, cold times, kind) for each size, as bench/run.py tabulates them."""
    found = []
    with tempfile.TemporaryDirectory() as root:
        for size in sizes:
            directory = make_directory(Path(root), size)
            warm = statistics.median(load_times(directory, runs))
            found.append((f"load a case directory of {size:,} state files", warm,
                          cold_times(directory, runs), "load"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    print(f"{options.runs} runs each, median; {os.cpu_count()} cores")
    for name, warm, cold, _ in rows(options.runs, options.sizes):
        print(f"  {name:<45} warm {warm:7.2f} s   cold {statistics.median(cold):7.2f} s "
              f"({min(cold):.2f}–{max(cold):.2f}); load average {os.getloadavg()[0]:.1f}",
              flush=True)


if __name__ == "__main__":
    sys.exit(main())
