"""The briefing memo: one question's answer, its alternatives, its outlook and its trace, in prose.

The memo follows the US Intelligence Community's analytic standards (ICD 203): a bottom line
up front, key judgments that stand alone and cite the rules that reached them, likelihood only
in the ICD 203 terms (one row of them; never in a sentence that speaks of confidence),
confidence with its basis, sources described, assumptions apart from evidence, alternatives
and indicators (from ``flips``), and the coalition's outlook (from the outlook rules).

This module gathers what the memo shows; the words are in templates/memo.md.j2 and
templates/memo.html.j2 (shared phrasing in memo-words.j2), so a house style can replace them
(``--templates DIR``). :func:`icd203_problems` checks a rendered memo against the language
rules.
"""

from __future__ import annotations

import datetime
import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markupsafe

from digital_coalitions.rules.claims import CLAIMS, STANDARDS
from digital_coalitions.rules.concepts import ICD203

from . import schema as S
from .analysis import Flips, flips as find_flips, roles
from .question import ASKED
from .answer import Answer, ask
from .engine import RULES, CoalitionEngine
from .outlook import Outlook, outlook as coalition_outlook
from .overrides import overrides_of, show_value
from .svgmap import VERDICT_COLOURS, VERDICT_WORDS, map_template, render_map, svg_environment
from .trace import fact_record, phrase, where

# ICD 203's two rows of likelihood expressions; a product uses one row throughout (ours: the
# first, rules/concepts.py ICD203), so any word of the second row is a mix.
LIKELIHOOD_TERMS = tuple(term for term, _, _ in ICD203)
OTHER_ROW = ("remote", "highly improbable", "improbable", "improbably", "roughly even odds",
             "probable", "probably", "highly probable", "nearly certain")
CONFIDENCE_WORDS = ("confidence", "confident", "confidently")

# the memo's four mechanisms: (heading, the derived facts shown, in order)
MECHANISMS = (
    ("Security dependency", ("SecurityDependency", "SecurityLeverage", "NarrativeReceptiveness",
                             "StatusAnxiety")),
    ("Technological stranglehold", ("Stranglehold", "Malposition", "FirmLevelStranglehold",
                                    "TechnologicalStick", "TechnologicalCarrot",
                                    "StrangleholdOutweighsMarket", "Substitution")),
    ("Interest sacrifice and compensation", ("InterestSacrifice", "Compensation",
                                             "SoftenedWording")),
    ("Autonomy", ("AutonomyPressure", "ObjectionToFraming", "GovernmentPace")),
)
MAX_ALTERNATIVES = 3  # changes shown per alternative outcome
MAX_INDICATORS = 8


@dataclass
class Concept:
    """One derived fact of the answer, with the rule that concluded it and the evidence beneath."""

    name: str  # the fact class: SecurityDependency, ...
    value: object  # its level (or True for a yes/no concept)
    rule: str
    title: str
    claims: tuple[str, ...]
    evidence: list[dict]  # trace fact records of the case-file values beneath it
    sources: list[int] = field(default_factory=list)  # memo source numbers linked to the evidence


@dataclass
class Memo:
    answer: Answer
    date: str
    flips: Flips
    outlook: Outlook
    map_svg: str
    mechanisms: list[tuple[str, list[Concept]]]
    sources: list[dict]  # {n, case, text}
    assumptions: list[dict]
    indicators: list[dict]
    alternatives: list[dict]
    annex: dict  # trace.view(record)
    overrides: tuple = ()
    chain: dict = field(default_factory=dict)  # concept -> chain Step
    names: dict = field(default_factory=dict)  # state id -> name

    def name(self, state_id) -> str:
        return self.names.get(state_id, state_id) if state_id else "none"

    def context(self) -> dict:
        a = self.answer
        return {
            "m": self, "a": a, "state": a.state.data, "coalition": a.coalition.data,
            "leader": self.name(a.coalition.data["leader"]),
            "target": self.name(a.coalition.data.get("target")),
            "claims": {**CLAIMS, **STANDARDS}, "rules": RULES,
            "verdict_words": VERDICT_WORDS, "colours": VERDICT_COLOURS,
            "show": show_value, "field_doc": field_doc, "name": self.name,
            "phrase": phrase, "where": where, "annex": self.annex, "icd203": ICD203,
        }


def field_doc(case: str, path: str) -> str:
    """What a field of a case file means, from the contract (schema), e.g. 'fear of abandonment'."""
    try:
        doc = S.field(case, path).doc
    except KeyError:
        doc = ""
    return doc or path.rsplit(".", 1)[-1].replace("_", " ")


# ---- gathering --------------------------------------------------------------------------------
def _sources(answer: Answer) -> list[dict]:
    out, n = [], 0
    for case, file in (("state", answer.state), ("coalition", answer.coalition)):
        for text in file.data.get("sources") or []:
            n += 1
            out.append({"n": n, "case": case, "file": file.path.name, "text": text})
    return out


def _normal(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "


def _linked_sources(evidence: list[dict], sources: list[dict]) -> list[int]:
    """Sources that name an evidence field (e.g. '(offers.subsidies)'), by the field's last two parts."""
    found = []
    for record in evidence:
        origin = record.get("from") or {}
        kind = record["fields"].get("source") or record["fields"].get("case")
        parts = str(origin.get("path", "")).split(".")
        tail = _normal(" ".join(parts[-2:])) if len(parts) >= 2 else None
        for source in sources:
            if tail and source["case"] == kind and tail in _normal(source["text"]) \
                    and source["n"] not in found:
                found.append(source["n"])
    return sorted(found)


def _concepts(answer: Answer, sources: list[dict]) -> list[tuple[str, list[Concept]]]:
    from .why import evidence_beneath

    by = {fid: firing for firing in answer.firings for fid in firing.asserted}
    out = []
    for heading, names in MECHANISMS:
        found = []
        for name in names:
            for fid, fact in sorted(answer.facts.items()):
                if type(fact).__name__ != name or fid not in by:
                    continue
                info = RULES[by[fid].rule]
                value = next((fact[k] for k in ("level", "pace") if k in fact), True)
                if found:  # a further concept: what its rule matched directly
                    firing = by[fid]
                    evidence = [fact_record(answer, i) for i in firing.matched + firing.consulted
                                if i in answer.facts]
                    evidence = [e for e in evidence if e["type"] != "Question"]
                else:  # the mechanism's own concept: all the case-file evidence beneath it
                    evidence = evidence_beneath(answer, fid)
                evidence = [e for e in evidence if e["type"] not in ("Defaulted", "Sourcing")]
                found.append(Concept(name, value, info.id, info.title, info.claims, evidence,
                                     _linked_sources(evidence, sources)))
                break
        out.append((heading, found))
    return out


def _assumptions(answer: Answer, result: Flips) -> list[dict]:
    out = [{"kind": "assumed", "text": d, "case": d.split(":", 1)[0], "path": d.split(":", 1)[1]}
           for d in answer.defaults]
    for name in result.sensitive:
        case, _, path = name.partition(".")
        out.append({"kind": "sensitive", "case": case, "path": path,
                    "value": _value_at(answer, case, path)})
    return out


def _value_at(answer: Answer, case: str, path: str):
    node = (answer.state if case == "state" else answer.coalition).data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _indicators(result: Flips) -> list[dict]:
    """One-step changes that move the verdict, then those that move only the likelihood step."""
    out = []
    for flip in result.flips:
        if len(flip.changes) == 1 and flip.changes[0].steps == 1:
            out.append({"change": flip.changes[0], "verdict": flip.verdict,
                        "direction": flip.direction})
    return out[:MAX_INDICATORS]


def _alternatives(result: Flips) -> list[dict]:
    out = []
    for verdict, found in result.by_verdict().items():
        out.append({"verdict": verdict, "direction": found[0].direction,
                    "flips": found[:MAX_ALTERNATIVES], "more": max(0, len(found) - MAX_ALTERNATIVES)})
    order = list(VERDICT_COLOURS)
    out.sort(key=lambda alt: (alt["flips"][0].plausibility, order.index(alt["verdict"])))
    return out


def build_memo(state, coalition, states: dict, engine: CoalitionEngine | None = None,
               date: str | None = None, templates=None, workers: int | None = None,
               argv=None, assignments=(), fmt: str | None = None) -> Memo:
    """Everything the memo shows, for ``state`` and ``coalition`` (``--set`` already applied).

    ``states``: the case base's states (id -> CaseFile), for the outlook and the map; the
    memo's own state replaces its file there, so --set changes reach the outlook too. ``fmt``,
    if given, is the format the memo will be rendered in: its template is compiled early.
    """
    from .trace import trace_record, view

    engine = engine or CoalitionEngine()
    answer = ask(state, coalition, engine)
    states = {**states, state.id: state}
    role_of = roles(coalition, states)
    known = {state.id: answer} if role_of.get(state.id) in ASKED else {}
    found = {}

    def meanwhile():  # this process asks the members and compiles while the workers search
        found["outlook"] = coalition_outlook(coalition, states, engine, answers=known,
                                             as_of=state.dating.asked if state.dating else None)
        map_template(templates)
        if fmt:
            memo_template(fmt, templates)

    result = find_flips(state, coalition, engine, pairs=False, workers=workers,
                        meanwhile=meanwhile)
    look = found["outlook"]
    names = {sid: s.data["name"] for sid, s in states.items()}
    svg = render_map(coalition, look.answers, look.roles, subject=state.id, templates=templates,
                     standalone=False, names=names)
    sources = _sources(answer)
    record = trace_record(answer, argv=argv or [], assignments=list(assignments))
    return Memo(
        answer=answer,
        date=date or datetime.date.today().isoformat(),
        flips=result, outlook=look, map_svg=svg,
        mechanisms=_concepts(answer, sources), sources=sources,
        assumptions=_assumptions(answer, result), indicators=_indicators(result),
        alternatives=_alternatives(result), annex=view(record),
        overrides=overrides_of(state) + overrides_of(coalition),
        chain={step.concept: step for step in answer.chain}, names=names,
    )


# ---- rendering --------------------------------------------------------------------------------
def markdown_text(value) -> str:
    """Case-file text made inert in Markdown: HTML characters escaped, table pipes too."""
    return html.escape(str(value), quote=False).replace("|", "\\|")


def emphasised(value) -> markupsafe.Markup:
    """Text with *asterisks* (the claims' section names) as HTML emphasis, everything else escaped."""
    escaped = str(markupsafe.escape(value))
    return markupsafe.Markup(re.sub(r"\*([^*\n]+)\*", r"<em>\1</em>", escaped))


def plain_escaped(value) -> markupsafe.Markup:
    """A memo-words.j2 macro's text, escaped for HTML.

    memo-words.j2 is not autoescaped (its sentences serve Markdown too), yet Jinja marks a
    macro's output safe when an autoescaped template calls it; so the HTML template passes
    each sentence through this filter, which escapes the plain text exactly once.
    """
    return markupsafe.escape(str(value))


@jinja2.pass_context
def state_name(context, state_id) -> str:
    """A state's name by id (``ids | map("name")``), from the memo being rendered."""
    return context["name"](state_id)


@functools.lru_cache(maxsize=8)
def _environment(templates: str | None) -> jinja2.Environment:
    env = svg_environment(Path(templates) if templates else None)
    env.filters.update(md=markdown_text, emphasised=emphasised, escaped=plain_escaped,
                       name=state_name)
    return env


def memo_environment(templates=None) -> jinja2.Environment:
    """The template environment of memos, built once per templates directory (compiling costs)."""
    return _environment(str(templates) if templates else None)


def memo_template(fmt: str = "markdown", templates=None) -> jinja2.Template:
    name = "memo.html.j2" if fmt == "html" else "memo.md.j2"
    return memo_environment(templates).get_template(name)


def render_memo(memo: Memo, fmt: str = "markdown", templates=None) -> str:
    return memo_template(fmt, templates).render(**memo.context())


# ---- the language rules (ICD 203) -----------------------------------------------------------------
def _visible_text(text: str) -> str:
    """HTML as the reader sees it: tags and the inline map dropped, block ends as line breaks."""
    text = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", "\n", text)
    text = re.sub(r"(?i)</?(p|div|li|tr|td|th|h\d|br|section|pre|table|ul|ol|dt|dd|figcaption)\b[^>]*>",
                  "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def sentences(text: str) -> list[str]:
    """The memo's sentences: lines (headings, bullets, table rows) split at sentence ends."""
    out = []
    for line in text.splitlines():
        for part in re.split(r"(?<=[.!?])\s+(?=[A-Z(\[\"'])", line):
            if part.strip():
                out.append(part.strip())
    return out


@functools.cache
def _word(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def _has(words, sentence: str) -> list[str]:
    lowered = sentence.lower()
    return [w for w in words if w in lowered and _word(w).search(lowered)]


def icd203_problems(text: str, html_text: bool = False) -> list[str]:
    """Where a rendered memo breaks the ICD 203 language rules (empty if it keeps them).

    One row of likelihood terms only (no word of the other row), and no sentence that holds
    both a likelihood term and a word of confidence.
    """
    if html_text:
        text = _visible_text(text)
    problems = []
    for sentence in sentences(text):
        other = _has(OTHER_ROW, sentence)
        if other:
            problems.append(f"mixes likelihood rows ({', '.join(other)}): {sentence[:120]}")
        terms = _has(LIKELIHOOD_TERMS, sentence)
        confident = _has(CONFIDENCE_WORDS, sentence)
        if terms and confident:
            problems.append(f"likelihood ({', '.join(terms)}) and confidence in one sentence: "
                            f"{sentence[:120]}")
    return problems
