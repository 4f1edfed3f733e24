"""The checks of a case file's values against the contract (:mod:`.schema`).

``check_case`` checks a file's tree field by field (every problem at once, defaults filled in
and recorded), ``check_fields`` a mapping against a list of fields (a decisions file's entries,
a ``--set``'s whole file), ``check_references`` the states a file names against a case
directory's and the roles a coalition gives them. A file's ``history`` years are checked when
it is, and merged over the main evidence when a question asks for one (``history_years``).
"""

from __future__ import annotations

import datetime
import functools
import math
import pathlib
import re
from typing import TYPE_CHECKING, Any

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.problems import (INVALID, CaseError, Problems, close_matches,
                                                   described, number_text, one_line, path_text,
                                                   quote)
from digital_coalitions.casefiles.schema import Field

if TYPE_CHECKING:
    from digital_coalitions.casefiles.loader import CaseSet


# control characters other than tab and newline (YAML's "\\e" or "\\x07" escapes make them): a
# case file's text reaches terminals, traces and memos, so it must not carry terminal commands.
# The lone surrogates (U+D800-U+DFFF) are refused too; they are found by encoding the text as
# UTF-8, which refuses exactly them (a class holding them cost every cold start 4 M instructions
# to compile, for the 2,048 of them).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def first_refused(text: str) -> int | None:
    """Where the first control character (:data:`CONTROL`) or lone surrogate of ``text`` is;
    None if it has none."""
    found = CONTROL.search(text)
    end = found.start() if found else len(text)
    if not text.isascii():
        try:
            text[:end].encode("utf-8")
        except UnicodeEncodeError as error:  # its start: the first surrogate
            return error.start
    return end if found else None


def _control(text: str) -> str | None:
    """The first control character or lone surrogate (a "\\ud800" escape, which no output can
    encode) in ``text``, named with its U+XXXX; or None."""
    where = first_refused(text)
    if where is None:
        return None
    code = ord(text[where])
    kind = "the lone surrogate" if 0xD800 <= code <= 0xDFFF else "the control character"
    return f"{kind} U+{code:04X}"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


def _exponent_number(text: str) -> bool:
    """Whether ``text`` is a finite number written with an exponent (1e-3, 5E2), which YAML 1.1
    reads as a string where it lacks a point or the exponent's sign."""
    try:
        return "e" in text.lower() and math.isfinite(float(text))
    except ValueError:
        return False


def _plain_number(text: str, kind: type = float) -> bool:
    """Whether ``text``, a string value, would be read as a finite number of ``kind`` (float:
    either) without its quotes: "0.6" would; nan would not (it is text in YAML, whose .nan is
    no finite number), nor would 1e-1 (text too: YAML's floats have a point)."""
    import yaml  # a problem's hint only

    text = text.strip()
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    if tag == "tag:yaml.org,2002:int":
        return True
    return (kind is float and tag == "tag:yaml.org,2002:float"
            and text.lstrip("+-").lower() not in (".nan", ".inf"))


def _other_kind(kind: str) -> str:
    return "coalition" if kind == "state" else "state"


def _where(name: str, kind: str) -> list[str]:
    return [p for p, f in S.iter_fields(kind) if f.name == name and "." in p]


def _unknown_key(key: str, fs: tuple[Field, ...], path: tuple, ctx: Problems, kind: str) -> None:
    names = [f.name for f in fs]
    expected = "one of " + ", ".join(names)
    close = close_matches(key, names)
    if _where(key, kind):
        expected += f" ({quote(key)} belongs at {_where(key, kind)[0]})"
    elif close:
        expected += f" (did you mean {close[0]!r}?)"
    elif not path and any(f.name == key for f in S.fields(_other_kind(kind))):
        other = _other_kind(kind)
        expected += f" ({quote(key)} is a {other}-file field: is this a {other} file?)"
    ctx.add(path + (key,), "unknown key", expected)


def check_fields(fs: tuple[Field, ...], given: dict, path: tuple, ctx: Problems, fill: bool,
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
            if value is not INVALID:
                out[f.name] = value
        elif f.required:
            ctx.add(p, "missing required field", S.describe(f))
        elif f.added:
            pass  # a field added after facts.md: read with its default, data keeps its shape
        elif f.type == "section":
            out[f.name] = check_fields(f.fields, {}, p, ctx, fill and f.fill, kind)
        elif f.type == "map":
            out[f.name] = {}
        elif f.type in ("strings", "slugs"):
            out[f.name] = []
        elif fill:
            out[f.name] = f.default
            if f.reported:
                ctx.defaults.append(p)
    return out


def _check_value(f: Field, v, path: tuple, ctx: Problems, kind: str):
    if v is INVALID:
        return INVALID
    if v is None and f.nullable:
        if f.null_is_unknown:
            ctx.defaults.append(path)
        return None
    t = f.type

    def bad(what: str, expected: str | None = None):
        ctx.add(path, what, expected or S.describe(f))
        return INVALID

    if t == "word":
        if isinstance(v, str):
            if v in f.words:
                return v
            close = close_matches(v, f.words)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return bad(f"{quote(v)} is not allowed", S.describe(f) + hint)
        hint = ""
        if v is False and "none" in f.words:
            hint = " (an unquoted no/off is the boolean false in YAML: did you mean 'none'?)"
        return bad(f"got {described(v)}", S.describe(f) + hint)

    if t == "bool":
        if isinstance(v, bool):
            return v
        if isinstance(v, str):
            return bad(f"got {described(v)}", "a YAML boolean true/false, written without quotes")
        return bad(f"got {described(v)}")

    if t == "share":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            hint = ""
            if isinstance(v, str):
                text = v.strip()
                if text.endswith("%"):
                    hint = " (write a share such as 0.6 for 60%)"
                elif _plain_number(text):
                    hint = " (remove the quotes)"
                elif _exponent_number(text):  # YAML 1.1 reads 1e-3 as text
                    hint = (" (YAML reads a number with an exponent as text unless it has a point "
                            "and a signed exponent: write 1.0e-3, or 0.001)")
            return bad(f"got {described(v)}", S.describe(f) + hint)
        number = float(v)
        if not math.isfinite(number):
            return bad(f"{number_text(number)} is not a finite number")
        if not 0.0 <= number <= 1.0:
            hint = " (a share: 0.6 means 60%)" if 1 < number <= 100 else ""
            return bad(f"{number_text(number)} is out of range", S.describe(f) + hint)
        return number

    if t == "year":
        if isinstance(v, bool) or not isinstance(v, int):
            hint = " (remove the quotes)" if isinstance(v, str) and _plain_number(v, int) else ""
            return bad(f"got {described(v)}", S.describe(f) + hint)
        if v not in S.YEARS:
            return bad(f"{v if abs(v) < 10**30 else 'a huge number'} is out of range",
                       "a four-digit year, e.g. 2023")
        return v

    if t == "slug":
        if not isinstance(v, str):
            return bad(f"got {described(v)}")
        if not S.is_slug(v):
            suggestion = _slugify(v)
            hint = f" (did you mean {suggestion!r}?)" if S.is_slug(suggestion) else ""
            return bad(f"{quote(v)} is not a lowercase slug", S.describe(f) + hint)
        return v

    if t == "string":
        if not isinstance(v, str):
            hint = " (put it in quotes)" if isinstance(v, (int, float, bool, datetime.date)) else ""
            return bad(f"got {described(v)}", S.describe(f) + hint)
        if f.required and not v.strip():
            return bad("the text is empty", "a non-empty string")
        if _control(v):
            return bad(f"contains {_control(v)}",
                       "printable text (tabs and line breaks are fine)")
        return v

    if t in ("strings", "slugs"):
        if not isinstance(v, list):
            example = f" (a list: [{v}])" if isinstance(v, str) and "\n" not in v else ""
            return bad(f"got {described(v)}", S.describe(f) + one_line(example[:80]))
        # on a bad item the list keeps an INVALID placeholder, so that indexes still match
        # lines for the cross-checks of load_dir; such data is never handed out (the file fails)
        items: list = []
        seen: dict[str, int] = {}
        for i, item in enumerate(v):
            p = path + (i,)
            if item is INVALID:
                pass
            elif not isinstance(item, str):
                hint = ""
                if isinstance(item, dict):
                    hint = " (quote text that contains ': ')"
                elif isinstance(item, (int, float, bool, datetime.date)) and t == "strings":
                    hint = " (put it in quotes)"
                ctx.add(p, f"got {described(item)}", ("a lowercase slug" if t == "slugs"
                                                      else "a non-empty string") + hint)
            elif t == "slugs" and not S.is_slug(item):
                ctx.add(p, f"{quote(item)} is not a lowercase slug", "a lowercase slug, e.g. japan")
            elif t == "strings" and not item.strip():
                ctx.add(p, "the text is empty", "a non-empty string")
            elif t == "strings" and _control(item):
                ctx.add(p, f"contains {_control(item)}",
                        "printable text (tabs and line breaks are fine)")
            elif t == "slugs" and item in seen:
                ctx.add(p, f"{quote(item)} is listed twice (also item {seen[item]})",
                        "each id once")
            else:
                seen.setdefault(item, i)
                items.append(item)
                continue
            items.append(INVALID)
        return items

    if t == "words":
        if not isinstance(v, list):
            return bad(f"got {described(v)}")
        if f.required and not v:
            return bad("the list is empty", "at least one of " + ", ".join(f.words))
        words: list = []
        for i, item in enumerate(v):
            if item is INVALID:
                continue
            if not isinstance(item, str) or item not in f.words:
                close = close_matches(item, f.words) if isinstance(item, str) else []
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                shown = quote(item) if isinstance(item, str) else described(item)
                ctx.add(path + (i,), f"{shown} is not allowed", "one of " + ", ".join(f.words)
                        + hint)
            elif item in words:
                ctx.add(path + (i,), f"{quote(item)} is listed twice", "each word once")
            else:
                words.append(item)
        return words

    if t == "history":
        return _check_history(v, path, ctx, kind, bad)

    if t == "section":
        if not isinstance(v, dict):
            return bad(f"got {described(v)}")
        return check_fields(f.fields, v, path, ctx, f.fill, kind)

    # map keyed by slugs
    if not isinstance(v, dict):
        return bad(f"got {described(v)}")
    out = {}
    entry_expected = "a mapping with keys " + ", ".join(x.name for x in f.fields)
    for key, entry in v.items():
        p = path + (key,)
        if not S.is_slug(key):
            suggestion = _slugify(key)
            hint = f" (did you mean {suggestion!r}?)" if S.is_slug(suggestion) else ""
            ctx.add(p, f"the key {quote(key)} is not a lowercase slug",
                    "an id such as united-states" + hint)
            continue
        if entry is INVALID:
            continue
        if not isinstance(entry, dict):
            hint = " (write {} for an entry with all defaults)" if entry is None else ""
            ctx.add(p, f"got {described(entry)}", entry_expected + hint)
            continue
        out[key] = check_fields(f.fields, entry, p, ctx, f.fill, kind)
    return out


def _check_history(v, path: tuple, ctx: Problems, kind: str, bad):
    """A file's ``history``: each year's fields checked like the main ones (no defaults filled:
    a year gives only what differed). Returns {year text: the year's fields as written}."""
    if not isinstance(v, dict):
        return bad(f"got {described(v)}")
    years = {}
    for key, entry in v.items():
        p = path + (key,)
        if not (isinstance(key, str) and key.isdigit() and int(key) in S.YEARS):
            ctx.add(p, f"the key {quote(str(key))} is not a year", "a four-digit year, e.g. 2019")
            continue
        if not isinstance(entry, dict):
            hint = " (a year with nothing different has no entry)" if entry is None else ""
            ctx.add(p, f"got {described(entry)}",
                    "a mapping of the fields that differed that year, "
                    "e.g. autonomy: {government_alignment: neutral}" + hint)
            continue
        for fixed in sorted(S.FIXED_IN_HISTORY & set(entry)):
            ctx.add(p + (fixed,), f"{fixed} cannot change from year to year",
                    "only evidence in a history year: " + ", ".join(
                        f.name for f in S.history_fields(kind)))
        allowed = {k: x for k, x in entry.items() if k not in S.FIXED_IN_HISTORY}
        assumed = len(ctx.defaults)
        check_fields(S.history_fields(kind), allowed, p, ctx, False, kind)
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


def main_evidence_year(kind: str, data: dict) -> int | None:
    """The year a file's main evidence describes: a state's as_of; a coalition's as_of, else
    its founded."""
    if kind == "state":
        return data.get("as_of")
    return data.get("as_of") or data.get("founded")


def history_years(tree: dict, data: dict, kind: str, ctx: Problems) -> dict:
    """Each history year's evidence: {year: a function giving (data, ctx)}. The year's own
    fields were checked when the history was (every problem is reported at load); merging them
    over the main evidence, already checked too, is left until the year is asked about."""
    written = data.pop("history", None) or {}
    if not written:
        return {}
    main_year = main_evidence_year(kind, data)
    if main_year is None:
        # a state's as_of is required and a bad year is dropped from data: either is reported
        refused = [name for name in ("as_of", "founded") if name in tree and name not in data]
        if kind == "coalition" and not refused:
            ctx.add(("history",), "a coalition with a history needs the year of its main "
                    "evidence", "as_of or founded written in the file")
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


def _year_evidence(tree: dict, entry: dict, key: str, year: int, kind: str, ctx: Problems):
    """One history year written over the main evidence, checked as a whole file: (data, ctx)."""
    merged = _merge({k: v for k, v in tree.items() if k != "history"}, entry)
    merged["as_of"] = year if kind == "state" else merged.get("as_of")
    year_ctx = Problems(ctx.file)
    prefix = ("history", key)
    year_ctx.lines = {p: n for p, n in ctx.lines.items() if p[:1] != ("history",)}
    year_ctx.lines.update({p[2:]: n for p, n in ctx.lines.items() if p[:2] == prefix})
    fields = tuple(f for f in S.fields(kind) if f.name != "history")
    year_data = check_fields(fields, merged, (), year_ctx, True, kind)
    if year_ctx.problems:  # cannot happen: both parts were checked; never hand out a hole
        raise CaseError(year_ctx.messages())
    if kind == "coalition" and year_data.get("as_of") is None:
        year_data["as_of"] = year  # the year this evidence describes
    return year_data, year_ctx


def check_case(tree: dict, kind: str, path: pathlib.Path, ctx: Problems) -> dict:
    data = check_fields(S.fields(kind), tree, (), ctx, True, kind)
    for i, written in enumerate(data.get("estimated") or []):
        if isinstance(written, str):
            try:
                S.field(kind, written)
            except KeyError:
                ctx.add(("estimated", i), f"{quote(written)} is not a field of a {kind} file",
                        "the dotted path of a value, as in --set "
                        "(e.g. ties.united-states.arms_import_share)")
    for key, entry in (data.get("indicators") or {}).items():
        _check_indicator(entry.get("field"), kind, ("indicators", key, "field"), ctx)
    note_near_domains(kind, data, ctx)
    for key, entry in (data.get("history") or {}).items():
        if isinstance(entry, dict):
            note_near_domains(kind, entry, ctx, ("history", key))
    case_id = data.get("id")
    if case_id is not None:
        stem = path.stem
        if not S.is_slug(stem):
            ctx.add(("id",), f"the file name {quote(path.name)} is not <id>.yaml",
                    f"the file to be named {case_id}.yaml")
        elif case_id != stem:
            ctx.add(("id",), f"{quote(case_id)} differs from the file name {quote(path.name)}",
                    f"the id to equal the file's stem, {stem!r}")
    return data


def note_near_domains(kind: str, data: dict, ctx: Problems, prefix: tuple = ()) -> None:
    """A Note for each domain ``data`` names (a coalition's ``domain``, a state's ``industries``
    keys) one slip from a known one (``_note_near_domain``)."""
    if kind == "coalition":
        named = [(data["domain"], ("domain",))] if isinstance(data.get("domain"), str) else []
    else:
        named = [(d, ("industries", d)) for d in (data.get("industries") or {})
                 if isinstance(data.get("industries"), dict)]
    for domain, where in named:
        note_near_domain(domain, prefix + where, ctx)


def note_near_domain(domain, path: tuple, ctx: Problems, at: str | None = None) -> None:
    """A Note for a domain one slip from a known one: the contract allows any, but a coalition
    and a state meet only where both write the same key, so a misspelt one silently reads as
    an industry the state does not have. ``at``: where it was written, if not a file's line
    (a --set)."""
    if not isinstance(domain, str) or domain in S.DOMAINS:
        return
    import warnings

    from digital_coalitions.errors import Note

    near = close_matches(domain, [d for d in S.DOMAINS if d != domain], n=1)
    if near:
        warnings.warn(Note(
            f"{at or f'{ctx.file}:{ctx.line_of(path)}: {path_text(path)}'}: {domain!r} is none of the known "
            f"domains ({', '.join(S.DOMAINS)}); did you mean {near[0]!r}? A coalition's domain "
            "and a state's industries meet only under the same key"), stacklevel=2)


def _check_indicator(written, kind: str, path: tuple, ctx: Problems) -> None:
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
    ctx.add(path, f"{quote(written)} is not a value of {where}",
            "the dotted path of one value, as in --set (e.g. autonomy.government_alignment)")


def suggest_state(ref: str, ids, aliases: dict[str, str]) -> str:
    alias_hit = aliases.get(ref.strip().lower())
    if alias_hit:
        return f" (did you mean {alias_hit!r}?)"
    close = close_matches(ref, ids)
    return f" (did you mean {close[0]!r}?)" if close else ""


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


def check_roles(data: dict, ctx: Problems, prefix: tuple = (), main: dict | None = None) -> None:
    """A coalition's target is neither its leader nor one of its members (D2: the leader and
    the target are states with a role in it, not a choice about it). ``main``: the file's main
    evidence, whose leader and target a history year keeps unless it gives its own."""
    main = main or {}
    leader, target = (data.get(key, main.get(key)) for key in ("leader", "target"))
    if not isinstance(target, str):
        return
    if target == leader and ("target" in data or "leader" in data):
        ctx.add(prefix + ("target",), f"the target {target!r} is also the leader",
                "a target other than the coalition's leader")
    expected = "the states that joined, not the state the coalition is aimed at"
    if "members" in data or not prefix:
        for i, ref in enumerate(data.get("members") or ()):
            if ref == target:
                ctx.add(prefix + ("members", i), f"the target {target!r} is listed as a member",
                        expected)
    elif "target" in data and target in (main.get("members") or ()):
        # a year that names a new target keeps the main evidence's members
        ctx.add(prefix + ("target",), f"the target {target!r} is listed as a member in the "
                "main evidence, which this year keeps", expected + " (or this year's own "
                "members)")


def check_references(kind: str, data: dict, ctx: Problems, known: CaseSet,
                     prefix: tuple = (), main: dict | None = None) -> None:
    """The checks of a file against the others: every state its ``data`` names (a key or a
    value) must be one of ``known``'s, and a coalition's target must be neither its leader nor
    a member (``check_roles``)."""
    if kind == "coalition":
        check_roles(data, ctx, prefix, main)
    for path, ref, role, also in (_state_refs if kind == "state" else _coalition_refs)(data):
        if ref in known.state_ids or ref in also:
            continue
        extra = f" or one of {', '.join(also)}" if also else ""
        named = f"{role} {ref!r}" if role else repr(ref)
        ctx.add(prefix + path, f"{named} is not a state in states/",
                "the id of a state file in states/" + extra
                + suggest_state(ref, known.sorted_ids, known.aliases))
