"""The coalition map: every state placed by security dependency (x) and stranglehold (y).

The two axes are the paper's two determinants (S1 and T2), on the scales the rules conclude.
The shaded regions are the paper's outcomes for each combination: no dependency and no grip
is *out* (S1, S6); a grip without dependency is *conflict* (T7); dependency without a
significant grip supports only *simple* coalitions (S5, T1); dependency with a significant
grip supports *demanding* ones (T1, T2, O1). Each state is a point coloured by the verdict the
rules gave it, drawn as a circle for a listed member and a diamond for a candidate. Marks say
what the rules concluded and the plot alone would not show: a red ring round a member answered
as staying out, and a dagger by a state that joins a demanding coalition although its
stranglehold is below the demanding region (what carried it is read from its answer). Plain SVG
from a Jinja template (templates/map.svg.j2, autoescaped): no plotting library, no external
assets.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jinja2

from digital_coalitions.rules.concepts import (JOINING, SECURITY_DEPENDENCY, STRANGLEHOLD,
                                               CoalitionTrait, Compulsion)

from digital_coalitions.inference.engine import RULES
from digital_coalitions.text.render import environment

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
    ("out", "S1, S6", "#EFEFEF", SECURITY_DEPENDENCY[:1], STRANGLEHOLD[:2]),
    ("conflict", "T7", "#FBE3DA", SECURITY_DEPENDENCY[:1], STRANGLEHOLD[2:]),
    ("simple coalitions only", "S5, T1", "#E3EEF8", SECURITY_DEPENDENCY[1:], STRANGLEHOLD[:2]),
    ("demanding coalitions", "T1, T2, O1", "#E1F2EA", SECURITY_DEPENDENCY[1:], STRANGLEHOLD[2:]),
)

# the demanding region's rows: the stranglehold T1 and T2 say a demanding coalition needs
DEMANDING_HOLD = REGIONS[3][4]
LEVERAGE, UNCOMPELLED = "\u2020", "\u2021"  # the marks: dagger, double dagger

LEFT, TOP = 120, 78
# a row grows beyond CELL_H when its most crowded cell needs it; the columns grow beyond CELL_W
# when the longest name needs it (all alike, so the scale stays even)
CELL_W, CELL_H = 118, 112
LEGEND_GAP, LEGEND_W = 34, 266  # between the plot and the legend; the legend's column
LABEL_EM = 0.56  # a label's width per character, in em of its type (Helvetica, generously)
LEGEND_CHARS = 36  # a legend note's line, in characters (11.5 px type in a column of 266 px)
LINE = 15  # the legend's line height
ROW = 17  # vertical spacing of the points stacked in one cell
PAD = 24  # room in a cell above the first point and below the last (region labels sit there)


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
    mark: str = ""  # LEVERAGE or UNCOMPELLED: joins a demanding coalition below DEMANDING_HOLD
    carried: str = ""  # what carried it there, from its answer (the rule, its title, claims)

    @property
    def shape(self) -> str:
        return "circle" if self.role == "member" else "diamond"


def _demand(answer) -> str:
    """The demand the question was asked under: the coalition's, or its own (per_member)."""
    return next(fact["value"] for fact in answer.facts.values()
                if type(fact) is CoalitionTrait and fact["field"] == "demand")


def carried_below_the_hold(answer) -> tuple[str, str]:
    """(mark, what carried it) for a state that joins a demanding coalition with a stranglehold
    below the demanding region; ("", "") otherwise.

    Read from the answer, not worked out again: the demand it was asked under, its verdict, the
    stranglehold level the rules concluded, and the rule that concluded security leverage
    compels it (OC-02) if one did, else the verdict's own rule (dependency at little cost, a
    hold over one firm, a looser form...).
    """
    level = answer.mechanisms["stranglehold"] or "none"
    if _demand(answer) != "complex" or answer.verdict not in JOINING or level in DEMANDING_HOLD:
        return "", ""
    for firing in answer.firings:
        for fid in firing.asserted:
            fact = answer.facts.get(fid)
            if type(fact) is Compulsion and fact["source"] == "security leverage":
                info = RULES[firing.rule]
                return LEVERAGE, f"{info.id} {info.title} ({', '.join(info.claims)})"
    step = answer.chain[-1]  # the verdict
    return UNCOMPELLED, f"{step.rule} {step.title} ({', '.join(step.claims)})"


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


def cell_width(answers: dict) -> float:
    """The columns' width: CELL_W, or what the longest name needs beside its marker (the point
    sits 14 px into its cell, its label 12 px right of it in type up to 12 px, a mark after it,
    and 10 px clear of the next column's markers)."""
    longest = max((len(a.state.data["name"]) for a in answers.values()), default=0)
    return max(CELL_W, round(14 + 12 + LABEL_EM * 12 * longest + 8 + 10))


def layout(answers: dict, subject: str | None = None) -> list[Point]:
    """Each answered state's point: its cell, then stacked within the cell in name order.

    A point's role (member or candidate) is its answer's: listed among the members of the year
    its question was asked, as for its red ring (a file's main ``members`` may be older)."""
    rows, cell_w = grid(answers), cell_width(answers)
    points = []
    for (col, row), found in sorted(_cells(answers).items()):
        found.sort()
        top, height = rows[row]["y"], rows[row]["h"]
        start = top + (height - ROW * (len(found) - 1)) / 2
        for i, (name, sid, answer) in enumerate(found):
            points.append(Point(sid, name, answer.verdict, VERDICT_COLOURS[answer.verdict],
                                LEFT + col * cell_w + 14, round(start + i * ROW, 1),
                                answer.role, sid == subject,
                                answer.contradicts_members, *carried_below_the_hold(answer)))
    return points


def legend(points: list[Point], regions_drawn: list[dict], not_asked: list[str]) -> list[dict]:
    """The legend's entries, top to bottom, each with its y and its lines: every mark drawn.

    Kinds: heading, verdict (a colour), shape (circle or diamond), subject, ring, note and mark
    (a dagger and what it means), reason (a rule under a mark), region (a fill), text. Marks
    that no point carries are left out. Lines are wrapped here: SVG text does not wrap.
    """
    entries, y = [], TOP + 4

    def add(kind, text, gap=4, **fields):
        nonlocal y
        wrapped = kind in ("note", "mark", "ring", "reason")
        lines = textwrap.wrap(text, LEGEND_CHARS) if wrapped else [text]
        entries.append({"kind": kind, "y": y, "lines": lines, **fields})
        y += LINE * len(lines) + gap

    add("heading", "Verdict (colour)", gap=6)
    for verdict, colour in VERDICT_COLOURS.items():
        add("verdict", VERDICT_WORDS[verdict], gap=6, colour=colour)
    y += 10
    add("heading", "Role (shape)", gap=6)
    add("shape", "member (upright name)", gap=6, shape="circle")
    add("shape", "candidate (italic name)", gap=6, shape="diamond")
    subject = next((p for p in points if p.subject), None)
    if subject:  # drawn in its own shape
        add("subject", f"outlined, in bold: {subject.name}", gap=6, shape=subject.shape)
    if any(p.contradicts for p in points):
        add("ring", "red ring: a listed member answered as staying out")
    marked = [(mark, what, sorted({p.carried for p in points if p.mark == mark}))
              for mark, what in ((LEVERAGE, "security leverage, not a stranglehold, compels it:"),
                                 (UNCOMPELLED, "nothing compels it; it joins by:"))]
    if any(reasons for _, _, reasons in marked):
        y += 6
        add("note", f"Joins this demanding coalition though its stranglehold is below "
                    f"{DEMANDING_HOLD[0]}, the level T1 and T2 say it needs;", gap=3)
    for mark, what, reasons in marked:
        if reasons:
            add("mark", what, gap=1, symbol=mark)
            for reason in reasons:
                add("reason", reason, gap=1)
            y += 3
    y += 14
    add("heading", "Outcomes (the paper)", gap=6)
    for r in regions_drawn:
        add("region", r["name"], gap=6, fill=r["fill"])
    if not_asked:
        y += 10
        add("text", "Not asked:", gap=1)
        for line in not_asked:
            add("text", line, gap=1, indent=10)
    return entries


def regions(rows: list[dict], cell_w: float = CELL_W) -> list[dict]:
    by_level = {r["level"]: r for r in rows}
    out = []
    for name, claims, fill, columns, levels in REGIONS:
        spans = [by_level[level] for level in levels]
        top = min(r["y"] for r in spans)
        out.append({"name": name, "claims": claims, "fill": fill,
                    "x": LEFT + _column(columns[0]) * cell_w, "y": top,
                    "w": cell_w * len(columns), "h": sum(r["h"] for r in spans)})
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
    rows, cell_w = grid(answers), cell_width(answers)
    plot_w, plot_h = cell_w * len(SECURITY_DEPENDENCY), sum(r["h"] for r in rows)
    legend_x = LEFT + plot_w + LEGEND_GAP
    drawn = regions(rows, cell_w)
    points = layout(answers, subject)
    key = legend(points, drawn, leader_target)
    return {
        "coalition": data["name"], "leader": data["leader"],
        "leader_name": names.get(data["leader"], data["leader"]), "target": data.get("target"),
        "domain": data.get("domain"), "width": legend_x + LEGEND_W,
        "height": max(TOP + plot_h + 64, key[-1]["y"] + LINE * len(key[-1]["lines"]) + 24),
        "left": LEFT, "top": TOP, "cell_w": cell_w, "plot_w": plot_w, "plot_h": plot_h,
        "legend_x": legend_x, "columns": SECURITY_DEPENDENCY, "rows": rows,
        "regions": drawn, "points": points, "legend": key,
        "colours": VERDICT_COLOURS, "verdict_words": VERDICT_WORDS,
        "not_asked": leader_target, "demanding_hold": DEMANDING_HOLD,
    }


def map_names(states: dict) -> dict:
    """State id -> the name a sentence uses ("the United States"), for the map's own text."""
    from digital_coalitions.casefiles.schema import display_name

    return {sid: display_name(case.data) for sid, case in states.items()}


def render_map(coalition, answers: dict, roles: dict, subject: str | None = None,
               templates=None, standalone: bool = True, names: dict | None = None) -> str:
    """The map as SVG text; ``standalone`` adds the XML declaration for a .svg file.

    ``names``: state id -> display name, for the leader and target (not asked, so not in
    ``answers``).
    """
    template = map_template(templates)
    return template.render(standalone=standalone,
                           **map_context(coalition, answers, roles, subject, names))
