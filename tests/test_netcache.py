"""The Rete network kept between processes (engine/inference/netcache.py): a loaded network fires
exactly as a built one, the cache is used, and a stale, corrupt or unwritable cache only costs
the build. (Every other test runs with the cache off: conftest.py sets COALITION_NO_CACHE.)"""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from digital_coalitions.compat import experta
from digital_coalitions.inference import netcache
from digital_coalitions.inference.answer import ask
from digital_coalitions.inference.engine import CoalitionEngine
from digital_coalitions.inference.rete import TypedReteMatcher, prepare


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The network cache on, in a directory of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(netcache.NO_CACHE_ENV, raising=False)
    return tmp_path / "digital-coalitions" / "network"


def _no_build(monkeypatch):
    def refuse(self):
        raise AssertionError("the network was built, not loaded")
    monkeypatch.setattr(TypedReteMatcher, "build_network", refuse)


def _record(answer):
    return (answer.to_dict(), [(f.step, f.rule, f.matched, f.consulted, f.asserted)
                               for f in answer.firings], answer.unfired,
            {fid: (type(f).__name__, dict(f)) for fid, f in answer.facts.items()})


def test_a_loaded_network_fires_exactly_as_a_built_one_on_every_shipped_pairing(
        base, cache, monkeypatch):
    CoalitionEngine()  # built, and written
    assert len(list(cache.glob("*.pickle"))) == 1
    _no_build(monkeypatch)
    loaded = CoalitionEngine()
    monkeypatch.undo()
    monkeypatch.setenv(netcache.NO_CACHE_ENV, "1")
    built = CoalitionEngine()
    for state in sorted(base.states):
        for coalition in sorted(base.coalitions):
            pair = base.states[state], base.coalitions[coalition]
            assert _record(ask(*pair, loaded)) == _record(ask(*pair, built)), (state, coalition)


def test_a_loaded_network_holds_the_rules_experta_prepares(cache, monkeypatch):
    """The same rules (conditions, function, salience), wired to the same kinds of node."""
    built = CoalitionEngine()
    _no_build(monkeypatch)
    loaded = CoalitionEngine()
    expected = {prepare(rule) for rule in built.get_rules()}
    rules = [node.rule for node in loaded.matcher._get_conflict_set_nodes()]
    assert set(rules) == expected  # (a rule with an OR has a terminal per branch)
    assert len(rules) == len(built.matcher._get_conflict_set_nodes())
    for rule in rules:
        assert rule.__name__ == rule._wrapped.__name__ and rule.__doc__ == rule._wrapped.__doc__

    def shape(engine):
        return sorted(type(node).__name__ for node in _nodes(engine.matcher.root_node))
    assert shape(loaded) == shape(built)
    assert len(loaded.matcher._memories) == len(built.matcher._memories)


def _nodes(root):
    found, stack = {}, [root]
    while stack:
        node = stack.pop()
        if id(node) not in found:
            found[id(node)] = node
            stack.extend(child.node for child in node.children)
    return list(found.values())


def test_the_cache_is_used_by_the_command(tmp_path):
    """`coalition ask` writes the network once, reads it the next time, and answers the same
    as with no cache at all."""
    env = {k: v for k, v in os.environ.items() if k != netcache.NO_CACHE_ENV}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    command = [str(Path(sys.executable).with_name("coalition")), "ask", "south-korea", "chip4",
               "--format", "json"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    files = list((tmp_path / "digital-coalitions" / "network").glob("*.pickle"))
    assert len(files) == 1
    written = files[0].stat().st_mtime_ns
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert files[0].stat().st_mtime_ns == written  # read, not written again
    env[netcache.NO_CACHE_ENV] = "1"
    uncached = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout == uncached.stdout
    assert json.loads(first.stdout)["verdict"]


def test_a_stale_cache_is_not_read(cache, monkeypatch):
    """Another rule base, experta or package version names another file: built, not loaded."""
    CoalitionEngine()
    (old,) = cache.glob("*.pickle")
    monkeypatch.setattr(netcache, "code_digest", lambda: "another rule base")
    built = []
    original = TypedReteMatcher.build_network
    monkeypatch.setattr(TypedReteMatcher, "build_network",
                        lambda self: built.append(1) or original(self))
    CoalitionEngine()
    assert built == [1]
    assert len(list(cache.glob("*.pickle"))) == 2 and old.exists()


def test_an_edited_module_of_the_rule_base_is_another_digest(monkeypatch, tmp_path):
    """The digest reads each module's size and time of change (as Python's byte code does)."""
    before = netcache.code_digest()
    real_stat = os.stat

    def touched(path, *args, **kwargs):
        found = real_stat(path, *args, **kwargs)
        if Path(path).name == "verdict.py" and Path(path).parent.name == "rules":
            return os.stat_result((*found[:8], found.st_mtime + 1, found[9]))
        return found
    monkeypatch.setattr(os, "stat", touched)
    assert netcache.code_digest() != before


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "cut"])
def test_a_corrupt_cache_only_costs_the_build(cache, monkeypatch, damage):
    CoalitionEngine()
    (path,) = cache.glob("*.pickle")
    good = path.read_bytes()
    path.write_bytes(good[:len(good) // 2] if damage == "cut" else damage)
    engine = CoalitionEngine()  # built again, and the file written again
    assert path.read_bytes() == good or netcache.load(path.read_bytes(), CoalitionEngine)
    assert engine.matcher._get_conflict_set_nodes()
    _no_build(monkeypatch)
    CoalitionEngine()  # and now loaded


def test_a_cache_that_cannot_be_written_only_costs_the_build(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv(netcache.NO_CACHE_ENV, raising=False)
    engine = CoalitionEngine()
    assert engine.matcher._get_conflict_set_nodes()
    assert blocker.read_text() == "not a directory"


def test_a_network_that_cannot_be_written_is_not_cached(cache, monkeypatch):
    """A function the rules' walk does not find (here: none is) makes pickle refuse the network:
    nothing is written, and the engine is built as before."""
    monkeypatch.setattr(netcache, "_functions", lambda engine_class: {})
    engine = CoalitionEngine()
    assert engine.matcher._get_conflict_set_nodes()
    assert not list(cache.glob("*.pickle")) if cache.exists() else True


def test_only_an_engine_class_that_asks_for_it_is_cached(cache):
    """A subclass may mask rules (bench/engine_floor.py's SliceEngine): its network is its own."""

    class Masked(CoalitionEngine):
        pass

    Masked()
    assert not cache.exists() or not list(cache.glob("*.pickle"))
    assert netcache.enabled_for(CoalitionEngine.__new__(CoalitionEngine))
    assert not netcache.enabled_for(Masked.__new__(Masked))


def test_no_cache_in_the_environment_turns_it_off(cache, monkeypatch):
    monkeypatch.setenv(netcache.NO_CACHE_ENV, "1")
    CoalitionEngine()
    assert not cache.exists()


def test_the_file_holds_no_function_of_the_rules(cache):
    """The rules' bodies and predicates are named by where they are found, never pickled by
    their own name (a lambda has none that pickle could find again)."""
    engine = CoalitionEngine()
    (path,) = cache.glob("*.pickle")
    names = []

    class Names(pickle.Unpickler):
        def persistent_load(self, name):
            names.append(tuple(name))
            return netcache._functions(CoalitionEngine)[tuple(name)]
    import io
    Names(io.BytesIO(path.read_bytes())).load()
    bodies = {rule._wrapped for rule in engine.get_rules()}
    found = netcache._functions(CoalitionEngine)
    assert bodies <= {found[name] for name in names}
    assert all(isinstance(found[name], type(lambda: 0)) for name in names)
    assert experta  # (the module under test reaches experta only through compat)
