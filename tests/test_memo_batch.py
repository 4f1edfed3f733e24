"""``coalition memo --all COALITION -o DIR``: one memo per state asked, an index, and one-line errors."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digital_coalitions import Cases

from digital_coalitions.report.memo import icd203_problems
from digital_coalitions.casefiles.question import ASKED, Resolver, dated, role_of, shipped_cases

COALITION = str(Path(sys.executable).with_name("coalition"))
DATE = "2024-06-01"


def run(*args, cwd=None):
    return subprocess.run([COALITION, *args], capture_output=True, text=True, cwd=cwd)


def asked_about(coalition_id, as_of=None) -> dict:
    """state id -> role, for the states `coalition memo STATE COALITION` gives a memo about."""
    base = Resolver(shipped_cases()).base
    roles = {sid: role_of(*dated(state, base.coalitions[coalition_id], as_of))[0]
             for sid, state in base.states.items()}
    return {sid: role for sid, role in roles.items() if role in ASKED}


def links(index: str, fmt: str) -> list[str]:
    pattern = r'href="([^"]+)"' if fmt == "html" else r"\]\(([^)]+)\)"
    return re.findall(pattern, index)


@pytest.mark.parametrize("coalition,fmt,extra", [
    ("chip4", "markdown", ()),
    ("five-eyes", "html", ()),
    ("chip4", "markdown", ("--as-of", "2022")),
])
def test_one_memo_per_asked_state_each_as_the_single_memo_writes_it(tmp_path, coalition, fmt,
                                                                     extra):
    out = tmp_path / "memos"  # created: it does not exist yet
    result = run("memo", "--all", coalition, "--format", fmt, "--date", DATE, *extra, "-o",
                 f"{out}/")
    assert result.returncode == 0, result.stderr
    suffix = ".html" if fmt == "html" else ".md"
    asked = asked_about(coalition, int(extra[1]) if extra else None)
    assert asked  # the question would be empty otherwise
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{sid}{suffix}" for sid in asked]
                                                           + [f"index{suffix}"])
    index = (out / f"index{suffix}").read_text()
    assert sorted(links(index, fmt)) == sorted(f"{sid}{suffix}" for sid in asked)
    assert all((out / link).is_file() for link in links(index, fmt))
    assert icd203_problems(index, html_text=fmt == "html") == []
    for sid in asked:
        single = run("memo", sid, coalition, "--format", fmt, "--date", DATE, *extra)
        assert single.returncode == 0, single.stderr
        assert (out / f"{sid}{suffix}").read_text() == single.stdout, sid
    # captured, the batch prints no progress (a terminal gets one redrawn line): what was written
    assert result.stderr.splitlines() == [f"wrote {len(asked)} memos and {out / ('index' + suffix)}"]


def test_the_index_gives_each_verdict_and_likelihood_and_says_why_others_are_not_asked(tmp_path):
    result = run("memo", "--all", "chip4", "--date", DATE, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "index.md").read_text()
    row = next(line for line in index.splitlines() if line.startswith("| South Korea |"))
    assert "| member | joins reluctantly | very likely (80–95%); 93.0% on this evidence |" in row
    assert "[south-korea.md](south-korea.md)" in row
    assert "The United States leads Chip 4: it is the coalition's leader, not a candidate." in index
    assert "China is the target Chip 4 is aimed at, not a candidate." in index
    chip4 = Cases().base.coalitions["chip4"].data
    closed = set(Cases().base.states) - {*chip4["open_to"], chip4["leader"], chip4["target"]}
    assert f"so these {len(closed)} are not asked: Albania, Argentina," in index
    assert not (tmp_path / "china.md").exists() and not (tmp_path / "australia.md").exists()


def test_one_engine_and_one_load_of_the_cases_serve_every_memo(tmp_path, monkeypatch):
    from digital_coalitions.inference import engine as engine_module
    from digital_coalitions.casefiles import question
    from digital_coalitions.cli.main import main

    loads, engines = [], []
    real_load, real_init = question.load_dir, engine_module.CoalitionEngine.__init__
    monkeypatch.setattr(question, "load_dir", lambda *a, **k: loads.append(a) or real_load(*a, **k))

    def counted(self, *args, **kwargs):
        engines.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(engine_module.CoalitionEngine, "__init__", counted)
    result = CliRunner().invoke(main, ["memo", "--all", "five-eyes", "--date", DATE, "-o",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.md"))) == 5  # four memos and the index
    assert len(loads) == 1 and len(engines) == 1


def test_a_coalition_wide_set_applies_to_every_memo_and_a_state_one_is_refused(tmp_path):
    change = "coalition.offers.subsidies=false"
    result = run("memo", "--all", "chip4", "--date", DATE, "--set", change, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    single = run("memo", "south-korea", "chip4", "--date", DATE, "--set", change)
    assert (tmp_path / "south-korea.md").read_text() == single.stdout
    assert "offers.subsidies" in single.stdout  # the memo says what was changed
    refused = run("memo", "--all", "chip4", "--set", "autonomy.government_alignment=autonomist",
                  "-o", str(tmp_path / "other"))
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert line.startswith("error: --set autonomy.government_alignment=autonomist with --all")
    assert "expected a coalition." in line
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("args,message", [
    (["memo", "--all", "chip4"], "memo --all writes one file per state; expected -o DIR"),
    (["memo", "--all", "chip-5", "-o", "DIR"], "unknown coalition 'chip-5'"),
    (["memo", "--all", "chip4", "-o", "FILE"], "FILE: is a file; expected a directory"),
])
def test_bad_batches_are_one_line_and_write_nothing(tmp_path, args, message):
    (tmp_path / "FILE").write_text("keep me\n")
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line and "Traceback" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["FILE"]
    assert (tmp_path / "FILE").read_text() == "keep me\n"


def test_a_template_that_fails_stops_the_batch_before_any_file_is_written(tmp_path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "batch-index.md.j2").write_text("# {{ coalition.name }}\n{{ 1/0 }}\n")
    out = tmp_path / "memos"
    result = run("memo", "--all", "five-eyes", "--templates", str(house), "-o", str(out))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: batch-index.md.j2:2 in ") and "ZeroDivisionError" in line
    assert not out.exists()


def test_the_memos_can_come_from_another_case_directory(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(shipped_cases() / "states", cases / "states")
    shutil.copytree(shipped_cases() / "coalitions", cases / "coalitions")
    path = cases / "coalitions" / "five-eyes.yaml"
    path.write_text(path.read_text().replace("name: Five Eyes", "name: Five Eyes (copy)", 1))
    result = run("memo", "--all", "five-eyes", "--cases", str(cases), "--date", DATE, "-o",
                 str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.md").read_text().startswith("# Memos: Five Eyes (copy)")


def test_named_states_limit_the_batch_to_them(tmp_path):
    """An analyst wants the memos of the few states she follows, not of all 109."""
    result = run("memo", "--all", "chip4", "--state", "japan", "--state", "Republic of Korea",
                 "--state", "china", "--date", DATE, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.md", "japan.md", "south-korea.md"]
    single = run("memo", "south-korea", "chip4", "--date", DATE)
    assert (tmp_path / "south-korea.md").read_text() == single.stdout
    index = (tmp_path / "index.md").read_text()
    assert "among those named with --state (Japan, South Korea, China)" in index
    assert "China is the target Chip 4 is aimed at, not a candidate." in index  # named, not asked
    assert sorted(links(index, "markdown")) == ["japan.md", "south-korea.md"]


@pytest.mark.parametrize("args,expected", [
    (["memo", "--all", "chip4", "--state", "atlantis", "-o", "DIR"], "unknown state 'atlantis'"),
    (["memo", "japan", "chip4", "--state", "japan"], "--state japan without --all; expected memo "
                                                      "--all COALITION --state NAME -o DIR"),
])
def test_a_bad_named_state_is_one_line_and_writes_nothing(tmp_path, args, expected):
    args = [str(tmp_path / "out") if a == "DIR" else a for a in args]
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr
    assert not (tmp_path / "out").exists()
