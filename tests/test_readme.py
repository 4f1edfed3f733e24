"""The README's first lines give a new user two commands; they stay true."""

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
