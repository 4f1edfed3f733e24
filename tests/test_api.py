"""The library (``from digital_coalitions import …``): the same answers as the command, one error
base, questions in every form the command takes, and no trace of one call in the next."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import digital_coalitions as dc
from digital_coalitions.audit.trace import verify
from digital_coalitions.casefiles.question import shipped_cases

MODERATE = "industries.semiconductors.reliance.united-states.level=moderate"


def coalition(*args, env=None):
    return subprocess.run([sys.executable, "-m", "digital_coalitions.cli.main", *args],
                          capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def cases():
    return dc.Cases()


def test_ask_gives_what_the_command_prints(cases):
    printed = coalition("ask", "south-korea", "chip4", "--set", MODERATE, "--format", "json")
    assert printed.returncode == 0, printed.stderr
    answer = dc.ask("south-korea", "chip4", cases=cases, set=[MODERATE])
    assert json.loads(printed.stdout) == json.loads(json.dumps(answer.to_dict()))


@pytest.mark.parametrize("question", [
    ("Will South Korea join Chip 4?",),
    ("south-korea", "chip4"),
    ("Republic of Korea", "Chip 4"),
    (str(shipped_cases() / "states" / "south-korea.yaml"),
     str(shipped_cases() / "coalitions" / "chip4.yaml")),
])
def test_every_form_of_a_question_names_the_same_pair(cases, question):
    answer = dc.ask(*question, cases=cases)
    assert (answer.state.id, answer.coalition.id) == ("south-korea", "chip4")


def test_two_case_files_in_hand_are_asked_as_they_are(cases):
    state, chip4 = cases.state("japan"), cases.coalition("chip4")
    assert dc.ask(state, chip4, cases=cases).verdict == dc.ask("japan", "chip4").verdict


def test_a_change_is_for_one_call_only(cases):
    before = dc.ask("south-korea", "chip4", cases=cases)
    changed = dc.ask("south-korea", "chip4", cases=cases, set=[MODERATE])
    after = dc.ask("south-korea", "chip4", cases=cases)
    assert changed.verdict != before.verdict
    assert after.to_dict() == before.to_dict()
    assert cases.state("south-korea").data == after.state.data


def test_every_bad_input_is_one_bad_input_error(cases):
    problems = {}
    for name, call in {
        "unknown state": lambda: dc.ask("Will Atlantis join Chip 4?", cases=cases),
        "bad --set": lambda: dc.ask("south-korea", "chip4", cases=cases,
                                    set=["industries.semiconductors.reliance.united-states.level=vast"]),
        "unknown concept": lambda: dc.explain("south-korea", "chip4", concept="blah", cases=cases),
        "whatif without a change": lambda: dc.whatif("south-korea", "chip4", set=[], cases=cases),
        "missing directory": lambda: dc.ask("south-korea", "chip4", cases=dc.Cases("/nonexistent")),
        "only, without a directory": lambda: dc.Cases(only=True),
    }.items():
        with pytest.raises(dc.BadInput) as raised:
            call()
        problems[name] = raised.value.lines
    assert all(lines and all(line.strip() for line in lines) for lines in problems.values()), problems
    assert "Atlantis" in problems["unknown state"][0]
    assert "vast" in problems["bad --set"][0] and problems["bad --set"][0].startswith("--set:")


def test_a_leader_is_not_a_candidate_and_that_is_not_an_error(cases):
    with pytest.raises(dc.NotACandidate) as raised:
        dc.ask("united-states", "chip4", cases=cases)
    assert not isinstance(raised.value, dc.BadInput)
    assert raised.value.to_dict()["role"] == "leader"


def test_a_change_that_makes_the_state_the_target_leaves_no_forecast(cases):
    # as the file saying so would: the target has a role in the coalition, not a choice (D2)
    target = ["coalition.target=norway"]  # a candidate for GPAI, not a member
    for call in (lambda: dc.ask("norway", "gpai", cases=cases, set=target),
                 lambda: dc.whatif("norway", "gpai", cases=cases, set=target)):
        with pytest.raises(dc.NotACandidate) as raised:
            call()
        assert raised.value.to_dict()["role"] == "target"
    assert dc.ask("norway", "gpai", cases=cases, set=["coalition.target=russia"]).verdict
    # a member made the target contradicts the file's members: refused, as in the file
    with pytest.raises(dc.BadInput) as raised:
        dc.ask("south-korea", "chip4", cases=cases, set=["coalition.target=south-korea"])
    assert raised.value.lines == ["--set: coalition.members[2]: the target 'south-korea' is listed "
                                  "as a member; expected the states that joined, not the state "
                                  "the coalition is aimed at"]


def test_a_directory_of_ones_own_replaces_the_shipped_file_of_the_same_id(tmp_path, cases):
    (tmp_path / "states").mkdir()
    shutil.copy(shipped_cases() / "states" / "south-korea.yaml", tmp_path / "states")
    mine = tmp_path / "states" / "south-korea.yaml"
    mine.write_text(mine.read_text().replace("level: critical", "level: moderate", 1))
    own = dc.Cases(tmp_path)
    assert own.directories == (shipped_cases(), tmp_path)
    assert own.state("south-korea").path == mine
    shipped = dc.ask("south-korea", "chip4", cases=cases)
    assert dc.ask("south-korea", "chip4", cases=own).to_dict() != shipped.to_dict()
    assert dc.Cases(tmp_path, only=True).directories == (tmp_path,)


def test_the_library_reads_no_case_directory_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COALITION_CASES", str(tmp_path / "nowhere"))
    assert dc.Cases().directories == (shipped_cases(),)
    assert dc.ask("south-korea", "chip4").verdict


def test_a_trace_records_the_command_that_asks_it_again_and_verifies(cases):
    record = dc.trace("south-korea", "chip4", cases=cases, set=[MODERATE], as_of=2023)
    assert record["command"] == ["ask", "south-korea", "chip4", "--as-of", "2023", "--set",
                                 MODERATE, "--format", "json", "--trace"]
    assert record["assignments"] == [MODERATE]
    assert verify(record).identical
    replayed = coalition(*record["command"])
    assert json.loads(replayed.stdout)["verdict"] == record["verdict"]


def test_whatif_carries_the_trace_diff_the_command_prints(cases):
    result = dc.whatif("south-korea", "chip4", set=[MODERATE], cases=cases)
    printed = coalition("whatif", "south-korea", "chip4", "--set", MODERATE, "--format", "json")
    assert result.direction == "away from joining"
    assert json.loads(printed.stdout)["trace_diff"] == json.loads(json.dumps(result.trace_changes))


def test_explain_and_memo_and_map(cases):
    how = dc.explain("south-korea", "chip4", concept="stranglehold", cases=cases)
    assert how["concept"] == "stranglehold" and how["trees"]
    brief = dc.memo("south-korea", "chip4", cases=cases, layers="brief", date="2026-12-01")
    assert brief.problems == [] and "South Korea" in brief.text
    assert brief.memo.answer.verdict == dc.ask("south-korea", "chip4", cases=cases).verdict
    svg = dc.coalition_map("chip4", cases=cases, highlight="Japan")
    assert svg.startswith("<?xml") and "Japan" in svg


def test_importing_the_package_loads_no_engine():
    """`import digital_coalitions` is cheap: the library loads on first use."""
    probe = subprocess.run([sys.executable, "-c", "import sys, digital_coalitions; "
                            "print(sorted(m for m in ('experta', 'jinja2', 'yaml', 'click') "
                            "if m in sys.modules))"],
                           capture_output=True, text=True, env={**os.environ})
    assert probe.stdout.strip() == "[]", probe.stderr
    assert Path(dc.__file__).parent.name in {"engine", "digital_coalitions"}


@pytest.mark.parametrize("call, field", [
    (lambda: dc.ask("south-korea", "chip4", as_of="2020"), "as_of"),
    (lambda: dc.ask("south-korea", "chip4", set=[3]), "set"),
    (lambda: dc.memo("south-korea", "chip4", fmt="pdf"), "fmt"),
    (lambda: dc.memo("south-korea", "chip4", layers="short"), "layers"),
    (lambda: dc.memo("south-korea", "chip4", date="2024-01-01\n# heading"), "date"),
    (lambda: dc.whatif("south-korea", "chip4"), "whatif"),
    *[(lambda w=w: dc.flips("south-korea", "chip4", workers=w), "workers")
      for w in ("x", 0, -1, 2.5, True)],
    (lambda: dc.matrix(workers="x"), "workers"),
    *[(lambda h=h: dc.memo("south-korea", "chip4", horizon=h), "horizon")
      for h in (0, 9, -3, 2.5, "2", True)],  # the command line's --horizon takes 1 to 5
])
def test_a_wrong_argument_is_one_line_naming_it(call, field):
    with pytest.raises(dc.BadInput) as raised:
        call()
    assert len(raised.value.lines) == 1 and raised.value.lines[0].startswith(field)


def test_one_change_may_be_given_as_a_string(cases):
    assert dc.ask("south-korea", "chip4", cases=cases, set=MODERATE).to_dict() == \
        dc.ask("south-korea", "chip4", cases=cases, set=[MODERATE]).to_dict()
