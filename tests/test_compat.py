"""The experta/frozendict fix: one module, needed and sufficient on this Python."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_experta_alone_fails_on_python_310_and_later():
    result = run("import experta")
    if sys.version_info >= (3, 10):
        assert result.returncode != 0
        assert "collections" in result.stderr and "Mapping" in result.stderr
    else:  # pragma: no cover - older Pythons need no fix
        assert result.returncode == 0


def test_compat_module_makes_experta_run_an_inference():
    result = run(
        "from digital_coalitions.compat import experta as e\n"
        "class E(e.KnowledgeEngine):\n"
        "    @e.Rule(e.Fact(a=1))\n"
        "    def r(self): self.declare(e.Fact(b=2))\n"
        "x = E(); x.reset(); x.declare(e.Fact(a=1)); x.run()\n"
        "print(sorted(f.get('b') for f in x.facts.values() if 'b' in f))\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2]"


def test_the_fix_is_made_in_one_place_only():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    hits = [p for d in ("engine", "rules") for p in (root / d).rglob("*.py")
            if "collections.Mapping =" in p.read_text()]
    assert [p.name for p in hits] == ["compat.py"]


def test_importing_the_project_changes_neither_collections_nor_experta():
    """The project leaves the process as it found it: experta's Token still checks its arguments
    (experta's own test_token_initialization_types), and ``collections`` has no alias left."""
    result = run(
        "import collections, sys\n"
        "from digital_coalitions.inference.answer import ask\n"
        "from digital_coalitions.casefiles.question import Resolver, shipped_cases\n"
        "base = Resolver(shipped_cases()).base\n"
        "ask(base.states['south-korea'], base.coalitions['chip4'])  # the lean network has run\n"
        "from digital_coalitions.compat import experta\n"
        "Token = experta.matchers.rete.token.Token\n"
        "print(hasattr(collections, 'Mapping') and sys.version_info >= (3, 10))\n"
        "print(Token.__new__.__module__, Token.copy.__module__)\n"
        "try:\n"
        "    Token(Token.TagType.VALID, 'not a fact')\n"
        "except TypeError:\n"
        "    print('checked')\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "False", "experta.matchers.rete.token experta.matchers.rete.token", "checked"]


# experta's private names the project relies on: each is a place a new experta could break
EXPERTA_PRIVATE = {
    "_activate": "ConflictSetNode._activate, called by the lean terminal (rete.py)",
    "_activate_left": "NotNode._activate_left, the left side the lean negation keeps (rete.py)",
    "_get_conflict_set_nodes": "ReteMatcher's walk of the terminals, for their order (rete.py)",
    "_KnowledgeEngine__declare": "experta's declaration, for a fact the lean one leaves to it "
                                 "(engine.py)",
    "_reset": "each node's memory reset (rete.py)",
    "_wrapped": "the function a Rule wraps, where rule_info lives (rules/base.py, why.py)",
    "_wrapped_args": "the parameters a Rule passes its function, set when the project wraps a "
                     "rule's function itself and when the network cache rebuilds one "
                     "(rules/base.py, netcache.py)",
    "_wrapped_self": "the instance a Rule's function is bound to, restored by the network cache "
                     "(netcache.py)",
}
OTHER_PRIVATE = {"_replace": "namedtuple's documented API (experta's ChildNode)"}


def test_every_private_experta_name_the_code_touches_is_listed():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    used, defined = set(), set()
    for path in [p for d in ("engine", "rules") for p in (root / d).rglob("*.py")]:
        text = path.read_text()
        used |= {n for n in re.findall(r"\.(_[A-Za-z]\w*)\b", text) if not n.startswith("__")}
        defined |= set(re.findall(r"(?:def|class) (_\w+)", text))
        # an attribute the project sets on its own objects; one set on another object (a Rule's
        # ``rule._wrapped_args = ...``) is a name of that object's class, so it counts as used
        defined |= set(re.findall(r"(?:self|cls)\.(_\w+)\s*(?::[^=\n]*)?=(?!=)", text))
        defined |= set(re.findall(r"self\.(_\w+)\s*,", text))
        defined |= set(re.findall(r"^\s*(_\w+)\s*(?::[^=\n]*)?=", text, re.M))
    assert (used - defined) - set(OTHER_PRIVATE) == set(EXPERTA_PRIVATE)


# ---- experta's own test suite, run with the project imported ----------------------------------
# Not copied into this repository (it is experta's): read from a git checkout of experta, at the
# release the project pins. $EXPERTA_REPO names one; `fetch github:nilp0inter/experta` makes one.
EXPERTA_REPO = Path(os.environ.get("EXPERTA_REPO", "/work/.mirror/nilp0inter+experta/repo"))
SUITE_RUN = """
import sys, pytest
from hypothesis import settings
# experta's property tests, made repeatable and free of deadlines (shared machines are slow).
# Run at random, hypothesis can find an example that fails experta's own
# test_depthstrategy_state_machine with experta alone, the project not imported: a bug of
# experta's DepthStrategy (the project's strategy is its own subclass), not of this project.
settings.register_profile("repeatable", derandomize=True, deadline=None, database=None)
settings.load_profile("repeatable")
from digital_coalitions.compat import experta
import digital_coalitions.inference.engine  # the whole project, as a user of both would import it
if sys.argv[1] == "matcher":  # the project's matcher in every engine experta's tests build
    from digital_coalitions.inference.rete import TypedReteMatcher
    experta.KnowledgeEngine.__matcher__ = TypedReteMatcher
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "tests"]))
"""


@pytest.fixture(scope="module")
def experta_suite(tmp_path_factory):
    if not (EXPERTA_REPO / "HEAD").exists() and not (EXPERTA_REPO / ".git").exists():
        pytest.skip(f"no git checkout of experta at {EXPERTA_REPO} (set EXPERTA_REPO)")
    where = tmp_path_factory.mktemp("experta-suite")
    archive = subprocess.run(["git", "--git-dir", str(EXPERTA_REPO if (EXPERTA_REPO / "HEAD").exists()
                                                      else EXPERTA_REPO / ".git"),
                              "archive", "v1.9.4", "tests"], capture_output=True, check=True)
    subprocess.run(["tar", "x", "-C", str(where)], input=archive.stdout, check=True)
    return where


@pytest.mark.parametrize("matcher", ["experta's", "matcher"])
def test_experta_s_own_suite_passes_with_the_project_imported(experta_suite, matcher):
    result = subprocess.run([sys.executable, "-c", SUITE_RUN, matcher], cwd=experta_suite,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:]
    assert " passed" in result.stdout
