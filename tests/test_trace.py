"""The trace: recorded from the engine, reproducible byte for byte, verifiable, comparable."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digital_coalitions import __version__
from digital_coalitions.audit import trace as traces
from digital_coalitions.inference.answer import ask
from digital_coalitions.cli.main import main
from digital_coalitions.casefiles.loader import load_file
from digital_coalitions.casefiles.question import shipped_cases

COALITION = str(Path(sys.executable).with_name("coalition"))
ROOT = Path(__file__).resolve().parents[1]
SHIPPED = shipped_cases()


def run(*args, cwd=None, env=None):
    return subprocess.run([COALITION, *args], capture_output=True, text=True, cwd=cwd, env=env)


def one_line_error(result, *words):
    code = getattr(result, "returncode", getattr(result, "exit_code", None))
    assert code == 2, (code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def korea():
    state = load_file(SHIPPED / "states" / "south-korea.yaml")
    coalition = load_file(SHIPPED / "coalitions" / "chip4.yaml")
    answer = ask(state, coalition)
    return answer, traces.trace_record(answer, argv=["trace", "south-korea", "chip4"])


@pytest.fixture
def case_copies(tmp_path):
    """The shipped South Korea and Chip 4 files, copied where a test may edit them."""
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(SHIPPED / "states" / "south-korea.yaml", folder)
    shutil.copy(SHIPPED / "coalitions" / "chip4.yaml", folder)
    return folder / "south-korea.yaml", folder / "chip4.yaml"


# ---- the record -------------------------------------------------------------------------------
def test_trace_is_the_engines_own_record_of_firing(korea):
    answer, record = korea
    assert [f["rule"] for f in record["firings"]] == answer.rules_fired
    assert [f["step"] for f in record["firings"]] == list(range(1, len(answer.firings) + 1))
    for firing, kept in zip(answer.firings, record["firings"]):
        assert [f["id"] for f in kept["matched"]] == firing.matched
        assert [f["id"] for f in kept["consulted"]] == firing.consulted
        assert [f["id"] for f in kept["asserted"]] == firing.asserted
    # the activations left on the agenda are recorded too, with what withdrew them
    assert [(u["rule"], [f["id"] for f in u["facts"]]) for u in record["unfired"]] == \
        [(rule, ids) for rule, ids in answer.unfired]
    verdict_rule = next(f["rule"] for f in record["firings"]
                        if any(a["type"] == "Verdict" for a in f["asserted"]))
    for entry in record["unfired"]:
        if entry["rule"].startswith("V-"):
            assert {b["rule"] for b in entry["blocked_by"]} == {verdict_rule}


def test_classification_rules_consult_only_the_factors_of_their_concept(korea):
    _, record = korea
    for firing in record["firings"]:
        weighed = [f for f in firing["consulted"] if f["type"] == "Factor"]
        concepts = {f["fields"]["concept"] for f in weighed}
        assert len(concepts) <= 1, (firing["rule"], concepts)
        if weighed:
            score = sum(f["fields"]["points"] for f in weighed)
            assert firing["asserted"][0]["fields"]["score"] == score


def test_header_names_version_rule_base_inputs_command_and_verdict(korea):
    answer, record = korea
    assert record["format"] == "digital-coalitions-trace" and record["format_version"] == 2
    assert record["tool"]["version"] == __version__
    rules_dir = Path(str(files("digital_coalitions.rules")))
    digest = hashlib.sha256()
    for path in sorted(rules_dir.glob("*.py"), key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert record["rule_base"]["sha256"] == digest.hexdigest()
    for item, case in zip(record["inputs"], (answer.state, answer.coalition)):
        assert item["path"] == str(case.path)
        assert item["sha256"] == hashlib.sha256(Path(case.path).read_bytes()).hexdigest()
    assert record["command"] == ["trace", "south-korea", "chip4"]
    assert record["verdict"] == answer.verdict
    assert record["digest"] == traces.digest(record)
    text = json.dumps(record)
    assert not re.search(r"20\d\d-\d\d-\d\dT|\btimestamp\b|hostname", text)


def test_evidence_points_at_the_line_it_was_read_from(korea):
    answer, record = korea
    lines = Path(answer.state.path).read_text().splitlines()
    ties = lines.index("ties:")
    leader = next(i for i in range(ties, len(lines)) if lines[i].strip() == "united-states:")
    alliance = next(i for i in range(leader, len(lines)) if lines[i].strip().startswith("alliance:"))
    by_path = {f["from"]["path"]: f for f in record["evidence"] if "from" in f}
    assert by_path["ties.united-states.alliance"]["from"]["line"] == alliance + 1
    for fact in record["evidence"]:
        origin = fact.get("from")
        if origin:
            case = answer.state if fact["fields"].get("source", fact["fields"].get("case")) == \
                "state" else answer.coalition
            assert origin["file"] == str(case.path)
            assert 1 <= origin["line"] <= len(Path(case.path).read_text().splitlines())
    # every fact a firing matched that came from a file says where
    for firing in record["firings"]:
        for fact in firing["matched"]:
            if "path" in fact["fields"]:
                assert fact["from"]["line"] >= 1


def test_line_of_falls_back_to_the_nearest_written_parent(korea):
    answer, _ = korea
    state = answer.state
    assert traces.line_of(state, "ties.united-states.alliance") == \
        state.lines["ties.united-states.alliance"]
    assert traces.line_of(state, "ties.united-states.not_a_field") == state.lines["ties.united-states"]
    assert traces.line_of(state, "industries.quantum.position") == state.lines["industries"]
    assert traces.line_of(state, "nowhere") == 1


def test_readable_trace_numbers_the_steps_in_the_papers_words(korea):
    answer, record = korea
    text = traces.render_record_text(record)
    for firing in record["firings"]:
        assert re.search(rf"^\s*{firing['step']}\. .+\n(.*\n)*?\s+\[{firing['rule']} ", text, re.M)
    assert re.search(r"Security attachment is high \(score \d+\) because:\n"
                     r"(\s+- .*\n)*\s+- high threat the leader protects against \(S3", text)
    assert "Security dependency is intense because:" in text
    assert "south-korea.yaml:" in text and answer.state.sha256 in text
    assert "On the agenda but never fired" in text


def test_ask_trace_prints_the_readable_trace_and_json_embeds_the_record():
    result = run("ask", "south-korea", "chip4", "--trace")
    assert result.returncode == 0, result.stderr
    assert "Trace of \"Will South Korea join Chip 4?\"" in result.stdout
    assert "command:    coalition ask south-korea chip4 --trace" in result.stdout
    result = run("ask", "south-korea", "chip4", "--format", "json", "--trace")
    data = json.loads(result.stdout)
    assert data["trace"]["verdict"] == data["verdict"]
    assert data["trace"]["digest"] == traces.digest(data["trace"])


# ---- determinism ------------------------------------------------------------------------------
def test_identical_inputs_give_byte_identical_traces_across_processes(tmp_path):
    written = []
    for seed in ("1", "4242"):
        folder = tmp_path / f"seed-{seed}"
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for question in (("south-korea", "chip4"), ("eu", "ttc")):
            out = f"{question[0]}.trace.json"
            result = run("trace", *question, "-o", out, cwd=folder, env=env)
            assert result.returncode == 0, result.stderr
            written.append((seed, question, (folder / out).read_bytes()))
    by_question = {}
    for seed, question, data in written:
        by_question.setdefault(question, set()).add(data)
    for question, versions in by_question.items():
        assert len(versions) == 1, f"{question}: traces differ between PYTHONHASHSEED values"


# ---- verify -----------------------------------------------------------------------------------
def record_to(tmp_path, state, coalition, name="t.trace.json"):
    out = tmp_path / name
    result = run("trace", str(state), str(coalition), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "written to" in result.stdout
    return out


def test_verify_passes_on_an_unchanged_run(tmp_path, case_copies):
    out = record_to(tmp_path, *case_copies)
    result = run("trace", "verify", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("verified:")


def test_verify_catches_an_edited_input_file(tmp_path, case_copies):
    state, coalition = case_copies
    out = record_to(tmp_path, state, coalition)
    text = state.read_text()
    state.write_text(text.replace("abandonment_fear: high", "abandonment_fear: low", 1))
    assert state.read_text() != text
    result = run("trace", "verify", str(out))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("diverged: input file changed:") and str(state) in first


def test_verify_names_a_missing_input_file(tmp_path, case_copies):
    out = record_to(tmp_path, *case_copies)
    case_copies[1].unlink()
    result = run("trace", "verify", str(out))
    assert result.returncode == 1 and "input file missing" in result.stderr


@pytest.fixture
def package_copy(tmp_path):
    """The installed package copied into a folder of its own, to be edited without touching the repo."""
    root = tmp_path / "pkg"
    package = root / "digital_coalitions"
    shutil.copytree(ROOT / "engine", package, ignore=shutil.ignore_patterns("__pycache__"))
    for sub in ("rules", "templates", "cases"):
        shutil.copytree(ROOT / sub, package / sub, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(root)}
    where = subprocess.run([sys.executable, "-c", "import digital_coalitions as d; print(d.__file__)"],
                           capture_output=True, text=True, env=env)
    assert where.stdout.strip().startswith(str(root)), where

    def coalition(*args):
        return subprocess.run([sys.executable, "-c", "import sys; from digital_coalitions.cli.main "
                               "import main; sys.exit(main())", *args],
                              capture_output=True, text=True, env=env)
    return package, coalition


def test_verify_catches_an_edited_rule(tmp_path, package_copy):
    package, coalition = package_copy
    out = tmp_path / "t.trace.json"
    assert coalition("trace", "south-korea", "chip4", "-o", str(out)).returncode == 0
    assert coalition("trace", "verify", str(out)).returncode == 0
    verdicts = package / "rules" / "verdict.py"
    source = verdicts.read_text()
    edited = re.sub(r'(Branch\("V-\d\d", ")', r"\1Edited: ", source, count=1)
    assert edited != source
    verdicts.write_text(edited)
    result = coalition("trace", "verify", str(out))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("diverged: rule base changed")


def test_verify_catches_the_same_inputs_reasoning_differently(tmp_path, package_copy):
    package, coalition = package_copy
    out = tmp_path / "t.trace.json"
    assert coalition("trace", "south-korea", "chip4", "-o", str(out)).returncode == 0
    # the engine, not the rules, changes: joint exercises are no longer read from the file
    evidence = package / "casefiles" / "evidence.py"
    source = evidence.read_text()
    edited = source.replace('"joint_exercises", ', "", 1)
    assert edited != source
    evidence.write_text(edited)
    result = coalition("trace", "verify", str(out))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("diverged: same inputs now reason differently: step ")


def test_verify_refuses_a_tampered_trace(tmp_path, case_copies):
    out = record_to(tmp_path, *case_copies)
    data = json.loads(out.read_text())
    data["verdict"] = "joins"
    out.write_text(json.dumps(data, indent=2))
    one_line_error(run("trace", "verify", str(out)), str(out), "altered")
    # a forger who also recomputes the digest is caught by the re-run
    data["digest"] = traces.digest(data)
    out.write_text(json.dumps(data, indent=2))
    result = run("trace", "verify", str(out))
    assert result.returncode == 1 and "verdict differs" in result.stderr


def test_malformed_and_truncated_traces_give_one_line_errors(tmp_path, korea):
    _, record = korea
    good = traces.dumps(record)
    cases = {
        "truncated.json": good[: len(good) // 2],
        "empty.json": "",
        "list.json": "[1, 2, 3]",
        "not-json.json": "verdict: joins\n",
        "other-format.json": json.dumps({"format": "something-else"}),
        "old-version.json": json.dumps({**record, "format_version": 0}),
    }
    missing = {k: v for k, v in record.items() if k != "firings"}
    missing["digest"] = traces.digest(missing)
    cases["missing-key.json"] = json.dumps(missing)
    wrong = json.loads(good)
    wrong["firings"][0]["matched"] = "all of them"
    wrong["digest"] = traces.digest(wrong)
    cases["wrong-type.json"] = json.dumps(wrong)
    runner = CliRunner()
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text)
        for command in (("trace", "show", str(path)), ("trace", "verify", str(path)),
                        ("trace", "diff", str(path), str(path))):
            result = runner.invoke(main, list(command))
            assert result.exception is None or isinstance(result.exception, SystemExit), \
                (name, command, result.exception)
            one_line_error(result, name)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    one_line_error(runner.invoke(main, ["trace", "show", str(binary)]), "UTF-8")
    one_line_error(runner.invoke(main, ["trace", "verify", str(tmp_path / "nope.json")]),
                   "no such file")
    one_line_error(runner.invoke(main, ["trace", "show", str(tmp_path)]), "directory")
    # and as a user meets it, in a process of its own
    one_line_error(run("trace", "verify", str(tmp_path / "truncated.json")), "truncated.json")
    # a file that is no trace at all is called that, not a trace cut short
    said = runner.invoke(main, ["trace", "verify", str(tmp_path / "not-json.json")]).output
    assert "is not a trace: not JSON at all" in said and "cut short" not in said
    assert "cut short" in runner.invoke(main, ["trace", "show", str(tmp_path / "truncated.json")]).output


def test_trace_output_is_atomic_and_never_overwrites_a_case_file(tmp_path, case_copies):
    state, coalition = case_copies
    before = state.read_bytes()
    one_line_error(run("trace", str(state), str(coalition), "-o", str(state)), "YAML")
    assert state.read_bytes() == before
    one_line_error(run("trace", "south-korea", "chip4", "-o", str(tmp_path / "no" / "x.json")),
                   "does not exist")
    out = record_to(tmp_path, state, coalition)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert traces.load_trace(out)["verdict"]


def test_show_prints_a_recorded_trace(tmp_path, case_copies):
    out = record_to(tmp_path, *case_copies)
    result = run("trace", "show", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert f"command:    coalition {' '.join(data['command'])}" in result.stdout
    assert result.stdout.count(" because:") >= len(data["firings"]) - 2


# ---- diff -------------------------------------------------------------------------------------
def korea_2019(folder: Path):
    """South Korea and Chip 4 as they might have stood under the Moon government (2019-style)."""
    folder.mkdir()
    state = yaml.safe_load((SHIPPED / "states" / "south-korea.yaml").read_text())
    state.pop("history", None)  # a one-year file, written by hand as an analyst might
    state["as_of"] = 2019
    state["autonomy"]["government_alignment"] = "autonomist"
    state["targets"]["china"]["threat_perception"] = "low"
    coalition = yaml.safe_load((SHIPPED / "coalitions" / "chip4.yaml").read_text())
    coalition.pop("history", None)
    coalition["offers"]["subsidies"] = False  # no CHIPS Act yet
    del coalition["per_member"]  # no security guarantees, no exemptions
    (folder / "south-korea.yaml").write_text(yaml.safe_dump(state, sort_keys=False))
    (folder / "chip4.yaml").write_text(yaml.safe_dump(coalition, sort_keys=False))
    return folder / "south-korea.yaml", folder / "chip4.yaml"


def test_diff_of_south_korea_2019_and_2023_shows_evidence_and_judgment(tmp_path):
    old = record_to(tmp_path, *korea_2019(tmp_path / "2019"), name="2019.trace.json")
    new = tmp_path / "2023.trace.json"
    assert run("trace", "south-korea", "chip4", "-o", str(new)).returncode == 0

    result = run("trace", "diff", str(old), str(new), "--format", "json")
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    changed = {(e["path"], e["a"], e["b"]) for e in d["evidence"]}
    assert ("autonomy.government_alignment", "autonomist", "pro-leader") in changed
    assert ("per_member.south-korea.offers.security_guarantees", None, True) in changed
    assert ("per_member.south-korea.offers.exemptions", None, True) in changed
    assert ("targets.china.threat_perception", "low", "moderate") in changed
    moved = {j["what"]: (j["a"], j["b"]) for j in d["judgment"]}
    assert "verdict" in moved or "likelihood" in moved
    a, b = traces.load_trace(old), traces.load_trace(new)
    assert moved.get("likelihood", (None,))[0] in (None, traces._likelihood(a))
    # the firings that explain it: compensation and the government's pace
    rules = {r["rule"] for part in d["firings"].values() for r in part}
    assert {"CP-10", "AU-03"} <= rules
    assert d["inputs"] and not d["identical"]

    text = run("trace", "diff", str(old), str(new)).stdout
    assert "autonomy.government_alignment: autonomist → pro-leader" in text
    assert f"{traces._likelihood(a)} → {traces._likelihood(b)}" in text or \
        f"{a['verdict']} → {b['verdict']}" in text
    assert "appeared" in text and "changed" in text
    # values as the case files write them, never as Python prints them
    assert "per_member.south-korea.offers.exemptions: (not read) → true" in text
    assert "softened wording: false → true" in text
    assert not re.search(r"\bNone\b|\bTrue\b|\bFalse\b|\['", text), text


def test_a_list_changes_as_a_list_and_the_source_counts_by_name(tmp_path):
    # India's objections in 2015 and 2020: three added; compared item by item, the diff said
    # the first was replaced and three more appeared (a new user's trial)
    traces_ = []
    for year in ("2015", "2020"):
        path = tmp_path / f"{year}.trace.json"
        assert run("trace", "india", "clean-network", "--as-of", year, "-o",
                   str(path)).returncode == 0
        traces_.append(traces.load_trace(path))
    d = traces.diff(*traces_)
    (objections,) = [e for e in d["evidence"] if "objects_to" in e["path"]]
    assert objections["path"] == "autonomy.objects_to"
    assert objections["a"] == ["labour-environment-standards"]
    assert objections["added"] == ["data-free-flow", "digital-trade-rules",
                                   "no-internet-shutdowns"] and objections["removed"] == []
    assert set(objections["b"]) == {"labour-environment-standards", *objections["added"]}
    assert "sources" not in [e["path"] for e in d["evidence"]]
    # an emptied list is shown as emptied, with no "(not read)" legend for a value never shown
    emptied = {**traces_[0], "evidence": [f for f in traces_[0]["evidence"]
                                          if "objects_to" not in f.get("from", {}).get("path", "")]}
    (gone,) = [e for e in traces.diff(traces_[0], emptied)["evidence"] if "objects_to" in e["path"]]
    assert gone["removed"] == ["labour-environment-standards"] and gone["b"] == []
    text = traces.render_diff_text(traces.diff(traces_[0], emptied))
    assert "state autonomy.objects_to: labour-environment-standards → none (removed " \
           "labour-environment-standards)" in text and "(not read)" not in text
    timeline = run("timeline", "india", "clean-network").stdout
    assert "autonomy.objects_to added data-free-flow, digital-trade-rules, " \
           "no-internet-shutdowns;" in timeline and "objects_to[" not in timeline
    # three facts read from one list: each named for what it counts, none hiding another
    assert "coalition sources (how many) 14 → 15" in timeline and re.search(r"\bsources [0-9]", timeline) \
        is None


def test_diff_of_a_trace_with_itself_is_empty(korea, tmp_path):
    _, record = korea
    d = traces.diff(record, record)
    assert d["identical"] and not d["evidence"] and not d["judgment"]
    assert not any(d["firings"].values())


# ---- a trace edited anywhere, digest recomputed: an error line or a rendering, never a crash ---
def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for i, inner in enumerate(value[:3]):
            yield from _paths(inner, prefix + (i,))


DELETE = object()


@pytest.fixture(scope="module")
def mutable_paths(korea):
    _, record = korea
    return [p for p in _paths(record) if p and p[0] != "digest"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_edited_traces_never_crash_the_readers(korea, mutable_paths, tmp_path, data):
    _, record = korea
    edited = json.loads(json.dumps(record))
    path = data.draw(st.sampled_from(mutable_paths))
    value = data.draw(st.sampled_from([DELETE, None, 0, -7, 1.5, True, "", "x", [], {}, [1], {"a": 1}]))
    parent = edited
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    edited["digest"] = traces.digest(edited)
    file = tmp_path / "edited.json"
    file.write_text(json.dumps(edited))
    try:
        loaded = traces.load_trace(file)
    except traces.TraceError as error:
        assert len(str(error).splitlines()) == 1 and str(file) in str(error)
        return
    traces.render_record_text(loaded)
    traces.render_diff_text(traces.diff(loaded, record))
    traces.render_diff_text(traces.diff(record, loaded))


def test_a_concept_in_the_papers_words_is_its_whole_first_paragraph():
    # a docstring's first line alone stopped LittleToSacrifice's inside a quotation of T1
    from experta import Fact

    from digital_coalitions.audit.trace import _described
    from digital_coalitions.rules import concepts

    kinds = [name for name, kind in vars(concepts).items() if isinstance(kind, type)
             and issubclass(kind, Fact) and kind is not Fact and kind.__doc__]
    assert "LittleToSacrifice" in kinds
    for name in kinds:
        text = _described(name)
        assert text.count('"') % 2 == 0 and "\n" not in text and "  " not in text, (name, text)
    assert 'T1\'s "market and trade sacrifices" are not at stake' in _described("LittleToSacrifice")


@pytest.mark.parametrize("content, said", [
    ("{}", "has no field format; expected a trace written by `coalition trace`"),
    ('{"format": "x"}', "has format 'x', not 'digital-coalitions-trace'"),
    ("[]", "holds a JSON list, not an object")])
def test_verify_says_what_a_json_file_that_is_no_trace_lacks(tmp_path, content, said):
    path = tmp_path / "t.json"
    path.write_text(content)
    result = run("trace", "verify", str(path))
    assert result.returncode == 2 and result.stderr.startswith(f"error: {path}: {said}"), \
        result.stderr


@pytest.mark.parametrize("kind, value, said", [
    ("Sourcing", 1, "1 source cited in the state file"),
    ("Sourcing", 4, "4 sources cited in the state file"),
    ("SourceOrigins", 1, "1 independent origin among the sources of the state file"),
    ("SourceOrigins", 2, "2 independent origins among the sources of the state file"),
    ("SourceRecency", 2021, "the state file's sources are dated 2021 at the latest"),
    ("SourceRecency", 0, "the state file's sources give no year")])
def test_the_source_counts_say_what_they_count(kind, value, said):
    # CF-05 reads two counts of one list: "sources = 1" beside "2 source(s) cited" read as a
    # contradiction to an analyst (a new user's trial)
    fact = {"type": kind, "fields": {"source": "state", "value": value, "path": "sources"}}
    assert traces.phrase(fact) == said
