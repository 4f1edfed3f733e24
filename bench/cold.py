"""Cold start: ``coalition ask`` as a user types it, against the bare import floor (issue 12).

    .venv/bin/python bench/cold.py                 # 15 rounds
    .venv/bin/python bench/cold.py --runs 25       # more rounds on a busy machine
    .venv/bin/python bench/cold.py --markdown      # the table for the README's Speed section
    .venv/bin/python bench/cold.py --python old/bin/python --python new/bin/python
                                                   # two installs, interleaved in the same minutes

The *import floor* is a Python process that imports what every answer needs and nothing of
ours: experta (through digital_coalitions.compat, the only way it imports on Python >= 3.10),
PyYAML, Jinja2 and click. No ``coalition`` command can start faster than that. Each round runs
every command once, in turn (the floor, an empty interpreter, each ``coalition ask``), so that a
slow spell of the shared machine falls on all of them alike; the table gives each command's
median and range of wall time, its median CPU time (user + system of the child: what the load
of other processes moves least), and the ratio of its median to the floor's, for wall and CPU
time. ``--instructions`` adds the instructions each command executes, counted by valgrind: a
ratio no load can move (instructions are not time: start-up's memory traffic costs more per
instruction than inference does). Before timing, the package's modules are compiled to byte code (as ``pip install .``
does; this sandbox sets PYTHONDONTWRITEBYTECODE, so an editable install would otherwise
compile them at every start). Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

FLOOR = "import digital_coalitions.compat, yaml, jinja2, click"


def commands(python: str, tag: str = "") -> list[tuple[str, list[str]]]:
    """(label, argv) of each command for one install: the floor first, the ratios are to it."""
    coalition = str(Path(python).with_name("coalition"))
    return [(f"{tag}import floor: experta, yaml, jinja2, click", [python, "-c", FLOOR]),
            (f"{tag}empty interpreter (`python -c pass`)", [python, "-c", "pass"]),
            (f"{tag}`coalition ask south-korea chip4`", [coalition, "ask", "south-korea", "chip4"]),
            (f"{tag}`coalition ask south-korea chip4 --format json`",
             [coalition, "ask", "south-korea", "chip4", "--format", "json"]),
            (f"{tag}`coalition ask \"Will South Korea join Chip 4?\"` (names: their two files)",
             [coalition, "ask", "Will South Korea join Chip 4?"])]


def compile_package(python: str) -> None:
    """Byte code for the package and its rules, wherever that install has them."""
    code = ("import compileall, pathlib, digital_coalitions, digital_coalitions.rules\n"
            "for m in (digital_coalitions, digital_coalitions.rules):\n"
            "    compileall.compile_dir(str(pathlib.Path(m.__file__).parent), quiet=1)")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([python, "-c", code], check=True, env=env)


def once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``argv``."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {error}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(runs: int, pythons: list[str]) -> list[dict]:
    tagged = len(pythons) > 1
    groups = [commands(p, f"{Path(p).parents[1].name}: " if tagged else "") for p in pythons]
    every = [command for group in groups for command in group]
    for _, argv in every:  # one untimed run each: the file cache warm, as for a user's second
        once(argv)
    walls = {label: [] for label, _ in every}
    cpus = {label: [] for label, _ in every}
    for _ in range(runs):
        for label, argv in every:
            wall, cpu = once(argv)
            walls[label].append(wall)
            cpus[label].append(cpu)
    rows = []
    for group in groups:
        floor = group[0][0]  # each install's own floor
        rows += [{"what": label, "runs": runs, "wall": walls[label],
                  "wall_ratio": statistics.median(walls[label]) / statistics.median(walls[floor]),
                  "cpu": statistics.median(cpus[label]),
                  "cpu_ratio": statistics.median(cpus[label]) / statistics.median(cpus[floor])}
                 for label, _ in group]
    return rows


def instructions(argv: list[str]) -> int:
    """Instructions one run of ``argv`` executes, counted by valgrind (callgrind): the same on a
    busy machine as on an idle one, so a ratio the load cannot move."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if Path(argv[0]).name == "coalition":  # valgrind follows the script's interpreter
        argv = [str(Path(argv[0]).with_name("python")), *argv]
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             *argv], capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"valgrind {' '.join(argv)} failed: {result.stderr[-2000:]}")
    return int(found.group(1))


def instruction_table(pythons: list[str]) -> str:
    tagged = len(pythons) > 1
    lines = ["| command | instructions | × floor |", "|---|---:|---:|"]
    for python in pythons:
        group = commands(python, f"{Path(python).parents[1].name}: " if tagged else "")
        counts = [instructions(argv) for _, argv in group]
        for (label, _), count in zip(group, counts):
            lines.append(f"| {label} | {count / 1e6:,.0f} M | {count / counts[0]:.2f} |")
    return "\n".join(lines)


def table(rows: list[dict], load: tuple[float, float]) -> str:
    lines = [f"{rows[0]['runs']} rounds, each running every command once in turn; "
             f"{os.cpu_count()} cores; load average {load[0]:.1f} before, {load[1]:.1f} after; "
             f"{time.strftime('%Y-%m-%d %H:%M')}.", "",
             "| command | wall: median (range) | × floor (wall) | CPU median | × floor (CPU) |",
             "|---|---|---:|---:|---:|"]
    for r in rows:
        wall = r["wall"]
        lines.append(f"| {r['what']} | {statistics.median(wall):.3f} s ({min(wall):.3f}–"
                     f"{max(wall):.3f}) | {r['wall_ratio']:.2f} | {r['cpu']:.3f} s | "
                     f"{r['cpu_ratio']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds (each runs every command)")
    parser.add_argument("--markdown", action="store_true", help="the table only, for the README")
    parser.add_argument("--python", action="append", metavar="PYTHON",
                        help="the interpreter of an install to time (its `coalition` beside it); "
                             "repeat to compare installs in the same rounds (default: this one)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count each command's instructions once with valgrind")
    options = parser.parse_args()
    pythons = options.python or [sys.executable]
    for python in pythons:
        compile_package(python)
    before = os.getloadavg()[0]
    rows = measure(options.runs, pythons)
    text = table(rows, (before, os.getloadavg()[0]))
    if options.instructions:
        text += "\n\nInstructions executed (valgrind --tool=callgrind; one run each):\n\n"
        text += instruction_table(pythons)
    if not options.markdown:
        text = "Cold `coalition ask` against the import floor (bench/cold.py)\n\n" + text
    print(text)


if __name__ == "__main__":
    main()
