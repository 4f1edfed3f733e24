"""A JSON Schema (draft 2020-12) of case files, generated from the contract in :mod:`.schema`.

    case_schema(kind=None) -> dict    both kinds (a file with ``leader`` is a coalition), or one
    dumps(schema)          -> str     deterministic JSON: sorted keys, two-space indent, newline

Editors validate a case file against it as it is typed (docs/case-files.md; the shipped copy is
``docs/case.schema.json``). Nothing here is written by hand: every field, type, scale, range,
required key and help text comes from the :class:`~.schema.Field` data the loader reads, so the
schema follows the contract when the contract changes.

The schema is meant to match the loader: a file the loader accepts validates, and a file the
loader refuses for its shape alone (an unknown key, a word off its scale, a share outside 0..1,
a missing required field, a value of the wrong type, a duplicate in a list of ids, a fixed
field in a ``history`` year, a path in ``estimated`` or ``indicators.*.field`` that names no
field) fails. What JSON Schema cannot say, the loader still checks; docs/case-files.md lists it.
Where the two kinds of regular expression differ, the patterns are written so that an editor's
(ECMA-262) reading is the loader's, and Python's is never stricter than the loader.
"""

from __future__ import annotations

import json
from typing import Any

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.validate import first_refused
from digital_coalitions.casefiles.schema import Field

__all__ = ["DRAFT", "case_schema", "dumps"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_KINDS = ("state", "coalition")


# ---- character classes and patterns, from the loader's own predicates ------------------------------
def _class(test) -> str:
    """A regex character class body of the BMP characters (surrogates aside: an editor's regex
    would read them as halves of every astral character) for which ``test`` holds, as
    ``\\uXXXX`` ranges, which ECMA-262 and Python read alike."""
    points = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and test(chr(c))]
    ranges: list[list[int]] = []
    for c in points:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


_CONTROLS = _class(lambda ch: first_refused(ch) is not None)  # refused in any text of a case file
_BLANKS = _class(str.isspace)  # what str.strip() removes: a text of only these is empty
_TEXT = f"^[^{_CONTROLS}]*$"
_NON_BLANK_TEXT = f"^[^{_CONTROLS}]*[^{_CONTROLS}{_BLANKS}][^{_CONTROLS}]*$"
# the loader's history key check (a string of digits naming a year 1000-9999: 2019, "02019")
_YEAR_KEY = "^0*[1-9][0-9]{3}$"


def _slug_pattern() -> str:
    """schema.SLUG_RE as an editor reads it. Python's ``$`` also matches before a final newline
    (so the loader takes ``"japan\\n"`` as a slug), ECMA-262's only at the end: a final ``$``
    becomes ``\\n?$``, a final ``\\Z`` becomes ``$``."""
    pattern = S.SLUG_RE.pattern
    if pattern.endswith("\\Z"):
        return pattern[:-2] + "$"
    if pattern.endswith("$"):
        return pattern[:-1] + "\\n?$"
    raise AssertionError(f"schema.SLUG_RE is not anchored at its end: {pattern!r}")


def _paths_pattern(patterns) -> str:
    """A pattern matching the dotted paths ``schema.field`` resolves: each ``*`` of a field
    pattern stands for any key (``ties.*.alliance`` for ``ties.united-states.alliance``)."""
    alternatives = []
    for p in sorted(set(patterns)):
        parts = p.split(".")
        assert all(part == "*" or part.replace("_", "").isalpha() for part in parts), p
        alternatives.append("\\.".join("[^.]*" if part == "*" else part for part in parts))
    return "^(?:" + "|".join(alternatives) + ")$"


# ---- leaf values -----------------------------------------------------------------------------------
def _slug() -> dict:
    return {"type": "string", "pattern": _slug_pattern(), "maxLength": S.SLUG_MAX}


def _text(non_blank: bool) -> dict:
    return {"type": "string", "pattern": _NON_BLANK_TEXT if non_blank else _TEXT}


def _words(f: Field) -> dict:
    return {"type": "string", "enum": list(f.words)}


def _value(f: Field, kind: str, absent: str) -> dict:
    """The schema of one field's value. ``absent`` says what a missing value means here:
    ``default`` (the main evidence), ``year`` (a history year), ``member`` (a per_member
    override)."""
    t = f.type
    if t == "word":
        out = _words(f)
    elif t == "bool":
        out = {"type": "boolean"}
    elif t == "share":
        out = {"type": "number", "minimum": 0, "maximum": 1}
    elif t == "year":
        out = {"type": "integer", "minimum": S.YEARS[0], "maximum": S.YEARS[-1]}
    elif t == "slug":
        out = _slug()
    elif t == "string":
        out = _text(non_blank=f.required)
    elif t == "strings":
        out = {"type": "array", "items": _text(non_blank=True)}
    elif t == "slugs":
        out = {"type": "array", "items": _slug(), "uniqueItems": True}
    elif t == "words":
        out = {"type": "array", "items": _words(f), "uniqueItems": True}
        if f.required:
            out["minItems"] = 1
    elif t == "section":
        out = _object(f.fields, kind, absent if f.fill else "member")
    elif t == "map":
        out = {"type": "object", "propertyNames": _slug(),
               "additionalProperties": _object(f.fields, kind, absent if f.fill else "member")}
    elif t == "history":
        out = {"type": "object", "propertyNames": {"pattern": _YEAR_KEY},
               "additionalProperties": _object(S.history_fields(kind), kind, "year")}
        out["additionalProperties"]["description"] = (
            "The fields that differed that year from the main evidence; a field not given "
            "keeps the main evidence's value.")
    else:  # pragma: no cover - schema.Field refuses unknown types
        raise AssertionError(t)
    if f.nullable:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    if absent == "default" and not f.required:
        default = _default(f)
        if default is not _NONE:
            out["default"] = default
    out["description"] = _description(f, absent)
    return out


_NONE = object()


def _default(f: Field):
    """The value the loader reads when the field is missing, if it is a value (else _NONE)."""
    if f.type in ("section", "map", "history"):
        return _NONE
    if f.type in ("strings", "slugs", "words"):
        return []
    if f.type == "string":
        return f.default if f.default is not None else ""
    if f.default is None and not f.nullable:
        return _NONE  # absent means "none" (article, direction): no value to suggest
    return f.default


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def _description(f: Field, absent: str) -> str:
    parts = [_sentence(f.doc)] if f.doc else []
    if f.type in ("word", "words"):
        scale = S.SCALES[f.scale]
        doc, own = scale.doc.lower(), f.doc.lower()
        if own and doc.startswith(own):  # the scale's text says the field's and more
            parts = [_sentence(scale.doc)]
        elif doc and doc != " < ".join(scale.words) and doc.split(";")[0] not in own:
            parts.append(_sentence(scale.doc))
        if f.type == "word" and scale.ordered:
            parts.append("From lowest to highest: " + " < ".join(scale.words) + ".")
    elif f.type not in ("section", "map", "history"):
        parts.append(_sentence(S.describe(f)))
    if f.claims:
        parts.append("Claims of Liu 2024 (theory.md): " + ", ".join(f.claims) + ".")
    if f.required:
        parts.append("Required.")
    elif absent == "year":
        parts.append("Absent: as in the main evidence.")
    elif absent == "member":
        parts.append("Absent: the coalition's own value.")
    elif f.type == "section":
        parts.append("Absent: each field takes its default.")
    elif f.type in ("map", "history"):
        parts.append("Absent: no entries.")
    else:
        default = _default(f)
        if default is _NONE:
            parts.append("Absent: none.")
        else:
            shown = json.dumps(list(default) if isinstance(default, tuple) else default)
            parts.append(f"Default: {shown}" + (
                ", reported in the answer as assumed." if f.reported else "."))
    return " ".join(parts)


def _object(fs: tuple[Field, ...], kind: str, absent: str) -> dict:
    """A mapping with exactly the keys ``fs`` (the loader refuses any other key)."""
    out: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _value(f, kind, absent) for f in fs},
    }
    required = [f.name for f in fs if f.required]
    if required:
        out["required"] = required
    return out


# ---- whole files -----------------------------------------------------------------------------------
def _value_paths(kind: str) -> list[str]:
    """The field patterns of one value (not a section, map or history) of a kind of file."""
    return [p for p, f in S.iter_fields(kind) if f.type not in ("section", "map", "history")]


def _file(kind: str) -> dict:
    """One kind of file, with the checks the loader makes of its main evidence only."""
    out = _object(S.fields(kind), kind, "default")
    props = out["properties"]
    # estimated: the dotted path of a field of this kind (history years' lists are not checked)
    if "estimated" in props:
        props["estimated"]["items"] = {"allOf": [
            props["estimated"]["items"],
            {"pattern": _paths_pattern(p for p, _ in S.iter_fields(kind))}],
            "description": f"The dotted path of a field of a {kind} file, as in --set."}
    # an indicator names one value: of this file, or for a coalition of its members' files too
    owners = (kind, "state") if kind == "coalition" else (kind,)
    indicator = props["indicators"]["additionalProperties"]["properties"]["field"]
    props["indicators"]["additionalProperties"]["properties"]["field"] = {
        "allOf": [{k: v for k, v in indicator.items() if k != "description"},
                  {"pattern": _paths_pattern(p for o in owners for p in _value_paths(o))}],
        "description": indicator["description"]}
    if kind == "coalition":  # a coalition with a history needs the year of its main evidence
        out["if"] = {"required": ["history"],
                     "properties": {"history": {"type": "object", "minProperties": 1}}}
        out["then"] = {
            "anyOf": [{"required": [name], "properties": {name: {"type": "integer"}}}
                      for name in ("as_of", "founded")],
            "description": "A coalition with a history needs as_of or founded (the year of "
                           "its main evidence)."}
    out["title"] = f"digital-coalitions {kind} file"
    out["description"] = (
        f"A {kind} file of digital-coalitions (the facts.md contract and the fields "
        "docs/case-files.md adds). Generated from engine/casefiles/schema.py by `coalition schema`.")
    return out


def case_schema(kind: str | None = None) -> dict:
    """The JSON Schema of a ``state`` or ``coalition`` file, or of either (``kind`` None): a
    mapping with a ``leader`` is a coalition file, any other a state file, as the loader reads
    a file given alone."""
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind must be 'state' or 'coalition', not {kind!r}")
    head = {"$schema": DRAFT,
            "$comment": "Generated from engine/casefiles/schema.py by `coalition schema`; do not edit."}
    if kind is not None:
        return {**head, **_file(kind)}
    return {
        **head,
        "title": "digital-coalitions case file",
        "description": "A state or coalition file of digital-coalitions: a file with a "
                       "`leader` is a coalition file, any other a state file. Generated from "
                       "engine/casefiles/schema.py by `coalition schema`.",
        "$defs": {k: _file(k) for k in _KINDS},
        "if": {"type": "object", "required": ["leader"]},
        "then": {"$ref": "#/$defs/coalition"},
        "else": {"$ref": "#/$defs/state"},
    }


def dumps(schema: dict) -> str:
    """The schema as the shipped file has it: sorted keys, ASCII, two-space indent, a newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
