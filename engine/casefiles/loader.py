"""Load case files: one file, or the case directories, with the public types they load into.

    load_file(path, kind=None) -> CaseFile     one state or coalition file
    load_dir(directory)        -> CaseBase     directory/states/*.yaml, directory/coalitions/*.yaml

Every problem is reported, never just the first, as one line::

    FILE:LINE: field.path: what was wrong; expected what

File-level problems use the pseudo-fields ``(file)`` (cannot read, not UTF-8, too big, empty,
not a mapping), ``(yaml)`` (parser errors, tabs, tags, aliases, nesting), ``(directory)`` and
``(loader)`` (an unexpected failure inside the loader: a bug, still reported as a line).
All of them are raised together as one :class:`CaseError`; no input produces any other
exception. The loader only reads: it never writes to any file.

A file is read by :mod:`.reading` (regular files only, at most :data:`schema.MAX_FILE_BYTES`,
refused before parsing), its YAML by :mod:`.yamlread` (nodes only: no aliases, no tags beyond
the plain ones, bounded nesting), and its values checked against the contract by
:mod:`.validate`; the problems are collected and worded by :mod:`.problems`. This module
loads directories: it cross-checks the files over the whole set (references to states, ids,
names and aliases naming one file each).
"""

from __future__ import annotations

import codecs
import errno
import functools
import os
import pathlib
import re
from collections.abc import Mapping
from types import MappingProxyType

try:  # CPython's own SHA-256, the same digest: importing hashlib loads OpenSSL, which cost a
    from _sha256 import sha256  # cold `ask` more than hashing the two files
except ImportError:  # pragma: no cover (another Python)
    from hashlib import sha256

from yaml.nodes import SequenceNode

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.problems import (INVALID, CaseError, Problems, described,
                                                   one_line, path_text, quote)
from digital_coalitions.casefiles.reading import ReadProblem, read_bounded
from digital_coalitions.record import FrozenRecord
from digital_coalitions.casefiles.validate import (check_case, check_fields, check_references,
                                                   history_years, main_evidence_year,
                                                   suggest_state)
from digital_coalitions.casefiles.yamlread import read_tree

__all__ = ["CaseBase", "CaseError", "CaseFile", "CaseSet", "load_dir", "load_file", "normalise"]


# ---- public types ----------------------------------------------------------------------------------
class Dating(FrozenRecord):
    """Which year of a file's evidence answers a question, and why that one."""

    FIELDS = ("asked", "year", "years", "earliest")
    asked: int | None  # the year asked about (--as-of), None for "the latest"
    year: int | None  # the year of the evidence used (None: an undated coalition file)
    years: tuple[int, ...]  # every year the file has evidence for
    earliest: bool  # nothing dated at or before ``asked``: the earliest evidence was used

    def __init__(self, asked: int | None, year: int | None, years: tuple[int, ...],
                 earliest: bool = False):
        self._set(asked, year, years, earliest)

    def to_dict(self) -> dict:
        return {"asked": self.asked, "year": self.year, "years": list(self.years),
                "earliest_used": self.earliest}


class CaseFile(FrozenRecord):
    """One loaded case file. ``data`` has exactly facts.md's shape, defaults applied.

    ``data`` is the evidence of one year: the file's main evidence, or with :meth:`at` the
    evidence of another year of its ``history`` (merged over the main evidence).

    A record (record.py), not a dataclass: the dataclass compiled its methods at every cold
    ``coalition ask`` (about 5 M instructions); ``years`` and ``case_set`` are left out of the
    ``repr`` and ``==`` as its ``field(repr=False, compare=False)`` were."""

    FIELDS = ("kind", "id", "data", "path", "defaults", "lines", "sha256", "years", "dating",
              "case_set")
    UNSHOWN = UNCOMPARED = frozenset({"years", "case_set"})
    kind: str
    id: str
    data: dict
    path: pathlib.Path
    defaults: tuple[str, ...]
    lines: Mapping[str, int]
    sha256: str
    years: Mapping[int, CaseFile]  # the other years of its history (default: a dict of its own)
    dating: Dating | None
    case_set: CaseSet | None

    def __init__(self, kind: str, id: str, data: dict, path: pathlib.Path,
                 defaults: tuple[str, ...], lines: Mapping[str, int], sha256: str,
                 years: Mapping[int, CaseFile] | None = None, dating: Dating | None = None,
                 case_set: CaseSet | None = None):
        self._set(kind, id, data, path, defaults, lines, sha256, {} if years is None else years,
                  dating, case_set)

    @property
    def year(self) -> int | None:
        """The year this evidence describes (a coalition's main year is as_of, else founded)."""
        return main_evidence_year(self.kind, self.data)

    @property
    def evidence_years(self) -> tuple[int, ...]:
        return tuple(sorted(self.years)) or ((self.year,) if self.year is not None else ())

    def at(self, asked: int | None) -> CaseFile:
        """The evidence for a question about ``asked``: the latest dated at or before it (the
        latest of all when ``asked`` is None); where none is that early, the earliest."""
        years = self.evidence_years
        if not years:  # an undated coalition file: one evidence for every year
            return self.replaced(dating=Dating(asked, None, ()))
        if asked is None:
            chosen, earliest = years[-1], False
        else:
            before = [y for y in years if y <= asked]
            chosen, earliest = (before[-1], False) if before else (years[0], True)
        # this file's own year is itself: a case changed with --set keeps its changes
        case = self if chosen == self.year else self.years.get(chosen, self)
        return case.replaced(dating=Dating(asked, chosen, years, earliest))


def overrides_of(*cases) -> tuple:
    """The ``--set`` changes the case files carry, in order (none for a file as loaded)."""
    return tuple(o for case in cases for o in getattr(case, "overrides", ()))


def as_filed(case: CaseFile) -> CaseFile:
    """The case as its file gives it, before any ``--set`` (itself, for a file as loaded)."""
    return getattr(case, "filed", None) or case


class CaseSet(FrozenRecord):
    """What a file was loaded with by :func:`load_dir`: the case directories, lowest first, and
    the states they hold, against which its keys naming states were checked (and a ``--set``'s
    are). None for a file loaded alone."""

    FIELDS = ("directories", "state_ids", "aliases")
    directories: tuple[pathlib.Path, ...]
    state_ids: frozenset[str]
    aliases: Mapping[str, str]  # a state's name or alias, lowercased -> its id ("did you mean")

    def __init__(self, directories: tuple[pathlib.Path, ...], state_ids: frozenset[str],
                 aliases: Mapping[str, str]):
        self._set(directories, state_ids, aliases)

    @functools.cached_property
    def sorted_ids(self) -> list[str]:
        return sorted(self.state_ids)


class CaseBase(FrozenRecord):
    """All case files of one or more directories, by id (``directory`` is the last of them)."""

    FIELDS = ("directory", "states", "coalitions", "directories")
    directory: pathlib.Path
    states: Mapping[str, CaseFile]
    coalitions: Mapping[str, CaseFile]
    directories: tuple[pathlib.Path, ...]

    def __init__(self, directory: pathlib.Path, states: Mapping[str, CaseFile],
                 coalitions: Mapping[str, CaseFile], directories: tuple[pathlib.Path, ...] = ()):
        self._set(directory, states, coalitions, directories)


# ---- reading the file ------------------------------------------------------------------------------
def _display(path: pathlib.Path | str) -> str:
    return one_line(str(path))


# what a file that cannot be read gets instead of its bytes: (what, expected)
_TOO_BIG = f"at most {S.MAX_FILE_BYTES} bytes (1 MiB)"


def _unread(problem: ReadProblem, file_kind: str = "case file") -> tuple[str, str]:
    reason, error = problem.reason, problem.error
    if reason == "too-large":
        size = "over 1 MiB" if problem.size is None else f"{problem.size} bytes"
        return f"the file is too large ({size})", _TOO_BIG
    if reason in ("directory", "not-regular"):
        return problem.what, f"a YAML {file_kind}"
    return {"missing": "no such file", "broken-link": "is a broken symbolic link",
            "no-parent": "no such file (a parent is not a directory)",
            "denied": "cannot be read (permission denied)"}.get(
        reason, f"cannot be read ({getattr(error, 'strerror', None) or error})"), \
        f"a readable YAML {file_kind}"


def _read(path: pathlib.Path, ctx: Problems, file_kind: str = "case file") -> bytes | None:
    try:
        return read_bounded(path, S.MAX_FILE_BYTES)
    except ReadProblem as problem:
        ctx.add("(file)", *_unread(problem, file_kind))
        return None


def _decode(raw: bytes, ctx: Problems) -> str | None:
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        hint = ""
        if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            hint = "; it looks like UTF-16"
        ctx.add("(file)", f"the file is not UTF-8 text (byte 0x{raw[e.start]:02x} cannot be "
                f"decoded{hint})", "UTF-8 text (save the file as UTF-8)", line=line)
        return None


# ---- loading ---------------------------------------------------------------------------------------
class _Years(Mapping):
    """A file's evidence by year: the main year's case, and each history year's, built when
    first asked for (a question reads one year of two files)."""

    def __init__(self, loaded, main: CaseFile):
        self._loaded, self._built = loaded, {main.year: main}
        self._years = sorted({main.year, *loaded.years})

    def __getitem__(self, year):
        if year not in self._built:
            if year not in self._loaded.years:
                raise KeyError(year)
            data, ctx = self._loaded.years[year]()
            case = _case(self._loaded, data, ctx)
            object.__setattr__(case, "years", self)  # each year knows the others
            self._built[year] = case
        return self._built[year]

    def __iter__(self):
        return iter(self._years)

    def __len__(self):
        return len(self._years)


def _case(loaded: _Loaded, data: dict, ctx: Problems) -> CaseFile:
    lines = {}
    for p, line in ctx.lines.items():
        if p:
            lines[path_text(p)] = line
    for p in ctx.defaults:
        lines.setdefault(path_text(p), ctx.line_of(p))
    try:
        resolved = loaded.path.resolve()
    except (OSError, RuntimeError):
        resolved = loaded.path.absolute()
    return CaseFile(kind=loaded.kind, id=data["id"], data=data, path=resolved,
                    defaults=tuple(path_text(p) for p in ctx.defaults),
                    lines=MappingProxyType(lines), sha256=loaded.sha256, case_set=loaded.case_set)


class _Loaded:
    """A file as read, before it is a CaseFile (a plain class: a dataclass's generated methods
    cost a cold start their compiling, and nothing compares or prints these)."""

    __slots__ = ("path", "kind", "ctx", "data", "sha256", "extra", "years", "written_years",
                 "case_set")

    def __init__(self, path: pathlib.Path, kind: str, ctx: Problems):
        self.path, self.kind, self.ctx = path, kind, ctx
        self.data: dict | None = None
        self.sha256 = ""
        self.extra: list = []
        self.years: dict = {}  # history year -> function giving (data, ctx)
        self.written_years: dict = {}  # history year text -> fields as written
        self.case_set: CaseSet | None = None

    def case(self) -> CaseFile:
        main = _case(self, self.data, self.ctx)
        if self.years:
            object.__setattr__(main, "years", _Years(self, main))
        return main


def _has_invalid(value) -> bool:
    if value is INVALID:
        return True
    if isinstance(value, dict):
        return any(_has_invalid(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_invalid(v) for v in value)
    return False


def _load(path: pathlib.Path, kind: str | None) -> _Loaded:
    ctx = Problems(_display(path))
    result = _Loaded(path, kind or "state", ctx)
    try:
        raw = _read(path, ctx)
        if raw is None:
            return result
        result.sha256 = sha256(raw).hexdigest()
        text = _decode(raw, ctx)
        if text is None:
            return result
        tree = read_tree(text, ctx)
        if tree is None:
            return result
        if kind is None:
            result.kind = "coalition" if "leader" in tree else "state"
        result.data = check_case(tree, result.kind, path, ctx)
        result.written_years = dict(result.data.get("history") or {})
        result.years = history_years(tree, result.data, result.kind, ctx)
        if not ctx.problems and _has_invalid(result.data):  # defensive: never hand out a hole
            raise AssertionError("an invalid value without a problem")
    except Exception as e:  # noqa: BLE001 - never a traceback: it becomes a problem line
        ctx.add("(loader)", f"unexpected {type(e).__name__} while reading the file",
                "a file the loader can read (please report this as a loader bug)")
        result.data = None
    return result


def _check_kind(kind) -> None:
    if kind not in (None, "state", "coalition"):
        raise ValueError(f"kind must be None, 'state' or 'coalition', not {kind!r}")


def load_file(path, kind: str | None = None) -> CaseFile:
    """Load one case file. ``kind`` None: a file with a ``leader`` key is a coalition, else a
    state. Raises :class:`CaseError` with every problem found."""
    _check_kind(kind)
    loaded = _load(pathlib.Path(path), kind)
    problems = loaded.ctx.messages()
    if problems or loaded.data is None:
        raise CaseError(problems or [(f"{loaded.ctx.file}:1: (file): could not be loaded; "
                                     "expected a valid case file")])
    return loaded.case()


def load_entries(path, fields, kind: str, expected: str):
    """A YAML file holding a list of entries, each a mapping checked against ``fields`` exactly
    as a case file's fields are: every problem at once, one line each (``[i].field``).

    Returns ((index, checked fields) per entry that is a mapping, the problem context): the
    caller adds its own problems with ``ctx.add((i, name), what, expected)`` and raises
    ``CaseError(ctx.messages())`` if there are any. Used for files of documented decisions."""
    path = pathlib.Path(path)
    ctx = Problems(_display(path))
    entries: list = []
    try:
        raw = _read(path, ctx, f"file of {kind}s")
        text = _decode(raw, ctx) if raw is not None else None
        tree = read_tree(text, ctx, SequenceNode, expected, expected) if text is not None else None
        for i, item in enumerate(tree or []):
            if not isinstance(item, dict):
                ctx.add((i,), f"got {described(item)}", expected)
                continue
            entries.append((i, check_fields(fields, item, (i,), ctx, True, kind)))
    except Exception as e:  # noqa: BLE001 - never a traceback: it becomes a problem line
        ctx.add("(loader)", f"unexpected {type(e).__name__} while reading the file",
                "a file the loader can read (please report this as a loader bug)")
    return entries, ctx


def suggest_id(ref: str, cases) -> str:
    """' (did you mean …?)' for a mistyped id, from the ids, names and aliases of ``cases``."""
    aliases = {}
    for case in cases.values():
        for name in [case.data.get("name", ""), *(case.data.get("aliases") or [])]:
            aliases.setdefault(str(name).strip().lower(), case.id)
    return suggest_state(ref, sorted(cases), aliases)


def _parts(loaded: _Loaded):
    """(path prefix, fields) of the main evidence and of each history year, as written."""
    yield (), loaded.data
    for key, entry in loaded.written_years.items():
        if isinstance(entry, dict):
            yield ("history", key), entry


def _cross_check(item: _Loaded, known: CaseSet) -> None:
    if item.data is None:
        return
    for prefix, data in _parts(item):
        check_references(item.kind, data, item.ctx, known, prefix, main=item.data)


def normalise(name: str) -> str:
    """A name as the resolver compares names: case, quotes, a leading "the" and the difference
    between spaces, '-' and '_' ignored."""
    name = re.sub(r"[\s_\-]+", " ", name.strip().strip("\"'").lower())
    return name.removeprefix("the ")


def _check_names(items: list[_Loaded], kind: str, layer_of: dict) -> None:
    """Each id, name and alias must name one file: else a question answers about whichever file
    the resolver meets first (Japan, for "South Korea", if Japan has that alias). The later
    claim gets the line, as the one to change: a later directory's, then, within a directory,
    an alias's before a name's before an id's, then the later file by id."""
    claimed: dict[str, tuple[_Loaded, tuple, str]] = {}
    by_layer: dict[int, list[_Loaded]] = {}
    for item in items:
        by_layer.setdefault(layer_of[id(item)], []).append(item)
    for layer in sorted(by_layer):
        for field in ("id", "name", "aliases"):
            for item in by_layer[layer]:
                given = (item.data or {}).get(field)
                written = list(enumerate(given)) if field == "aliases" and \
                    isinstance(given, list) else [(None, given)]
                for i, text in written:
                    if not isinstance(text, str):
                        continue
                    path = (field,) if i is None else (field, i)
                    first = claimed.setdefault(normalise(text), (item, path, text))
                    if first[0] is not item:
                        _name_clash(item, path, text, first, kind, layer_of)


def _name_clash(item: _Loaded, path: tuple, text: str, first, kind: str, layer_of: dict) -> None:
    other, other_path, other_text = first
    other_id = other.data["id"]
    what = "the id" if other_path == ("id",) else f"{path_text(other_path)} {quote(other_text)}"
    where = f"{what} in {_display(other.path)}, line {other.ctx.line_of(other_path)}"
    replace_hint = ""
    if layer_of[id(other)] < layer_of[id(item)] and item.data.get("id") != other_id:
        replace_hint = f"; or, to replace that {kind}, name this file {other_id}.yaml"
    item.ctx.add(path, f"{quote(text)} also names the {kind} {other_id} ({where})",
                 f"each id, name and alias to name one {kind} only (change or remove one of "
                 f"the two{replace_hint})")


_EXPECTED_DIR = "a directory with states/, coalitions/ or both: subdirectories of YAML case files"


def _directory_problem(base: pathlib.Path) -> str | None:
    """Why ``base`` is no case directory, as one line; None if it is one."""
    disp = _display(base)
    try:
        if not base.is_dir():
            if os.path.lexists(base) and not base.exists():
                what = "is a symbolic link that is broken or loops"
            else:
                what = "no such directory" if not base.exists() else "is not a directory"
            return f"{disp}:1: (directory): {what}; expected {_EXPECTED_DIR}"
        if not any(os.path.lexists(base / sub) for sub in ("states", "coalitions")):
            return f"{disp}:1: (directory): has neither states/ nor coalitions/; expected {_EXPECTED_DIR}"
    except OSError as e:
        return f"{disp}:1: (directory): cannot be read ({e.strerror or e}); expected {_EXPECTED_DIR}"
    return None


def _listing(sub: pathlib.Path, kind: str, top: list[str]) -> list[pathlib.Path]:
    """The YAML files of ``sub`` (hidden and other files ignored), by name; a problem in ``top``
    if it exists but cannot be listed."""
    sub_disp = _display(sub)
    expected = f"a readable directory of {kind} files (a directory, or a link to one)"
    try:
        if not os.path.lexists(sub):
            return []
        names = sorted(os.listdir(sub))  # (what iterdir lists: a Path made only for a kept name)
    except NotADirectoryError:
        top.append(f"{sub_disp}:1: (directory): is not a directory; expected a directory of "
                   f"{kind} files")
        return []
    except FileNotFoundError:
        top.append(f"{sub_disp}:1: (directory): is a broken symbolic link; expected {expected}")
        return []
    except OSError as e:
        what = ("is a symbolic link that loops back on itself"
                if e.errno == errno.ELOOP else f"cannot be read ({e.strerror or e})")
        top.append(f"{sub_disp}:1: (directory): {what}; expected {expected}")
        return []
    return [sub / name for name in names
            if not name.startswith(".") and name.lower().endswith((".yaml", ".yml"))]


def _resolved(path: pathlib.Path) -> pathlib.Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def load_dir(directory) -> CaseBase:
    """Load ``directory/states/*.yaml`` and ``directory/coalitions/*.yaml`` (also ``.yml``).

    ``directory`` may be a list of directories, lowest first: each adds its files to those
    before it and replaces a file of the same kind and id (which is then never read).

    Every file is validated and cross-checked over the whole set (a coalition's leader, target,
    per_member keys and members, and a state's keys naming states, must be states of the set;
    ids are unique; each id, name and alias names one file); all problems from all files are
    raised together as one :class:`CaseError`."""
    if isinstance(directory, (str, os.PathLike)):
        directory = [directory]
    directories = [pathlib.Path(d) for d in directory]
    top = [problem for problem in map(_directory_problem, directories) if problem]
    if top:
        raise CaseError(top)

    # every file listed first, so that a file replaced by a later directory is never read
    listed: list[tuple[int, str, pathlib.Path]] = []
    layer_of_id: dict[tuple[str, str], int] = {}
    for layer, base in enumerate(directories):
        for kind, sub in (("state", base / "states"), ("coalition", base / "coalitions")):
            for p in _listing(sub, kind, top):
                listed.append((layer, kind, p))
                layer_of_id[kind, p.stem] = layer

    loaded: dict[str, dict[str, _Loaded]] = {"state": {}, "coalition": {}}
    order: list[_Loaded] = []
    layer_of: dict[int, int] = {}  # id(item) -> its directory's place
    for layer, kind, p in listed:
        stem = p.stem
        if layer_of_id[kind, stem] != layer:
            continue
        item = _load(p, kind)
        order.append(item)
        layer_of[id(item)] = layer
        if stem in loaded[kind]:
            first = loaded[kind][stem]
            item.ctx.add(("id",), f"the id {stem!r} is already used by {_display(first.path)}",
                         f"one file per {kind} id")
            continue
        loaded[kind][stem] = item

    aliases: dict[str, str] = {}
    for sid, item in loaded["state"].items():
        for alias in (item.data or {}).get("aliases", []) or []:
            if isinstance(alias, str):
                aliases.setdefault(alias.strip().lower(), sid)
    known = CaseSet(tuple(_resolved(d) for d in directories), frozenset(loaded["state"]), aliases)
    if not top:  # with a directory unreadable, every reference into it would be one more line
        for kind in ("state", "coalition"):
            items = sorted(loaded[kind].values(), key=lambda i: (layer_of[id(i)], i.path.stem))
            for item in items:
                item.case_set = known
                try:
                    _cross_check(item, known)
                except Exception as e:  # noqa: BLE001 - never a traceback
                    item.ctx.add("(loader)", f"unexpected {type(e).__name__} while cross-checking",
                                 "a file the loader can read (please report this as a loader bug)")
            _check_names(items, kind, layer_of)

    problems = list(top)
    for item in order:
        problems.extend(item.ctx.messages())
        if item.data is None and not item.ctx.problems:
            problems.append(f"{item.ctx.file}:1: (file): could not be loaded; expected a valid "
                            "case file")
    if problems:
        raise CaseError(problems)

    states = {sid: item.case() for sid, item in sorted(loaded["state"].items())}
    coalitions = {cid: item.case() for cid, item in sorted(loaded["coalition"].items())}
    return CaseBase(known.directories[-1], MappingProxyType(states),
                    MappingProxyType(coalitions), known.directories)
