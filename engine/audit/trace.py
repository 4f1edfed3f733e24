"""The trace: the engine's own record of one run, made checkable, replayable and comparable.

``trace_record(answer, argv)`` turns what ``CoalitionEngine.run`` recorded (each firing with
the facts it matched, consulted and asserted, and the activations that never fired) into one
JSON-able dict, with a header that makes the run reproducible: the tool version, a hash of the
rule base, the path and hash of every input file, the command line and the verdict. Nothing
in it depends on the time, the machine's state or PYTHONHASHSEED, so identical inputs give
byte-identical JSON (``dumps``). The record ends with a digest over everything else, so an
edited trace file is told apart from an honest one.

``load_trace`` reads a trace file back (any problem is one line of :class:`TraceError`),
``verify`` re-runs it and names the first divergence, ``diff`` aligns two traces, and
``render_trace_text`` / ``render_record_text`` print the readable steps (templates/trace.txt.j2).
The format is documented in docs/trace-format.md; bump ``FORMAT_VERSION`` whenever it changes.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from digital_coalitions import __version__
from digital_coalitions.inference.engine import RULES
from digital_coalitions.casefiles.loader import CaseError, load_file
from digital_coalitions.casefiles.reading import ReadProblem, read_bounded
from digital_coalitions.casefiles.schema import shown
from digital_coalitions.text.render import environment
from digital_coalitions.casefiles.schema import MAX_FILE_BYTES

FORMAT = "digital-coalitions-trace"
FORMAT_VERSION = 2  # 2: the evidence year (evidence_year), for --as-of and case histories
MAX_TRACE_BYTES = 32 * 1024 * 1024  # a trace of the shipped cases is under 100 KB
EXPECTED = "a trace written by `coalition trace STATE COALITION -o FILE`"

# fact fields that name where a derived fact's value is, in the order a reader wants them
VALUE_FIELDS = ("level", "value", "pace", "source", "form", "term")


class TraceError(CaseError):
    """A trace file that cannot be used: unreadable, not JSON, truncated, edited or malformed."""


# ---- the rule base ---------------------------------------------------------------------------
def rule_base_sources() -> list[tuple[str, bytes]]:
    """The rule modules' source text (rules/*.py), sorted by name, read from the installed package."""
    root = files("digital_coalitions.rules")
    return sorted((entry.name, entry.read_bytes()) for entry in root.iterdir()
                  if entry.name.endswith(".py"))


def rule_base_hash() -> dict:
    digest = hashlib.sha256()
    sources = rule_base_sources()
    for name, text in sources:
        # names are hashed too, so that moving a rule between modules changes the hash
        digest.update(name.encode() + b"\0" + text + b"\0")
    return {"sha256": digest.hexdigest(), "files": [name for name, _ in sources]}


# ---- facts as records ------------------------------------------------------------------------
def _plain(value):
    """A fact field as JSON: tuples and experta's frozen lists become lists, mappings sorted."""
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)) or hasattr(value, "__iter__"):
        return [_plain(v) for v in value]
    return str(value)


def line_of(case, path: str) -> int:
    """The line of ``path`` in a case file, else of its nearest parent that is written there."""
    while path:
        if path in case.lines:
            return case.lines[path]
        path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""
    return 1


def _written(case, path: str) -> bool:
    """Whether the file (or a --set) gives the value at ``path``, or a section holding it."""
    bare = re.sub(r"\[\d+\]$", "", path)
    return path in case.lines or bare in case.lines or any(
        o.path == bare for o in getattr(case, "overrides", ()))


def fact_record(answer, fact_id: int) -> dict:
    """One fact: id, type, fields and, for a value read from a case file, where it came from."""
    fact = answer.facts[fact_id]
    fields = {k: _plain(v) for k, v in sorted(fact.items(), key=lambda kv: str(kv[0]))
              if not str(k).startswith("__")}
    record = {"id": fact_id, "type": type(fact).__name__, "fields": fields}
    kind, path = None, None
    if "source" in fields and "path" in fields and fields["source"] in ("state", "coalition"):
        kind, path = fields["source"], fields["path"]
    elif type(fact).__name__ == "Defaulted":
        kind, path = fields.get("case"), fields.get("path")
    if kind in ("state", "coalition") and isinstance(path, str):
        case = answer.state if kind == "state" else answer.coalition
        record["from"] = {"file": str(case.path), "path": path, "line": line_of(case, path),
                          "assumed": f"{kind}:{path}" in answer.defaults}
        if not _written(case, path) and not record["from"]["assumed"]:
            # a field added to the contract, absent here: read with its neutral default
            record["from"]["unwritten"] = True
        if any(o.path == path or path.startswith(o.path + ".")
               for o in getattr(case, "overrides", ())):
            record["from"]["set"] = True  # changed with --set: not the file's value
    return record


def _assignments(argv) -> list[str]:
    """The --set PATH=VALUE changes named on a command line, in order."""
    found, tokens = [], list(argv or [])
    for i, token in enumerate(tokens):
        if token == "--set" and i + 1 < len(tokens):
            found.append(tokens[i + 1])
        elif token.startswith("--set="):
            found.append(token[len("--set="):])
    return found


def trace_record(answer, argv=None, assignments=None) -> dict:
    """The trace of one answer as a JSON-able dict (format: docs/trace-format.md)."""
    argv = list(argv or ())
    asserted = {fid for firing in answer.firings for fid in firing.asserted}
    declared = sorted(fid for fid, fact in answer.facts.items()
                      if fid not in asserted and type(fact).__name__ != "InitialFact")

    def facts(ids):
        return [fact_record(answer, fid) for fid in ids if fid in answer.facts]

    firings = []
    for firing in answer.firings:
        info = RULES[firing.rule]
        firings.append({
            "step": firing.step, "rule": info.id, "title": info.title, "claims": list(info.claims),
            "salience": info.salience, "matched": facts(firing.matched),
            "consulted": facts(firing.consulted), "asserted": facts(firing.asserted)})
    unfired = []
    for rule_id, ids in answer.unfired:
        info = RULES[rule_id]
        unfired.append({"rule": info.id, "title": info.title, "salience": info.salience,
                        "facts": facts(ids), "blocked_by": _blocked_by(answer, rule_id)})
    record = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "digital-coalitions", "version": __version__},
        "rule_base": rule_base_hash(),
        "inputs": [{"kind": case.kind, "id": case.id, "path": str(case.path),
                    "sha256": case.sha256}
                   for case in (answer.state, answer.coalition)],
        "command": argv,
        "assignments": list(_assignments(argv) if assignments is None else assignments),
        "question": f"Will {answer.state.data['name']} join {answer.coalition.data['name']}?",
        "evidence_year": _plain(answer.dating),
        "state": answer.state.id,
        "coalition": answer.coalition.id,
        "verdict": answer.verdict,
        "likelihood": _plain(answer.likelihood),
        "confidence": _plain(answer.confidence),
        "mechanisms": _plain(answer.mechanisms),
        "defaults": list(answer.defaults),
        "evidence": facts(declared),
        "firings": firings,
        "unfired": unfired,
    }
    record["digest"] = digest(record)
    return record


def _blocked_by(answer, rule_id) -> list[dict]:
    """The firings whose conclusions a never-fired activation's 'no …' conditions exclude."""
    from digital_coalitions.audit.why import blockers  # why builds on this module; imported here to avoid a cycle

    return blockers(answer, rule_id)


def canonical(record: dict) -> bytes:
    body = {k: v for k, v in record.items() if k != "digest"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(record: dict) -> str:
    return "sha256:" + hashlib.sha256(canonical(record)).hexdigest()


def dumps(record: dict) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


# ---- reading a trace back --------------------------------------------------------------------
FACT_KEYS = {"id": int, "type": str, "fields": dict}
FIRING_KEYS = {"step": int, "rule": str, "title": str, "claims": list, "salience": int,
               "matched": list, "consulted": list, "asserted": list}
UNFIRED_KEYS = {"rule": str, "title": str, "salience": int, "facts": list, "blocked_by": list}
INPUT_KEYS = {"kind": str, "id": str, "path": str, "sha256": str}
TOP_KEYS = {"format": str, "format_version": int, "tool": dict, "rule_base": dict, "inputs": list,
            "command": list, "assignments": list, "question": str, "evidence_year": dict,
            "state": str,
            "coalition": str, "verdict": str, "likelihood": dict, "confidence": dict,
            "mechanisms": dict, "defaults": list, "evidence": list, "firings": list,
            "unfired": list, "digest": str}


def load_trace(path, check_digest: bool = True) -> dict:
    """Read and check a trace file; every problem is one line naming the file and what is wrong.

    ``check_digest=False`` (for ``trace show``, which says whether it matches) lets a trace
    whose digest does not match its content through; its shape is checked all the same."""
    display = str(path)

    def bad(what, expected=EXPECTED, line=None):
        where = f"{display}:{line}" if line else display
        return TraceError([f"{where}: {what}; expected {expected}"])

    try:
        raw = read_bounded(path, MAX_TRACE_BYTES)
    except ReadProblem as problem:
        raise bad(problem.what) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad("is not UTF-8 text") from None
    if not text.strip():
        raise bad("is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if not text.lstrip().startswith(("{", "[")):  # a case file, a text: not a trace at all
            raise bad(f"is not a trace: not JSON at all ({error.msg})", line=error.lineno) from None
        truncated = not text.rstrip().endswith(("}", "]"))
        what = f"is not valid JSON ({error.msg}){'; it looks cut short' if truncated else ''}"
        raise bad(what, line=error.lineno) from None
    except RecursionError:
        raise bad("is nested too deeply to be a trace") from None
    if isinstance(data, dict) and "format" not in data and isinstance(data.get("trace"), dict):
        data = data["trace"]  # the output of `coalition ask … --format json --trace`
    check_record(data, bad, check_digest)
    return data


def digest_matches(record: dict) -> bool:
    return record["digest"] == digest(record)


def check_record(data, bad, check_digest: bool = True) -> None:
    """Raise ``bad(...)`` unless ``data`` has the shape of a trace of this format version."""
    if not isinstance(data, dict):
        raise bad(f"holds a JSON {type(data).__name__}, not an object")
    if "format" not in data:
        raise bad("has no field format", f"a trace written by `coalition trace` (format {FORMAT!r})")
    if data.get("format") != FORMAT:
        raise bad(f"has format {data.get('format')!r}, not {FORMAT!r}")
    if data.get("format_version") != FORMAT_VERSION:
        raise bad(f"has format_version {data.get('format_version')!r}",
                  f"format_version {FORMAT_VERSION} (this tool's; re-record the trace)")
    _keys(data, TOP_KEYS, "", bad)
    if not (isinstance(data["tool"].get("version"), str) and isinstance(data["tool"].get("name"), str)):
        raise bad("tool.name or tool.version is missing")
    if not (isinstance(data["rule_base"].get("sha256"), str)
            and isinstance(data["rule_base"].get("files"), list)):
        raise bad("rule_base.sha256 or rule_base.files is missing")
    for i, item in enumerate(data["inputs"]):
        _keys(item, INPUT_KEYS, f"inputs[{i}].", bad)
    if sorted(i["kind"] for i in data["inputs"]) != ["coalition", "state"]:
        raise bad("inputs should be one state and one coalition file")
    for name in ("command", "assignments", "defaults"):
        if not all(isinstance(x, str) for x in data[name]):
            raise bad(f"{name} holds something other than strings")
    for i, fact in enumerate(data["evidence"]):
        _fact(fact, f"evidence[{i}]", bad)
    for i, firing in enumerate(data["firings"]):
        _keys(firing, FIRING_KEYS, f"firings[{i}].", bad)
        for part in ("matched", "consulted", "asserted"):
            for j, fact in enumerate(firing[part]):
                _fact(fact, f"firings[{i}].{part}[{j}]", bad)
    for i, entry in enumerate(data["unfired"]):
        _keys(entry, UNFIRED_KEYS, f"unfired[{i}].", bad)
        for j, fact in enumerate(entry["facts"]):
            _fact(fact, f"unfired[{i}].facts[{j}]", bad)
        if not all(isinstance(b, dict) and isinstance(b.get("rule"), str)
                   and isinstance(b.get("step"), int) and isinstance(b.get("condition"), str)
                   for b in entry["blocked_by"]):
            raise bad(f"unfired[{i}].blocked_by is malformed")
    span = data["likelihood"].get("range")
    if not isinstance(data["likelihood"].get("term"), str) or \
            not isinstance(data["confidence"].get("level"), str) or \
            not (isinstance(span, list) and len(span) == 2):
        raise bad("likelihood.term, likelihood.range or confidence.level is missing")
    if check_digest and not digest_matches(data):
        raise bad("was altered after it was written (its digest does not match its content)",
                  "an unedited trace; re-record it with `coalition trace`")


def _keys(data, keys, prefix, bad) -> None:
    if not isinstance(data, dict):
        raise bad(f"{prefix.rstrip('.') or 'the trace'} is not an object")
    for key, kind in keys.items():
        if key not in data:
            raise bad(f"{prefix}{key} is missing")
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise bad(f"{prefix}{key} is a {type(value).__name__}, not a {kind.__name__}")


def _fact(fact, where, bad) -> None:
    _keys(fact, FACT_KEYS, where + ".", bad)
    origin = fact.get("from")
    if origin is not None and not (isinstance(origin, dict) and isinstance(origin.get("file"), str)
                                   and isinstance(origin.get("path"), str)
                                   and isinstance(origin.get("line"), int)):
        raise bad(f"{where}.from is malformed")


# ---- verify ----------------------------------------------------------------------------------
@dataclass
class Verification:
    identical: bool
    divergence: str | None  # "input", "rule base", "reasoning", "tool" or None
    message: str
    steps: int


def _sha256(path: Path) -> str:
    """The hash of a recorded input, read as the loader would read it: at most 1 MiB."""
    return hashlib.sha256(read_bounded(path, MAX_FILE_BYTES)).hexdigest()


def _short(value: str) -> str:
    return value[:12] + "…"


def rerun(record: dict) -> dict:
    """Ask the engine again from the recorded input files (and --set changes); a fresh record."""
    from digital_coalitions.inference.answer import ask

    from digital_coalitions.casefiles.question import dated

    cases = {item["kind"]: load_file(item["path"], kind=item["kind"]) for item in record["inputs"]}
    asked = record["evidence_year"].get("asked")
    if asked is not None and (isinstance(asked, bool) or not isinstance(asked, int)):
        raise TraceError([f"evidence_year.asked is {asked!r}; expected a year or null"])
    state, coalition = dated(cases["state"], cases["coalition"], asked)
    if record["assignments"]:
        from digital_coalitions.casefiles.overrides import apply_overrides

        state, coalition = apply_overrides(state, coalition, tuple(record["assignments"]))
    return trace_record(ask(state, coalition), argv=record["command"],
                        assignments=record["assignments"])


def verify(record: dict) -> Verification:
    """Re-run a trace; identical, or the first divergence: input, rule base, reasoning, tool."""
    steps = len(record["firings"])
    for item in record["inputs"]:
        path = Path(item["path"])
        try:
            now = _sha256(path)
        except ReadProblem as problem:
            if problem.missing:
                return Verification(False, "input", f"input file missing: {path} (the "
                                    f"{item['kind']} file the trace was recorded from)", steps)
            return Verification(False, "input", f"input file unreadable: {path} ({problem.what})",
                                steps)
        if now != item["sha256"]:
            return Verification(False, "input", f"input file changed: {path} (sha256 "
                                f"{_short(item['sha256'])} recorded, {_short(now)} now)", steps)
    rules_now = rule_base_hash()["sha256"]
    if rules_now != record["rule_base"]["sha256"]:
        return Verification(False, "rule base", "rule base changed: the rules' sources (rules/*.py) "
                            f"hash to {_short(rules_now)}, the trace recorded "
                            f"{_short(record['rule_base']['sha256'])}", steps)
    fresh = rerun(record)
    for old, new in zip(record["firings"], fresh["firings"]):
        if old != new:
            return Verification(False, "reasoning", "same inputs now reason differently: "
                                + _step_difference(old, new), steps)
    if len(record["firings"]) != len(fresh["firings"]):
        n = min(len(record["firings"]), len(fresh["firings"])) + 1
        if len(fresh["firings"]) < len(record["firings"]):
            gone = record["firings"][n - 1]
            which = f"the re-run stops after step {n - 1}; the trace goes on with {gone['rule']}"
        else:
            new = fresh["firings"][n - 1]
            which = f"the re-run fires one more rule at step {n}: {new['rule']} {new['title']}"
        return Verification(False, "reasoning", f"same inputs now reason differently: {which}",
                            steps)
    for key in ("unfired", "evidence", "verdict", "likelihood", "confidence", "mechanisms",
                "defaults", "question", "state", "coalition", "inputs"):
        if record[key] != fresh[key]:
            return Verification(False, "reasoning", f"same inputs now reason differently: the "
                                f"{key} differs ({_brief(record[key])} recorded, "
                                f"{_brief(fresh[key])} now)", steps)
    if record["tool"] != fresh["tool"]:
        return Verification(False, "tool", f"tool changed: recorded with version "
                            f"{record['tool'].get('version')}, re-run with {__version__} "
                            "(the reasoning is otherwise the same)", steps)
    for key in sorted(set(record) | set(fresh)):
        if key != "digest" and record.get(key) != fresh.get(key):
            return Verification(False, "reasoning", f"the re-run differs in {key}", steps)
    return Verification(True, None, f"verified: re-running \"{record['question']}\" from the "
                        f"recorded inputs gives an identical trace ({steps} steps, verdict "
                        f"{record['verdict']})", steps)


def _brief(value, limit=60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _step_difference(old: dict, new: dict) -> str:
    n = old["step"]
    if old["rule"] != new["rule"]:
        return (f"step {n} was {old['rule']} {old['title']}, the re-run fires "
                f"{new['rule']} {new['title']}")
    for part, verb in (("matched", "matched"), ("consulted", "weighed"), ("asserted", "concluded")):
        if old[part] != new[part]:
            return (f"step {n} ({old['rule']} {old['title']}) {verb} "
                    f"{_facts_brief(old[part])} in the trace, {_facts_brief(new[part])} now")
    return f"step {n} ({old['rule']}) differs in its record"


def _facts_brief(facts) -> str:
    return "; ".join(phrase(f) for f in facts) or "nothing"


# ---- diff ------------------------------------------------------------------------------------
def _evidence_values(record: dict) -> dict:
    """Evidence by where it was read (file kind and dotted path), with its value and line."""
    found = {}
    for fact in record["evidence"]:
        origin, fields = fact.get("from"), fact["fields"]
        if not origin or fact["type"] == "Defaulted":
            continue
        value = fields["value"] if "value" in fields else True  # an offer or pressure made
        kind = fields.get("source", "")
        path = origin["path"] + SOURCE_COUNTS.get(fact["type"], "")
        found[f"{kind}:{path}"] = {"value": value, "file": origin["file"],
                                   "line": origin["line"], "type": fact["type"]}
    return found


# three facts are read from one list, ``sources``: each is named for what it counts
SOURCE_COUNTS = {"Sourcing": " (how many)", "SourceOrigins": " (independent origins)",
                 "SourceRecency": " (the latest year)"}


def _conclusions(record: dict) -> dict:
    """Rule ID -> the sorted list of what each of its firings concluded."""
    by_rule: dict[str, list] = {}
    for firing in record["firings"]:
        by_rule.setdefault(firing["rule"], []).append(
            "; ".join(phrase(f) for f in firing["asserted"]) or "nothing")
    return {rule: sorted(found) for rule, found in by_rule.items()}


LIST_ITEM = re.compile(r"(.+)\[(\d+)\]")


def _item_order(where: str):
    """A fact's key, with a list's items in the order of their index (objects_to[10] last)."""
    item = LIST_ITEM.fullmatch(where)
    return (item[1], int(item[2])) if item else (where, -1)


def diff(a: dict, b: dict) -> dict:
    """What changed from trace ``a`` to trace ``b``: inputs, evidence, firings, the judgment."""
    result = {"a": {"question": a["question"], "verdict": a["verdict"]},
              "b": {"question": b["question"], "verdict": b["verdict"]}}
    result["inputs"] = []
    inputs_a = {i["kind"]: i for i in a["inputs"]}
    for item in b["inputs"]:
        old = inputs_a.get(item["kind"])
        if old is None or (old["path"], old["sha256"]) != (item["path"], item["sha256"]):
            result["inputs"].append({"kind": item["kind"],
                                     "a": {"path": old["path"], "sha256": old["sha256"]} if old else None,
                                     "b": {"path": item["path"], "sha256": item["sha256"]}})
    result["assignments"] = None if a["assignments"] == b["assignments"] else \
        {"a": a["assignments"], "b": b["assignments"]}
    result["rule_base"] = None if a["rule_base"]["sha256"] == b["rule_base"]["sha256"] else \
        {"a": a["rule_base"]["sha256"], "b": b["rule_base"]["sha256"]}
    result["evidence_year"] = None if a["evidence_year"] == b["evidence_year"] else \
        {"a": a["evidence_year"], "b": b["evidence_year"]}
    result["tool"] = None if a["tool"] == b["tool"] else \
        {"a": a["tool"].get("version"), "b": b["tool"].get("version")}

    old_ev, new_ev = _evidence_values(a), _evidence_values(b)
    changes, lists = [], {}
    for where in sorted(set(old_ev) | set(new_ev), key=_item_order):
        before, after = old_ev.get(where), new_ev.get(where)
        kind, _, path = where.partition(":")
        item = LIST_ITEM.fullmatch(path)
        if item:  # a list's items are read one by one; what changed is the list
            lists.setdefault((kind, item[1]), ([], [], [], []))
            for values, places, fact in zip(lists[kind, item[1]][::2], lists[kind, item[1]][1::2],
                                            (before, after)):
                if fact:
                    values.append(fact["value"])
                    places.append(f"{Path(fact['file']).name}:{fact['line']}")
            continue
        if before and after and before["value"] == after["value"]:
            continue
        changes.append({"source": kind, "path": path,
                        "a": before["value"] if before else None,
                        "b": after["value"] if after else None,
                        "where_a": f"{Path(before['file']).name}:{before['line']}" if before else None,
                        "where_b": f"{Path(after['file']).name}:{after['line']}" if after else None})
    for (kind, path), (was, where_a, now, where_b) in lists.items():
        if sorted(map(repr, was)) == sorted(map(repr, now)):
            continue  # the same items in another order: a list here is a set
        changes.append({"source": kind, "path": path, "a": was, "b": now,
                        "where_a": where_a[0] if where_a else None,
                        "where_b": where_b[0] if where_b else None,
                        "added": [v for v in now if v not in was],
                        "removed": [v for v in was if v not in now]})
    changes.sort(key=lambda c: (c["source"], c["path"]))
    result["evidence"] = changes
    result["defaults"] = {"assumed_only_in_a": sorted(set(a["defaults"]) - set(b["defaults"])),
                          "assumed_only_in_b": sorted(set(b["defaults"]) - set(a["defaults"]))}

    old_c, new_c = _conclusions(a), _conclusions(b)
    titles = {f["rule"]: f["title"] for f in a["firings"] + b["firings"]}
    order = {}
    for firing in a["firings"] + b["firings"]:
        order.setdefault(firing["rule"], len(order))
    result["firings"] = {
        "vanished": [{"rule": r, "title": titles[r], "concluded": old_c[r]}
                     for r in sorted(set(old_c) - set(new_c), key=order.get)],
        "appeared": [{"rule": r, "title": titles[r], "concluded": new_c[r]}
                     for r in sorted(set(new_c) - set(old_c), key=order.get)],
        "changed": [{"rule": r, "title": titles[r], "a": old_c[r], "b": new_c[r]}
                    for r in sorted(set(old_c) & set(new_c), key=order.get) if old_c[r] != new_c[r]],
    }
    result["judgment"] = [
        {"what": name, "a": value_a, "b": value_b}
        for name, value_a, value_b in (
            ("verdict", a["verdict"], b["verdict"]),
            ("likelihood", _likelihood(a), _likelihood(b)),
            ("confidence", a["confidence"]["level"], b["confidence"]["level"]))
        if value_a != value_b]
    result["mechanisms"] = [{"name": name, "a": a["mechanisms"].get(name),
                             "b": b["mechanisms"].get(name)}
                            for name in list(a["mechanisms"]) + [n for n in b["mechanisms"]
                                                                  if n not in a["mechanisms"]]
                            if a["mechanisms"].get(name) != b["mechanisms"].get(name)]
    result["identical"] = canonical(a) == canonical(b)
    return result


def _likelihood(record: dict) -> str:
    low, high = (record["likelihood"].get("range") or [None, None])[:2]
    return f"{record['likelihood']['term']} ({low}–{high}%)"


# ---- reading a trace: the words --------------------------------------------------------------
def words(type_name: str) -> str:
    """'SecurityDependency' -> 'security dependency'."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type_name).lower()


def where(fact: dict) -> str:
    origin = fact.get("from")
    if not origin:
        return ""
    if origin.get("set"):
        return f"--set, not {Path(origin['file']).name}:{origin['line']}"
    if origin.get("unwritten"):
        return f"not in {Path(origin['file']).name}: not written, which the contract reads as this value, not as an assumption"
    assumed = ", assumed" if origin.get("assumed") else ""
    return f"{Path(origin['file']).name}:{origin['line']}{assumed}"


def phrase(fact: dict) -> str:
    """A fact in the paper's words: 'security dependency is intense', 'high fear of abandonment (S2, +2)'."""
    kind, f = fact["type"], fact["fields"]
    if kind in ("Offer", "Pressure"):
        return f"{f.get('path', kind.lower() + 's.' + str(f.get('kind')))} = true"
    if kind in ("Sourcing", "SourceOrigins"):
        count = f.get("value")
        noun = "source" if kind == "Sourcing" else "independent origin"
        verb = "cited in" if kind == "Sourcing" else "among the sources of"
        return f"{count} {noun}{'' if count == 1 else 's'} {verb} the {f.get('source')} file"
    if kind == "SourceRecency":
        latest = f.get("value")
        return (f"the {f.get('source')} file's sources " + (f"are dated {latest} at the latest"
                if latest else "give no year"))
    if kind == "Defaulted":
        return f"{f.get('case')} {f.get('path')} assumed by default"
    if "path" in f and "value" in f:
        return f"{f['path']} = {shown(f['value'])}"
    if kind == "Question":
        return (f"the question: will {f.get('state')} join {f.get('coalition')} "
                f"(led by {f.get('leader')}, aimed at {shown(f.get('target'), none='no one')})")
    if kind == "Factor":
        return f"{f.get('reason')} ({f.get('claim')}, {_signed(f.get('points'))} {f.get('concept')})"
    if kind == "StrangleholdBound":
        return f"{f.get('reason')} ({f.get('claim')}, {f.get('bound')} {f.get('level')})"
    if kind == "LikelihoodShift":
        return f"{f.get('reason')} ({f.get('claim')}, {_signed(f.get('steps'))} step)"
    if kind == "ConfidenceDowngrade":
        return f"{f.get('reason')} (-{f.get('steps')} confidence)"
    if kind == "Likelihood":
        return f"the likelihood of joining is {f.get('term')} ({f.get('low')}–{f.get('high')}%)"
    if kind == "Confidence":
        return f"confidence is {f.get('level')}"
    if kind == "Verdict":
        return f"the verdict is {f.get('value')}"
    name = words(kind)
    if "level" in f:
        score = f" (score {f['score']})" if "score" in f else ""
        return f"{name} is {shown(f['level'], none='none')}{score}"
    for key in VALUE_FIELDS:
        if key in f:
            return f"{name}: {shown(f[key], none='none')}"
    return _described(kind) or name


def _described(type_name: str) -> str:
    """A yes/no concept in the paper's words: the first paragraph of its class's docstring, in
    one line (its first line alone can stop inside a quotation)."""
    from digital_coalitions.rules import concepts

    kind = getattr(concepts, type_name, None)
    doc = (getattr(kind, "__doc__", None) or "").strip().split("\n\n")[0].split()
    if not doc or not isinstance(kind, type):
        return ""
    text = " ".join(doc).rstrip(".")
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _signed(value) -> str:
    return f"{value:+d}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _sentence(firing: dict) -> dict:
    """One step for the readable trace: what the rule concluded, and because of what."""
    concluded = "; ".join(phrase(f) for f in firing["asserted"])
    reasons = [phrase(f) for f in firing["consulted"]]
    reasons += [phrase(f) + (f" ({where(f)})" if where(f) else "")
                for f in firing["matched"] if f["type"] != "Question"]
    if concluded:
        text = concluded[0].upper() + concluded[1:]
    else:
        text = f"{firing['title']}: nothing to conclude"
    return {"step": firing["step"], "rule": firing["rule"], "title": firing["title"],
            "claims": firing["claims"], "salience": firing["salience"], "text": text,
            "because": reasons}


def view(record: dict) -> dict:
    """What templates/trace.txt.j2 shows, computed from a trace record alone."""
    steps = {f["step"]: f for f in record["firings"]}
    unfired = []
    for entry in record["unfired"]:
        why = []
        for block in entry["blocked_by"]:
            step = steps.get(block.get("step"))
            what = "; ".join(phrase(f) for f in step["asserted"]) if step else "a conclusion"
            why.append(f"{block['rule']} (step {block.get('step')}) concluded {what}, and "
                       f"{entry['rule']} needs {block.get('condition', 'it absent')}")
        unfired.append({"rule": entry["rule"], "title": entry["title"],
                        "salience": entry["salience"],
                        "facts": [phrase(f) for f in entry["facts"] if f["type"] != "Question"],
                        "why": why})
    return {"t": record, "steps": [_sentence(f) for f in record["firings"]], "unfired": unfired,
            "name": lambda p: Path(p).name, "likelihood": _likelihood(record)}


def render_record_text(record: dict, shown_from=None) -> str:
    """The readable trace; ``shown_from`` (the file ``trace show`` read) adds whether the digest
    matches and that nothing more was checked."""
    return environment().get_template("trace.txt.j2").render(
        **view(record), shown=shlex.quote(str(shown_from)) if shown_from else None,
        digest_matches=digest_matches(record))


def render_trace_text(answer, argv=None) -> str:
    """The readable trace of an answer (``coalition ask … --trace``)."""
    return render_record_text(trace_record(answer, argv=argv))


def render_diff_text(result: dict) -> str:
    return environment().get_template("trace-diff.txt.j2").render(d=result, short=_short)
