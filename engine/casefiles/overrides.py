"""``--set PATH=VALUE``: change one value of the evidence for one run, validated like a case file.

A path names a field of the state file (``industries.semiconductors.reliance.united-states.level``)
or of the coalition file (``offers.subsidies``, ``per_member.south-korea.offers.exemptions``). A
``state.`` or ``coalition.`` prefix says which; it is required where a field exists in both
(``summary``, ``sources``). The value is read as YAML, exactly as in a case file, and checked by
the loader's own validation, so a bad value gets the same one-line message a case file would
(with ``--set`` where the file and line would be). The fields no history year may change either
(``schema.FIXED_IN_HISTORY``: who the file is about, and the year of its evidence) are refused:
they are not evidence, and the year is chosen with ``--as-of``. One path given two different
values is refused; a value the file already holds changes nothing, is not recorded as a change,
and is told as a :class:`~digital_coalitions.errors.Note` (a warning).

Nothing is written and nothing is mutated: :func:`apply_overrides` returns new case files that
carry the changes (``overrides``), so that answers and traces can say which values are no longer
the file's.
"""

from __future__ import annotations

import dataclasses
import difflib
import warnings

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.loader import CaseError, CaseFile, as_filed, overrides_of
from digital_coalitions.casefiles.problems import (Problems, close_matches, described, one_line,
                                                   path_text, quote)
from digital_coalitions.casefiles.validate import check_fields, check_references, note_near_domain
from digital_coalitions.casefiles.yamlread import Refused, read_value
from digital_coalitions.errors import Note

PREFIXES = ("state", "coalition")
EXAMPLE = "industries.semiconductors.reliance.united-states.level=moderate"
ABSENT = "(absent)"  # what a path held before a --set that created it


@dataclasses.dataclass(frozen=True)
class Override:
    """One value changed by ``--set``: ``path`` in the ``case`` file (state or coalition)."""

    case: str
    path: str
    value: object
    previous: object  # the value in the file (or its default); ABSENT if the path was not there
    text: str  # the assignment as typed

    @property
    def was_absent(self) -> bool:
        """The path was not in the file: ``--set`` created it."""
        return self.previous == ABSENT

    def to_dict(self) -> dict:
        return {"case": self.case, "path": self.path, "value": self.value,
                "previous": self.previous, "set": self.text}

    def __str__(self) -> str:
        return f"{self.case}.{self.path}: {_show(self.previous)} -> {_show(self.value)}"


class OverriddenCase(CaseFile):
    """A case file with values changed by ``--set``; ``path`` and ``sha256`` are still the file's."""

    FIELDS = CaseFile.FIELDS + ("overrides", "filed")
    UNSHOWN = UNCOMPARED = CaseFile.UNSHOWN | {"filed"}
    overrides: tuple[Override, ...]
    filed: CaseFile | None  # the case as its file gives it, before any --set

    def __init__(self, kind, id, data, path, defaults, lines, sha256, years=None, dating=None,
                 case_set=None, overrides: tuple[Override, ...] = (),
                 filed: CaseFile | None = None):
        self._set(kind, id, data, path, defaults, lines, sha256, {} if years is None else years,
                  dating, case_set, overrides, filed)


def is_overridden(case, path: str) -> bool:
    """Whether the value at ``path`` (or a section above it) was changed by ``--set``."""
    return any(path == o.path or path.startswith(o.path + ".") or o.path.startswith(path + ".")
               for o in overrides_of(case))


def origin(case, path: str) -> str:
    """Where a value came from: ``--set`` if changed, else ``FILE:LINE`` in the case file."""
    if is_overridden(case, path):
        return "--set"
    line = case.lines.get(path)
    if line is None:  # a defaulted or absent value: point at the nearest written section
        parts = path.split(".")
        while parts and line is None:
            parts.pop()
            line = case.lines.get(".".join(parts))
    return f"{case.path}:{line or 1}"


def apply_overrides(state: CaseFile, coalition: CaseFile, assignments) -> tuple[CaseFile, CaseFile]:
    """The two case files with every ``PATH=VALUE`` assignment applied; CaseError if any is bad.

    Every bad assignment is reported (one line each), never just the first.
    """
    cases = {"state": state, "coalition": coalition}
    data = {kind: case.data for kind, case in cases.items()}  # never changed: _validate copies
    defaults = {kind: list(case.defaults) for kind, case in cases.items()}
    changes: dict[str, list[Override]] = {kind: list(overrides_of(case))
                                          for kind, case in cases.items()}
    problems: list[str] = []
    given: dict[tuple[str, str], object] = {}  # (kind, path) -> the value given
    unchanged: list[str] = []
    for text in assignments:
        try:
            kind, path, raw = _parse(text)
            _settable(kind, path[0], data[kind])
            value, added = _validate(kind, data[kind], path, raw, cases[kind].case_set)
        except _Problem as problem:
            problems.append(str(problem))
            continue
        dotted = path_text(tuple(path))
        new = _lookup(value, path)
        if (kind, dotted) in given:
            before = given[kind, dotted]
            if not _same(before, new):
                problems.append(str(_Problem(
                    f"{kind}.{dotted}", f"set twice, to {_show(before)} and to {_show(new)}",
                    "one value for each path")))
            continue
        given[kind, dotted] = new
        current = _lookup(data[kind], path)  # after this call's earlier changes
        if _same(current, new):  # not a change: recorded as one, it would cost confidence (CF-04)
            unchanged.append(_unchanged(text, cases[kind], dotted, new,
                                        not _same(_lookup(cases[kind].data, path), new)))
            continue
        previous = _lookup(cases[kind].data, path)
        if previous is ABSENT:
            previous = current  # an earlier --set of this call may have created it
        data[kind] = value
        defaults[kind] = [d for d in defaults[kind]
                          if d != dotted and not d.startswith(dotted + ".")]
        defaults[kind] += [d for d in added if d not in defaults[kind]]
        earlier = [o for o in changes[kind] if o.path == dotted]
        if earlier:  # changed again: the file's value is still the one before the first change
            previous = earlier[0].previous
        changes[kind] = [o for o in changes[kind] if o.path != dotted]
        changes[kind].append(Override(kind, dotted, new, previous, text))
    if problems:
        raise CaseError(list(dict.fromkeys(problems)))  # one line for a problem given twice
    for note in unchanged:
        warnings.warn(Note(note), stacklevel=2)
    out = []
    for kind, case in cases.items():
        if not changes[kind]:
            out.append(case)
            continue
        base = {name: getattr(case, name) for name in CaseFile.FIELDS}
        base.update(data=data[kind], defaults=tuple(defaults[kind]))
        out.append(OverriddenCase(**base, overrides=tuple(changes[kind]),
                                  filed=as_filed(case)))
    return out[0], out[1]


def _same(a, b) -> bool:
    """Whether two values are the same value (a share 1.0 is not the boolean true)."""
    return a is not ABSENT and type(a) is type(b) and a == b


def _unchanged(text: str, case: CaseFile, dotted: str, value, by_this_call: bool) -> str:
    """The note for an assignment that gives the value already there."""
    if by_this_call:
        held = "by an earlier --set"
    elif is_overridden(case, dotted):
        held = "by --set"
    else:
        years = case.dating.years if case.dating else case.evidence_years
        year = f", its evidence of {case.year}" if len(years) > 1 else ""
        default = "; the file does not give it: its default" if dotted in case.defaults else ""
        held = f"in {case.path}{year}{default}"
    return (f"--set {one_line(text.strip())}: already {one_line(_show(value))} {one_line(held)}; "
            "nothing changed")


# ---- parsing and validating one assignment ------------------------------------------------------
class _Problem(Exception):
    """One bad assignment, as the loader would word it, with --set for the file and line."""

    def __init__(self, where: str, what: str, expected: str):
        super().__init__(f"--set: {one_line(where)}: {one_line(what)}; "
                         f"expected {one_line(expected)}")


class _SetContext(Problems):
    """The loader's problem collector, naming --set instead of a file and line."""

    def __init__(self, kind: str):
        super().__init__("--set")
        self.kind = kind

    def add(self, path, what, expected, line=None):
        where = path if isinstance(path, str) else path_text(path)
        self.problems.append((0, len(self.problems),
                              f"--set: {self.kind}.{one_line(where)}: {one_line(what)}; "
                              f"expected {one_line(expected)}"))


def _near_path(path: list[str]) -> str:
    """A "did you mean" for a path of one shape with a field of either file, a name or so off
    (``target.china.threat_perception`` for the state's ``targets.china.threat_perception``)."""
    for kind in ("state", "coalition"):
        for pattern, _ in S.iter_fields(kind):
            parts = pattern.split(".")
            if len(parts) != len(path) or parts == path:
                continue
            named = [(p, q) for p, q in zip(parts, path) if p != "*"]
            off = [(p, q) for p, q in named if p != q]
            if len(off) == 1 and close_matches(off[0][1], [off[0][0]]):
                written = ".".join(q if p == "*" else p for p, q in zip(parts, path))
                return f" (did you mean {kind}.{written}?)"
    return ""


def _names(kind: str) -> list[str]:
    return [f.name for f in S.fields(kind)]


def _settable(kind: str, name: str, data: dict) -> None:
    """Refuse a field that is not evidence: those no history year may change either (who the
    file is about, the year of its evidence, the history itself), the summary written for
    readers, and a coalition's ``founded`` where it is the year of the evidence (no ``as_of``)."""
    where = f"{kind}.{name}" if kind else name
    if name == "summary":
        raise _Problem(where, "the summary is written for readers; no rule reads it, so it "
                       "cannot be supposed", "a path to a value of the evidence")
    if name == "founded" and kind == "coalition" and data.get("as_of") is None:
        name = "as_of"  # the file's evidence is dated by its founding year
    if name == "id":
        raise _Problem(where, "the id names the case file and cannot be changed",
                       "a path to a value of the evidence")
    if name == "as_of":
        raise _Problem(where, "the year the evidence describes cannot be changed",
                       "--as-of YEAR, which answers from each file's evidence dated at or "
                       "before YEAR")
    if name == "history":
        raise _Problem(where, "the evidence of other years cannot be changed here",
                       "--as-of YEAR, to answer from that year's evidence, with --set giving a "
                       "path of the evidence, e.g. autonomy.government_alignment")
    if name in S.FIXED_IN_HISTORY:
        raise _Problem(where, "says who the file is about, not what the evidence is, and "
                       "cannot be changed", "a path to a value of the evidence")


def _parse(text: str) -> tuple[str, list[str], str]:
    """'PATH=VALUE' -> (kind, path components, value text)."""
    if "=" not in text:
        raise _Problem(quote(text), "no '=' between the path and the value",
                       f"PATH=VALUE, e.g. {EXAMPLE}")
    where, raw = text.split("=", 1)
    where = where.strip()
    parts = where.split(".")
    if not where or any(not p for p in parts):
        raise _Problem(quote(where or text), "the path is empty or has an empty part",
                       f"a dotted path, e.g. {EXAMPLE.split('=')[0]}")
    if parts[0] in PREFIXES:
        kind, parts = parts[0], parts[1:]
        if not parts:
            raise _Problem(where, "a file but no field", f"{kind}.FIELD=VALUE")
        if parts[0] not in _names(kind):
            close = close_matches(parts[0], _names(kind))
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _Problem(where, "unknown field", f"one of {', '.join(_names(kind))}{hint}")
        return kind, parts, raw
    in_state, in_coalition = parts[0] in _names("state"), parts[0] in _names("coalition")
    if in_state and in_coalition:
        _settable("", parts[0], {})  # not "state.name or coalition.name" for what neither may change
        raise _Problem(where, f"{parts[0]!r} is a field of both the state and the coalition file",
                       f"state.{where} or coalition.{where}")
    if in_state or in_coalition:
        return ("state" if in_state else "coalition"), parts, raw
    close = difflib.get_close_matches(parts[0], _names("state") + _names("coalition")
                                      + list(PREFIXES), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise _Problem(where, "unknown field",
                   f"a field of the state file ({', '.join(_names('state'))}) or of the "
                   f"coalition file ({', '.join(_names('coalition'))}){hint}")


def _read_value(raw: str, where: str, path: list[str], ctx: _SetContext):
    """The value text read as YAML by the loader's own safe reader (no tags, no aliases)."""
    try:
        value = read_value(raw, tuple(path), ctx)
    except Refused as refused:
        raise _Problem(where, refused.what, refused.expected) from None
    if ctx.problems:
        raise _Relay(CaseError(ctx.messages()))
    return value


def _validate(kind: str, data: dict, path: list[str], raw: str, known=None):
    """The whole file's data with the value set, checked as the loader checks a file, and,
    for a file of a case directory (``known``, its CaseSet), the states it names against it.

    Returns the validated data and the paths newly defaulted (fields of an entry the
    assignment created). Raises _Problem with the loader's message.
    """
    where = ".".join(path)
    ctx = _SetContext(kind)
    value = _read_value(raw, f"{kind}.{where}", path, ctx)
    # the sections on the path are copied, the rest shared: validation builds a new tree
    tree = dict(data)
    node = tree
    for depth, part in enumerate(path[:-1]):
        held = node.get(part, ABSENT)
        if held is ABSENT or held is None:
            node[part] = {}
        elif not isinstance(held, dict):
            above = ".".join(path[:depth + 1])
            raise _Problem(f"{kind}.{above}", f"{above} holds {described(held)}, which has no "
                           f"field {path[depth + 1]!r}", "a path that ends at a value"
                           + _near_path(path))
        else:
            node[part] = dict(held)
        node = node[part]
    node[path[-1]] = value
    validated = check_fields(S.fields(kind), tree, (), ctx, True, kind)
    named = path[0] == "domain" and kind == "coalition" or path[0] == "industries" and len(path) > 1
    if named and not ctx.problems:  # a misspelt domain set by hand, as in a file
        note_near_domain(value if path[0] == "domain" else path[1], tuple(path[:2]), ctx,
                         at=f"--set {kind}.{where}")
    if known is not None and not ctx.problems:
        check_references(kind, validated, ctx, known)
    if ctx.problems:
        raise _Relay(CaseError(ctx.messages()))
    added = [path_text(p) for p in ctx.defaults]
    return validated, added


class _Relay(_Problem):
    """Problems the loader's validation found, passed on as they are."""

    def __init__(self, error: CaseError):
        Exception.__init__(self, str(error))


def _lookup(data, path) -> object:
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return ABSENT
        node = node[part]
    return node


def _show(value) -> str:
    return ABSENT if value is ABSENT else S.shown(value)


def show_value(value) -> str:
    """A value as a person writes it in YAML (true, 0.5, moderate, null)."""
    return _show(value)
