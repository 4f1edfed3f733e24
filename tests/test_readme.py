"""The README's first lines give a new user two commands, and its audit walk-through works as
written; they stay true."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def first_block() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_first_command_installs_and_asks_the_question():
    ask = first_block()[0]
    assert "pip install" in ask and 'coalition ask "Will South Korea join Chip 4?"' in ask


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = first_block()[1]
    assert "pytest" in test_command
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci


def walkthrough() -> list[tuple[str, list[str]]]:
    """The audit walk-through: each `$ command` with the output the README shows for it."""
    text = (ROOT / "README.md").read_text()
    block = text.split("```text\n$ coalition cases export", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in ("$ coalition cases export" + block).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_audit_walkthrough_works_as_written_after_install(tmp_path):
    """Run in an empty folder with the installed `coalition`, as a reader would after
    `pip install .`; "…" in the README stands for any text (the reader's own path)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COALITION_CASES", None)
    for command, shown in walkthrough():
        result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        got = result.stdout.splitlines()
        patterns = [re.compile(".*".join(map(re.escape, line.split("…")))) for line in shown]
        assert len(got) == len(shown) and all(p.fullmatch(g) for p, g in zip(patterns, got)), \
            f"$ {command}\n" + result.stdout
