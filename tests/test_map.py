"""The coalition map: verdict colours a colour-blind reader tells apart."""

import re
from pathlib import Path

import pytest

from colour_vision import VISIONS, ciede2000, closest_pair
from digital_coalitions.rules.concepts import VERDICTS
from digital_coalitions.svgmap import VERDICT_COLOURS

ROOT = Path(__file__).resolve().parents[1]
# CIEDE2000 between any two verdict colours, under normal vision and each simulated dichromacy.
# Markers are 11 px across, so "different" must be far above the just-noticeable difference
# (about 1 to 2). Six colours from Tol's and Okabe-Ito's sets that keep the verdicts' order
# (greens and blues for joining, warm for staying out, grey for declining) reach 15 to 18 at
# best under all three simulations, so 14 is demanding but reachable (the palette chosen: 14.9
# at worst, resists and conflict to a tritanope).
MIN_DELTA_E = 14
OKABE_ITO_BEFORE = {"joins": "#009E73", "joins-reluctantly": "#0072B2",
                    "joins-loosely": "#56B4E9", "resists": "#E69F00", "declines": "#7F7F7F",
                    "conflict": "#D55E00"}


# ---- colours ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lab1,lab2,expected", [  # Sharma, Wu and Dalal (2005), table 1
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.49, -0.001), (50, -2.49, 0.0011), 7.2195),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
])
def test_ciede2000_gives_the_reference_differences(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_every_verdict_has_one_colour():
    assert set(VERDICT_COLOURS) == set(VERDICTS)
    assert len(set(VERDICT_COLOURS.values())) == len(VERDICT_COLOURS)


@pytest.mark.parametrize("vision", VISIONS)
def test_the_verdict_colours_are_told_apart_under_each_colour_vision(vision):
    delta, first, second = closest_pair(VERDICT_COLOURS, vision)
    assert delta >= MIN_DELTA_E, f"{first} and {second}: {delta:.1f} apart ({vision})"


def test_the_check_fails_the_palette_used_before():
    delta, first, second = closest_pair(OKABE_ITO_BEFORE, "deuteranopia")
    assert delta < MIN_DELTA_E and {first, second} == {"joins", "declines"}


def test_the_verdict_colours_are_defined_once():
    """Templates and modules take them from svgmap.VERDICT_COLOURS; no copy to drift apart."""
    colours = {value.lower() for value in VERDICT_COLOURS.values()}
    found = []
    for path in [*ROOT.glob("engine/*.py"), *ROOT.glob("templates/*.j2")]:
        if path.name == "svgmap.py":
            continue
        hexes = {h.lower() for h in re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text())}
        found += [f"{path.name}: {h}" for h in sorted(hexes & colours)]
    assert found == []
