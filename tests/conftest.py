"""Fixtures shared by the test modules, and the hypothesis profiles for the property tests.

``base`` (the shipped case base) and ``engine`` (one CoalitionEngine, reset per question) are
built once per test module.

``ci`` (the default, with or without ``CI`` set) keeps ``pytest -q`` fast: few examples, no
deadline (one example writes, loads and asks two case files, ~0.1 s), derandomised and without
an example database, so that every run, in CI or on a new user's machine, tries the same
examples: none fails on an example no one has seen before, or on one an earlier run found and
saved. Run the same tests much harder, and randomly, with ``HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py``.
Tests that set their own ``@settings`` (the loader's fuzzers) keep them.

The answer cache of the batch commands (matrix, backtest, rules coverage and show) is off in
every test and every command a test runs (``COALITION_NO_CACHE``, inherited by subprocesses),
so that no test reads what an earlier run, another test or the user's own commands left in it;
tests/test_cache.py turns it on, each test over a directory of its own. The same variable turns
off the Rete network kept between processes (engine/inference/netcache.py): tests/test_netcache.py
turns it on; and the names index (engine/casefiles/nameindex.py): tests/test_nameindex.py turns
it on. And every cache a test does turn on (the answers, the network, the names, the compiled
templates) is written below a directory of this session's (``XDG_CACHE_HOME``), never the user's.
"""

import atexit
import functools
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings

from digital_coalitions.inference.engine import CoalitionEngine
from digital_coalitions.casefiles.question import Resolver, shipped_cases

os.environ["COALITION_NO_CACHE"] = "1"  # see above; a test that wants it sets its own directory
os.environ.pop("COALITION_CACHE_DIR", None)
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="digital-coalitions-tests-")
atexit.register(functools.partial(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True))


@pytest.fixture(scope="module")
def base():
    return Resolver(shipped_cases()).base


@pytest.fixture(scope="module")
def engine():
    return CoalitionEngine()


settings.register_profile(
    "ci", max_examples=15, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile(
    "thorough", max_examples=400, deadline=None,
    suppress_health_check=[HealthCheck.too_slow], print_blob=True)

settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_sessionstart(session):
    """Stop before any test runs against a copy of the package that is not this checkout (a
    non-editable install made before the last edit): every test would test stale code."""
    from checkout_guard import stale_files

    stale = stale_files()
    if stale:
        shown = "\n  ".join(stale[:10]) + ("\n  …" if len(stale) > 10 else "")
        pytest.exit("the tests would import a copy of the package that is not this checkout:\n  "
                    f"{shown}\nreinstall it (pip install -e '.[test]', or pip install '.[test]' "
                    "again)", returncode=4)
