"""A question naming two ids reads their two files only (casefiles/direct.py), and answers and
fails exactly as loading the whole directory does wherever the whole directory could matter."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.casefiles import direct
from digital_coalitions.casefiles.loader import load_dir, normalise
from digital_coalitions.casefiles.question import Resolver, shipped_cases

COALITION = str(Path(sys.executable).with_name("coalition"))


def run(*args):
    return subprocess.run([COALITION, *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def base():
    return load_dir(shipped_cases())


def copy_of_shipped(tmp_path) -> Path:
    copy = tmp_path / "c"
    shutil.copytree(shipped_cases(), copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def same_files(named, base, state_id, coalition_id):
    state, coalition = named
    for got, want in ((state, base.states[state_id]), (coalition, base.coalitions[coalition_id])):
        assert got == want  # data, path, defaults, lines, sha256
        assert got.case_set.directories == want.case_set.directories
        assert got.case_set.state_ids == want.case_set.state_ids
        assert dict(got.case_set.aliases) == dict(want.case_set.aliases)
        assert dict(got.years) == dict(want.years)


def test_every_shipped_file_is_read_as_the_directory_reads_it(base):
    coalitions, states = sorted(base.coalitions), sorted(base.states)
    pairs = [(s, coalitions[i % len(coalitions)]) for i, s in enumerate(states)]
    pairs += [(states[i % len(states)], c) for i, c in enumerate(coalitions)]
    for state_id, coalition_id in pairs:
        named = direct.load_named([shipped_cases()], state_id, coalition_id)
        assert named is not None, (state_id, coalition_id)
        same_files(named, base, state_id, coalition_id)


def test_the_names_read_from_the_top_lines_are_the_files_names(base):
    for pool in (base.states, base.coalitions):
        for case in pool.values():
            want = {normalise(n) for n in [case.id, case.data["name"], *case.data["aliases"]]}
            assert direct.claimed_names(case.path) == want, case.path


@pytest.mark.parametrize("text, names", [
    ("id: x\nname: X Land  # a comment\naliases: [XL, \"NO\", People's X]\nkind: state\n",
     {"x", "x land", "xl", "no", "people's x"}),
    ("id: x\nname: X\naliases:\n  - One\n  - 'Two, too'\n# between\nkind: state\n",
     {"x", "one", "two, too"}),
    ("id: x\nname: X\naliases:\n- One\n- Two\nkind: state\n", {"x", "one", "two"}),
    ("id: x\nname: \"\\x53outh Korea\"\n", {"x", "south korea"}),  # an escape: YAML reads it
    ("id: x\nname: >-\n  South\n  Korea\n", {"x", "south korea"}),
    ("id: x\nname: X\naliases: [One,\n  Two]\n", {"x", "one", "two"}),
    ("name: X\nname: Y\n", None),  # a key twice
    ("\"name\": X\n", None),  # a quoted key
    ("{id: x, name: X}\n", None),  # a flow mapping
    ("---\nid: x\n", None),
    ("\ufeffid: x\n", None),
    ("id: x\nname: *anchor\n", None),
    ("id: x\naliases: [One,\nTwo]\n", None),
])
def test_names_are_read_from_any_way_of_writing_them_or_not_at_all(tmp_path, text, names):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert direct.claimed_names(path) == names


def test_only_ids_that_are_file_stems_are_read_directly(tmp_path):
    shipped = [shipped_cases()]
    for state, coalition in [("South Korea", "chip4"), ("south-korea", "Chip 4"),
                             ("rok", "chip4"), ("south-korea", "fab-4"), ("atlantis", "chip4"),
                             ("chip4", "south-korea")]:
        assert direct.load_named(shipped, state, coalition) is None
    # and then the resolver answers through the names (read from the files' top lines, so
    # without loading the directory), or with the errors it always gave
    resolver = Resolver(shipped_cases())
    state, coalition = resolver.pair(("ROK", "Fab 4"))
    assert (state.id, coalition.id) == ("south-korea", "chip4") and resolver._base is None
    same_files((state, coalition), load_dir(shipped_cases()), "south-korea", "chip4")
    unknown = run("ask", "atlantis", "chip4")
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: unknown state 'atlantis'")
    other = run("ask", "chip4", "south-korea")
    assert other.returncode == 2 and "(the other order)" in other.stderr


def test_a_file_of_the_added_directory_replaces_the_shipped_one(tmp_path):
    mine = tmp_path / "mine"
    (mine / "states").mkdir(parents=True)
    shipped = shipped_cases() / "states" / "south-korea.yaml"
    korea = mine / "states" / "south-korea.yaml"
    korea.write_text(shipped.read_text().replace("name: South Korea", "name: Korea (South)", 1))
    named = direct.load_named([shipped_cases(), mine], "south-korea", "chip4")
    assert named[0].path == korea and named[0].data["name"] == "Korea (South)"
    assert named[1].path == shipped_cases() / "coalitions" / "chip4.yaml"
    same_files(named, load_dir([shipped_cases(), mine]), "south-korea", "chip4")
    answered = run("ask", "south-korea", "chip4", "--cases", str(mine))
    assert answered.returncode == 0 and "Will Korea (South) join Chip 4?" in answered.stdout
    assert str(korea.resolve()) in answered.stdout.replace("\n", "")


def test_a_name_another_file_claims_is_the_clash_it_always_was(tmp_path):
    """Japan with the alias "South Korea": `ask south-korea chip4` must not answer as if only
    the one file named it (the question by name was answered about Japan, once)."""
    c = copy_of_shipped(tmp_path)
    japan = c / "states" / "japan.yaml"
    japan.write_text(japan.read_text().replace("aliases: [JP, Nippon]",
                                               "aliases: [JP, Nippon, South Korea]", 1))
    assert direct.load_named([shipped_cases(), c], "south-korea", "chip4") is None
    expected = (f"error: {japan}:3: aliases[2]: 'South Korea' also names the state south-korea "
                f"(the id in {c / 'states' / 'south-korea.yaml'}, line 1); expected each id, name "
                "and alias to name one state only (change or remove one of the two)\n")
    for extra in ((), ("--only-cases",)):
        result = run("ask", "south-korea", "chip4", "--cases", str(c), *extra)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", expected)
    # a coalition's alias claimed by another coalition, in an added directory of its own
    mine = tmp_path / "mine"
    (mine / "coalitions").mkdir(parents=True)
    chip5 = mine / "coalitions" / "chip5.yaml"
    chip5.write_text((shipped_cases() / "coalitions" / "chip4.yaml").read_text()
                     .replace("id: chip4", "id: chip5", 1).replace("name: Chip 4", "name: Fab 4", 1))
    assert direct.load_named([shipped_cases(), mine], "japan", "chip4") is None
    result = run("ask", "japan", "chip4", "--cases", str(mine))
    assert result.returncode == 2 and "also names the coalition chip4" in result.stderr


def test_a_problem_in_either_file_is_reported_as_the_directory_reports_it(tmp_path):
    c = copy_of_shipped(tmp_path)
    korea = c / "states" / "south-korea.yaml"
    korea.write_text(korea.read_text().replace("kind: state", "kind: planet", 1))
    assert direct.load_named([c], "south-korea", "chip4") is None
    listed = run("list", "--cases", str(c), "--only-cases")
    asked = run("ask", "south-korea", "chip4", "--cases", str(c), "--only-cases")
    assert asked.returncode == listed.returncode == 2 and "kind" in asked.stderr
    assert asked.stderr == listed.stderr
    # a reference to a state the directories do not hold is checked as before
    c2 = copy_of_shipped(tmp_path / "2")
    (c2 / "states" / "united-states.yaml").unlink()
    assert direct.load_named([c2], "south-korea", "chip4") is None
    asked = run("ask", "south-korea", "chip4", "--cases", str(c2), "--only-cases")
    assert asked.returncode == 2 and "'united-states' is not a state in states/" in asked.stderr


def test_two_files_of_one_id_are_the_error_they_always_were(tmp_path):
    c = copy_of_shipped(tmp_path)
    shutil.copy(c / "states" / "japan.yaml", c / "states" / "japan.yml")
    assert direct.load_named([c], "south-korea", "chip4") is None
    asked = run("ask", "south-korea", "chip4", "--cases", str(c), "--only-cases")
    assert asked.returncode == 2 and "the id 'japan' is already used by" in asked.stderr


def test_a_broken_file_elsewhere_is_left_to_the_commands_that_read_it(tmp_path):
    """The one difference from loading the directory, by design (casefiles/direct.py): a question
    about two sound files is answered though a third file is broken; `list`, `matrix` and a
    question about that file still report it."""
    c = copy_of_shipped(tmp_path)
    laos = c / "states" / "laos.yaml"
    laos.write_text("id: laos\nname: Laos\nkind: nonsense\n")
    asked = run("ask", "south-korea", "chip4", "--cases", str(c), "--only-cases")
    assert asked.returncode == 0 and asked.stdout.startswith("Will South Korea join Chip 4?")
    listed = run("list", "--cases", str(c), "--only-cases")
    assert listed.returncode == 2 and f"{laos}:" in listed.stderr
    about = run("ask", "laos", "chip4", "--cases", str(c), "--only-cases")
    assert about.returncode == 2 and about.stderr == listed.stderr


def test_the_aliases_for_a_did_you_mean_are_read_when_wanted(base):
    named = direct.load_named([shipped_cases()], "south-korea", "chip4")
    aliases = named[0].case_set.aliases
    assert aliases._found is None  # not read to answer
    assert dict(aliases) == dict(base.states["south-korea"].case_set.aliases)
    result = run("ask", "south-korea", "chip4", "--set", "ties.united-states.threat_from=[nippon]")
    assert result.returncode == 2 and "(did you mean 'japan'?)" in result.stderr
