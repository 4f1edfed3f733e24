"""The one-line problems of a file being read, and the words they are written in.

Every problem is one line, ``FILE:LINE: field.path: what was wrong; expected what``.
:class:`Problems` collects a file's problems (with the line of every path read, and the
values defaulted), the loader raises them together as one :class:`CaseError`, and the
helpers here word what was found (``described``), quote a value (``quote``) and write a path
(``path_text``) the same way for the YAML reader, the validation and ``--set``.
"""

from __future__ import annotations

import datetime
import math
import re

from digital_coalitions.errors import BadInput


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


INVALID = object()  # a value that already produced a problem

_SIMPLE_KEY = re.compile(r"^[\w\-]{1,64}$")
_PSEUDO_KEY = re.compile(r"^\([a-z ]{1,30}\)$")  # (complex key)


def one_line(text: str) -> str:
    """One line, printable: escape anything that could break a line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def quote(value: str, limit: int = 60) -> str:
    """A string value quoted for a message (repr escapes newlines and other non-printables)."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return repr(value)


def _component(key) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    if isinstance(key, str) and (_SIMPLE_KEY.match(key) or _PSEUDO_KEY.match(key)):
        return key
    # an odd key: show it quoted, without a ':' that would blur the 'FILE:LINE: path:' frame
    return quote(str(key), 40).replace(":", "\\x3a")


def path_text(path: tuple) -> str:
    """A path of keys and list items as messages write it: ``ties.united-states``, ``sources[2]``."""
    out = ""
    for part in path:
        c = _component(part)
        out += c if (c.startswith("[") or not out) else "." + c
    return out or "(file)"


def described(v) -> str:
    """The type (and value) found, for 'got ...' in messages."""
    if v is None:
        return "null (an empty value)"
    if isinstance(v, bool):
        return f"a boolean ({'true' if v else 'false'})"
    if isinstance(v, int):
        digits = str(v) if abs(v) < 10**30 else "a huge number"
        return f"an integer ({digits})"
    if isinstance(v, float):
        return f"a number ({number_text(v) if not math.isfinite(v) else repr(v)})"
    if isinstance(v, str):
        return f"a string ({quote(v)})"
    if isinstance(v, datetime.datetime):
        return f"a date-time ({v.isoformat()})"
    if isinstance(v, datetime.date):
        return f"a date ({v.isoformat()})"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return f"a {type(v).__name__}"


def number_text(v: float) -> str:
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    return f"{v:g}"


def close_matches(word: str, choices, n: int = 1) -> list[str]:
    """Up to ``n`` of ``choices`` close to ``word``, case ignored: a message's "did you mean"."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    import difflib  # a problem's "did you mean" only: a cold start imports no difflib

    hits = difflib.get_close_matches(word.strip().lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


class Problems:
    """The problems of one file (each a line), the line of every path read, the paths defaulted."""

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
        where = path if isinstance(path, str) else path_text(path)
        if line is None:
            line = self.line_of(path) if isinstance(path, tuple) else 1
        msg = (f"{self.file}:{line}: {one_line(where)}: {one_line(what)}; "
               f"expected {one_line(expected)}")
        self.problems.append((line, len(self.problems), msg))

    def messages(self) -> list[str]:
        return [m for _, _, m in sorted(self.problems)]
