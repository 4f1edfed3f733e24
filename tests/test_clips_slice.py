"""The CLIPS translation of a slice of the rule base (bench/engine_floor.py) stays faithful.

For a few shipped questions, CLIPS must reach the same security dependency and stranglehold
(and their parts) as the real engine, and the same verdict and number of firings as our engine
running only that slice. Skipped when clipspy (the ``bench`` extra) is not installed, or when
the benchmark script is not beside the tests (an installed package).
"""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("clips", reason="clipspy is the bench extra: pip install -e '.[bench]'")

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "engine_floor.py"
if not SCRIPT.exists():
    pytest.skip("bench/engine_floor.py is not beside the tests", allow_module_level=True)

_spec = importlib.util.spec_from_file_location("engine_floor", SCRIPT)
floor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floor)

# every verdict the slice can give, by each route, and both ends of the scales
QUESTIONS = [
    ("japan", "chip4"),  # intense, decisive, compelled by the stranglehold: joins (V-07)
    ("south-korea", "chip4"),  # intense, decisive, heavy sacrifice: joins-reluctantly (V-08)
    ("germany", "huawei-5g-exclusion"),  # installed base and cut-off year (SC-07, SC-08)
    ("south-korea", "japan-2019-curbs"),  # no tie, a hold used in anger: conflict (V-01)
    ("eu", "ttc"),  # moderate dependency, malposition: the slice's rows give declines (V-10)
    ("south-korea", "aiib-opposition"),  # no domain: the trade at stake (SC-06)
    ("eu", "dfi"),  # a simple coalition: the slice's rows give none
    ("albania", "huawei-5g-exclusion"),  # leverage compels only where the narrative landed (OC-02)
    ("argentina", "clean-network"),  # the cut-off a concept of its own (ST-23, read by SC-08)
]


@pytest.fixture(scope="module")
def pairs():
    base = floor.load_dir(floor.shipped_cases())
    return [(base.states[s], base.coalitions[c]) for s, c in QUESTIONS]


def test_clips_reaches_the_engines_levels_verdict_and_firings(pairs):
    assert floor.compare(pairs) == []


def test_the_comparison_notices_a_wrong_translation(pairs, monkeypatch):
    # the dependency table (SD-21) made to rate high attachment under high commitment as only
    # high: Japan's intense dependency changes in CLIPS alone, and the comparison must say so
    wrong = [c.replace("high/high intense", "high/high high") for c in floor.CLIPS_CONSTRUCTS]
    assert wrong != floor.CLIPS_CONSTRUCTS
    monkeypatch.setattr(floor, "CLIPS_CONSTRUCTS", wrong)
    problems = floor.compare(pairs[:1])
    assert "japan / chip4: security_dependency: CLIPS high, whole engine intense" in problems, \
        problems


def test_the_slice_is_the_rules_named_and_only_they(pairs):
    engine = floor.SliceEngine()
    names = sorted(floor.rule_info(r).id for r in engine.get_rules())
    assert names == sorted(floor.SLICE)
    assert set(floor.SLICE) >= {f"SD-0{i}" for i in range(1, 9)} | {"SD-10", "SD-11", "SD-20",
                                                                    "SD-21"}
    assert set(floor.SLICE) >= {f"ST-0{i}" for i in range(1, 8)} | {"ST-10"}
    assert set(floor.SLICE) >= {"V-01", "V-02", "V-07", "V-08", "V-10"}


def test_the_profile_names_our_modules_wherever_the_package_is_installed(tmp_path):
    """Installed non-editable, rete.py lives in site-packages/digital_coalitions/inference/, not
    under engine/: attributing by path filed its time under "the standard library"."""
    site = tmp_path / "site-packages"
    roots = [(site / "digital_coalitions" / "rules", "digital_coalitions.rules"),
             (site / "digital_coalitions", "digital_coalitions"), (site / "experta", "experta")]
    for file, module, area in [
            (site / "digital_coalitions" / "inference" / "rete.py", "digital_coalitions.inference.rete",
             "ours: rete.py (typed bus, leaner nodes, tokens)"),
            (site / "digital_coalitions" / "inference" / "engine.py",
             "digital_coalitions.inference.engine", "ours: engine.py (run loop, strategy)"),
            (site / "digital_coalitions" / "rules" / "verdict.py", "digital_coalitions.rules.verdict",
             "ours: rule bodies (rules/*.py)"),
            (site / "experta" / "matchers" / "rete" / "check.py", "experta.matchers.rete.check",
             "experta Rete: pattern checks"),
            (tmp_path / "lib" / "python3" / "functools.py", None, "builtins and the standard library")]:
        assert floor.module_of(str(file), roots) == module
        assert floor.area_of(module) == area
    # and in this checkout, as installed here (editable: engine/ and rules/ side by side)
    import digital_coalitions.inference.rete as rete
    import digital_coalitions.rules.verdict as verdict
    assert floor.module_of(rete.__file__) == "digital_coalitions.inference.rete"
    assert floor.module_of(verdict.__file__) == "digital_coalitions.rules.verdict"
