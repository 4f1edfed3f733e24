"""HOW and WHY NOT: explain one conclusion of an answer from the engine's own record.

``how`` walks back from a derived fact to the evidence, as a tree: the rule that asserted it
(from ``engine.firings``), the facts that rule matched and weighed, the rules that asserted
those, and so on down to the values read from the case files (with ``file:line``).

``why_not`` answers the reverse ("why not joins?"): the rules that would have concluded it,
each of their conditions tested against working memory with experta's own field checks, and,
for each condition that failed, what was found instead and the evidence beneath it, which is
what would have had to differ. Nothing is decided here: conditions are read from the rules'
patterns, facts from the engine's working memory.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import RULE_MIXINS, RULES
from digital_coalitions.casefiles.question import quoted
from digital_coalitions.text.render import environment
from digital_coalitions.casefiles.schema import display_name
from digital_coalitions.rules.base import rule_info
from digital_coalitions.rules.concepts import CONCEPTS as REGISTRY, VERDICTS
from digital_coalitions.audit.trace import fact_record, phrase, where
from digital_coalitions.errors import BadInput

FeatureCheck = experta.matchers.rete.check.FeatureCheck
CE = experta.conditionalelement

# concept name (as in Answer.mechanisms) -> fact class name
CONCEPTS = {concept.key: concept.fact.__name__ for concept in REGISTRY}


class ConceptError(BadInput, ValueError):
    """A concept or verdict word the answer has no place for."""


def concept_name(word: str) -> str:
    return re.sub(r"[\s\-]+", "_", word.strip().lower())


# ---- the rules' patterns ---------------------------------------------------------------------
@lru_cache(maxsize=None)
def rule_objects() -> dict:
    """Rule ID -> the experta Rule (its patterns, in the order of RuleInfo.conditions)."""
    return {rule_info(value).id: value for mixin in RULE_MIXINS
            for value in vars(mixin).values() if isinstance(value, experta.Rule)}


def conclusions(rule_id: str) -> tuple:
    """What a rule declares, as its ``@rule(..., concludes=...)`` says:
    ((fact class name, ((field, literal), ...)), ...)."""
    return RULES[rule_id].concludes


def concluders(type_name: str, literals: dict | None = None) -> list[str]:
    """The rules that can assert a fact of ``type_name`` (with these literal field values)."""
    chosen = []
    for rule_id in rule_objects():
        for kind, fields in conclusions(rule_id):
            given = dict(fields)
            if kind == type_name and all(given.get(k, v) == v for k, v in (literals or {}).items()):
                chosen.append(rule_id)
                break
    return sorted(chosen, key=lambda r: (-RULES[r].salience, r))


def satisfies(pattern, fact) -> bool:
    """Does ``fact`` match one fact pattern, by experta's own field checks?"""
    if type(fact) is not type(pattern):
        return False
    for key, constraint in pattern.items():
        if str(key).startswith("__"):
            continue
        if FeatureCheck(key, constraint)(fact) is False:
            return False
    return True


def _identity(pattern) -> dict:
    """The literal fields that say which evidence a pattern is about (field=…, kind=…)."""
    literal = experta.fieldconstraint.L
    found = {}
    for key in ("field", "kind", "concept"):
        if key in pattern:
            value = pattern[key]
            if isinstance(value, literal):
                value = value.value
            if isinstance(value, (str, bool, int)):
                found[key] = value
    return found


def _asserted_by(answer) -> dict:
    return {fid: firing for firing in answer.firings for fid in firing.asserted}


def blockers(answer, rule_id: str) -> list[dict]:
    """For an activation that never fired: the firings whose conclusions its 'no …' conditions exclude."""
    rule, info = rule_objects()[rule_id], RULES[rule_id]
    by = _asserted_by(answer)
    found = []
    for pattern, text in zip(rule, info.conditions):
        if not isinstance(pattern, CE.NOT):
            continue
        for fid, fact in sorted(answer.facts.items()):
            if any(satisfies(inner, fact) for inner in pattern if not isinstance(inner, CE.ConditionalElement)) \
                    and fid in by:
                firing = by[fid]
                found.append({"step": firing.step, "rule": firing.rule, "condition": text})
    return found


# ---- HOW: from a conclusion down to the evidence ---------------------------------------------
def how(answer, fact_id: int, shown: set | None = None) -> dict:
    """The support of one fact, as a tree ending at facts read from the case files."""
    shown = set() if shown is None else shown
    by = _asserted_by(answer)
    record = fact_record(answer, fact_id)
    node = {"fact": record, "text": phrase(record), "where": where(record),
            "input": fact_id not in by, "repeat": fact_id in shown, "rule": None, "children": []}
    if node["input"] or node["repeat"]:
        return node
    shown.add(fact_id)
    firing = by[fact_id]
    info = RULES[firing.rule]
    node["rule"] = {"id": info.id, "title": info.title, "claims": list(info.claims),
                    "step": firing.step}
    for child in list(firing.matched) + list(firing.consulted):
        if child in answer.facts:
            node["children"].append(how(answer, child, shown))
    return node


def leaves(node: dict) -> list[dict]:
    """The facts at the ends of a tree's branches (a repeated fact ends where it was first shown)."""
    if not node["children"]:
        return [node]
    return [leaf for child in node["children"] for leaf in leaves(child)]


def evidence_beneath(answer, fact_id: int) -> list[dict]:
    """The case-file evidence a fact rests on (its tree's input leaves), each once."""
    seen, found = set(), []
    for leaf in leaves(how(answer, fact_id)):
        fid = leaf["fact"]["id"]
        if leaf["input"] and fid not in seen and leaf["fact"]["type"] != "Question":
            seen.add(fid)
            found.append(leaf["fact"])
    return found


# ---- WHY NOT: the rules that would have concluded it, and what failed ------------------------
def _visible_to(answer, rule_id: str) -> set:
    """Facts that existed before ``rule_id`` could fire: inputs and higher-salience conclusions."""
    salience = RULES[rule_id].salience
    by = _asserted_by(answer)
    return {fid for fid in answer.facts
            if fid not in by or RULES[by[fid].rule].salience > salience}


def condition(answer, rule_id: str, pattern, text: str, depth: int = 1) -> dict:
    """One condition of a rule tested against working memory, with what failed and why."""
    result = {"text": text, "holds": True, "found": [], "note": "", "evidence": [], "concluders": []}
    facts = sorted(answer.facts.items())
    by = _asserted_by(answer)
    if isinstance(pattern, CE.NOT):
        visible = _visible_to(answer, rule_id)
        inner = [p for p in pattern if not isinstance(p, CE.ConditionalElement)]
        hits = [fid for fid, fact in facts if fid in visible and any(satisfies(p, fact) for p in inner)]
        if hits:
            result["holds"] = False
            result["found"] = [fact_record(answer, fid) for fid in hits]
            firing = by.get(hits[0])
            result["note"] = (f"but {firing.rule} {RULES[firing.rule].title} concluded it first "
                              f"(step {firing.step}, salience {RULES[firing.rule].salience} > "
                              f"{RULES[rule_id].salience})") if firing else "but the case files say so"
            for fid in hits:
                result["evidence"] += evidence_beneath(answer, fid)
        return result
    if isinstance(pattern, CE.TEST):  # a comparison of values the patterns before it bound
        result["note"] = "a comparison of the values above"
        return result
    if isinstance(pattern, (CE.OR, CE.AND)):
        parts = [condition(answer, rule_id, p, describe_part(p), depth) for p in pattern]
        holds = any(p["holds"] for p in parts) if isinstance(pattern, CE.OR) else \
            all(p["holds"] for p in parts)
        result.update(holds=holds, parts=parts)
        if not holds:
            for part in parts:
                result["evidence"] += part["evidence"]
        return result
    hits = [fid for fid, fact in facts if satisfies(pattern, fact)]
    if hits:
        result["found"] = [fact_record(answer, fid) for fid in hits]
        return result
    result["holds"] = False
    identity = _identity(pattern)
    near = [fid for fid, fact in facts if type(fact) is type(pattern)
            and all(fact.get(k) == v for k, v in identity.items())]
    name = type(pattern).__name__
    if near:
        result["found"] = [fact_record(answer, fid) for fid in near]
        result["note"] = "found instead: " + "; ".join(
            phrase(f) + (f" ({where(f)})" if where(f) else "") for f in result["found"])
        for fid in near:
            result["evidence"] += evidence_beneath(answer, fid)
        return result
    makers = concluders(name, identity)
    if not makers:
        told = ", ".join(f"{k} {v}" for k, v in identity.items())
        result["note"] = f"the case files give no {_words(name)}{' with ' + told if told else ''}"
        return result
    result["note"] = f"nothing concluded {_words(name)}"
    if depth > 0:
        for maker in makers:
            parts = [condition(answer, maker, p, t, depth - 1)
                     for p, t in zip(rule_objects()[maker], RULES[maker].conditions)]
            failed = [p for p in parts if not p["holds"]]
            result["concluders"].append({"rule": maker, "title": RULES[maker].title,
                                         "failed": failed})
            for part in failed:
                result["evidence"] += part["evidence"]
    return result


def describe_part(pattern) -> str:
    from digital_coalitions.rules.base import describe

    return describe(pattern)


def _words(type_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type_name).lower()


def _unique(facts: list[dict]) -> list[dict]:
    seen, found = set(), []
    for fact in facts:
        if fact["id"] not in seen:
            seen.add(fact["id"])
            found.append(fact)
    return sorted(found, key=lambda f: f["id"])


def rule_test(answer, rule_id: str, fired: set) -> dict:
    rule, info = rule_objects()[rule_id], RULES[rule_id]
    parts = [condition(answer, rule_id, p, t) for p, t in zip(rule, info.conditions)]
    return {"rule": info.id, "title": info.title, "claims": list(info.claims),
            "salience": info.salience, "fired": rule_id in fired, "conditions": parts,
            "evidence": _unique([e for p in parts if not p["holds"] for e in p["evidence"]])}


def why_not(answer, type_name: str, literals: dict | None, label: str) -> dict:
    """Why was ``label`` not concluded? Each rule that could have concluded it, tested."""
    fired = {f.rule for f in answer.firings}
    tested = [rule_test(answer, r, fired) for r in concluders(type_name, literals)]
    return {"kind": "why-not", "label": label, "rules": tested,
            "evidence": _unique([e for t in tested for e in t["evidence"]])}


# ---- the command's entry point ---------------------------------------------------------------
def did_you_mean(name: str) -> str:
    """' (did you mean …?)' for an unknown concept: close spellings ('strangelhold'), then the
    concepts it is a word of ('security': security_attachment, security_dependency, …)."""
    known = [*sorted(CONCEPTS), *VERDICTS]
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.75)
    near += [k for k in known if name and name in k.split("_") and k not in near]
    if not near:
        return ""
    shown = [repr(k) for k in near[:4]]
    listed = ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else shown[0]
    return f" (did you mean {listed}?)"


def explain(answer, concept: str) -> dict:
    """``why STATE COALITION CONCEPT``: a HOW tree, or a WHY NOT for what was not concluded."""
    word = concept.strip().lower()
    head = {"question": f"Will {display_name(answer.state.data)} join "
                        f"{display_name(answer.coalition.data)}?",
            "verdict": answer.verdict}
    if word in VERDICTS and word != answer.verdict:
        result = why_not(answer, "Verdict", {"value": word}, f"the verdict {word}")
        result["actual"] = f"the verdict is {answer.verdict}"
        return {**head, **result, "concept": word}
    name = "verdict" if word in VERDICTS else concept_name(concept)
    if name not in CONCEPTS:
        raise ConceptError(
            f"unknown concept {quoted(concept)}{did_you_mean(name)}; expected one of "
            f"{', '.join(sorted(CONCEPTS))}, or a verdict ({', '.join(VERDICTS)})")
    type_name = CONCEPTS[name]
    ids = [fid for fid, fact in sorted(answer.facts.items()) if type(fact).__name__ == type_name]
    if not ids:
        result = why_not(answer, type_name, None, _words(type_name))
        result["actual"] = f"no {_words(type_name)} was concluded"
        return {**head, **result, "concept": name}
    shown: set = set()
    return {**head, "kind": "how", "concept": name, "trees": [how(answer, fid, shown) for fid in ids]}


def tree_rows(node: dict, prefix: str = "", last: bool = True, top: bool = True) -> list[dict]:
    """A tree as rows of text with box-drawing guides, for the template."""
    rows = []
    guide = "" if top else prefix + ("└─ " if last else "├─ ")
    text = node["text"] + (f"  [{node['where']}]" if node["where"] else "")
    if node["repeat"]:
        text += "  (shown above)"
    rows.append({"guide": guide, "text": text})
    inner = prefix if top else prefix + ("   " if last else "│  ")
    if node["rule"]:
        rule = node["rule"]
        triggered = any(c["fact"]["type"] == "Question" for c in node["children"])
        rows.append({"guide": inner + "⇐ ", "text": f"{rule['id']} {rule['title']} "
                     f"({', '.join(rule['claims'])}; step {rule['step']})"
                     + ("" if not triggered else ", on the question")})
        children = [c for c in node["children"] if c["fact"]["type"] != "Question"]
        for i, child in enumerate(children):
            rows += tree_rows(child, inner + "   ", i == len(children) - 1, top=False)
    return rows


def render_why_text(result: dict) -> str:
    return environment().get_template("why.txt.j2").render(r=result, rows=tree_rows,
                                                           where=where, phrase=phrase)
