"""The coalition map: colours a colour-blind reader tells apart, shapes for members and
candidates, the red ring, the mark for states joining a demanding coalition below its
stranglehold, and a layout where no label lands on another."""

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from colour_vision import VISIONS, ciede2000, closest_pair
from digital_coalitions.analysis.explore import answer_all, roles
from digital_coalitions.rules.concepts import JOINING, STRANGLEHOLD, VERDICTS
from digital_coalitions.report.svgmap import (DEMANDING_HOLD, LEVERAGE, UNCOMPELLED, VERDICT_COLOURS,
                                       render_map)

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[1]
# CIEDE2000 between any two verdict colours, under normal vision and each simulated dichromacy.
# Markers are 11 px across, so "different" must be far above the just-noticeable difference
# (about 1 to 2). Six colours from Tol's and Okabe-Ito's sets that keep the verdicts' order
# (greens and blues for joining, warm for staying out, grey for declining) reach 15 to 18 at
# best under all three simulations, so 14 is demanding but reachable (the palette chosen: 14.9
# at worst, resists and conflict to a tritanope).
MIN_DELTA_E = 14
# a character's width, in em, over-estimated: names on the map measure 0.46 to 0.5 em in Chromium
EM = 0.55
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


# ---- what the map draws ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def maps(base, engine):
    """coalition id -> (answers, parsed SVG), for every shipped coalition."""
    states = dict(base.states)
    names = {sid: s.data["name"] for sid, s in states.items()}
    out = {}
    for cid, coalition in sorted(base.coalitions.items()):
        answers = answer_all(coalition, states, engine)
        svg = render_map(coalition, answers, roles(coalition, states), names=names)
        out[cid] = answers, ET.fromstring(svg.split("?>", 1)[1])
    return out


def points(root) -> dict:
    """state name -> (its <g>, its marker element, its label <text>)."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        if "state" not in group.get("class", "").split():
            continue
        marker = next(e for e in group if e.tag in (f"{SVG}circle", f"{SVG}path")
                      and e.get("class") != "contradicts")
        label = group.find(f"{SVG}text")
        found[label.text] = (group, marker, label)
    return found


def legend_text(root) -> str:
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    return " ".join("".join(t.itertext()) for t in legend.iter(f"{SVG}text"))


def test_members_are_circles_and_candidates_diamonds(maps):
    seen = set()
    for cid, (answers, root) in maps.items():
        by_name = {a.state.data["name"]: a for a in answers.values()}
        drawn = points(root)
        assert set(drawn) == set(by_name), cid
        for name, (group, marker, label) in drawn.items():
            role = by_name[name].role  # as listed in the year asked, like the red ring
            assert role in group.get("class").split(), (cid, name)
            assert marker.tag == (f"{SVG}circle" if role == "member" else f"{SVG}path"), (cid, name)
            assert (label.get("font-style") == "italic") == (role == "candidate"), (cid, name)
            seen.add(role)
        text = legend_text(root)
        assert "member (upright name)" in text and "candidate (italic name)" in text
    assert seen == {"member", "candidate"}


def test_a_member_answered_as_staying_out_is_ringed_and_the_legend_says_so(maps):
    ringed_somewhere = False
    for cid, (answers, root) in maps.items():
        by_name = {a.state.data["name"]: a for a in answers.values()}
        drawn = points(root)
        for name, (group, _, _) in drawn.items():
            ring = group.find(f"{SVG}circle[@class='contradicts']")
            assert (ring is not None) == by_name[name].contradicts_members, (cid, name)
            if ring is not None:
                assert ring.get("stroke") == "#B00020" and float(ring.get("r")) > 5.5 + 2
        ringed = any(a.contradicts_members for a in answers.values())
        assert ("listed member answered as staying out" in legend_text(root)) == ringed, cid
        ringed_somewhere |= ringed
    assert ringed_somewhere  # the shipped cases have some (Clean Network, GPAI, IPEF...)


def marks(root) -> dict:
    """state name -> its mark (dagger or double dagger), for the marked points."""
    return {name: label.find(f"{SVG}tspan").text for name, (_, _, label) in points(root).items()
            if label.find(f"{SVG}tspan") is not None}


def test_states_carried_below_the_hold_are_marked_from_their_answers(maps):
    answers, huawei = maps["huawei-5g-exclusion"]
    found = marks(huawei)
    # the UK in 2020: no significant hold over its telecom; the threat to cut intelligence
    # sharing compels a ban that had become cheap (OC-02, S4)
    assert found["United Kingdom"] == LEVERAGE and found["Japan"] == LEVERAGE
    assert found["Sweden"] == UNCOMPELLED  # V-12: a shared threat at little cost
    assert "Czech Republic" not in found  # asked a declaration only (per_member demand: simple)
    staying_out = {a.state.data["name"] for a in answers.values() if a.verdict not in JOINING}
    assert "Turkey" in staying_out and not staying_out & set(found)  # a mark is for joiners
    text = legend_text(huawei)
    assert f"stranglehold is below {DEMANDING_HOLD[0]}" in text
    assert "security leverage, not a stranglehold, compels it" in text and "OC-02" in text
    assert "V-12 A shared threat at little cost" in text
    _, ttc = maps["ttc"]
    assert marks(ttc)["Netherlands"] == UNCOMPELLED
    assert "V-17 A hold over a firm" in legend_text(ttc)
    _, chip4 = maps["chip4"]  # every answer is held by a decisive stranglehold: no mark, no note
    assert marks(chip4) == {} and "stranglehold is below" not in legend_text(chip4)


def test_every_mark_is_a_join_below_the_hold_and_its_rule_is_in_the_legend(maps):
    below = STRANGLEHOLD[:STRANGLEHOLD.index(DEMANDING_HOLD[0])]
    marked = 0
    for cid, (answers, root) in maps.items():
        by_name = {a.state.data["name"]: a for a in answers.values()}
        text = legend_text(root)
        for name, mark in marks(root).items():
            answer, marked = by_name[name], marked + 1
            assert answer.verdict in JOINING
            assert (answer.mechanisms["stranglehold"] or "none") in below
            title = points(root)[name][0].find(f"{SVG}title").text
            rule = re.search(r"below \w+: ((?:OC|V)-\d+)", title).group(1)
            assert rule in text, (cid, name)
            if mark == LEVERAGE:
                assert "security leverage" in answer.mechanisms["compulsion"] and rule == "OC-02"
            else:
                assert rule == answer.chain[-1].rule and not answer.mechanisms["compulsion"]
    assert marked > 20


def test_the_state_a_memo_is_about_is_outlined_and_the_legend_draws_it_in_its_shape(base, engine):
    states = dict(base.states)
    coalition = base.coalitions["ttc"]
    answers = answer_all(coalition, states, engine)
    svg = render_map(coalition, answers, roles(coalition, states), subject="netherlands")
    root = ET.fromstring(svg.split("?>", 1)[1])
    group, marker, label = points(root)["Netherlands"]
    assert "subject" in group.get("class").split() and label.get("font-weight") == "bold"
    assert marker.tag == f"{SVG}path" and marker.get("stroke-width") == "2"  # a candidate
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    children = list(legend)
    (text,) = [i for i, e in enumerate(children) if e.text == "outlined, in bold: Netherlands"]
    assert children[text - 1].tag == f"{SVG}path"


# ---- layout ----------------------------------------------------------------------------------
def boxes(root) -> list[tuple[str, float, float, float, float]]:
    """(what, x0, y0, x1, y1) of every marker and label, text widths estimated generously."""
    out = []
    for name, (group, marker, label) in points(root).items():
        if marker.tag == f"{SVG}circle":
            x, y, r = (float(marker.get(k)) for k in ("cx", "cy", "r"))
            out.append((f"marker {name}", x - r, y - r, x + r, y + r))
        else:  # a diamond's path: its corners
            corners = [float(v) for v in re.findall(r"[-\d.]+", marker.get("d"))]
            xs, ys = corners[0::2], corners[1::2]
            out.append((f"marker {name}", min(xs), min(ys), max(xs), max(ys)))
        size = float(label.get("font-size"))
        width = EM * size * len("".join(label.itertext()))
        lx, ly = float(label.get("x")), float(label.get("y"))
        out.append((f"label {name}", lx, ly - 0.75 * size, lx + width, ly + 0.2 * size))
    return out


def test_no_label_or_marker_overlaps_another_and_all_fit_the_picture(maps):
    for cid, (_, root) in maps.items():
        legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
        legend_x = min(float(e.get("x", e.get("cx", 1e9))) for e in legend)
        height = float(root.get("height"))
        drawn = boxes(root)
        for what, x0, y0, x1, y1 in drawn:  # inside the picture, left of the legend
            assert 0 <= x0 and x1 < legend_x - 6 and 0 <= y0 and y1 <= height, (cid, what)
        for (a, *p), (b, *q) in itertools.combinations(drawn, 2):
            apart = p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
            assert apart, (cid, a, b)


def test_the_legend_fits_and_its_lines_do_not_overlap(maps):
    for cid, (_, root) in maps.items():
        legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
        lines = sorted((float(t.get("y")), float(t.get("x")), "".join(t.itertext()))
                       for t in legend.iter(f"{SVG}text"))
        for (y0, x0, a), (y1, x1, b) in zip(lines, lines[1:]):
            assert y1 - y0 >= 13 or (x0 != x1 and y1 == y0 and len(a) <= 1), (cid, a, b)
        width, height = float(root.get("width")), float(root.get("height"))
        for y, x, text in lines:
            assert y <= height - 10 and x + EM * 11.5 * len(text) <= width, (cid, text)


def test_a_highlight_the_map_cannot_draw_is_noted(tmp_path):
    # `map chip4 --highlight vietnam` drew no ring and said nothing: Vietnam is not one of the
    # states Chip 4 is open to, so it has no point (a new user's trial)
    import subprocess
    import sys

    coalition = str(Path(sys.executable).with_name("coalition"))
    out = tmp_path / "map.svg"
    result = subprocess.run([coalition, "map", "chip4", "--highlight", "vietnam", "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and out.read_text().startswith("<")
    assert result.stderr.splitlines() == [f"wrote {out}",
        "note: --highlight vietnam: not on the map, which plots the states asked about: Vietnam "
        "is not eligible: Chip 4 is open only to the states its file lists (chip4.yaml, open_to: "
        "japan, south-korea, taiwan)"]
    drawn = subprocess.run([coalition, "map", "chip4", "--highlight", "japan", "-o", str(out)],
                           capture_output=True, text=True)
    assert drawn.returncode == 0 and "note:" not in drawn.stderr
