"""The batch commands (matrix, backtest, rules coverage and show): answers spread over the
workers in the order asked, and the on-disk answer cache (engine/analysis/cache.py).

conftest.py turns the cache off for every other test (COALITION_NO_CACHE); each test here that
uses it gives it a directory of its own, so no test reads what another left."""

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.analysis import cache as answer_cache
from digital_coalitions.analysis.batch import Summary, answer_many
from digital_coalitions.analysis.cache import AnswerCache
from digital_coalitions.analysis.coverage import render_coverage, run_coverage
from digital_coalitions.analysis.explore import POOL_THRESHOLD, matrix
from digital_coalitions.audit import trace
from digital_coalitions.casefiles.loader import load_dir
from digital_coalitions.casefiles.question import ASKED, dated, role_of
from digital_coalitions.inference.answer import ask
from digital_coalitions.inference.engine import CoalitionEngine

from test_coverage import small_cases  # noqa: F401  (three states and two coalitions, a fixture)

COALITION = str(Path(sys.executable).with_name("coalition"))


@pytest.fixture
def runs(monkeypatch):
    """How many inferences this process ran (the workers' are their own)."""
    count = {"n": 0}
    real = CoalitionEngine.run

    def counted(self, *args, **kwargs):
        count["n"] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CoalitionEngine, "run", counted)
    return count


def asked_pairings(base) -> int:
    return sum(1 for s in base.states.values() for c in base.coalitions.values()
               if role_of(s, c)[0] in ASKED)


def entries(directory: Path) -> list[Path]:
    return sorted((directory / "answers").rglob("*.json"))


# ---- the workers ---------------------------------------------------------------------------------
def test_the_workers_answer_as_this_process_does_and_in_the_order_asked(base, engine, runs):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: every question is asked in this process")
    questions = [dated(s, c, year) for year in (None, 2019) for c in base.coalitions.values()
                 for s in base.states.values() if role_of(s, c)[0] in ASKED][:POOL_THRESHOLD + 8]
    here = answer_many(questions, engine, workers=1)
    assert runs["n"] == len(questions)
    pooled = answer_many(questions, engine, workers=2)
    assert runs["n"] == len(questions), "the workers asked, not this process"
    assert pooled == here  # the same summaries, in the same order
    assert [s.state for s in pooled] == [q[0] for q in questions]
    for (state, coalition), summary in zip(questions[:3], pooled):
        assert summary == Summary.of(ask(state, coalition, engine))


def test_a_matrix_cell_keeps_a_few_words_not_the_answer(base, engine):
    result = matrix(base, engine, workers=1)
    korea = result.cells[("south-korea", "chip4")].answer
    whole = ask(*dated(base.states["south-korea"], base.coalitions["chip4"]), engine)
    assert (korea.verdict, korea.likelihood["term"], korea.confidence["level"]) == \
        (whole.verdict, whole.likelihood["term"], whole.confidence["level"])
    assert not hasattr(korea, "__dict__") and len(pickle.dumps(korea)) < 400


# ---- the cache -------------------------------------------------------------------------------------
def test_a_second_run_is_answered_from_the_cache(small_cases, tmp_path, runs):
    base, cache = load_dir(small_cases), AnswerCache(tmp_path / "cache")
    fresh = matrix(base, workers=1).to_dict()
    asked = runs["n"]
    assert asked == asked_pairings(base) > 0
    assert matrix(base, cache=cache, workers=1).to_dict() == fresh
    assert runs["n"] == 2 * asked and len(entries(cache.directory)) == asked
    again = AnswerCache(cache.directory)  # as the next command opens it
    assert matrix(base, cache=again, workers=1).to_dict() == fresh
    assert runs["n"] == 2 * asked and again.hits == asked, "no question asked again"
    # coverage, from its rules fired and the outlook over the summaries (it asks each state at
    # its file's main evidence, not dated as the matrix does: other questions, other entries)
    plain = render_coverage(run_coverage(small_cases, workers=1), "json")
    run_coverage(small_cases, cache=again, workers=1)
    runs["n"] = 0
    assert render_coverage(run_coverage(small_cases, cache=again, workers=1), "json") == plain
    assert runs["n"] == 0


def test_an_edited_case_file_asks_its_questions_again(small_cases, tmp_path, runs):
    cache = AnswerCache(tmp_path / "cache")
    run_coverage(small_cases, cache=cache, workers=1)
    japan = small_cases / "states" / "japan.yaml"
    text = japan.read_text()
    assert text.count("  government_alignment: pro-leader\n") == 1
    japan.write_text(text.replace("  government_alignment: pro-leader\n",
                                  "  government_alignment: autonomist\n"))
    runs["n"] = 0
    edited = run_coverage(small_cases, cache=AnswerCache(cache.directory), workers=1)
    assert runs["n"] == sum(1 for s, _ in edited.pairings if s == "japan") == 1
    assert render_coverage(edited, "json") == render_coverage(
        run_coverage(small_cases, workers=1), "json")


def test_an_edited_rule_file_asks_every_question_again(small_cases, tmp_path, runs, monkeypatch):
    base = load_dir(small_cases)
    matrix(base, cache=AnswerCache(tmp_path / "cache"), workers=1)
    real = trace.rule_base_sources()
    edited = [(name, text + b"\n# edited\n" if name == "verdict.py" else text)
              for name, text in real]
    monkeypatch.setattr(trace, "rule_base_sources", lambda: edited)
    runs["n"] = 0
    cache = AnswerCache(tmp_path / "cache")
    matrix(base, cache=cache, workers=1)
    assert runs["n"] == asked_pairings(base) and cache.hits == 0


def test_a_corrupt_entry_is_ignored_and_written_again(small_cases, tmp_path, runs):
    base, cache = load_dir(small_cases), AnswerCache(tmp_path / "cache")
    fresh = matrix(base, cache=cache, workers=1).to_dict()
    torn, emptied, other = entries(cache.directory)
    whole = torn.read_bytes()
    torn.write_bytes(whole[:40])  # a write cut short
    emptied.write_text(json.dumps({"key": emptied.stem, "summary": {"verdict": "maybe"}}))
    other.write_bytes(whole)  # another question's entry, in this one's place
    runs["n"] = 0
    again = AnswerCache(cache.directory)
    assert matrix(base, cache=again, workers=1).to_dict() == fresh
    assert runs["n"] == 3 and again.written == 3
    for path in (torn, emptied, other):
        data = json.loads(path.read_text())
        assert data["key"] == path.stem and Summary.from_dict(data["summary"]) is not None
    assert not list(cache.directory.rglob("*.tmp")), "no temporary file left behind"


def test_a_summary_read_back_is_the_summary_written(base, engine, tmp_path):
    cache = AnswerCache(tmp_path)
    questions = [dated(base.states["south-korea"], base.coalitions["chip4"], 2020),
                 dated(base.states["india"], base.coalitions["chip4"])]
    written = answer_many(questions, engine, cache, workers=1)
    read = answer_many(questions, engine, AnswerCache(tmp_path), workers=1)
    assert read == written and [s.state for s in read] == [q[0] for q in questions]
    assert cache.key(*questions[0]) != cache.key(*dated(base.states["south-korea"],
                                                        base.coalitions["chip4"], 2019))


def test_the_cache_keys_set_changes(base):
    from digital_coalitions.casefiles.overrides import apply_overrides

    cache = AnswerCache("unused")
    state, coalition = dated(base.states["south-korea"], base.coalitions["chip4"])
    changed = apply_overrides(state, coalition, ["autonomy.government_alignment=autonomist"])
    other = apply_overrides(state, coalition, ["autonomy.government_alignment=neutral"])
    keys = {cache.key(state, coalition), cache.key(*changed), cache.key(*other)}
    assert len(keys) == 3 and None not in keys


def test_where_the_cache_lives(monkeypatch, tmp_path):
    monkeypatch.delenv("COALITION_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert answer_cache.default_directory() == tmp_path / "home" / ".cache" / "digital-coalitions"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert answer_cache.default_directory() == tmp_path / "xdg" / "digital-coalitions"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # not absolute: ignored, as XDG says
    assert answer_cache.default_directory() == tmp_path / "home" / ".cache" / "digital-coalitions"
    monkeypatch.setenv("COALITION_CACHE_DIR", str(tmp_path / "mine"))
    assert answer_cache.default_directory() == tmp_path / "mine"
    monkeypatch.setenv("COALITION_NO_CACHE", "1")
    assert answer_cache.user_cache() is None
    monkeypatch.setenv("COALITION_NO_CACHE", "0")
    assert answer_cache.user_cache().directory == tmp_path / "mine"
    assert answer_cache.user_cache(enabled=False) is None


def a_version(tmp_path, name: str) -> AnswerCache:
    """The cache as another version of the code sees it (its digest is all that differs)."""
    cache = AnswerCache(tmp_path)
    cache._code = name * 64
    return cache


def used_at(cache: AnswerCache, seconds: float) -> None:
    os.utime(cache.version_folder / answer_cache.USED, (seconds, seconds))


SUMMARY = {"verdict": "joins"}


def test_only_the_versions_used_last_keep_their_entries(tmp_path):
    old = [a_version(tmp_path, name) for name in "abcd"]
    for age, version in enumerate(old):  # a, b, c, d: used one after another, long ago
        assert version.put("1" * 64, SUMMARY)
        used_at(version, 1_000_000 + age)
    before_versions = tmp_path / "answers" / "12"  # an entry of the layout before the folders
    before_versions.mkdir()
    (before_versions / ("12" * 32 + ".json")).write_text("{}")
    now = AnswerCache(tmp_path)
    assert now.put("2" * 64, SUMMARY)
    kept = {f.name for f in (tmp_path / "answers").iterdir()}
    assert kept == {now.code[:answer_cache.VERSION_CHARS], "c" * 16, "d" * 16}
    assert now.get("2" * 64) == SUMMARY
    assert a_version(tmp_path, "d").get("1" * 64) == SUMMARY  # the kept versions still hit
    assert a_version(tmp_path, "a").get("1" * 64) is None


def test_pruning_touches_nothing_the_cache_did_not_write(tmp_path):
    answers = tmp_path / "answers"
    for name in "abc":  # three versions used long ago, so that pruning has work to do
        version = a_version(tmp_path, name)
        assert version.put("1" * 64, SUMMARY)
        used_at(version, 1_000_000)
    foreign = answers / "q1"  # someone else's folder, a link, and an unmarked look-alike
    foreign.mkdir()
    (foreign / "important.txt").write_text("keep me")
    unmarked = answers / ("f" * 16)
    unmarked.mkdir()
    (unmarked / "mine.txt").write_text("keep me")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / ".used").write_text("")
    (answers / ("e" * 16)).symlink_to(outside, target_is_directory=True)
    old = answers / "ab"  # the old layout: its entries go, another file there stays
    old.mkdir()
    (old / ("ab" * 32 + ".json")).write_text("{}")
    (old / "notes.txt").write_text("keep me")
    assert AnswerCache(tmp_path).put("2" * 64, SUMMARY)
    assert (foreign / "important.txt").exists() and (unmarked / "mine.txt").exists()
    assert (answers / ("e" * 16)).is_symlink() and (outside / ".used").exists()
    assert [p.name for p in old.iterdir()] == ["notes.txt"]
    assert not (answers / ("a" * 16)).exists()  # an old version of its own is pruned


def test_a_version_that_only_reads_keeps_its_entries_and_two_in_turn_keep_each_others(tmp_path):
    reader = a_version(tmp_path, "a")
    assert reader.put("1" * 64, SUMMARY)
    used_at(reader, 1_000_000)
    for age, name in enumerate("bc"):  # then b and c, after it
        version = a_version(tmp_path, name)
        assert version.put("1" * 64, SUMMARY)
        used_at(version, 1_000_100 + age)
    assert a_version(tmp_path, "a").get("1" * 64) == SUMMARY  # read now: used last
    assert a_version(tmp_path, "d").put("1" * 64, SUMMARY)
    kept = {f.name for f in (tmp_path / "answers").iterdir()}
    assert kept == {"a" * 16, "c" * 16, "d" * 16}  # b, used before the others, is gone
    for turn in range(4):  # two installs used in turn, each writing: neither loses its entries
        for name in "ae":
            assert a_version(tmp_path, name).put(f"{turn}{name}" * 32, SUMMARY)
    assert {"a" * 16, "e" * 16} <= {f.name for f in (tmp_path / "answers").iterdir()}
    assert a_version(tmp_path, "a").get("1" * 64) == SUMMARY


# ---- the commands ----------------------------------------------------------------------------------
def command(*args, cache_dir=None, **env):
    environment = {k: v for k, v in os.environ.items() if k != "COALITION_NO_CACHE"}
    if cache_dir is not None:
        environment["COALITION_CACHE_DIR"] = str(cache_dir)
    environment.update(env)
    return subprocess.run([COALITION, *args], capture_output=True, text=True, env=environment)


def test_the_commands_answer_the_same_from_the_cache(small_cases, tmp_path):
    where = ("--cases", str(small_cases), "--only-cases")
    cache_dir = tmp_path / "cache"
    for args in (("matrix", "--format", "json"), ("rules", "coverage", "--format", "json"),
                 ("rules", "show", "SD-21")):
        plain = command(*args, *where, "--no-cache", cache_dir=cache_dir)
        assert plain.returncode == 0 and plain.stderr == "", plain.stderr
        assert not cache_dir.exists(), "--no-cache writes nothing"
        off = command(*args, *where, cache_dir=cache_dir, COALITION_NO_CACHE="1")
        assert off.stdout == plain.stdout and not cache_dir.exists()
        first = command(*args, *where, cache_dir=cache_dir)
        stored = {p: p.stat().st_mtime_ns for p in entries(cache_dir)}
        second = command(*args, *where, cache_dir=cache_dir)
        assert first.stdout == second.stdout == plain.stdout
        assert first.stderr == second.stderr == ""
        assert len(stored) == asked_pairings(load_dir(small_cases))
        assert {p: p.stat().st_mtime_ns for p in entries(cache_dir)} == stored
        shutil.rmtree(cache_dir)  # safe to delete at any time


def test_a_cache_that_cannot_be_written_costs_one_warning_line(small_cases, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    where = ("--cases", str(small_cases), "--only-cases")
    plain = command("matrix", "--format", "csv", *where, "--no-cache")
    result = command("matrix", "--format", "csv", *where, cache_dir=blocker / "cache")
    assert result.returncode == 0 and result.stdout == plain.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"warning: answer cache: {blocker / 'cache'}: cannot be written")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc to find the workers")
def test_ctrl_c_during_the_matrix_aborts_without_a_traceback():
    from test_analysis import assert_ctrl_c_mid_search_aborts

    assert_ctrl_c_mid_search_aborts([COALITION, "matrix", "--no-cache"], tries=2)
