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


AUDIT_EXAMPLES = ("$ coalition why ", "$ coalition trace south-korea chip4 -o ")


def audit_examples() -> list[list[tuple[str, list[str]]]]:
    """docs/audit.md's examples that run as written on the shipped cases (the `why` ones, and
    recording and showing a trace), each a list of `$ command` steps with the output shown."""
    text = (ROOT / "docs" / "audit.md").read_text()
    examples = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, re.M | re.S):
        if not block.startswith(AUDIT_EXAMPLES):
            continue
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        examples.append(steps)
    return examples


def printed_as_shown(shown: list[str], got: list[str]) -> str | None:
    """None if each run of shown lines (runs split by a line "…", which stands for lines left
    out; "…" inside a line for any text) is printed in order, line for line; else the run not."""
    runs: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == "…":
            runs.append([])
        else:
            runs[-1].append(line)
    at = 0
    for run in filter(None, runs):
        patterns = [re.compile(".*".join(map(re.escape, line.split("…")))) for line in run]
        found = next((i for i in range(at, len(got) - len(run) + 1)
                      if all(p.fullmatch(g) for p, g in zip(patterns, got[i:]))), None)
        if found is None:
            return "\n".join(run)
        at = found + len(run)
    return None


def test_the_audit_docs_examples_are_what_the_commands_print(tmp_path):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COALITION_CASES", None)
    examples = audit_examples()
    assert [steps[0][0].split()[1] for steps in examples] == ["trace", "why", "why"]
    for steps in examples:
        for command, shown in steps:
            result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            missing = printed_as_shown(shown, result.stdout.splitlines())
            assert missing is None, f"docs/audit.md, `{command}` does not print:\n{missing}"


def test_the_check_of_the_docs_examples_can_fail():
    got = ["a", "b", "c", "d"]
    assert printed_as_shown(["a", "…", "c", "d"], got) is None
    assert printed_as_shown(["… b", "c"], [" b", "c"]) is None
    assert printed_as_shown(["c", "…", "a"], got) == "a"  # out of order
    assert printed_as_shown(["a", "c"], got) == "a\nc"  # not line for line


def test_the_readme_counts_the_shipped_cases():
    text = (ROOT / "README.md").read_text()
    for kind, folder in (("States", "states"), ("Coalitions", "coalitions")):
        shipped = len(list((ROOT / "cases" / folder).glob("*.yaml")))
        assert f"- **{kind} ({shipped}):**" in text, f"README: {kind} are {shipped} now"
