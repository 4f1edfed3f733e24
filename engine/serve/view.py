"""What the explorer shows for one request, worked out without the web framework.

A *view* is a question (state, coalition, evidence year) and the changes made to its evidence.
It arrives as a multi-dict of strings (a query string or a form body): ``state``, ``coalition``
(names resolved as ``coalition ask`` resolves them; paths refused: a web page names no file),
or ``q`` (a sentence, "Will Japan join the TTC?"), ``year`` (empty: the latest), one field per
control, named by its ``--set`` path (``state.industries.semiconductors.reliance.united-states
.level``), and ``set`` (``PATH=VALUE`` changes carried by a link: a flip, a bookmarked view).

The controls come from ``bearing(state, coalition)``: every value the rules read for this
question. A control whose value differs from the files' becomes one ``--set`` assignment, and
the assignments are checked by the same code as ``--set``, so a bad value gets the very line
``coalition ask --set`` prints, attached to its control. The answer is asked with the good ones.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field as dc_field

from digital_coalitions import api
from digital_coalitions.casefiles.bearing import Slot, bearing
from digital_coalitions.casefiles.question import looks_like_path, quoted
from digital_coalitions.casefiles.schema import YEARS
from digital_coalitions.errors import BadInput

MAX_SETS = 200  # more changes than any question has values: refused, not parsed


class Refused(BadInput):
    """A request the explorer does not answer (a path for a name, a bad year...): one line."""


@dataclass
class Control:
    """One editable value: its slot, the files' value, the value shown, and its error if any."""

    slot: Slot
    group: str
    label: str
    shown: object  # the value the control shows (the changed one, or the files')
    changed: bool = False
    error: str | None = None

    @property
    def field(self) -> str:
        return self.slot.field

    @property
    def form(self) -> str:
        return self.slot.form


@dataclass
class View:
    state: object = None  # the state's case file at the year asked (unchanged)
    coalition: object = None
    year: int | None = None
    years: tuple = ()
    answer: object = None  # the Answer with the good changes; None if no question is asked
    role: object = None  # NotACandidate: a state with no choice to forecast
    controls: list = dc_field(default_factory=list)
    assignments: list = dc_field(default_factory=list)  # the good changes, bearing's order
    errors: dict = dc_field(default_factory=dict)  # field -> the --set error lines
    problems: list = dc_field(default_factory=list)  # errors no control owns (the question)

    @property
    def command(self) -> str:
        """The ``coalition ask`` line that reproduces this view from the command line."""
        if self.state is None:
            return ""
        return shlex.join(["coalition", *api.command_line("ask", self.state, self.coalition,
                                                          self.year, self.assignments)])

    def query(self, **extra) -> list[tuple[str, str]]:
        """The query string of this view (a bookmark, a flip's link, a download)."""
        if self.state is None:
            return []
        out = [("state", self.state.id), ("coalition", self.coalition.id)]
        if self.year is not None:
            out.append(("year", str(self.year)))
        out += [("set", a) for a in self.assignments]
        out += [(k, v) for k, v in extra.items() if v is not None]
        return out


# ---- reading a request ---------------------------------------------------------------------------
def _one(params, name: str) -> str:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    return (values[-1] if values else "").strip()


def _many(params, name: str) -> list[str]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    return [values] if isinstance(values, str) else list(values)


def _name(cases, ref: str, kind: str):
    if looks_like_path(ref):
        raise Refused(f"{kind}: {quoted(ref)} is a path; expected the name or ID of a {kind} "
                      "in the case directory (the explorer reads no other file)")
    return cases.find(ref, kind)


def year_of(text: str) -> int | None:
    if not text or text == "latest":
        return None
    if not text.isdigit() or int(text) not in YEARS:
        raise Refused(f"year: {quoted(text)} is not a year; expected a year of four digits "
                      "such as 2019, or none for the latest evidence")
    return int(text)


def question_files(cases, params):
    """(state file, coalition file) a request names, undated; Refused / BadInput if it cannot."""
    sentence = _one(params, "q")
    if sentence:
        if any(looks_like_path(word) for word in sentence.split()):
            raise Refused(f"q: {quoted(sentence)} names a path; expected a question such as "
                          "'Will South Korea join Chip 4?'")
        return cases.pair((sentence,))
    state, coalition = _one(params, "state"), _one(params, "coalition")
    if not state or not coalition:
        missing = " and ".join(n for n, v in (("state", state), ("coalition", coalition)) if not v)
        raise Refused(f"{missing}: not given; expected a name or ID (coalition list shows them)")
    return _name(cases, state, "state"), _name(cases, coalition, "coalition")


# ---- the controls ------------------------------------------------------------------------------
def _label(slot: Slot, names: dict) -> tuple[str, str]:
    """(group, label) of a slot in words: "Tie to the United States", "alliance"."""
    parts = slot.path.split(".")
    name = lambda sid: names.get(sid, sid)  # noqa: E731
    last = parts[-1].replace("_", " ")
    if slot.case == "coalition":
        if parts[0] == "per_member":
            kind = "Offers to" if parts[2] == "offers" else "Pressure on"
            return f"Coalition: {kind.lower()} {name(parts[1])}", last
        return "Coalition", last
    if parts[0] == "ties":
        return f"Tie to {name(parts[1])}", last
    if parts[0] == "autonomy":
        return "Autonomy", last
    if parts[0] == "targets":
        return f"Relation with {name(parts[1])}", last
    if parts[0] == "industries":
        domain = parts[1]
        if len(parts) > 3 and parts[2] == "reliance":
            return f"{domain.capitalize()}: reliance on {name(parts[3])}", last
        if len(parts) > 3 and parts[2] == "target_exposure":
            return f"{domain.capitalize()}: exposure to {name(parts[3])}", last
        return f"{domain.capitalize()} industry", last
    return parts[0], last


def _shown_flag(value: str):
    return {"true": True, "false": False, "on": True, "yes": True, "no": False}.get(value.lower())


def _wanted(slot: Slot, raw: str):
    """(the assignment a control's text asks for, or None where it leaves the files' value)."""
    if slot.form == "scale":
        if raw == "" or raw == slot.value:
            return None
        return raw
    if slot.form == "flag":
        flag = _shown_flag(raw)
        if flag is None:
            return raw  # not a yes/no: --set says so
        return None if flag == bool(slot.value) else ("true" if flag else "false")
    if raw == "":
        return None
    try:
        if slot.value is not None and float(raw) == float(slot.value):
            return None
    except ValueError:
        pass
    return raw


def _split(assignment: str) -> tuple[str, str]:
    path, _, value = assignment.partition("=")
    return path.strip(), value


def build(cases, params, with_answer: bool = True) -> View:
    """The view a request asks for. Problems with the question itself raise BadInput; bad
    values of the evidence are kept, one line each, on their controls."""
    view = View()
    view.year = year_of(_one(params, "year"))
    state, coalition = question_files(cases, params)
    sets = _many(params, "set")
    if len(sets) > MAX_SETS:
        raise Refused(f"set: {len(sets)} changes; expected at most {MAX_SETS}")
    try:
        view.state, view.coalition = cases.question(state, coalition, as_of=view.year)
    except api.NotACandidate as role:
        view.role, view.state, view.coalition = role, role.state, role.coalition
        return view
    view.years = tuple(sorted(set(state.evidence_years) | set(coalition.evidence_years)))
    names = {sid: case.data["name"] for sid, case in cases.states.items()}
    slots = bearing(view.state, view.coalition)
    by_field = {slot.field: slot for slot in slots}
    # changes a link carries (`set=`), by the control they belong to; others kept as typed
    linked: dict[str, str] = {}
    loose: list[str] = []
    for text in sets:
        path, value = _split(text)
        for key in (path, f"state.{path}", f"coalition.{path}"):
            if key in by_field:
                linked[key] = value
                break
        else:
            loose.append(text)
    wanted: list[tuple[str | None, str]] = []  # (field or None, assignment)
    for slot in slots:
        group, label = _label(slot, names)
        raw = _one(params, slot.field) if _many(params, slot.field) else linked.get(slot.field)
        value = None if raw is None else _wanted(slot, raw.strip())
        control = Control(slot, group, label, slot.value)
        if value is not None:
            control.changed, control.shown = True, value
            wanted.append((slot.field, f"{slot.field}={value}"))
        view.controls.append(control)
    wanted += [(None, text) for text in loose]
    good = []
    for owner, assignment in wanted:
        try:
            cases.question(state, coalition, as_of=view.year, set=[assignment])
        except BadInput as error:
            lines = str(error).splitlines()
            if owner is None:
                view.problems += lines
            else:
                view.errors[owner] = lines
            continue
        good.append(assignment)
    for control in view.controls:
        control.error = " ".join(view.errors.get(control.field, [])) or None
        if control.slot.form == "flag" and control.changed and control.error is None:
            control.shown = control.shown == "true"
    view.assignments = good
    if with_answer:
        view.answer = api.ask(state, coalition, cases=cases, as_of=view.year, set=good)
    return view
