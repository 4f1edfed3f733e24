"""--set PATH=VALUE: validated exactly like a case file, never mutating or writing anything."""

import copy
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.inference.answer import ask
from digital_coalitions.casefiles.loader import CaseError, load_file
from digital_coalitions.casefiles.question import shipped_cases
from digital_coalitions.casefiles.overrides import apply_overrides, is_overridden, origin, overrides_of
from digital_coalitions.errors import Note

COALITION = str(Path(sys.executable).with_name("coalition"))
LEVEL = "industries.semiconductors.reliance.united-states.level"


@pytest.fixture(scope="module")
def korea(base):
    return base.states["south-korea"], base.coalitions["chip4"]


def problems(state, coalition, *assignments):
    with pytest.raises(CaseError) as caught:
        apply_overrides(state, coalition, assignments)
    return caught.value.problems


def test_a_change_gives_new_case_files_and_leaves_the_loaded_ones_alone(korea):
    state, coalition = korea
    before = copy.deepcopy(state.data)
    on_disk = hashlib.sha256(Path(state.path).read_bytes()).hexdigest()
    new_state, new_coalition = apply_overrides(state, coalition, [f"{LEVEL}=moderate"])
    assert new_state is not state and new_coalition is coalition  # only the file that changed
    assert state.data == before
    assert new_state.data["industries"]["semiconductors"]["reliance"]["united-states"]["level"] \
        == "moderate"
    assert hashlib.sha256(Path(state.path).read_bytes()).hexdigest() == on_disk
    assert new_state.sha256 == state.sha256 and new_state.path == state.path
    (change,) = overrides_of(new_state)
    assert (change.case, change.path, change.previous, change.value) == \
        ("state", LEVEL, "critical", "moderate")
    assert is_overridden(new_state, LEVEL) and not is_overridden(state, LEVEL)
    assert origin(new_state, LEVEL) == "--set"
    assert origin(state, LEVEL).endswith(f"south-korea.yaml:{state.lines[LEVEL]}")
    assert ask(new_state, coalition).mechanisms["stranglehold"] != \
        ask(state, coalition).mechanisms["stranglehold"]


def _containers(tree):
    if isinstance(tree, (dict, list)):
        yield tree
        for value in (tree.values() if isinstance(tree, dict) else tree):
            yield from _containers(value)


def test_changed_case_files_share_no_dict_or_list_with_the_loaded_ones(korea):
    """apply_overrides copies only the sections on a path; validation must build the rest anew."""
    state, coalition = korea
    before = copy.deepcopy((state.data, coalition.data))
    new_state, new_coalition = apply_overrides(state, coalition, [
        f"{LEVEL}=moderate", "state.ties.japan.alliance=partner", "coalition.demand=simple"])
    assert (state.data, coalition.data) == before
    old = {id(c) for case in (state, coalition) for c in _containers(case.data)}
    assert not [c for case in (new_state, new_coalition) for c in _containers(case.data)
                if id(c) in old]


def test_coalition_paths_and_per_member_offers(korea):
    state, coalition = korea
    _, changed = apply_overrides(state, coalition, [
        "per_member.south-korea.offers.security_guarantees=false",
        "per_member.south-korea.offers.exemptions=false", "offers.subsidies=false"])
    assert ask(state, changed).mechanisms["compensation"] == "none"
    assert ask(state, coalition).mechanisms["compensation"] == "substantial"
    assert {o.path for o in overrides_of(changed)} == {
        "per_member.south-korea.offers.security_guarantees",
        "per_member.south-korea.offers.exemptions", "offers.subsidies"}


def test_a_bad_value_gets_the_loaders_own_message(korea, tmp_path):
    """The same wrong value in a case file and in --set: the same words after the path."""
    state, coalition = korea
    text = Path(state.path).read_text().replace("level: critical", "level: modrate", 1)
    (tmp_path / "south-korea.yaml").write_text(text)
    with pytest.raises(CaseError) as from_file:
        load_file(tmp_path / "south-korea.yaml")
    (file_line,) = [p for p in from_file.value.problems if LEVEL in p]
    (set_line,) = problems(state, coalition, f"{LEVEL}=modrate")
    assert set_line.startswith(f"--set: state.{LEVEL}: ")
    assert set_line.split(f"{LEVEL}: ", 1)[1] == file_line.split(f"{LEVEL}: ", 1)[1]
    assert "did you mean 'moderate'?" in set_line


@pytest.mark.parametrize("assignment, expected", [
    (f"{LEVEL[:-1]}x=moderate", r"unknown key; expected one of level, kind, substitutable \(did you mean 'level'\?\)"),
    ("tie.united-states.alliance=none", r"unknown field; .*\(did you mean 'ties'\?\)"),
    ("sources=[Korea]", r"a field of both the state and the coalition file; expected state\.sources or coalition\.sources"),
    ("summary=Korea", r"^--set: summary: the summary is written for readers"),
    ("state.id=korea", r"cannot be changed"),
    ("name=Korea", r"^--set: name: says who the file is about, not what the evidence is, and cannot be changed"),
    ("ties.united-states.arms_import_share=nan", r"expected a number from 0 to 1 or null \(unknown\)$"),
    ("ties.united-states.arms_import_share='0.5'", r"\(unknown\) \(remove the quotes\)$"),
    ("ties.united-states.arms_import_share='.nan'", r"\(unknown\)$"),
    # text in YAML 1.1 (no point, no signed exponent): the number was meant, so say how to write it
    ("ties.united-states.arms_import_share=1e-1", r"\(unknown\) \(YAML reads a number with an exponent as text .*write 1\.0e-3, or 0\.001\)$"),
    ("ties.united-states.arms_import_share=1e308", r"write 1\.0e-3"),
    ("ties.united-states.arms_import_share=1.0e+308", r"out of range"),
    ("offers.subsidies='yes'", r"got a string \('yes'\); expected a YAML boolean"),
    ("industries.semiconductors.target_exposure.china.export_share=60%", r"0\.6 for 60%"),
    ("ties.united-states.arms_import_share=1.5", r"1\.5 is out of range"),
    ("autonomy.strategic_autonomy=!!python/object/apply:os.system [ls]", r"the YAML tag .* is not allowed"),
    ("targets.china.threat_perception=*anchor", r"alias '\*anchor' is not allowed"),
    (LEVEL, r"no '=' between the path and the value; expected PATH=VALUE"),
    ("sources.x=1", r"state\.sources\.x or coalition\.sources\.x"),
    # a path into a value, one name off a field of the other file (a new user's trial)
    ("target.china.threat_perception=moderate", r"^--set: coalition\.target: target holds a "
     r"string \('china'\), which has no field 'china'; expected a path that ends at a value "
     r"\(did you mean state\.targets\.china\.threat_perception\?\)$"),
    ("demand.x=1", r"which has no field 'x'; expected a path that ends at a value$"),
])
def test_bad_assignments_are_one_line_each(korea, assignment, expected):
    (line,) = problems(*korea, assignment)
    assert line.startswith("--set: ") and "\n" not in line
    assert re.search(expected, line), line


def test_every_bad_assignment_is_reported_and_none_applied(korea):
    lines = problems(*korea, f"{LEVEL}=moderate", "demand=hard", "ties.united-states.alliance=ally")
    assert len(lines) == 2
    assert any("coalition.demand" in line for line in lines)
    assert any("ties.united-states.alliance" in line for line in lines)


def test_the_prefix_settles_a_shared_field(korea):
    state, coalition = korea
    new_state, new_coalition = apply_overrides(state, coalition, ["state.sources=[ROK]",
                                                                   "coalition.sources=[Fab 4]"])
    assert (new_state.data["sources"], new_coalition.data["sources"]) == (["ROK"], ["Fab 4"])


@pytest.mark.parametrize("kind", ["state", "coalition"])
def test_what_is_not_evidence_cannot_be_set(korea, kind):
    """Who a file is about and the year of its evidence (what no history year may change
    either) are not evidence: state.as_of=1990 was listed as a change, and cost confidence,
    while the evidence of 2023 answered; state.name=Japan asked "Will Japan join Chip 4?" of
    South Korea's evidence."""
    from digital_coalitions.casefiles.schema import FIXED_IN_HISTORY, fields

    names = sorted(FIXED_IN_HISTORY & {f.name for f in fields(kind)})
    assert {"id", "name", "aliases", "as_of", "history"} <= set(names)
    lines = problems(*korea, *(f"{kind}.{name}=x" for name in names))
    assert len(lines) == len(names)
    for name, line in zip(names, lines):
        assert line.startswith(f"--set: {kind}.{name}: ") and "cannot be changed" in line, line
    (as_of,) = [line for line in lines if line.startswith(f"--set: {kind}.as_of: ")]
    assert as_of.endswith("expected --as-of YEAR, which answers from each file's evidence "
                          "dated at or before YEAR")
    # nor the summary, which no rule reads (a memo would have "supposed" it)
    (summary,) = problems(*korea, f"{kind}.summary=Hello")
    assert summary.startswith(f"--set: {kind}.summary: the summary is written for readers")


def test_the_same_problem_given_twice_is_one_line(korea):
    lines = problems(*korea, "coalition.leader=a", "coalition.leader=b")
    assert len(lines) == 1 and lines[0].startswith("--set: coalition.leader: ")


def test_a_coalitions_founding_year_is_its_evidence_year_where_it_has_no_as_of(korea):
    # chip4.yaml has no as_of: its evidence is dated by founded, which --set cannot move
    state, coalition = korea
    assert coalition.data.get("as_of") is None
    (line,) = problems(state, coalition, "coalition.founded=1990")
    assert line.startswith("--set: coalition.founded: the year the evidence describes cannot")
    assert line.endswith("expected --as-of YEAR, which answers from each file's evidence dated "
                         "at or before YEAR")


def test_a_new_entry_takes_defaults_and_reports_them(korea):
    state, coalition = korea
    new_state, _ = apply_overrides(state, coalition, ["ties.china.alliance=partner"])
    added = set(new_state.defaults) - set(state.defaults)
    assert "ties.china.existential_threat" in added and "ties.china.alliance" not in added
    assert new_state.data["ties"]["china"]["abandonment_fear"] == "low"


def test_a_given_value_is_no_longer_reported_as_assumed(korea, tmp_path):
    state = tmp_path / "freedonia.yaml"
    state.write_text("id: freedonia\nname: Freedonia\nas_of: 2023\n"
                     "ties:\n  united-states:\n    alliance: partner\n")
    loaded = load_file(state)
    assert "ties.united-states.abandonment_fear" in loaded.defaults
    changed, _ = apply_overrides(loaded, korea[1], ["ties.united-states.abandonment_fear=high"])
    assert "ties.united-states.abandonment_fear" not in changed.defaults
    assert "ties.united-states.shared_values" in changed.defaults
    assert "state:ties.united-states.abandonment_fear" not in ask(changed, korea[1]).defaults


def test_overrides_accumulate_and_keep_the_files_value(korea):
    state, coalition = korea
    once, _ = apply_overrides(state, coalition, [f"{LEVEL}=moderate"])
    twice, _ = apply_overrides(once, coalition, [f"{LEVEL}=low",
                                                 "autonomy.government_alignment=autonomist"])
    assert {o.path: (o.previous, o.value) for o in overrides_of(twice)} == {
        LEVEL: ("critical", "low"), "autonomy.government_alignment": ("pro-leader", "autonomist")}
    assert twice.data["industries"]["semiconductors"]["reliance"]["united-states"]["level"] == "low"


def test_a_value_the_file_already_holds_is_no_change_and_says_so(korea):
    """--set strategic_autonomy=low where the file says low was listed as "low -> low" and cost
    a step of confidence (CF-04): nothing had been supposed."""
    state, coalition = korea
    held = state.data["autonomy"]["government_alignment"]
    with pytest.warns(Note) as notes:
        same_state, same_coalition = apply_overrides(
            state, coalition, [f"autonomy.government_alignment={held}", "offers.subsidies=true"])
    assert same_state is state and same_coalition is coalition
    assert [str(n.message) for n in notes] == [
        f"--set autonomy.government_alignment={held}: already {held} in {state.path}, its "
        "evidence of 2023; nothing changed",
        f"--set offers.subsidies=true: already true in {coalition.path}, its evidence of 2023; "
        "nothing changed"]
    assert ask(same_state, coalition).to_dict() == ask(state, coalition).to_dict()
    with pytest.warns(Note, match=f"^--set {LEVEL}=critical: already critical in "):
        changed, _ = apply_overrides(state, coalition, [f"{LEVEL}=critical", f"{LEVEL[:-5]}kind=equipment"])
    assert [str(o) for o in overrides_of(changed)] == [
        "state.industries.semiconductors.reliance.united-states.kind: key-technology -> equipment"]
    answer = ask(changed, coalition)
    assert "CF-04" in answer.rules_fired and "CF-04" not in ask(state, coalition).rules_fired


def test_a_defaulted_value_given_again_stays_assumed(korea, tmp_path):
    path = tmp_path / "freedonia.yaml"
    path.write_text("id: freedonia\nname: Freedonia\nas_of: 2023\n"
                    "ties:\n  united-states:\n    alliance: partner\n")
    loaded = load_file(path)
    with pytest.warns(Note, match=r"already low in .*freedonia.yaml; the file does not give it: "
                                  r"its default; nothing changed$"):
        same, _ = apply_overrides(loaded, korea[1], ["ties.united-states.abandonment_fear=low"])
    assert same is loaded and "ties.united-states.abandonment_fear" in same.defaults


def test_one_path_given_two_values_is_refused_naming_both(korea):
    """The last of two --set of one path silently won."""
    state, coalition = korea
    assert problems(state, coalition, "autonomy.government_alignment=autonomist",
                    "state.autonomy.government_alignment=neutral", f"{LEVEL}=low") == [
        "--set: state.autonomy.government_alignment: set twice, to autonomist and to neutral; "
        "expected one value for each path"]
    new_state, _ = apply_overrides(state, coalition, [f"{LEVEL}=low", f"state.{LEVEL}=low"])
    assert [str(o) for o in overrides_of(new_state)] == [f"state.{LEVEL}: critical -> low"]


def run(*args):
    return subprocess.run([COALITION, *args], capture_output=True, text=True)


@pytest.mark.parametrize("command", [["ask", "japan", "chip4", "--format", "json"],
                                     ["why", "japan", "chip4", "confidence"],
                                     ["whatif", "japan", "chip4"],
                                     ["memo", "japan", "chip4", "--date", "2024-01-01", "--brief"]])
def test_every_command_tells_a_value_already_held_and_changes_nothing(command):
    assignment = "autonomy.strategic_autonomy=low"
    result = run(*command, "--set", assignment)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"note: --set {assignment}: already low in ")
    assert result.stderr.endswith("japan.yaml, its evidence of 2023; nothing changed\n")
    assert "low -> low" not in result.stdout and "low → low" not in result.stdout
    if command[0] == "whatif":
        assert "Changed with --set: nothing" in result.stdout
        assert "Confidence                         high                             high" \
            in result.stdout
    else:
        plain = run(*command)
        assert plain.returncode == 0 and plain.stderr == ""
        unchanged = plain.stdout if command[0] != "memo" else plain.stdout.split("\n## ")[0]
        assert unchanged in result.stdout


def test_a_trace_records_only_the_changes_that_took_effect(tmp_path):
    # a value already held is no change: the trace (and trace verify, which re-runs it) does
    # not carry it, while the change that took effect is recorded and replayed
    held, made = "autonomy.strategic_autonomy=low", "autonomy.government_alignment=autonomist"
    out = tmp_path / "t.json"
    result = run("trace", "japan", "chip4", "--set", held, "--set", made, "-o", str(out))
    assert result.returncode == 0 and result.stderr.startswith(f"note: --set {held}: ")
    record = json.loads(out.read_text())
    assert record["assignments"] == [made]
    verified = run("trace", "verify", str(out))
    assert verified.returncode == 0 and verified.stderr == "", verified.stderr


def test_ask_with_a_bad_set_is_one_error_line_and_status_2():
    result = run("ask", "south-korea", "chip4", "--set", f"{LEVEL}=modrate")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [line for line in lines if line.startswith("error: --set: ")]
    assert "Traceback" not in result.stderr


def test_ask_and_memo_take_set():
    result = run("ask", "south-korea", "chip4", "--set", f"{LEVEL}=moderate", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"stranglehold": "limited"' in result.stdout
    memo = run("memo", "south-korea", "chip4", "--set", f"{LEVEL}=moderate", "--date", "2024-01-01")
    assert memo.returncode == 0, memo.stderr
    assert "Changed for this memo" in memo.stdout and "critical → moderate" in memo.stdout


# ---- fuzz: whatever is typed after --set, the answer is new case files or one-line problems ----
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PATH_PARTS = st.sampled_from(["ties", "united-states", "alliance", "industries", "semiconductors",
                              "reliance", "level", "offers", "subsidies", "state", "coalition",
                              "per_member", "south-korea", "id", "name", "", "x", "0"])
REAL_PATHS = st.sampled_from(["ties.united-states.alliance", "autonomy.strategic_autonomy",
                              "industries.semiconductors.reliance.united-states.level",
                              "industries.semiconductors.target_exposure.china.export_share",
                              "targets.china.retaliation_risk", "offers.subsidies",
                              "per_member.south-korea.offers.exemptions", "state.summary"])
PATHS = st.one_of(REAL_PATHS, st.lists(PATH_PARTS, min_size=0, max_size=6).map(".".join))
VALUES = st.one_of(st.text(max_size=30), st.sampled_from(
    ["none", "low", "moderate", "high", "critical", "bilateral-treaty", "true", "false", "'yes'", "0.6", "1.4", ".nan", "[a, b]", "{a: 1}", "!!python/object:os.system",
     "&a [*a]", "null", "~", "\t", "\x07", "key: value"]))
ASSIGNMENTS = st.one_of(st.tuples(PATHS, VALUES).map(lambda pv: f"{pv[0]}={pv[1]}"),
                        st.text(max_size=40))
ONE_LINE = re.compile(r"^.+: .+; expected .+$")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ASSIGNMENTS, min_size=1, max_size=3))
@example(["0\n0="])  # once found by the fuzzer: a line break in the path split the message
def test_any_assignment_gives_case_files_or_one_line_problems(korea, assignments):
    state, coalition = korea
    try:
        new_state, new_coalition = apply_overrides(state, coalition, assignments)
    except CaseError as error:
        assert error.problems
        for problem in error.problems:
            assert "\n" not in problem and ONE_LINE.match(problem), problem
    else:
        assert new_state.id == state.id and new_coalition.id == coalition.id


def test_a_line_break_in_the_path_is_escaped_not_printed(korea):
    state, coalition = korea
    assert problems(state, coalition, "0\n0=x")[0].startswith("--set: 0\\n0: unknown field; expected")


def test_the_default_hypothesis_profile_is_repeatable_without_ci():
    """A new user's run (no CI, no profile chosen) tries the examples CI tries, and saves none."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    code = ("import conftest; from hypothesis import settings; d = settings.default; "
            "print(d.derandomize, d.database)")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "None"]


def test_an_escape_beyond_unicode_is_one_problem_line(korea):
    state, coalition = korea
    assert problems(state, coalition, 'state.sources="\\U00110000"') == [
        "--set: state.sources: the escape \\U00110000 names no Unicode character; "
        "expected an escape of at most \\U0010FFFF"]


def test_keys_and_values_naming_states_are_checked_against_the_case_directory(korea, tmp_path):
    """Before, a misspelt state in a --set path meant "no reliance" and the what-if said the
    change did not move the answer."""
    state, coalition = korea
    expected = "is not a state in states/; expected the id of a state file in states/"
    assert problems(state, coalition, "industries.semiconductors.reliance.united-state.level=none",
                    "coalition.members=[japan, taiwn]", "ties.united-states.threat_from=[chna]") == [
        "--set: state.industries.semiconductors.reliance.united-state: 'united-state' "
        f"{expected} (did you mean 'united-states'?)",
        f"--set: coalition.members[1]: the member 'taiwn' {expected} (did you mean 'taiwan'?)",
        f"--set: state.ties.united-states.threat_from[0]: 'chna' {expected} (did you mean 'china'?)"]
    result = run("whatif", "south-korea", "chip4",
                 "--set", "industries.semiconductors.reliance.united-state.level=none")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("error: --set: state.industries.semiconductors.reliance.united-state: "
                             f"'united-state' {expected} (did you mean 'united-states'?)\n")
    # a file loaded alone, by its path, has no case directory: as in the file, nothing to check
    alone = load_file(state.path)
    changed, _ = apply_overrides(alone, coalition, ["targets.atlantis.trade_share=0.1"])
    assert changed.data["targets"]["atlantis"]["trade_share"] == 0.1


def test_memo_all_tells_a_value_already_held_once_not_once_a_state(tmp_path):
    result = run("memo", "--all", "chip4", "-o", str(tmp_path / "memos"), "--date", "2024-01-01",
                 "--brief", "--set", "coalition.offers.subsidies=true")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "memos").iterdir())) > 2  # several states, each with the change
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [f"note: --set coalition.offers.subsidies=true: already true in "
                     f"{shipped_cases() / 'coalitions' / 'chip4.yaml'}, its evidence of 2023; "
                     "nothing changed"]


@pytest.mark.parametrize("assignment, shown", [
    ("coalition.domain=semiconductor", "--set coalition.domain: 'semiconductor'"),
    ("state.industries.semiconductor.position=niche",
     "--set state.industries.semiconductor.position: 'semiconductor'")])
def test_a_domain_one_slip_off_set_by_hand_is_noted_as_in_a_file(korea, assignment, shown):
    # `--set coalition.domain=semiconductor` turned Japan's joins into joins-loosely in silence
    # (a reviewer of the change that notes it in files)
    import warnings

    from digital_coalitions.casefiles.overrides import apply_overrides
    from digital_coalitions.errors import Note

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        apply_overrides(*korea, [assignment])
    notes = [str(w.message) for w in caught if issubclass(w.category, Note)]
    assert len(notes) == 1 and notes[0].startswith(shown)
    assert "did you mean 'semiconductors'?" in notes[0]
