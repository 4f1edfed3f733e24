"""The coalition map: every state placed by security dependency (x) and stranglehold (y).

The two axes are the paper's two determinants (S1 and T2), on the scales the rules conclude.
The shaded regions are the paper's outcomes for each combination: no dependency and no grip
is *out* (S1, S6); a grip without dependency is *conflict* (T7); dependency without a
significant grip supports only *simple* coalitions (S5, T1); dependency with a significant
grip supports *demanding* ones (T1, T2, O1). Each state is a point coloured by the verdict the
rules gave it. Plain SVG from a Jinja template (templates/map.svg.j2, autoescaped): no plotting
library, no external assets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2

from digital_coalitions.rules.concepts import SECURITY_DEPENDENCY, STRANGLEHOLD

from .render import environment

# The one definition of the verdict colours (the map, and the memo's chips). Paul Tol's schemes:
# green (muted), blue (high contrast), cyan (vibrant), yellow (high contrast), red (bright), and
# a dark grey. Joining is green (readily) and blues (reluctantly dark, loosely light); staying
# out is warm, with grey for a plain refusal. tests/test_map.py checks every pair under
# simulated protanopia, deuteranopia and tritanopia (CIEDE2000 >= 14); the Okabe-Ito set used
# before failed it (joins and declines 8.2 apart to a deuteranope).
VERDICT_COLOURS = {
    "joins": "#117733",
    "joins-reluctantly": "#004488",
    "joins-loosely": "#33BBEE",
    "resists": "#DDAA33",
    "declines": "#555555",
    "conflict": "#EE6677",
}
VERDICT_WORDS = {
    "joins": "joins",
    "joins-reluctantly": "joins reluctantly",
    "joins-loosely": "joins loosely",
    "resists": "resists",
    "declines": "declines",
    "conflict": "conflict",
}
# (name, claims, fill, columns of security dependency, rows of stranglehold)
REGIONS = (
    ("out", "S1, S6", "#EFEFEF", ("none",), ("none", "limited")),
    ("conflict", "T7", "#FBE3DA", ("none",), ("significant", "decisive")),
    ("simple coalitions only", "S5, T1", "#E3EEF8", SECURITY_DEPENDENCY[1:], ("none", "limited")),
    ("demanding coalitions", "T1, T2, O1", "#E1F2EA", SECURITY_DEPENDENCY[1:],
     ("significant", "decisive")),
)

WIDTH = 980
LEFT, TOP = 120, 78
CELL_W, CELL_H = 118, 112  # a row grows beyond CELL_H when its most crowded cell needs it
PLOT_W = CELL_W * len(SECURITY_DEPENDENCY)
LEGEND_X = LEFT + PLOT_W + 34
ROW = 17  # vertical spacing of the points stacked in one cell
PAD = 24  # room in a cell above the first point and below the last (region labels sit there)
LEGEND_BOTTOM = TOP + 420


@dataclass
class Point:
    state: str
    name: str
    verdict: str
    colour: str
    x: float
    y: float
    role: str
    subject: bool
    contradicts: bool = False  # a listed member the rules answer as staying out


def _column(level: str) -> int:
    return SECURITY_DEPENDENCY.index(level)


def _row(level: str) -> int:  # from the top: decisive first
    return len(STRANGLEHOLD) - 1 - STRANGLEHOLD.index(level)


def _cells(answers: dict) -> dict:
    cells: dict[tuple[int, int], list] = {}
    for sid, answer in answers.items():
        m = answer.mechanisms
        key = (_column(m["security_dependency"]), _row(m["stranglehold"] or "none"))
        cells.setdefault(key, []).append((answer.state.data["name"], sid, answer))
    return cells


def grid(answers: dict) -> list[dict]:
    """The rows of the plot, top first: level, top y and height (taller where a cell is crowded)."""
    crowd = [0] * len(STRANGLEHOLD)
    for (_, row), found in _cells(answers).items():
        crowd[row] = max(crowd[row], len(found))
    rows, y = [], TOP
    for row, level in enumerate(reversed(STRANGLEHOLD)):
        height = max(CELL_H, crowd[row] * ROW + 2 * PAD)
        rows.append({"level": level, "y": y, "h": height})
        y += height
    return rows


def layout(answers: dict, roles: dict, subject: str | None = None) -> list[Point]:
    """Each answered state's point: its cell, then stacked within the cell in name order."""
    rows = grid(answers)
    points = []
    for (col, row), found in sorted(_cells(answers).items()):
        found.sort()
        top, height = rows[row]["y"], rows[row]["h"]
        start = top + (height - ROW * (len(found) - 1)) / 2
        for i, (name, sid, answer) in enumerate(found):
            points.append(Point(sid, name, answer.verdict, VERDICT_COLOURS[answer.verdict],
                                LEFT + col * CELL_W + 14, round(start + i * ROW, 1),
                                roles.get(sid, "candidate"), sid == subject,
                                answer.contradicts_members))
    return points


def regions(rows: list[dict]) -> list[dict]:
    by_level = {r["level"]: r for r in rows}
    out = []
    for name, claims, fill, columns, levels in REGIONS:
        spans = [by_level[level] for level in levels]
        top = min(r["y"] for r in spans)
        out.append({"name": name, "claims": claims, "fill": fill,
                    "x": LEFT + _column(columns[0]) * CELL_W, "y": top,
                    "w": CELL_W * len(columns), "h": sum(r["h"] for r in spans)})
    return out


def svg_environment(templates=None) -> jinja2.Environment:
    """The shared template environment, escaping every value in SVG and HTML templates."""
    env = environment(templates)
    env.autoescape = jinja2.select_autoescape(
        enabled_extensions=("html", "htm", "svg", "xml", "html.j2", "svg.j2"),
        default_for_string=True)
    return env


@functools.lru_cache(maxsize=8)
def _map_environment(templates: str | None) -> jinja2.Environment:
    return svg_environment(Path(templates) if templates else None)  # compiled once per directory


def map_template(templates=None) -> jinja2.Template:
    return _map_environment(str(templates) if templates else None).get_template("map.svg.j2")


def map_context(coalition, answers: dict, roles: dict, subject: str | None = None,
                names: dict | None = None) -> dict:
    data = coalition.data
    names = names or {}
    leader_target = [f"{names.get(sid, sid)} ({role})" for sid, role in sorted(roles.items())
                     if role in ("leader", "target")]
    closed = sum(1 for role in roles.values() if role == "not-eligible")
    if closed:
        leader_target.append(f"{closed} state{'s' if closed != 1 else ''} it is not open to")
    rows = grid(answers)
    plot_h = sum(r["h"] for r in rows)
    return {
        "coalition": data["name"], "leader": data["leader"],
        "leader_name": names.get(data["leader"], data["leader"]), "target": data.get("target"),
        "domain": data.get("domain"), "width": WIDTH,
        "height": max(TOP + plot_h + 64, LEGEND_BOTTOM),
        "left": LEFT, "top": TOP, "cell_w": CELL_W, "plot_w": PLOT_W, "plot_h": plot_h,
        "legend_x": LEGEND_X, "columns": SECURITY_DEPENDENCY, "rows": rows,
        "regions": regions(rows), "points": layout(answers, roles, subject),
        "colours": VERDICT_COLOURS, "verdict_words": VERDICT_WORDS,
        "not_asked": leader_target,
    }


def render_map(coalition, answers: dict, roles: dict, subject: str | None = None,
               templates=None, standalone: bool = True, names: dict | None = None) -> str:
    """The map as SVG text; ``standalone`` adds the XML declaration for a .svg file.

    ``names``: state id -> display name, for the leader and target (not asked, so not in
    ``answers``).
    """
    template = map_template(templates)
    return template.render(standalone=standalone,
                           **map_context(coalition, answers, roles, subject, names))
