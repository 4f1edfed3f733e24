"""The `coalition` command as a user types it: questions, names, case directories, errors."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.inference.engine import RULES
from digital_coalitions.casefiles.question import Resolver, shipped_cases

COALITION = str(Path(sys.executable).with_name("coalition"))
FIELDS = {"state", "coalition", "verdict", "likelihood", "confidence", "mechanisms", "rules_fired",
          "defaults"}


def run(*args, env=None):
    return subprocess.run([COALITION, *args], capture_output=True, text=True, env=env)


def answer(*args, **kwargs):
    result = run("ask", *args, "--format", "json", **kwargs)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("words", [
    ["Will South Korea join Chip 4?"],
    ["will south korea join chip 4"],
    ["WILL THE Republic of Korea JOIN the Fab 4?"],
    ["Will", "ROK", "join", "Chip", "4?"],
    ["south-korea", "chip4"],
    ["ROK", "Chip 4 Alliance"],
])
def test_questions_resolve_through_ids_names_and_aliases(words):
    got = answer(*words)
    assert (got["state"], got["coalition"]) == ("south-korea", "chip4")


def test_json_carries_the_fields_facts_md_lists():
    got = answer("japan", "chip4")
    assert FIELDS <= set(got)
    assert got["likelihood"]["term"] and len(got["likelihood"]["range"]) == 2
    assert got["confidence"]["level"] in {"high", "moderate", "low"}
    assert got["rules_fired"] and all(isinstance(r, str) for r in got["rules_fired"])


def test_text_answer_names_verdict_likelihood_confidence_and_rules():
    result = run("ask", "Will the EU join the TTC?")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "joins-loosely" in text
    assert "%)" in text and "Confidence:" in text
    assert "SD-21 Security dependency" in text and "V-09 A looser accession" in text


def test_paths_to_case_files_answer_without_a_case_directory(tmp_path):
    cases = shipped_cases()
    state = tmp_path / "my cases é" / "vietnam.yaml"
    state.parent.mkdir()
    text = (cases / "states" / "south-korea.yaml").read_text()
    state.write_text(text.replace("id: south-korea", "id: vietnam").replace(
        "name: South Korea", "name: Vietnam"))
    got = answer(str(state), str(cases / "coalitions" / "chip4.yaml"))
    assert got["state"] == "vietnam"


def test_other_case_directory_by_option_and_environment(tmp_path):
    other = tmp_path / "other"
    shutil.copytree(shipped_cases(), other, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    eu = other / "states" / "eu.yaml"
    eu.write_text(eu.read_text().replace("name: European Union", "name: Europa"))
    assert answer("Will Europa join the TTC?", "--cases", str(other))["state"] == "eu"
    env = {**__import__("os").environ, "COALITION_CASES": str(other)}
    assert answer("Europa", "ttc", env=env)["state"] == "eu"


def a_new_state(directory: Path, new_id="laos", name="Laos") -> Path:
    """A state the shipped cases lack, written from Vietnam's file."""
    text = (shipped_cases() / "states" / "vietnam.yaml").read_text()
    text = text.replace("id: vietnam", f"id: {new_id}", 1).replace("name: Vietnam", f"name: {name}", 1)
    text = text.replace("aliases: [VN, Viet Nam, Socialist Republic of Vietnam]", "aliases: []", 1)
    path = directory / "states" / f"{new_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_case_directory_adds_to_the_shipped_cases_and_replaces_them_by_id(tmp_path):
    mine = tmp_path / "mine"
    laos = a_new_state(mine)  # mine has states/ only: the coalitions are the shipped ones
    got = answer("Will Laos join the Huawei 5G exclusion campaign?", "--cases", str(mine))
    assert got["inputs"]["state"]["path"] == str(laos.resolve())
    assert got["inputs"]["coalition"]["path"] == str(
        (shipped_cases() / "coalitions" / "huawei-5g-exclusion.yaml").resolve())
    text = run("ask", "laos", "huawei-5g-exclusion", "--cases", str(mine)).stdout
    assert f"Evidence: {laos.resolve()}, " in text  # which directory each file came from
    korea = mine / "states" / "south-korea.yaml"
    korea.write_text((shipped_cases() / "states" / "south-korea.yaml").read_text().replace(
        "government_alignment: pro-leader", "government_alignment: autonomist", 1))
    env = {**__import__("os").environ, "COALITION_CASES": str(mine)}
    for replaced in (answer("south-korea", "chip4", "--cases", str(mine)),
                     answer("south-korea", "chip4", env=env)):
        assert replaced["inputs"]["state"]["path"] == str(korea.resolve())
    listed = json.loads(run("list", "--cases", str(mine), "--format", "json").stdout)
    assert listed["directories"] == [str(shipped_cases().resolve()), str(mine.resolve())]
    paths = {s["id"]: s["path"] for s in listed["states"]}
    assert paths["laos"] == str(laos.resolve()) and paths["south-korea"] == str(korea.resolve())
    assert paths["japan"] == str((shipped_cases() / "states" / "japan.yaml").resolve())
    assert f"  [{laos.resolve()}]" in run("list", "--cases", str(mine)).stdout


def test_only_cases_reads_the_directory_alone(tmp_path):
    mine = tmp_path / "mine"
    laos = a_new_state(mine)
    result = run("ask", "laos", "huawei-5g-exclusion", "--cases", str(mine), "--only-cases")
    assert result.returncode == 2 and result.stdout == ""
    assert f"error: {mine}/coalitions:1: " not in result.stderr  # no coalitions/ is no error
    assert result.stderr.startswith(f"error: {laos}:") and "'united-states' is not a state" in \
        result.stderr
    env = {**__import__("os").environ, "COALITION_CASES": str(mine)}
    from_env = subprocess.run([COALITION, "list", "--only-cases"], capture_output=True, text=True,
                              env=env)
    assert from_env.returncode == 2 and from_env.stderr.startswith(f"error: {laos}:")
    alone = run("list", "--only-cases")
    assert alone.returncode == 2 and alone.stderr == (
        "error: --only-cases: no case directory to read alone; expected --cases DIR (or "
        "$COALITION_CASES) with it\n")


def test_printed_commands_replay_the_same_case_directories(tmp_path):
    from digital_coalitions.casefiles.question import cases_flag

    mine = tmp_path / "my cases"
    a_new_state(mine)
    added = Resolver((shipped_cases(), mine)).base
    alone = Resolver(shipped_cases()).base
    assert cases_flag(alone.states["japan"]) == ""
    assert cases_flag(added.states["laos"]) == cases_flag(added.states["japan"]) == \
        f" --cases '{mine.resolve()}'"
    full = tmp_path / "full"
    shutil.copytree(shipped_cases(), full, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    only = Resolver(full).base
    assert cases_flag(only.states["japan"]) == f" --cases {full.resolve()} --only-cases"
    flips = run("flips", "laos", "huawei-5g-exclusion", "--cases", str(mine)).stdout
    replay = next(line.split("try: ", 1)[1] for line in flips.splitlines() if "try: " in line)
    assert f"--cases '{mine.resolve()}' --set" in replay
    again = subprocess.run(replay.replace("coalition ", f"{COALITION} ", 1) + " --format json",
                           shell=True, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    trace = tmp_path / "t.json"
    recorded = run("trace", "japan", "chip4", "--cases", str(full), "--only-cases", "-o", str(trace))
    assert recorded.returncode == 0, recorded.stderr
    record = json.loads(trace.read_text())
    assert record["command"] == ["trace", "japan", "chip4", "--cases", str(full), "--only-cases",
                                 "-o", str(trace)]
    assert {i["path"] for i in record["inputs"]} == {
        str((full / "states" / "japan.yaml").resolve()),
        str((full / "coalitions" / "chip4.yaml").resolve())}
    assert run("trace", "verify", str(trace)).returncode == 0


def test_names_that_clash_across_files_are_an_error_not_the_wrong_state(tmp_path):
    """Before, with Japan given the alias "South Korea", the question was answered about Japan."""
    c = tmp_path / "c"
    shutil.copytree(shipped_cases(), c, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    japan = c / "states" / "japan.yaml"
    japan.write_text(japan.read_text().replace("aliases: [JP, Nippon]",
                                               "aliases: [JP, Nippon, South Korea]", 1))
    for extra in ((), ("--only-cases",)):
        result = run("ask", "Will South Korea join Chip 4?", "--cases", str(c), *extra)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (
            f"error: {japan}:3: aliases[2]: 'South Korea' also names the state south-korea (the "
            f"id in {c / 'states' / 'south-korea.yaml'}, line 1); expected each id, name and "
            "alias to name one state only (change or remove one of the two)\n")


def test_cases_export_copies_the_shipped_files_and_never_replaces_one(tmp_path):
    mine = tmp_path / "mine"
    result = run("cases", "export", str(mine))
    assert result.returncode == 0, result.stderr
    shipped = shipped_cases()
    for sub in ("states", "coalitions"):
        assert sorted(p.name for p in (mine / sub).iterdir()) == sorted(
            p.name for p in (shipped / sub).glob("*.yaml"))
    assert (mine / "decisions.yaml").read_bytes() == (shipped / "decisions.yaml").read_bytes()
    korea = mine / "states" / "south-korea.yaml"
    korea.write_text("edited")
    again = run("cases", "export", str(mine), "South Korea", "chip4", "atlantis", "vietnm")
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr == ("error: 'atlantis': no state or coalition of that id or name; expected "
                            "one that `coalition list` shows (did you mean 'albania'?)\n"
                            "error: 'vietnm': no state or coalition of that id or name; expected "
                            "one that `coalition list` shows (did you mean 'vietnam'?)\n")
    again = run("cases", "export", str(mine), "South Korea")
    assert again.returncode == 2 and again.stderr == (
        f"error: {korea}: already exists; expected a path where no file is (export never "
        "replaces a file)\n")
    assert korea.read_text() == "edited"
    some = tmp_path / "some"
    assert run("cases", "export", str(some), "ROK", "chip4").returncode == 0
    assert sorted(str(p.relative_to(some)) for p in some.rglob("*.yaml")) == [
        "coalitions/chip4.yaml", "states/south-korea.yaml"]


def test_unknown_name_suggests_and_lists_known_names():
    result = run("ask", "Will South Koria join Chip 4?")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "did you mean 'South Korea'" in line
    # the known states: listed while few, counted (and `coalition list` named) when many
    assert "japan" in line or "states known (`coalition list` names them)" in line


def test_a_state_named_where_a_coalition_is_asked_is_said_to_be_one():
    # `outlook japan` said "unknown coalition 'japan'" (new user's trial)
    result = run("outlook", "japan")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("error: 'japan' names a state (Japan), not a coalition; expected a "
                             "coalition here (`coalition list` names them)\n")


@pytest.mark.parametrize("args", [
    ["ask", "Who will join Chip 4"],
    ["ask", "japan"],
    ["ask", "japan", "chip4", "--cases", "/no/such/dir"],
    ["ask", "/no/such/state.yaml", "chip4"],
    ["rules", "show", "XX-99"],
])
def test_bad_input_is_a_one_line_error_with_exit_status_2(args):
    result = run(*args)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")


def test_every_shipped_pairing_is_answered():
    base = Resolver(shipped_cases()).base
    from digital_coalitions.inference.answer import ask
    from digital_coalitions.inference.engine import CoalitionEngine

    engine = CoalitionEngine()
    verdicts = {}
    for state in base.states.values():
        for coalition in base.coalitions.values():
            verdicts[state.id, coalition.id] = ask(state, coalition, engine).verdict
    assert len(verdicts) == len(base.states) * len(base.coalitions)
    assert set(verdicts.values()) <= {"joins", "joins-reluctantly", "joins-loosely", "resists",
                                      "declines", "conflict"}


def test_list_shows_states_and_coalitions():
    result = run("list")
    assert result.returncode == 0
    assert "south-korea" in result.stdout and "chip4" in result.stdout
    listed = json.loads(run("list", "--format", "json").stdout)
    assert {s["id"] for s in listed["states"]} >= {"japan", "eu", "united-states", "china"}
    # the names start in one column, past the longest id (united-arab-emirates once ran into it)
    rows = [line for line in result.stdout.split("Coalitions:")[0].splitlines()
            if line.startswith("  ")]
    starts = {line.index(s["name"] + ",") for line in rows for s in listed["states"]
              if line.split()[0] == s["id"]}
    assert len(rows) == len(listed["states"]) and len(starts) == 1
    # each state is listed as of the year a question without --as-of reads: Germany's file has
    # a history after its main year, and the answer reads the latest
    germany = next(s for s in listed["states"] if s["id"] == "germany")
    *earlier, latest = germany["evidence_years"]
    assert latest > germany["as_of"] and germany["as_of"] in earlier
    answered = json.loads(run("ask", "germany", "dfi", "--format", "json").stdout)
    assert answered["evidence_year"]["state"] == latest
    assert f"  Germany, as of {latest} (earlier: {', '.join(map(str, earlier))})  (also: " \
        in result.stdout
    assert germany["latest"] == latest  # the JSON's own as_of is the file's main block
    # a coalition's status, likewise, at its latest evidence: the Clean Network's main block
    # says active, and `list` said so of a coalition defunct since 2021 (new user's trial)
    clean = next(c for c in listed["coalitions"] if c["id"] == "clean-network")
    assert (clean["status"], clean["latest_status"], clean["latest_status_from"]) == \
        ("active", "defunct", 2021)
    assert "Clean Network — led by united-states against china; complex, defunct from 2021 " \
        "(active before)" in result.stdout
    gpai = next(c for c in listed["coalitions"] if c["id"] == "gpai")
    assert gpai["status_before"] is None and "Artificial Intelligence — led by united-states " \
        "against china; simple, active\n" in result.stdout


# ---- the phrasings people type (issue 11, item 16) --------------------------------------------
@pytest.mark.parametrize("words, pair", [
    (["Would Japan join the Chip 4 alliance?"], ("japan", "chip4")),
    (["Will Japan join Chip 4?!"], ("japan", "chip4")),  # refused as "unknown coalition 'Chip 4?!'"
    (["Is India likely to join IPEF?"], ("india", "ipef")),
    (["does japan sign the DFI"], ("japan", "dfi")),
    (["Will Japan endorse the Clean Network initiative?"], ("japan", "clean-network")),
    (["Is", "Japan", "going", "to", "join", "GPAI?"], ("japan", "gpai")),
    (["south", "korea", "chip4"], ("south-korea", "chip4")),
    (["south", "korea", "chip", "4?"], ("south-korea", "chip4")),
    (["south korea chip4"], ("south-korea", "chip4")),
    (["Japan", "Minerals", "Security", "Partnership"], ("japan", "msp")),
])
def test_common_phrasings_and_unquoted_words_resolve(words, pair):
    got = answer(*words)
    assert (got["state"], got["coalition"]) == pair


def one_line_error(result) -> str:
    assert result.returncode == 2, result.stdout
    line = result.stderr
    assert line.startswith("error: ") and line.count("\n") == 1 and "Traceback" not in line, line
    return line


def test_a_generic_suffix_is_dropped_only_where_the_name_without_it_is_known():
    line = one_line_error(run("ask", "Will Japan join the Semiconductor alliance?"))
    assert "unknown coalition 'the Semiconductor alliance'" in line


@pytest.mark.parametrize("args, meant", [
    (["chip4", "south-korea"], "did you mean south-korea chip4 (the other order)?"),
    (["Will Chip 4 join South Korea?"], 'did you mean "Will South Korea join Chip 4?" (the other order)?'),
    (["chip", "4", "south", "korea"], "did you mean 'south korea' 'chip 4' (the other order)?"),
])
def test_the_two_names_swapped_get_the_other_order(args, meant):
    line = one_line_error(run("ask", *args))
    assert "is a coalition and" in line and line.rstrip().endswith(meant), line


def test_swapped_paths_are_one_line_not_the_wrong_schema_field_by_field():
    cases = shipped_cases()
    state, coalition = cases / "states" / "south-korea.yaml", cases / "coalitions" / "chip4.yaml"
    line = one_line_error(run("ask", str(coalition), str(state)))
    assert line.rstrip().endswith(f"did you mean {state} {coalition} (the other order)?")
    line = one_line_error(run("ask", "japan", str(state)))
    assert f"{state}: is a state file; expected a coalition file second" in line


def test_words_that_read_two_ways_are_refused_with_both_readings(tmp_path):
    other = tmp_path / "cases"
    shutil.copytree(shipped_cases(), other, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for path, old, new in (("states/south-africa.yaml", "aliases: [", "aliases: [South, "),
                           ("coalitions/chip4.yaml", "aliases: [", "aliases: [Korea Chip 4, ")):
        (other / path).write_text((other / path).read_text().replace(old, new, 1))
    line = one_line_error(run("ask", "south", "korea", "chip", "4", "--cases", str(other)))
    assert "in 2 ways (South Africa and Chip 4; South Korea and Chip 4)" in line
    assert 'quote each name, as in "South Africa" "Chip 4"' in line


def test_unreadable_words_and_a_broken_directory_keep_their_own_errors():
    line = one_line_error(run("ask", "south", "korea", "nowhere"))
    assert "could not read the question 'south korea nowhere'" in line
    line = one_line_error(run("ask", "south", "korea", "chip4", "--cases", "/no/such/dir"))
    assert "(directory): no such directory" in line


def test_two_unknown_names_are_two_lines_not_the_first_alone():
    result = run("ask", "Will Atlantis join the Moon Pact?")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    state, coalition = result.stderr.splitlines()
    assert state.startswith("error: unknown state 'Atlantis' in ")
    assert coalition.startswith("error: unknown coalition 'the Moon Pact' in ")
    # with no near name and the shipped cases alone, the likeliest cause is a forgotten --cases
    assert coalition.endswith("; a file of your own? add its directory with --cases DIR (or "
                              "$COALITION_CASES)")
    elsewhere = run("ask", "Will Atlantis join the Moon Pact?", "--cases", str(shipped_cases()))
    assert "--cases DIR" not in elsewhere.stderr.replace("--cases " + str(shipped_cases()), "")
    near = run("ask", "vietnm", "chip4").stderr
    assert "did you mean 'Vietnam'?" in near and "--cases DIR" not in near


def question_error(*words) -> str:
    from digital_coalitions.casefiles.question import QuestionError

    with pytest.raises(QuestionError) as raised:
        Resolver(shipped_cases()).pair(words)
    (line,) = raised.value.lines
    return line


@pytest.mark.parametrize("words, kind, name, example", [
    (("south", "korea"), "state", "South Korea", '"South Korea" COALITION'),
    (("republic", "of", "korea"), "state", "South Korea", '"South Korea" COALITION'),
    (("japan",), "state", "Japan", "Japan COALITION"),
    (("chip", "4"), "coalition", "Chip 4", 'STATE "Chip 4"'),
])
def test_words_naming_one_name_only_say_so_with_the_quoting(words, kind, name, example):
    """`ask south korea` said "unknown state 'south' … did you mean 'South Korea'?", as if the
    state were misspelt: the two words were read as a state and a coalition."""
    other = "coalition" if kind == "state" else "state"
    assert question_error(*words) == (
        f"{' '.join(words)!r} names the {kind} {name} but no {other}; expected a state and then "
        f"a coalition, each name of several words in quotes, e.g. {example}, or a sentence: "
        "\"Will STATE join COALITION?\"")


@pytest.mark.parametrize("sentence", ["Will Japan join Chip 4.", "Will Japan join Chip 4 .",
                                      "will japan join chip 4"])
def test_a_sentence_may_end_in_a_full_stop(sentence):
    state, coalition = Resolver(shipped_cases()).pair((sentence,))
    assert (state.id, coalition.id) == ("japan", "chip4")


def test_a_name_ending_in_a_full_stop_is_still_found(tmp_path):
    (tmp_path / "coalitions").mkdir()
    text = (shipped_cases() / "coalitions" / "chip4.yaml").read_text()
    (tmp_path / "coalitions" / "chip4.yaml").write_text(
        text.replace("\nname: Chip 4\n", "\nname: Chip 4 Inc.\n", 1))
    resolver = Resolver((shipped_cases(), tmp_path))
    for sentence in ("Will Japan join Chip 4 Inc.?", "Will Japan join Chip 4 Inc.",
                     "Will Japan join Chip 4 Inc.?!"):
        assert resolver.pair((sentence,))[1].data["name"] == "Chip 4 Inc."


def test_a_year_in_the_question_points_to_as_of():
    assert question_error("Will Japan join Chip 4 in 2025?") == (
        "'Chip 4 in 2025': a year in the question is not read; expected the question without it "
        "and the year as --as-of 2025 (the evidence dated 2025 or before), e.g. \"Will Japan "
        "join Chip 4?\" --as-of 2025")


# ---- a long question is cut in its error (issue 11, item 15) ----------------------------------
@pytest.mark.parametrize("question", [
    "x" * 100_000,
    "Will " + "x" * 100_000 + " join Chip 4?",
    # a run of blanks made the old sentence pattern backtrack for hours (cubic); the timeout
    # only stops a regression from hanging the suite
    "Will" + " " * 100_000 + "x",
])
def test_a_100_kb_question_is_cut_in_its_one_line_error(question):
    result = subprocess.run([COALITION, "ask", question], capture_output=True, text=True,
                            timeout=120)
    line = one_line_error(result)
    assert len(line) < 1000 and "…' (" in line and " characters)" in line, line[:300]


# ---- shell completion (issue 11, item 20) ------------------------------------------------------
def completions(line: str, env=None) -> list[str]:
    """What `coalition` offers at the end of ``line`` (bash's protocol, through click's API)."""
    from click.testing import CliRunner

    from digital_coalitions.cli.main import main

    words = line.split() + ([""] if line.endswith(" ") else [])
    result = CliRunner().invoke(main, prog_name="coalition", env={
        **(env or {}), "_COALITION_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(words),
        "COMP_CWORD": str(len(words) - 1)})
    assert result.exit_code == 0, result.output
    return [item.split(",", 1)[1] for item in result.output.splitlines() if item]


@pytest.mark.parametrize("line, offered", [
    ("coalition ask sou", ["south-africa", "south-korea"]),
    ("coalition ask south-korea chip", ["chip-export-controls", "chip4"]),
    ("coalition ask south-korea chip4 ", []),
    ("coalition memo JAP", ["japan"]),
    ("coalition why south-korea chip4 secu", ["security_attachment", "security_dependency",
                                              "security_leverage"]),
    ("coalition why japan chip4 joins-r", ["joins-reluctantly"]),
    ("coalition rules show v-1", sorted(r for r in RULES if r.startswith("V-1"))),
    ("coalition trace sh", ["show"]),
    ("coalition trace sou", ["south-africa", "south-korea"]),
    ("coalition trace south-korea tt", ["ttc"]),
    ("coalition map chip4 --highlight tai", ["taiwan"]),
    ("coalition outlook five", ["five-eyes"]),
])
def test_completion_offers_states_coalitions_concepts_and_rules(line, offered):
    assert completions(line) == offered


def test_completion_reads_the_case_directory_typed_before_it(tmp_path):
    (tmp_path / "states").mkdir()
    (tmp_path / "coalitions").mkdir()
    (tmp_path / "states" / "atlantis.yaml").write_text("id: atlantis\nname: Atlantis\nas_of: 2023\n")
    assert completions(f"coalition ask --cases {tmp_path} atl") == ["atlantis"]
    assert completions("coalition ask atl") == []
    assert completions("coalition ask atl", env={"COALITION_CASES": str(tmp_path)}) == ["atlantis"]
    # a directory that cannot be read completes nothing, and prints no error into the shell
    assert completions("coalition ask --cases /no/such/dir sou") == []


@pytest.mark.parametrize("args, named", [
    (["ask"], "'QUESTION...'"),
    (["ask", "south-korea", "chip4", "--set"], "coalition ask: Option '--set' requires an argument"),
    (["whatif", "south-korea", "chip4", "--set"], "`coalition whatif --help` shows"),
    (["flips", "south-korea", "chip4", "--workers", "0"], "'--workers'"),
    (["nosuch"], "'nosuch'"),
])
def test_a_bad_option_or_argument_is_one_line_like_every_other_bad_input(args, named):
    """click's own checks (a value of the wrong type, a missing argument, an unknown command)
    are said the way the tool's own are: one line, naming what was wrong, status 2."""
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: coalition") and named in line and "--help` shows" in line


def test_a_yes_no_step_of_the_answer_reads_yes_not_true():
    text = run("ask", "vietnam", "ipef-trade", "--as-of", "2022").stdout
    row = next(line for line in text.splitlines() if line.startswith("  Cost no bar to joining"))
    assert row.split()[5] == "yes" and "true" not in row


@pytest.mark.parametrize("command", ["ask", "flips", "why"])
@pytest.mark.parametrize("year", ["abc", "999", "20.5", "２０２３"])
def test_a_bad_as_of_says_what_a_year_is(command, year):
    """click said "'abc' is not a valid integer range; expected what `coalition ask --help`
    shows": neither the words nor the help said a year was wanted."""
    result = run(command, "south-korea", "chip4", "--as-of", year)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"error: --as-of: {year!r} is not a year; expected a year such as "
                             "2023, from 1000 to 9999\n")


@pytest.mark.parametrize("pair", [("japan", "clean-network"), ("south-korea", "chip4")])
def test_the_chain_marks_the_projects_readings_and_only_those(pair):
    """The memo told this project's readings from the paper's claims; the answer did not."""
    import digital_coalitions as dc

    answer = dc.ask(*pair)
    text = run("ask", *pair).stdout
    ours = [s.rule for s in answer.chain if RULES[s.rule].reading == "project"]
    for step in answer.chain:
        row = next(line for line in text.splitlines() if f" {step.rule} {step.title} " in line)
        assert row.endswith("(our reading)") is (step.rule in ours), row
    legend = [line for line in text.splitlines() if line.startswith("  (our reading): ")]
    assert legend == ([f"  (our reading): this project's reading of the paper, not a claim it "
                       f"makes; `coalition rules show {ours[0]}` says why"] if ours else [])
