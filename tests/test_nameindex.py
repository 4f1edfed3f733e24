"""The names index (casefiles/nameindex.py): the names each case file claims, kept between
processes for the two-file cross-check and for a question by names. It only saves reading:
what it gives is what reading the files gives, whatever state the index is in."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.casefiles import direct, nameindex
from digital_coalitions.casefiles.loader import load_dir
from digital_coalitions.casefiles.question import Resolver, shipped_cases

COALITION = str(Path(sys.executable).with_name("coalition"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The index on, in a directory of this test's; every file counts as settled."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(nameindex.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(nameindex, "SETTLED_NS", 0)
    return tmp_path / "xdg" / "digital-coalitions" / "names"


@pytest.fixture
def reads(monkeypatch):
    """The files whose top lines are read, in order."""
    seen = []
    real = direct.claimed_names

    def counting(path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(direct, "claimed_names", counting)
    return seen


def copy_of_shipped(tmp_path) -> Path:
    copy = tmp_path / "c"
    shutil.copytree(shipped_cases(), copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def files_of(directory: Path) -> list[Path]:
    return sorted(p for sub in ("states", "coalitions") for p in (directory / sub).glob("*.yaml"))


def index_entries(cache: Path) -> dict:
    (index,) = cache.glob("*.json")
    return json.loads(index.read_text())["files"]


def test_the_index_is_written_once_and_then_read_instead_of_the_files(tmp_path, cache, reads):
    c = copy_of_shipped(tmp_path)
    first = direct.load_named([c], "south-korea", "chip4")
    assert sorted(reads) == files_of(c)  # every file's top lines, once
    assert len(index_entries(cache)) == len(files_of(c))
    reads.clear()
    again = direct.load_named([c], "south-korea", "chip4")
    assert reads == [] and again == first
    by_names = direct.resolve_named([c], "ROK", "Fab 4")
    assert reads == [] and by_names == first


def test_a_changed_file_is_read_again_and_its_new_names_count(tmp_path, cache, reads):
    c = copy_of_shipped(tmp_path)
    assert direct.load_named([c], "south-korea", "chip4") is not None
    japan = c / "states" / "japan.yaml"
    japan.write_text(japan.read_text().replace("aliases: [JP, Nippon]",
                                               "aliases: [JP, Nippon, South Korea]", 1))
    reads.clear()
    assert direct.load_named([c], "south-korea", "chip4") is None  # the clash, as load_dir has it
    assert reads == [japan]
    assert "south korea" in index_entries(cache)["states/japan.yaml"][5]
    assert direct.resolve_named([c], "Nippon", "chip4") is None  # japan.yaml is now not sound
    # the same size, the same time of change: the inode and ctime still tell
    text = japan.read_text()
    stat = japan.stat()
    japan.unlink()
    japan.write_text(text.replace("South Korea", "South Kores", 1))
    os.utime(japan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reads.clear()
    assert direct.load_named([c], "south-korea", "chip4") is not None
    assert reads == [japan]


def test_an_added_file_is_read_and_a_removed_one_dropped(tmp_path, cache, reads):
    c = copy_of_shipped(tmp_path)
    assert direct.load_named([c], "south-korea", "chip4") is not None
    rok = c / "states" / "rok.yaml"
    rok.write_text("id: rok\nname: Republic of Korea\naliases: [South Korea]\nkind: state\n")
    reads.clear()
    assert direct.load_named([c], "south-korea", "chip4") is None
    assert reads == [rok] and "states/rok.yaml" in index_entries(cache)
    rok.unlink()
    reads.clear()
    assert direct.load_named([c], "south-korea", "chip4") is not None
    assert reads == [] and "states/rok.yaml" not in index_entries(cache)


def test_an_added_directory_has_an_index_of_its_own(tmp_path, cache, reads):
    mine = tmp_path / "mine"
    (mine / "coalitions").mkdir(parents=True)
    fab = mine / "coalitions" / "fab5.yaml"
    fab.write_text((shipped_cases() / "coalitions" / "chip4.yaml").read_text()
                   .replace("id: chip4", "id: fab5", 1).replace("name: Chip 4", "name: Fab 4", 1))
    assert direct.resolve_named([shipped_cases(), mine], "Japan", "Chip 4") is None  # a clash
    assert len(list(cache.glob("*.json"))) == 2
    reads.clear()
    assert direct.resolve_named([shipped_cases(), mine], "Japan", "Chip 4") is None
    assert reads == []


@pytest.mark.parametrize("garbage", [b"", b"{", b"\xff\xfe", b"[]", b'{"code": 1}',
                                     b'{"code": "x", "files": {}}'])
def test_a_corrupt_index_only_costs_the_reading(tmp_path, cache, reads, garbage):
    c = copy_of_shipped(tmp_path)
    want = direct.load_named([c], "south-korea", "chip4")
    (index,) = cache.glob("*.json")
    sound = json.loads(index.read_text())
    index.write_bytes(garbage)
    reads.clear()
    assert direct.load_named([c], "south-korea", "chip4") == want
    assert sorted(reads) == files_of(c)
    assert json.loads(index.read_text()) == sound  # rebuilt


def test_a_corrupt_entry_is_read_again(tmp_path, cache, reads):
    c = copy_of_shipped(tmp_path)
    want = direct.load_named([c], "south-korea", "chip4")
    (index,) = cache.glob("*.json")
    data = json.loads(index.read_text())
    data["files"]["states/japan.yaml"][5] = [1, 2]  # names that are no strings
    data["files"]["states/laos.yaml"] = "laos"
    index.write_text(json.dumps(data))
    reads.clear()
    assert direct.load_named([c], "south-korea", "chip4") == want
    assert sorted(reads) == [c / "states" / "japan.yaml", c / "states" / "laos.yaml"]


def test_an_unwritable_cache_only_costs_the_reading(tmp_path, monkeypatch, reads):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv(nameindex.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(nameindex, "SETTLED_NS", 0)
    c = copy_of_shipped(tmp_path)
    want = direct.load_named([c], "south-korea", "chip4")
    assert want is not None and len(reads) == len(files_of(c))
    assert direct.load_named([c], "south-korea", "chip4") == want
    assert len(reads) == 2 * len(files_of(c))


def test_no_cache_turns_the_index_off(tmp_path, cache, reads, monkeypatch):
    monkeypatch.setenv(nameindex.NO_CACHE_ENV, "1")
    c = copy_of_shipped(tmp_path)
    direct.load_named([c], "south-korea", "chip4")
    direct.load_named([c], "south-korea", "chip4")
    assert len(reads) == 2 * len(files_of(c)) and not cache.exists()


def test_a_file_changed_a_moment_ago_is_not_kept(tmp_path, cache, reads, monkeypatch):
    monkeypatch.setattr(nameindex, "SETTLED_NS", 3600 * 10**9)  # the copies are seconds old
    c = copy_of_shipped(tmp_path)
    direct.load_named([c], "south-korea", "chip4")
    assert not cache.exists() or index_entries(cache) == {}
    reads.clear()
    direct.load_named([c], "south-korea", "chip4")
    assert sorted(reads) == files_of(c)


def test_every_name_resolves_to_the_file_the_directory_resolver_finds(cache):
    """Each state's id, name and aliases, with each coalition's: the same two files."""
    shipped = [shipped_cases()]
    resolver = Resolver(shipped_cases())
    base = resolver.base
    coalitions = sorted(base.coalitions.values(), key=lambda case: case.id)
    for i, state in enumerate(sorted(base.states.values(), key=lambda case: case.id)):
        coalition = coalitions[i % len(coalitions)]
        for state_ref in [state.id, state.data["name"], *state.data["aliases"]]:
            for coalition_ref in [coalition.data["name"], *coalition.data["aliases"][:1]]:
                got = direct.resolve_named(shipped, state_ref, coalition_ref)
                assert got is not None, (state_ref, coalition_ref)
                assert got == (resolver.find(state_ref, "state"),
                               resolver.find(coalition_ref, "coalition"))
    generic = direct.resolve_named(shipped, "South Korea", "the Chip 4 alliance")
    assert generic is not None and generic[1].id == "chip4"


def run(*args, env=None):
    return subprocess.run([COALITION, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_a_question_by_names_reads_its_two_files_and_errs_as_it_always_did(tmp_path):
    c = copy_of_shipped(tmp_path)
    by_ids = run("ask", "south-korea", "chip4", "--cases", str(c), "--only-cases")
    # a broken third file: a question by names is answered from its two files, as one by ids
    laos = c / "states" / "laos.yaml"
    laos.write_text("id: laos\nname: Laos\nkind: nonsense\n")
    for env in ({}, {"COALITION_NO_CACHE": ""}):
        by_names = run("ask", "Will South Korea join Chip 4?", "--cases", str(c), "--only-cases",
                       env={**env, "XDG_CACHE_HOME": str(tmp_path / "xdg")})
        assert (by_names.returncode, by_names.stdout) == (0, by_ids.stdout)
    # a name two files claim is the clash load_dir reports
    japan = c / "states" / "japan.yaml"
    japan.write_text(japan.read_text().replace("aliases: [JP, Nippon]",
                                               "aliases: [JP, Nippon, South Korea]", 1))
    clash = run("ask", "Will South Korea join Chip 4?", "--cases", str(c), "--only-cases")
    listed = run("list", "--cases", str(c), "--only-cases")
    assert clash.returncode == listed.returncode == 2 and clash.stderr == listed.stderr
    assert "'South Korea' also names the state south-korea" in clash.stderr
