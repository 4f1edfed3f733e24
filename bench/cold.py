"""Cold start: ``coalition ask`` as a user types it, against the bare import floor (issue 12).

    .venv/bin/python bench/cold.py                 # 15 rounds
    .venv/bin/python bench/cold.py --runs 25       # more rounds on a busy machine
    .venv/bin/python bench/cold.py --markdown      # the table for the README's Speed section

The *import floor* is a Python process that imports what every answer needs and nothing of
ours: experta (through digital_coalitions.compat, the only way it imports on Python >= 3.10),
PyYAML, Jinja2 and click. No ``coalition`` command can start faster than that. Each round runs
every command once, in turn (the floor, an empty interpreter, each ``coalition ask``), so that a
slow spell of the shared machine falls on all of them alike; the table gives each command's
median and range of wall time, its median CPU time (user + system of the child: what the load
of other processes moves least), and the ratio of its median to the floor's, for wall and CPU
time. Before timing, the package's modules are compiled to byte code (as ``pip install .``
does; this sandbox sets PYTHONDONTWRITEBYTECODE, so an editable install would otherwise
compile them at every start). Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COALITION = str(Path(sys.executable).with_name("coalition"))
FLOOR = "import digital_coalitions.compat, yaml, jinja2, click"
COMMANDS = (  # (label, argv): the floor first, the ratios are to it
    ("import floor: experta, yaml, jinja2, click", [sys.executable, "-c", FLOOR]),
    ("empty interpreter (`python -c pass`)", [sys.executable, "-c", "pass"]),
    ("`coalition ask south-korea chip4`", [COALITION, "ask", "south-korea", "chip4"]),
    ("`coalition ask south-korea chip4 --format json`",
     [COALITION, "ask", "south-korea", "chip4", "--format", "json"]),
    ("`coalition ask \"Will South Korea join Chip 4?\"` (names: the directory is loaded)",
     [COALITION, "ask", "Will South Korea join Chip 4?"]),
)


def compile_package() -> None:
    """Byte code for the package and its rules, wherever they are installed."""
    import digital_coalitions
    import digital_coalitions.rules

    for module in (digital_coalitions, digital_coalitions.rules):
        compileall.compile_dir(str(Path(module.__file__).parent), quiet=1)


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


def measure(runs: int) -> list[dict]:
    for _, argv in COMMANDS:  # one untimed run each: the file cache warm, as for a user's second
        once(argv)
    walls = {label: [] for label, _ in COMMANDS}
    cpus = {label: [] for label, _ in COMMANDS}
    for _ in range(runs):
        for label, argv in COMMANDS:
            wall, cpu = once(argv)
            walls[label].append(wall)
            cpus[label].append(cpu)
    floor = COMMANDS[0][0]
    return [{"what": label, "runs": runs, "wall": walls[label],
             "wall_ratio": statistics.median(walls[label]) / statistics.median(walls[floor]),
             "cpu": statistics.median(cpus[label]),
             "cpu_ratio": statistics.median(cpus[label]) / statistics.median(cpus[floor])}
            for label, _ in COMMANDS]


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
    options = parser.parse_args()
    compile_package()
    before = os.getloadavg()[0]
    rows = measure(options.runs)
    text = table(rows, (before, os.getloadavg()[0]))
    if not options.markdown:
        text = "Cold `coalition ask` against the import floor (bench/cold.py)\n\n" + text
    print(text)


if __name__ == "__main__":
    main()
