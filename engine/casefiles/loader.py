"""Load and validate case files (the contract in ``facts.md``, as data in :mod:`.schema`).

    load_file(path, kind=None) -> CaseFile     one state or coalition file
    load_dir(directory)        -> CaseBase     directory/states/*.yaml, directory/coalitions/*.yaml

Every problem is reported, never just the first, as one line::

    FILE:LINE: field.path: what was wrong; expected what

File-level problems use the pseudo-fields ``(file)`` (cannot read, not UTF-8, too big, empty,
not a mapping), ``(yaml)`` (parser errors, tabs, tags, aliases, nesting), ``(directory)`` and
``(loader)`` (an unexpected failure inside the loader: a bug, still reported as a line).
All of them are raised together as one :class:`CaseError`; no input produces any other
exception. The loader only reads: it never writes to any file.

Safety: files over :data:`schema.MAX_FILE_BYTES` are refused before parsing; the YAML is
parsed (by libyaml where PyYAML has it, else by PyYAML's own parser, whose messages are reported
for every problem) into nodes only, aliases are refused as soon as
the parser meets one (no "billion laughs", no self-referencing anchors), nesting deeper than
:data:`schema.MAX_DEPTH` is refused while composing (no recursion trouble), and only the plain
YAML tags (str, int, float, bool, null, timestamp, map, seq) are turned into values: any other
tag (``!!python/object/apply:...``, ``!!binary``, ``!custom``) is refused without being
constructed. Duplicate keys are errors naming both lines.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import errno
import functools
import hashlib
import math
import os
import pathlib
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from types import MappingProxyType
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.schema import Field
from digital_coalitions.errors import BadInput

__all__ = ["CaseBase", "CaseError", "CaseFile", "CaseSet", "load_dir", "load_file", "normalise"]


# ---- public types ----------------------------------------------------------------------------------
class CaseError(BadInput):
    """All problems found, each one line: 'FILE:LINE: field.path: what was wrong; expected ...'."""

    problems: list[str]

    def __init__(self, problems):
        if isinstance(problems, str):
            problems = problems.splitlines()
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)

    def __reduce__(self):
        return (type(self), (list(self.problems),))


@dataclass(frozen=True)
class Dating:
    """Which year of a file's evidence answers a question, and why that one."""

    asked: int | None  # the year asked about (--as-of), None for "the latest"
    year: int | None  # the year of the evidence used (None: an undated coalition file)
    years: tuple[int, ...]  # every year the file has evidence for
    earliest: bool = False  # nothing dated at or before ``asked``: the earliest evidence was used

    def to_dict(self) -> dict:
        return {"asked": self.asked, "year": self.year, "years": list(self.years),
                "earliest_used": self.earliest}


@dataclass(frozen=True)
class CaseFile:
    """One loaded case file. ``data`` has exactly facts.md's shape, defaults applied.

    ``data`` is the evidence of one year: the file's main evidence, or with :meth:`at` the
    evidence of another year of its ``history`` (merged over the main evidence)."""

    kind: str
    id: str
    data: dict
    path: pathlib.Path
    defaults: tuple[str, ...]
    lines: Mapping[str, int]
    sha256: str
    years: Mapping[int, CaseFile] = dc_field(default_factory=dict, repr=False, compare=False)
    dating: Dating | None = None
    case_set: CaseSet | None = dc_field(default=None, repr=False, compare=False)

    @property
    def year(self) -> int | None:
        """The year this evidence describes (a coalition's main year is as_of, else founded)."""
        return _main_year(self.kind, self.data)

    @property
    def evidence_years(self) -> tuple[int, ...]:
        return tuple(sorted(self.years)) or ((self.year,) if self.year is not None else ())

    def at(self, asked: int | None) -> CaseFile:
        """The evidence for a question about ``asked``: the latest dated at or before it (the
        latest of all when ``asked`` is None); where none is that early, the earliest."""
        years = self.evidence_years
        if not years:  # an undated coalition file: one evidence for every year
            return replace(self, dating=Dating(asked, None, ()))
        if asked is None:
            chosen, earliest = years[-1], False
        else:
            before = [y for y in years if y <= asked]
            chosen, earliest = (before[-1], False) if before else (years[0], True)
        # this file's own year is itself: a case changed with --set keeps its changes
        case = self if chosen == self.year else self.years.get(chosen, self)
        return replace(case, dating=Dating(asked, chosen, years, earliest))


@dataclass(frozen=True)
class CaseSet:
    """What a file was loaded with by :func:`load_dir`: the case directories, lowest first, and
    the states they hold, against which its keys naming states were checked (and a ``--set``'s
    are). None for a file loaded alone."""

    directories: tuple[pathlib.Path, ...]
    state_ids: frozenset[str]
    aliases: Mapping[str, str]  # a state's name or alias, lowercased -> its id ("did you mean")

    @functools.cached_property
    def sorted_ids(self) -> list[str]:
        return sorted(self.state_ids)


@dataclass(frozen=True)
class CaseBase:
    """All case files of one or more directories, by id (``directory`` is the last of them)."""

    directory: pathlib.Path
    states: Mapping[str, CaseFile]
    coalitions: Mapping[str, CaseFile]
    directories: tuple[pathlib.Path, ...] = ()


# ---- problem collection ----------------------------------------------------------------------------
_INVALID = object()  # a value that already produced a problem

_SIMPLE_KEY = re.compile(r"^[\w\-]{1,64}$")
_PSEUDO_KEY = re.compile(r"^\([a-z ]{1,30}\)$")  # (complex key)


# control characters other than tab and newline (YAML's "\\e" or "\\x07" escapes make them): a
# case file's text reaches terminals, traces and memos, so it must not carry terminal commands
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _control(text: str) -> str | None:
    """The first control character or lone surrogate (a "\\ud800" escape, which no output can
    encode) in ``text``, named with its U+XXXX; or None."""
    found = _CONTROL.search(text)
    if not found:
        return None
    code = ord(found.group())
    kind = "the lone surrogate" if 0xD800 <= code <= 0xDFFF else "the control character"
    return f"{kind} U+{code:04X}"


def _clean(text: str) -> str:
    """One line, printable: escape anything that could break a line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _q(value: str, limit: int = 60) -> str:
    """A string value quoted for a message (repr escapes newlines and other non-printables)."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return repr(value)


def _comp(key) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    if isinstance(key, str) and (_SIMPLE_KEY.match(key) or _PSEUDO_KEY.match(key)):
        return key
    # an odd key: show it quoted, without a ':' that would blur the 'FILE:LINE: path:' frame
    return _q(str(key), 40).replace(":", "\\x3a")


def _render(path: tuple) -> str:
    out = ""
    for part in path:
        c = _comp(part)
        out += c if (c.startswith("[") or not out) else "." + c
    return out or "(file)"


def _got(v) -> str:
    """The type (and value) found, for 'got ...' in messages."""
    if v is None:
        return "null (an empty value)"
    if isinstance(v, bool):
        return f"a boolean ({'true' if v else 'false'})"
    if isinstance(v, int):
        digits = str(v) if abs(v) < 10**30 else "a huge number"
        return f"an integer ({digits})"
    if isinstance(v, float):
        return f"a number ({_fmt(v) if not math.isfinite(v) else repr(v)})"
    if isinstance(v, str):
        return f"a string ({_q(v)})"
    if isinstance(v, datetime.datetime):
        return f"a date-time ({v.isoformat()})"
    if isinstance(v, datetime.date):
        return f"a date ({v.isoformat()})"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return f"a {type(v).__name__}"


def _fmt(v: float) -> str:
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    return f"{v:g}"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


def _close(word: str, choices, n: int = 1) -> list[str]:
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(word.strip().lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


class _Ctx:
    """Problems, lines and defaults of one file."""

    def __init__(self, display: str):
        self.file = display
        self.lines: dict[tuple, int] = {(): 1}
        self.problems: list[tuple[int, int, str]] = []
        self.defaults: list[tuple] = []

    def line_of(self, path: tuple) -> int:
        while path not in self.lines:
            path = path[:-1]
        return self.lines[path]

    def add(self, path, what: str, expected: str, line: int | None = None) -> None:
        where = path if isinstance(path, str) else _render(path)
        if line is None:
            line = self.line_of(path) if isinstance(path, tuple) else 1
        msg = f"{self.file}:{line}: {_clean(where)}: {_clean(what)}; expected {_clean(expected)}"
        self.problems.append((line, len(self.problems), msg))

    def messages(self) -> list[str]:
        return [m for _, _, m in sorted(self.problems)]


# ---- YAML: nodes only, refusing aliases and deep nesting ------------------------------------------
class _Refused(Exception):
    def __init__(self, mark, what: str, expected: str):
        super().__init__(what)
        self.line = (mark.line + 1) if mark is not None else 1
        self.what = what
        self.expected = expected


class _NodeRules:
    """Composing nodes, refusing aliases and nesting beyond MAX_DEPTH (a mixin of both readers)."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, f"alias '*{_clean(str(event.anchor))}' is not allowed",
                           "plain values (case files do not use anchors & and aliases *)")
        self._depth += 1
        try:
            if self._depth > S.MAX_DEPTH:
                event = self.peek_event()
                raise _Refused(event.start_mark, f"nested deeper than {S.MAX_DEPTH} levels",
                               f"at most {S.MAX_DEPTH} levels of nesting")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _CaseLoader(_NodeRules, yaml.SafeLoader):
    """The pure-Python reader: its messages are the ones the loader reports."""

    def get_single_node(self):
        try:
            return super().get_single_node()
        except ValueError:  # the scanner's chr() on a "\U" escape beyond U+10FFFF
            raise _Refused(self.get_mark(), f"the escape \\U{_clean(self.prefix(8))} names no "
                           "Unicode character", "an escape of at most \\U0010FFFF") from None


if yaml.__with_libyaml__:
    class _FastCaseLoader(_NodeRules, yaml.composer.Composer, yaml.cyaml.CParser,
                          yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's events composed by the same Python rules: ten times faster than
        _CaseLoader. It only ever reads files that parse; any problem is read again by
        _CaseLoader, so that the messages do not depend on which parser is installed."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # a PyYAML built without libyaml
    _FastCaseLoader = None

# Texts with any of these are read by _CaseLoader alone: libyaml reads a '!' tag and a byte-order
# mark inside the text differently, and the Python reader's messages on tabs are the documented
# ones. On every other text the two read the same wherever both accept it (a property in
# tests/test_loader.py); libyaml accepts a few texts the Python reader refuses ('[a?]', '|#').
_NOT_FOR_LIBYAML = re.compile(r"[!\t\ufeff]")


_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER_TAGS = {_TAG + "int", _TAG + "float"}
_AS_TEXT_TAGS = {_TAG + "value", _TAG + "merge"}  # '=' and '<<' as plain values: just text


def _tagname(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _refuse_tag(node, path, ctx: _Ctx) -> None:
    ctx.add(path, f"the YAML tag {_q(_tagname(node.tag), 80)} is not allowed",
            "plain YAML values (strings, numbers, booleans, null, lists, mappings)",
            line=node.start_mark.line + 1)


def _build(node, path: tuple, ctx: _Ctx, loader):
    """Node -> plain Python value, recording the line of every key and list item."""
    if isinstance(node, ScalarNode):
        if node.tag in _AS_TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            _refuse_tag(node, path, ctx)
            return _INVALID
        if node.tag in _NUMBER_TAGS and len(node.value) > S.MAX_NUMBER_CHARS:
            # PyYAML reads 1:59:59:… (base 60) in quadratic time: seconds for a long one
            ctx.add(path, f"a number written with {len(node.value)} characters",
                    f"a number of at most {S.MAX_NUMBER_CHARS} characters",
                    line=node.start_mark.line + 1)
            return _INVALID
        try:
            return loader.yaml_constructors[node.tag](loader, node)
        except Exception:  # noqa: BLE001 - any constructor failure is a problem line
            ctx.add(path, f"could not read {_q(node.value)} as {_tagname(node.tag)}",
                    f"a valid {_tagname(node.tag)} value", line=node.start_mark.line + 1)
            return _INVALID
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            _refuse_tag(node, path, ctx)
            return _INVALID
        items = []
        for i, item in enumerate(node.value):
            ctx.lines[path + (i,)] = item.start_mark.line + 1
            items.append(_build(item, path + (i,), ctx, loader))
        return items
    if not isinstance(node, MappingNode) or node.tag != _TAG + "map":
        _refuse_tag(node, path, ctx)
        return _INVALID
    out: dict[str, Any] = {}
    first: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            ctx.add(path + ("(complex key)",),
                    f"a key is {_got([] if isinstance(key_node, SequenceNode) else {})}",
                    "a plain word as key", line=line)
            continue
        key_path = path + (key_node.value,)
        if key_node.tag == _TAG + "merge":
            ctx.add(key_path, "the merge key '<<' is not allowed",
                    "every key written out (case files do not use anchors or merges)", line=line)
            continue
        key = _build(key_node, key_path, ctx, loader)
        if key is _INVALID:
            continue
        if path == ("history",) and isinstance(key, int) and not isinstance(key, bool):
            key = str(key)  # a year of a file's history: 2019 is written unquoted
            key_path = path + (key,)
        if not isinstance(key, str):
            ctx.add(key_path, f"a key is {_got(key)}",
                    "a word or slug as key (quote it to make it text)", line=line)
            continue
        if key in first:
            ctx.add(path + (key,), f"duplicate key, first written at line {first[key]} and "
                    f"again at line {line}", "each key only once", line=line)
            continue
        first[key] = line
        ctx.lines[path + (key,)] = line
        out[key] = _build(value_node, path + (key,), ctx, loader)
    return out


def _compose_with_libyaml(text: str):
    """(reader, root node or None when empty) read by libyaml, or None where the Python reader
    must read the text: libyaml is missing, the text is kept from it, or it found a problem."""
    if _FastCaseLoader is None or _NOT_FOR_LIBYAML.search(text):
        return None
    try:
        reader = _FastCaseLoader(text)
        return reader, reader.get_single_node()
    except Exception:  # noqa: BLE001 - the Python reader reads it again, for the documented message
        return None


def _compose(text: str, ctx: _Ctx):
    """Text -> (reader, root node or None when empty), or None (problems recorded)."""
    fast = _compose_with_libyaml(text)
    if fast is not None:
        return fast
    try:
        loader = _CaseLoader(text)  # the reader checks for unprintable characters here
    except yaml.reader.ReaderError as e:
        _reader_problem(e, text, ctx)
        return None
    try:
        return loader, loader.get_single_node()
    except _Refused as r:
        ctx.add("(yaml)", r.what, r.expected, line=r.line)
    except yaml.MarkedYAMLError as e:
        _yaml_problem(e, text, ctx)
    except yaml.reader.ReaderError as e:
        _reader_problem(e, text, ctx)
    except yaml.YAMLError as e:
        ctx.add("(yaml)", f"could not parse: {str(e).splitlines()[0] if str(e) else e!r}",
                "valid YAML")
    loader.dispose()
    return None


def _parse(text: str, ctx: _Ctx, root_kind=MappingNode, expected="a mapping of fields "
           "(key: value lines)", empty="a mapping of fields, e.g. 'id: south-korea'"):
    """Text -> the top-level mapping (or ``root_kind``), or None (problems recorded)."""
    composed = _compose(text, ctx)
    if composed is None:
        return None
    loader, root = composed
    try:
        if root is None:
            ctx.add("(file)", "the file is empty (no content other than blanks or comments)",
                    empty)
            return None
        if not isinstance(root, root_kind):
            value = _build(root, (), ctx, loader)
            if value is _INVALID:
                return None
            if value is None:
                what = "the document is empty (null)"
            else:
                what = f"the document is {_got(value)}"
            ctx.add("(file)", what, expected, line=root.start_mark.line + 1)
            return None
        ctx.lines[()] = 1
        tree = _build(root, (), ctx, loader)
        return None if tree is _INVALID else tree
    finally:
        loader.dispose()


def _reader_problem(e, text: str, ctx: _Ctx) -> None:
    position = e.position if isinstance(e.position, int) else 0
    line = text[:position].count("\n") + 1
    character = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
    ctx.add("(yaml)", f"the character #x{character:04x} is not allowed in YAML",
            "printable text (no control characters such as NUL)", line=line)


def _yaml_problem(e: yaml.MarkedYAMLError, text: str, ctx: _Ctx) -> None:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark is not None else 1
    reason = e.problem or e.context or "invalid YAML"
    if "'\\t'" in reason and mark is not None:
        lines = text.split("\n")
        row = lines[mark.line] if mark.line < len(lines) else ""
        if not row[: mark.column].strip(" \t"):
            ctx.add("(yaml)", "a tab character is used for indentation",
                    "spaces for indentation (YAML does not allow tabs there)", line=line)
        else:
            ctx.add("(yaml)", "a tab character where YAML needs a space",
                    "spaces between a key and its value (YAML does not allow tabs there)",
                    line=line)
        return
    if e.context and "single document" in e.context:
        ctx.add("(yaml)", "a second YAML document (a '---' line) follows the first",
                "one YAML document per file", line=line)
        return
    if e.context and e.problem and e.context_mark is not None:
        reason = f"{e.problem} ({e.context} at line {e.context_mark.line + 1})"
    ctx.add("(yaml)", f"could not parse: {reason}", "valid YAML", line=line)


# ---- reading the file ------------------------------------------------------------------------------
def _display(path: pathlib.Path | str) -> str:
    return _clean(str(path))


def _read(path: pathlib.Path, ctx: _Ctx) -> bytes | None:
    expected = "a readable YAML case file"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            ctx.add("(file)", "is a broken symbolic link", expected)
        else:
            ctx.add("(file)", "no such file", expected)
        return None
    except NotADirectoryError:
        ctx.add("(file)", "no such file (a parent is not a directory)", expected)
        return None
    except PermissionError:
        ctx.add("(file)", "cannot be read (permission denied)", expected)
        return None
    except (OSError, ValueError) as e:
        ctx.add("(file)", f"cannot be read ({getattr(e, 'strerror', None) or e})", expected)
        return None
    if stat.S_ISDIR(st.st_mode):
        ctx.add("(file)", "is a directory", "a YAML case file")
        return None
    if not stat.S_ISREG(st.st_mode):
        ctx.add("(file)", "is not a regular file (a device, pipe or socket)", "a YAML case file")
        return None
    too_big = f"at most {S.MAX_FILE_BYTES} bytes (1 MiB)"
    if st.st_size > S.MAX_FILE_BYTES:
        ctx.add("(file)", f"the file is too large ({st.st_size} bytes)", too_big)
        return None
    try:
        with open(path, "rb") as fh:
            raw = fh.read(S.MAX_FILE_BYTES + 1)
    except PermissionError:
        ctx.add("(file)", "cannot be read (permission denied)", expected)
        return None
    except OSError as e:
        ctx.add("(file)", f"cannot be read ({e.strerror or e})", expected)
        return None
    if len(raw) > S.MAX_FILE_BYTES:
        ctx.add("(file)", "the file is too large (over 1 MiB)", too_big)
        return None
    return raw


def _decode(raw: bytes, ctx: _Ctx) -> str | None:
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


# ---- validation against the schema -----------------------------------------------------------------
def _other_kind(kind: str) -> str:
    return "coalition" if kind == "state" else "state"


def _where(name: str, kind: str) -> list[str]:
    return [p for p, f in S.iter_fields(kind) if f.name == name and "." in p]


def _unknown_key(key: str, fs: tuple[Field, ...], path: tuple, ctx: _Ctx, kind: str) -> None:
    names = [f.name for f in fs]
    expected = "one of " + ", ".join(names)
    close = _close(key, names)
    if _where(key, kind):
        expected += f" ({_q(key)} belongs at {_where(key, kind)[0]})"
    elif close:
        expected += f" (did you mean {close[0]!r}?)"
    elif not path and any(f.name == key for f in S.fields(_other_kind(kind))):
        other = _other_kind(kind)
        expected += f" ({_q(key)} is a {other}-file field: is this a {other} file?)"
    ctx.add(path + (key,), "unknown key", expected)


def _check_fields(fs: tuple[Field, ...], given: dict, path: tuple, ctx: _Ctx, fill: bool,
                  kind: str) -> dict:
    out: dict[str, Any] = {}
    known = {f.name for f in fs}
    for key in given:
        if key not in known:
            _unknown_key(key, fs, path, ctx, kind)
    for f in fs:
        p = path + (f.name,)
        if f.name in given:
            value = _check_value(f, given[f.name], p, ctx, kind)
            if value is not _INVALID:
                out[f.name] = value
        elif f.required:
            ctx.add(p, "missing required field", S.describe(f))
        elif f.added:
            pass  # a field added after facts.md: read with its default, data keeps its shape
        elif f.type == "section":
            out[f.name] = _check_fields(f.fields, {}, p, ctx, fill and f.fill, kind)
        elif f.type == "map":
            out[f.name] = {}
        elif f.type in ("strings", "slugs"):
            out[f.name] = []
        elif fill:
            out[f.name] = f.default
            if f.reported:
                ctx.defaults.append(p)
    return out


def _check_value(f: Field, v, path: tuple, ctx: _Ctx, kind: str):
    if v is _INVALID:
        return _INVALID
    if v is None and f.nullable:
        if f.null_is_unknown:
            ctx.defaults.append(path)
        return None
    t = f.type

    def bad(what: str, expected: str | None = None):
        ctx.add(path, what, expected or S.describe(f))
        return _INVALID

    if t == "word":
        if isinstance(v, str):
            if v in f.words:
                return v
            close = _close(v, f.words)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return bad(f"{_q(v)} is not allowed", S.describe(f) + hint)
        hint = ""
        if v is False and "none" in f.words:
            hint = " (an unquoted no/off is the boolean false in YAML: did you mean 'none'?)"
        return bad(f"got {_got(v)}", S.describe(f) + hint)

    if t == "bool":
        if isinstance(v, bool):
            return v
        if isinstance(v, str):
            return bad(f"got {_got(v)}", "a YAML boolean true/false, written without quotes")
        return bad(f"got {_got(v)}")

    if t == "share":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            hint = ""
            if isinstance(v, str):
                text = v.strip()
                if text.endswith("%"):
                    hint = " (write a share such as 0.6 for 60%)"
                else:
                    try:
                        float(text)
                        hint = " (remove the quotes)"
                    except ValueError:
                        pass
            return bad(f"got {_got(v)}", S.describe(f) + hint)
        number = float(v)
        if not math.isfinite(number):
            return bad(f"{_fmt(number)} is not a finite number")
        if not 0.0 <= number <= 1.0:
            hint = " (a share: 0.6 means 60%)" if 1 < number <= 100 else ""
            return bad(f"{_fmt(number)} is out of range", S.describe(f) + hint)
        return number

    if t == "year":
        if isinstance(v, bool) or not isinstance(v, int):
            hint = " (remove the quotes)" if isinstance(v, str) and v.strip().isdigit() else ""
            return bad(f"got {_got(v)}", S.describe(f) + hint)
        if not 1000 <= v <= 9999:
            return bad(f"{v if abs(v) < 10**30 else 'a huge number'} is out of range",
                       "a four-digit year, e.g. 2023")
        return v

    if t == "slug":
        if not isinstance(v, str):
            return bad(f"got {_got(v)}")
        if not S.is_slug(v):
            suggestion = _slugify(v)
            hint = f" (did you mean {suggestion!r}?)" if S.is_slug(suggestion) else ""
            return bad(f"{_q(v)} is not a lowercase slug", S.describe(f) + hint)
        return v

    if t == "string":
        if not isinstance(v, str):
            hint = " (put it in quotes)" if isinstance(v, (int, float, bool, datetime.date)) else ""
            return bad(f"got {_got(v)}", S.describe(f) + hint)
        if f.required and not v.strip():
            return bad("the text is empty", "a non-empty string")
        if _control(v):
            return bad(f"contains {_control(v)}",
                       "printable text (tabs and line breaks are fine)")
        return v

    if t in ("strings", "slugs"):
        if not isinstance(v, list):
            example = f" (a list: [{v}])" if isinstance(v, str) and "\n" not in v else ""
            return bad(f"got {_got(v)}", S.describe(f) + _clean(example[:80]))
        # on a bad item the list keeps an _INVALID placeholder, so that indexes still match
        # lines for the cross-checks of load_dir; such data is never handed out (the file fails)
        items: list = []
        seen: dict[str, int] = {}
        for i, item in enumerate(v):
            p = path + (i,)
            if item is _INVALID:
                pass
            elif not isinstance(item, str):
                hint = ""
                if isinstance(item, dict):
                    hint = " (quote text that contains ': ')"
                elif isinstance(item, (int, float, bool, datetime.date)) and t == "strings":
                    hint = " (put it in quotes)"
                ctx.add(p, f"got {_got(item)}", ("a lowercase slug" if t == "slugs"
                                                 else "a non-empty string") + hint)
            elif t == "slugs" and not S.is_slug(item):
                ctx.add(p, f"{_q(item)} is not a lowercase slug", "a lowercase slug, e.g. japan")
            elif t == "strings" and not item.strip():
                ctx.add(p, "the text is empty", "a non-empty string")
            elif t == "strings" and _control(item):
                ctx.add(p, f"contains {_control(item)}",
                        "printable text (tabs and line breaks are fine)")
            elif t == "slugs" and item in seen:
                ctx.add(p, f"{_q(item)} is listed twice (also item {seen[item]})",
                        "each id once")
            else:
                seen.setdefault(item, i)
                items.append(item)
                continue
            items.append(_INVALID)
        return items

    if t == "words":
        if not isinstance(v, list):
            return bad(f"got {_got(v)}")
        if f.required and not v:
            return bad("the list is empty", "at least one of " + ", ".join(f.words))
        words: list = []
        for i, item in enumerate(v):
            if item is _INVALID:
                continue
            if not isinstance(item, str) or item not in f.words:
                close = _close(item, f.words) if isinstance(item, str) else []
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                shown = _q(item) if isinstance(item, str) else _got(item)
                ctx.add(path + (i,), f"{shown} is not allowed", "one of " + ", ".join(f.words)
                        + hint)
            elif item in words:
                ctx.add(path + (i,), f"{_q(item)} is listed twice", "each word once")
            else:
                words.append(item)
        return words

    if t == "history":
        return _check_history(v, path, ctx, kind, bad)

    if t == "section":
        if not isinstance(v, dict):
            return bad(f"got {_got(v)}")
        return _check_fields(f.fields, v, path, ctx, f.fill, kind)

    # map keyed by slugs
    if not isinstance(v, dict):
        return bad(f"got {_got(v)}")
    out = {}
    entry_expected = "a mapping with keys " + ", ".join(x.name for x in f.fields)
    for key, entry in v.items():
        p = path + (key,)
        if not S.is_slug(key):
            suggestion = _slugify(key)
            hint = f" (did you mean {suggestion!r}?)" if S.is_slug(suggestion) else ""
            ctx.add(p, f"the key {_q(key)} is not a lowercase slug",
                    "an id such as united-states" + hint)
            continue
        if entry is _INVALID:
            continue
        if not isinstance(entry, dict):
            hint = " (write {} for an entry with all defaults)" if entry is None else ""
            ctx.add(p, f"got {_got(entry)}", entry_expected + hint)
            continue
        out[key] = _check_fields(f.fields, entry, p, ctx, f.fill, kind)
    return out


def _check_history(v, path: tuple, ctx: _Ctx, kind: str, bad):
    """A file's ``history``: each year's fields checked like the main ones (no defaults filled:
    a year gives only what differed). Returns {year text: the year's fields as written}."""
    if not isinstance(v, dict):
        return bad(f"got {_got(v)}")
    years = {}
    for key, entry in v.items():
        p = path + (key,)
        if not (isinstance(key, str) and key.isdigit() and 1000 <= int(key) <= 9999):
            ctx.add(p, f"the key {_q(str(key))} is not a year", "a four-digit year, e.g. 2019")
            continue
        if not isinstance(entry, dict):
            hint = " (a year with nothing different has no entry)" if entry is None else ""
            ctx.add(p, f"got {_got(entry)}", "a mapping of the fields that differed that year, "
                    "e.g. autonomy: {government_alignment: neutral}" + hint)
            continue
        for fixed in sorted(S.FIXED_IN_HISTORY & set(entry)):
            ctx.add(p + (fixed,), f"{fixed} cannot change from year to year",
                    "only evidence in a history year: " + ", ".join(
                        f.name for f in S.history_fields(kind)))
        allowed = {k: x for k, x in entry.items() if k not in S.FIXED_IN_HISTORY}
        assumed = len(ctx.defaults)
        _check_fields(S.history_fields(kind), allowed, p, ctx, False, kind)
        del ctx.defaults[assumed:]  # defaults are filled in the merged year, not here
        years[key] = allowed
    return years


def _leaves(tree: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        found |= _leaves(value, path + ".") if isinstance(value, dict) else {path}
    return found


def _merge(main: dict, year: dict) -> dict:
    """A history year written over the main evidence: mappings merged key by key, sources and
    estimates added, every other value replaced (a value the year gives again is no longer the
    main evidence's estimate)."""
    out = dict(main)
    if isinstance(main.get("estimated"), list):
        given = _leaves(year)
        out["estimated"] = [p for p in main["estimated"] if p not in given]
    for key, value in year.items():
        if key in S.ADDED_IN_HISTORY and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        elif isinstance(value, dict) and isinstance(main.get(key), dict):
            out[key] = _merge(main[key], value)
        else:
            out[key] = value
    return out


def _main_year(kind: str, data: dict) -> int | None:
    """The year a file's main evidence describes: a state's as_of; a coalition's as_of, else
    its founded."""
    if kind == "state":
        return data.get("as_of")
    return data.get("as_of") or data.get("founded")


def _history_years(tree: dict, data: dict, kind: str, ctx: _Ctx) -> dict:
    """Each history year's evidence: {year: a function giving (data, ctx)}. The year's own
    fields were checked when the history was (every problem is reported at load); merging them
    over the main evidence, already checked too, is left until the year is asked about."""
    written = data.pop("history", None) or {}
    if not written:
        return {}
    main_year = _main_year(kind, data)
    if main_year is None:
        ctx.add(("history",), "a coalition with a history needs the year of its main evidence",
                "as_of or founded written in the file")
        return {}
    out = {}
    for key, entry in written.items():
        year = int(key)
        if year == main_year:
            ctx.add(("history", key), f"{year} is the year of the main evidence",
                    "a year other than the file's own (write that year's values in the main fields)")
            continue
        out[year] = functools.partial(_year_evidence, tree, entry, key, year, kind, ctx)
    return out


def _year_evidence(tree: dict, entry: dict, key: str, year: int, kind: str, ctx: _Ctx):
    """One history year written over the main evidence, checked as a whole file: (data, ctx)."""
    merged = _merge({k: v for k, v in tree.items() if k != "history"}, entry)
    merged["as_of"] = year if kind == "state" else merged.get("as_of")
    year_ctx = _Ctx(ctx.file)
    prefix = ("history", key)
    year_ctx.lines = {p: n for p, n in ctx.lines.items() if p[:1] != ("history",)}
    year_ctx.lines.update({p[2:]: n for p, n in ctx.lines.items() if p[:2] == prefix})
    fields = tuple(f for f in S.fields(kind) if f.name != "history")
    year_data = _check_fields(fields, merged, (), year_ctx, True, kind)
    if year_ctx.problems:  # cannot happen: both parts were checked; never hand out a hole
        raise CaseError(year_ctx.messages())
    if kind == "coalition" and year_data.get("as_of") is None:
        year_data["as_of"] = year  # the year this evidence describes
    return year_data, year_ctx


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


def _validate(tree: dict, kind: str, path: pathlib.Path, ctx: _Ctx) -> dict:
    data = _check_fields(S.fields(kind), tree, (), ctx, True, kind)
    for i, written in enumerate(data.get("estimated") or []):
        if isinstance(written, str):
            try:
                S.field(kind, written)
            except KeyError:
                ctx.add(("estimated", i), f"{_q(written)} is not a field of a {kind} file",
                        "the dotted path of a value, as in --set "
                        "(e.g. ties.united-states.arms_import_share)")
    for key, entry in (data.get("indicators") or {}).items():
        _check_indicator(entry.get("field"), kind, ("indicators", key, "field"), ctx)
    case_id = data.get("id")
    if case_id is not None:
        stem = path.stem
        if not S.is_slug(stem):
            ctx.add(("id",), f"the file name {_q(path.name)} is not <id>.yaml",
                    f"the file to be named {case_id}.yaml")
        elif case_id != stem:
            ctx.add(("id",), f"{_q(case_id)} differs from the file name {_q(path.name)}",
                    f"the id to equal the file's stem, {stem!r}")
    return data


def _check_indicator(written, kind: str, path: tuple, ctx: _Ctx) -> None:
    """An indicator names one value: of its own file, or for a coalition file also of its
    members' state files (the target's retaliation is written there)."""
    if not isinstance(written, str):
        return  # already reported by the field check
    for owner in (kind, "state") if kind == "coalition" else (kind,):
        try:
            found = S.field(owner, written)
        except KeyError:
            continue
        if found.type not in ("section", "map", "history"):
            return
    where = "a coalition or state file" if kind == "coalition" else "a state file"
    ctx.add(path, f"{_q(written)} is not a value of {where}",
            "the dotted path of one value, as in --set (e.g. autonomy.government_alignment)")


def _case(loaded: _Loaded, data: dict, ctx: _Ctx) -> CaseFile:
    lines = {}
    for p, line in ctx.lines.items():
        if p:
            lines[_render(p)] = line
    for p in ctx.defaults:
        lines.setdefault(_render(p), ctx.line_of(p))
    try:
        resolved = loaded.path.resolve()
    except (OSError, RuntimeError):
        resolved = loaded.path.absolute()
    return CaseFile(kind=loaded.kind, id=data["id"], data=data, path=resolved,
                    defaults=tuple(_render(p) for p in ctx.defaults),
                    lines=MappingProxyType(lines), sha256=loaded.sha256, case_set=loaded.case_set)


# ---- loading ---------------------------------------------------------------------------------------
@dataclass
class _Loaded:
    path: pathlib.Path
    kind: str
    ctx: _Ctx
    data: dict | None = None
    sha256: str = ""
    extra: list = dc_field(default_factory=list)

    years: dict = dc_field(default_factory=dict)  # history year -> function giving (data, ctx)
    written_years: dict = dc_field(default_factory=dict)  # history year text -> fields as written
    case_set: CaseSet | None = None

    def case(self) -> CaseFile:
        main = _case(self, self.data, self.ctx)
        if self.years:
            object.__setattr__(main, "years", _Years(self, main))
        return main


def _has_invalid(value) -> bool:
    if value is _INVALID:
        return True
    if isinstance(value, dict):
        return any(_has_invalid(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_invalid(v) for v in value)
    return False


def _load(path: pathlib.Path, kind: str | None) -> _Loaded:
    ctx = _Ctx(_display(path))
    result = _Loaded(path, kind or "state", ctx)
    try:
        raw = _read(path, ctx)
        if raw is None:
            return result
        result.sha256 = hashlib.sha256(raw).hexdigest()
        text = _decode(raw, ctx)
        if text is None:
            return result
        tree = _parse(text, ctx)
        if tree is None:
            return result
        if kind is None:
            result.kind = "coalition" if "leader" in tree else "state"
        result.data = _validate(tree, result.kind, path, ctx)
        result.written_years = dict(result.data.get("history") or {})
        result.years = _history_years(tree, result.data, result.kind, ctx)
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
    ctx = _Ctx(_display(path))
    entries: list = []
    try:
        raw = _read(path, ctx)
        text = _decode(raw, ctx) if raw is not None else None
        tree = _parse(text, ctx, SequenceNode, expected, expected) if text is not None else None
        for i, item in enumerate(tree or []):
            if not isinstance(item, dict):
                ctx.add((i,), f"got {_got(item)}", expected)
                continue
            entries.append((i, _check_fields(fields, item, (i,), ctx, True, kind)))
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
    return _suggest_state(ref, sorted(cases), aliases)


def _suggest_state(ref: str, ids, aliases: dict[str, str]) -> str:
    alias_hit = aliases.get(ref.strip().lower())
    if alias_hit:
        return f" (did you mean {alias_hit!r}?)"
    close = _close(ref, ids)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _parts(loaded: _Loaded):
    """(path prefix, fields) of the main evidence and of each history year, as written."""
    yield (), loaded.data
    for key, entry in loaded.written_years.items():
        if isinstance(entry, dict):
            yield ("history", key), entry


def _coalition_refs(data: dict):
    """(path, state id, role, other words allowed) of every value of a coalition naming a state."""
    if isinstance(data.get("leader"), str):
        yield ("leader",), data["leader"], "the leader", ()
    if isinstance(data.get("target"), str):
        yield ("target",), data["target"], "the target", ()
    for key in data.get("per_member", {}) or {}:
        yield ("per_member", key), key, "the member", ()
    for name, role, also in (("members", "the member", ()),
                             ("open_to", "open to", S.SCALES["state_kind"].words)):
        for i, ref in enumerate(data.get(name, []) or []):
            if isinstance(ref, str):
                yield (name, i), ref, role, also


def _state_refs(data: dict):
    """The same for a state: keys naming other states (ties, reliance, target_exposure, targets)
    and threat_from. A misspelt key would otherwise silently mean "no tie" or "no reliance"."""
    for key, tie in (data.get("ties", {}) or {}).items():
        yield ("ties", key), key, None, ()
        for i, ref in enumerate((tie or {}).get("threat_from", []) or []
                                if isinstance(tie, dict) else []):
            if isinstance(ref, str):
                yield ("ties", key, "threat_from", i), ref, None, ()
    for key in data.get("targets", {}) or {}:
        yield ("targets", key), key, None, ()
    for domain, industry in (data.get("industries", {}) or {}).items():
        for section in ("reliance", "target_exposure"):
            for key in (industry or {}).get(section, {}) or {} if isinstance(industry, dict) \
                    else {}:
                yield ("industries", domain, section, key), key, None, ()


def check_state_refs(kind: str, data: dict, ctx: _Ctx, known: CaseSet, prefix: tuple = ()) -> None:
    """Every state a file's ``data`` names (a key or a value) must be one of ``known``'s."""
    for path, ref, role, also in (_state_refs if kind == "state" else _coalition_refs)(data):
        if ref in known.state_ids or ref in also:
            continue
        extra = f" or one of {', '.join(also)}" if also else ""
        named = f"{role} {ref!r}" if role else repr(ref)
        ctx.add(prefix + path, f"{named} is not a state in states/",
                "the id of a state file in states/" + extra
                + _suggest_state(ref, known.sorted_ids, known.aliases))


def _cross_check(item: _Loaded, known: CaseSet) -> None:
    if item.data is None:
        return
    for prefix, data in _parts(item):
        check_state_refs(item.kind, data, item.ctx, known, prefix)


def normalise(name: str) -> str:
    """A name as the resolver compares names: case, quotes, a leading "the" and the difference
    between spaces, '-' and '_' ignored."""
    name = re.sub(r"[\s_\-]+", " ", name.strip().strip("\"'").lower())
    return re.sub(r"^the ", "", name)


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
    what = "the id" if other_path == ("id",) else f"{_render(other_path)} {_q(other_text)}"
    where = f"{what} in {_display(other.path)}, line {other.ctx.line_of(other_path)}"
    replace_hint = ""
    if layer_of[id(other)] < layer_of[id(item)] and item.data.get("id") != other_id:
        replace_hint = f"; or, to replace that {kind}, name this file {other_id}.yaml"
    item.ctx.add(path, f"{_q(text)} also names the {kind} {other_id} ({where})",
                 f"each id, name and alias to name one {kind} only (change or remove one of "
                 f"the two{replace_hint})")


_EXPECTED_DIR = "a directory with states/ and coalitions/ subdirectories of YAML case files"


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
        entries = sorted(sub.iterdir(), key=lambda p: p.name)
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
    return [p for p in entries
            if not p.name.startswith(".") and p.suffix.lower() in (".yaml", ".yml")]


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
