"""Case histories (``history:`` years), ``--as-of`` on every answering command, ``timeline``, and
the questions that get a role instead of a forecast (docs/case-files.md)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from digital_coalitions.casefiles.loader import CaseError, load_dir, load_file
from digital_coalitions.casefiles.question import shipped_cases

COALITION = str(Path(sys.executable).with_name("coalition"))


def run(*args):
    return subprocess.run([COALITION, *args], capture_output=True, text=True)


def ask_json(*args):
    result = run("ask", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def cases(tmp_path):
    root = tmp_path / "cases"
    shutil.copytree(shipped_cases() / "states", root / "states")
    shutil.copytree(shipped_cases() / "coalitions", root / "coalitions")
    return root


def write_state(cases, name, edit):
    path = cases / "states" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


# ---- loading -----------------------------------------------------------------------------------
def test_a_history_year_is_the_main_evidence_with_that_years_differences():
    korea = load_dir(shipped_cases()).states["south-korea"]
    assert korea.evidence_years == (2015, 2019, 2020, 2022, 2023)
    main, moon = korea.at(None), korea.at(2019)
    assert (main.data["as_of"], moon.data["as_of"]) == (2023, 2019)
    assert main.data["autonomy"]["government_alignment"] == "pro-leader"
    assert moon.data["autonomy"]["government_alignment"] != "pro-leader"
    # what 2019 does not give is the main evidence's; its sources add to the main ones
    assert moon.data["ties"]["united-states"]["alliance"] == "bilateral-treaty"
    assert set(main.data["sources"]) < set(moon.data["sources"])
    # each year knows its lines: a value the year gives points into the history block
    line = moon.lines["autonomy.government_alignment"]
    assert line > main.lines["autonomy.government_alignment"]
    assert "history" not in main.data and "history" not in moon.data


def test_the_year_asked_picks_the_latest_evidence_at_or_before_it():
    korea = load_dir(shipped_cases()).states["south-korea"]
    assert korea.at(2021).dating.year == 2020 and not korea.at(2021).dating.earliest
    assert korea.at(2030).dating.year == 2023
    early = korea.at(2010)
    assert early.dating.year == 2015 and early.dating.earliest


def test_every_problem_of_every_year_is_reported_with_its_line(cases):
    path = cases / "states" / "south-korea.yaml"
    text = path.read_text()
    text = text.replace("\nhistory:\n", "\nhistory:\n  2023: {autonomy: {strategic_autonomy: low}}\n"
                        "  '20x': {}\n  1999:\n    name: Korea\n    ties:\n      united-states:\n"
                        "        abandonment_fear: modrate\n        threat_from: [nowhere]\n", 1)
    path.write_text(text)
    with pytest.raises(CaseError) as caught:
        load_dir(cases)
    problems = "\n".join(caught.value.problems)
    for expected in ("history.2023: 2023 is the year of the main evidence",
                     "history.20x: the key '20x' is not a year",
                     "history.1999.name: name cannot change from year to year",
                     "history.1999.ties.united-states.abandonment_fear: 'modrate' is not allowed",
                     "history.1999.ties.united-states.threat_from[0]: 'nowhere' is not a state"):
        assert expected in problems
    assert all(p.startswith(f"{path}:") for p in caught.value.problems)


def test_a_coalition_history_needs_the_year_of_its_main_evidence(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nname: X\nleader: united-states\nhistory:\n  2020: {status: proposed}\n")
    with pytest.raises(CaseError) as caught:
        load_file(path)
    assert "history: a coalition with a history needs the year of its main evidence" in str(caught.value)


@pytest.mark.parametrize("kind, name, field", [("coalitions", "chip4", "founded"),
                                               ("states", "south-korea", "as_of")])
def test_a_refused_year_is_reported_once_not_again_as_missing_for_the_history(tmp_path, kind,
                                                                               name, field):
    """A quoted year was refused, then the history was said to lack a year (for a state, in
    words about a coalition): one cause, one line."""
    shipped = shipped_cases() / kind / f"{name}.yaml"
    text = shipped.read_text()
    assert "\nhistory:" in text
    path = tmp_path / f"{name}.yaml"
    path.write_text(re.sub(rf"^{field}: (\d+)$", rf'{field}: "\1"', text, count=1, flags=re.M))
    with pytest.raises(CaseError) as caught:
        load_file(path)
    (line,) = caught.value.problems
    assert line.startswith(f"{path}:") and line.endswith("(remove the quotes)"), line
    assert f": {field}: got a string (" in line


def test_a_value_given_again_in_a_year_is_no_longer_the_main_estimate(cases):
    path = "ties.united-states.arms_import_share"

    def edit(data):
        data["estimated"] = [path]
        data["history"][2015]["ties"] = {"united-states": {"arms_import_share": 0.8}}

    write_state(cases, "south-korea", edit)
    korea = load_dir(cases).states["south-korea"]
    assert path in korea.at(None).data["estimated"]
    assert path not in korea.at(2015).data["estimated"]


def test_every_single_year_file_reads_as_before():
    """Files without a history have one year of evidence, used whatever the year asked."""
    base = load_dir(shipped_cases())
    china = base.states["china"]
    assert china.evidence_years == (china.data["as_of"],) and china.at(1990).data == china.data


# ---- answering at a year -------------------------------------------------------------------------
def test_the_answer_names_the_evidence_year():
    latest = ask_json("south-korea", "chip4")
    assert latest["evidence_year"]["asked"] is None and latest["evidence_year"]["state"] == 2023
    then = ask_json("south-korea", "aiib-opposition", "--as-of", "2015")
    assert then["evidence_year"]["state"] == 2015 and then["verdict"] == "declines"
    text = run("ask", "south-korea", "aiib-opposition", "--as-of", "2015").stdout
    assert "evidence as of 2015 (asked about 2015" in text


def test_a_defunct_coalition_asked_of_the_latest_evidence_points_to_its_year():
    # the United Kingdom's 2022 file asked about the AIIB opposition, defunct since 2016: the
    # note says whose year answered, and how to ask about the year the coalition was founded
    text = run("ask", "united-kingdom", "aiib-opposition").stdout
    assert ("is defunct as of 2016: the answer says how the state stood towards it on its "
            "evidence of 2022, not that there is still a coalition to join; `--as-of 2015` asks "
            "about the year it was founded.") in text
    then = run("ask", "united-kingdom", "aiib-opposition", "--as-of", "2015").stdout
    assert "defunct" not in then and "--as-of 2015` asks" not in then


def test_a_downgraded_coalition_is_noted_as_such():
    text = run("ask", "eu", "afi").stdout
    assert ("Note: the Alliance for the Future of the Internet is downgraded as of 2022: it goes "
            "on only in a lesser form than the one proposed, the downgrade the verdict presses "
            "for.") in text
    assert "downgraded as of" not in run("ask", "eu", "afi", "--as-of", "2021").stdout


def test_a_year_before_any_evidence_is_answered_from_the_earliest_and_says_so():
    answer = ask_json("south-korea", "chip4", "--as-of", "2010")
    assert answer["evidence_year"] == {**answer["evidence_year"], "asked": 2010, "state": 2015,
                                       "earliest_used": True, "proposal": True}
    text = run("ask", "south-korea", "chip4", "--as-of", "2010").stdout
    assert "has no evidence dated 2010 or earlier; the answer uses its earliest, of 2015" in text
    assert ("Chip 4 was founded in 2023; as of 2010 this is a question about the proposal, as its "
            "file first records it, in 2022 (no proposal is on record by 2010).") in text
    assert "question about the proposal, as its file" not in run(
        "ask", "south-korea", "chip4", "--as-of", "2022").stdout  # proposed by then: on record
    assert "CF-08" in answer["rules_fired"]  # the later evidence lowers confidence


def test_a_latest_evidence_older_than_the_coalition_is_said_to_be_so_not_asked_about():
    """Asked for the latest, the note said "as of 2022 a question about the proposal", a year
    no one asked about: it is the state's evidence that is older than the coalition."""
    answer = ask_json("albania", "pax-silica")
    assert answer["evidence_year"]["asked"] is None and answer["evidence_year"]["proposal"]
    year = answer["evidence_year"]["state"]
    text = run("ask", "albania", "pax-silica").stdout
    assert (f"Pax Silica was founded in 2025, after Albania's latest evidence (of {year}): on "
            "that evidence this is a question about the proposal.") in text
    assert f"as of {year} this is" not in text


@pytest.mark.parametrize("command", [
    ["ask", "south-korea", "chip4"], ["memo", "south-korea", "chip4", "--date", "2024-01-01"],
    ["whatif", "south-korea", "chip4", "--set", "autonomy.government_alignment=neutral"],
    ["flips", "south-korea", "chip4", "--no-pairs"], ["matrix"], ["map", "chip4"],
    ["outlook", "chip4"], ["trace", "south-korea", "chip4"],
    ["why", "south-korea", "chip4", "verdict"]])
def test_every_answering_command_takes_as_of(command):
    result = run(*command, "--as-of", "2019")
    assert result.returncode == 0, result.stderr
    if command[0] in ("ask", "memo"):
        assert "evidence as of 2019" in result.stdout
    if command[0] == "trace":
        assert json.loads(result.stdout)["evidence_year"]["state"] == 2019


def test_a_trace_at_a_year_verifies_at_that_year(tmp_path):
    out = tmp_path / "t.json"
    assert run("trace", "south-korea", "chip4", "--as-of", "2020", "-o", str(out)).returncode == 0
    record = json.loads(out.read_text())
    assert record["evidence_year"]["asked"] == 2020 and "--as-of" in record["command"]
    verified = run("trace", "verify", str(out))
    assert verified.returncode == 0, verified.stderr


def test_the_paper_cases_read_their_own_year():
    """South Korea opposed the US line on the AIIB under Park (2015) and met Japan's curbs under
    Moon (2019): each question is answered from that year's evidence, not from 2023's."""
    assert ask_json("south-korea", "aiib-opposition", "--as-of", "2015")["evidence_year"]["state"] == 2015
    curbs = ask_json("south-korea", "japan-2019-curbs", "--as-of", "2019")
    assert curbs["evidence_year"]["state"] == 2019 and curbs["verdict"] == "conflict"


# ---- timeline --------------------------------------------------------------------------------------
@pytest.mark.parametrize("coalition", ["clean-network", "aiib-opposition"])
def test_timeline_shows_each_year_and_what_changed(coalition):
    result = run("timeline", "south-korea", coalition, "--format", "json")
    assert result.returncode == 0, result.stderr
    years = json.loads(result.stdout)["years"]
    # South Korea's years, and the coalition's own where it has a history
    shown = [y["year"] for y in years]
    assert shown == sorted(shown) and {2015, 2019, 2020, 2022, 2023} <= set(shown)
    assert years[0]["changed"] == [] and all(y["verdict"] for y in years)
    assert any(c["path"] == "autonomy.government_alignment" for y in years[1:] for c in y["changed"])
    text = run("timeline", "south-korea", coalition).stdout
    assert "2015  " in text and "changed: " in text


def test_timeline_of_a_state_that_is_not_a_candidate_gives_the_role():
    result = run("timeline", "united-states", "chip4")
    assert result.returncode == 0 and "No forecast: The United States leads Chip 4" in result.stdout


# ---- roles and eligibility ---------------------------------------------------------------------------
@pytest.mark.parametrize("state, coalition, role", [
    ("china", "chip4", "target"), ("united-states", "chip4", "leader"),
    ("japan", "ttc", "not-eligible")])
def test_leaders_targets_and_states_not_eligible_get_their_role(state, coalition, role):
    answer = ask_json(state, coalition)
    assert answer["role"] == role and answer["verdict"] is None and answer["reason"]
    text = run("ask", state, coalition)
    assert text.returncode == 0 and "No forecast:" in text.stdout and "Verdict:" not in text.stdout
    for command in (["memo", state, coalition], ["why", state, coalition, "verdict"],
                    ["flips", state, coalition], ["trace", state, coalition]):
        result = run(*command)
        assert result.returncode == 0 and "No forecast:" in result.stdout, command


def test_a_candidate_answer_says_its_role():
    assert ask_json("south-korea", "chip4")["role"] == "member"
    assert ask_json("india", "dfi")["role"] == "candidate"


@pytest.mark.parametrize("as_of, chile, japan", [(2021, "candidate", "candidate"),
                                                 (2024, "member", "member"),
                                                 (None, None, "member")])
def test_the_matrix_reads_each_role_in_the_year_asked_as_the_question_does(as_of, chile, japan):
    # Chile joined GPAI in 2024 and Japan Chip 4 in 2023 (their files' histories): a matrix
    # --as-of 2021 must not mark them members, as the question about that year does not (with
    # no year, each state's latest evidence: Chile's files end before it joined)
    year = [] if as_of is None else ["--as-of", str(as_of)]
    result = run("matrix", "--format", "json", *year)
    assert result.returncode == 0, result.stderr
    role = {(c["state"], c["coalition"]): c["role"] for c in json.loads(result.stdout)["cells"]}
    assert role["chile", "gpai"] == chile or chile is None
    assert role["japan", "chip4"] == japan
    for state, coalition in (("chile", "gpai"), ("japan", "chip4")):
        assert ask_json(state, coalition, *year)["role"] == role[state, coalition]
    from digital_coalitions.analysis.explore import roles
    from digital_coalitions.casefiles.question import dated, role_of

    base = load_dir(shipped_cases())
    for coalition in base.coalitions.values():
        assert roles(coalition, base.states, as_of) == {
            sid: role_of(*dated(state, coalition, as_of))[0] for sid, state in base.states.items()}


def test_a_target_that_is_the_leader_or_a_member_is_refused_naming_the_line(cases):
    path = cases / "coalitions" / "chip4.yaml"
    data = yaml.safe_load(path.read_text())
    data["members"] = data["members"] + ["china"]
    data["history"][2022]["target"] = "united-states"  # a year keeps the main leader
    data["history"][2021] = {"target": "japan"}  # ... and the main members, Japan among them
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(CaseError) as caught:
        load_dir(cases)
    lines = str(caught.value).splitlines()
    assert any("members[4]: the target 'china' is listed as a member" in line for line in lines)
    assert any("history.2022.target: the target 'united-states' is also the leader" in line
               for line in lines), lines
    assert any("history.2021.target: the target 'japan' is listed as a member in the main "
               "evidence" in line for line in lines), lines
    # 2022's own members (the USA alone) hold its target; 2021 keeps the main members
    assert any("history.2022.members[0]: the target 'united-states' is listed" in line
               for line in lines), lines
    assert len(lines) == 4, lines
    assert all(re.match(r".*chip4\.yaml:\d+: ", line) for line in lines), lines


def test_open_to_names_states_or_kinds(cases):
    path = cases / "coalitions" / "gpai.yaml"
    data = yaml.safe_load(path.read_text())
    data["open_to"] = ["union"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    base = load_dir(cases)
    from digital_coalitions.casefiles.question import role_of

    assert role_of(base.states["eu"], base.coalitions["gpai"])[0] == "member"
    assert role_of(base.states["japan"], base.coalitions["gpai"])[0] == "not-eligible"
    data["open_to"] = ["atlantis"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(CaseError) as caught:
        load_dir(cases)
    assert "open_to[0]: open to 'atlantis' is not a state in states/" in str(caught.value)


# ---- answers that contradict a coalition's own members list -----------------------------------------
def test_a_member_answered_as_staying_out_is_flagged_everywhere(cases):
    # make the UK a Five Eyes founder that the rules answer as staying out: no tie to the USA
    write_state(cases, "united-kingdom", lambda d: (d["ties"].pop("united-states"),
                                                  [y.get("ties", {}).pop("united-states", None)
                                                   for y in d.get("history", {}).values()]))
    answer = json.loads(run("ask", "uk", "five-eyes", "--cases", str(cases), "--format",
                            "json").stdout)
    assert answer["role"] == "member" and answer["contradicts_members"]
    matrix = run("matrix", "--cases", str(cases)).stdout
    assert "united-kingdom → five-eyes" in matrix.split("contradict a coalition file's own members")[1]
    rows = run("matrix", "--cases", str(cases), "--format", "csv").stdout.splitlines()
    assert rows[0].endswith("contradicts_members")
    assert any(r.startswith("united-kingdom,five-eyes,member,") and r.endswith(",true") for r in rows)
    outlook = run("outlook", "five-eyes", "--cases", str(cases)).stdout
    assert "Listed members the rules answer as staying out: United Kingdom" in outlook
    svg = run("map", "five-eyes", "--cases", str(cases)).stdout
    assert "member answered as staying out" in svg
    memo = run("memo", "uk", "five-eyes", "--cases", str(cases), "--date", "2024-01-01").stdout
    assert "five-eyes.yaml lists the United Kingdom as a member, but the rules answer it" in memo


def test_a_member_staying_out_under_set_is_put_down_to_the_changes_only_if_they_cause_it():
    # South Korea is a Chip 4 member the files answer as joining; a looser reliance moves it out
    loose = ("--set", "industries.semiconductors.reliance.united-states.level=moderate")
    for command in (("ask", "south-korea", "chip4"), ("memo", "south-korea", "chip4",
                                                       "--date", "2024-01-01")):
        out = run(*command, *loose).stdout
        assert "chip4.yaml lists South Korea as a member, but with the values changed by --set " \
               "the rules answer it as staying out (declines); on the files' own values they " \
               "answer it as joining, as the list records." in out, command
        assert "the file's record and the rules disagree" not in out, command
        assert "chip4.yaml lists" not in run(*command).stdout, "no caveat on the files' values"
    # Brazil, a Clean Network member the files' own values already answer as declining: a --set
    # that leaves it out does not take the blame, and the disagreement is still said
    out = run("ask", "brazil", "clean-network", "--set",
              "state.autonomy.government_alignment=pro-leader").stdout
    assert "the rules answer it as staying out, on the files' own values as with the values " \
           "changed by --set (declines); the file's record and the rules disagree." in out


def test_estimated_names_fields_of_the_file(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nname: X\nas_of: 2023\nestimated: [tie.alliance, ties.united-states.alliance]\n")
    with pytest.raises(CaseError) as caught:
        load_file(path)
    assert caught.value.problems == [
        f"{path}:4: estimated[0]: 'tie.alliance' is not a field of a state file; expected the "
        "dotted path of a value, as in --set (e.g. ties.united-states.arms_import_share)"]
