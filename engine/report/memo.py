"""The briefing memo: one question's answer for a reader who will challenge it, in two layers.

First a one-page brief (ICD 203): the question with its time frame, the bottom line up front
with the year of the evidence and the horizon, three to five key judgments that say what follows
for the leader, the state and the target, confidence with its basis in the sources, and what
would change the judgment. Then the full assessment (the mechanisms, alternatives, assumptions,
indicators to watch, the target's side and the coalition's outlook, sources), and the audit
record as an annex (evidence lines with file and line, the notes naming each rule, the trace).

Likelihood is said only in ICD 203's terms (one row of them), never in a sentence that speaks of
confidence. Rule IDs are notes, not part of the prose. The memo renders what the rules
concluded; where it reads something else (the record of what the state did, the age of the
evidence, which sources support which value) it says so, and the verdict stays the rules'.

This module gathers what the memo shows; the words are in templates/memo.md.j2 and
templates/memo.html.j2 (shared phrasing in memo-words.j2; docs/templates.md lists every
variable they receive), so a house style can replace them (``--templates DIR``).
:func:`icd203_problems` checks a rendered memo against the language rules.
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
from digital_coalitions.rules.concepts import (CONCEPT, HORIZON_YEARS, ICD203, IN_ARGUMENT_ORDER,
                                                JOINING, STALE_AFTER_YEARS)

from digital_coalitions.casefiles import schema as S
from digital_coalitions.analysis.explore import Flips, flips as find_flips, roles
from digital_coalitions.inference.answer import EVIDENCE, Answer, ask
from digital_coalitions.inference.engine import RULES, CoalitionEngine
from digital_coalitions.analysis.outlook import Outlook, outlook as coalition_outlook
from digital_coalitions.casefiles.overrides import overrides_of, show_value
from digital_coalitions.casefiles.question import ASKED
from digital_coalitions.report.signposts import Alternative, Sensitive, Signpost, alternatives, indicators, sensitive
from digital_coalitions.report.sourcing import Basis, basis as source_basis, references, shown_for
from digital_coalitions.report.svgmap import (VERDICT_COLOURS, VERDICT_WORDS, map_names, map_template, render_map,
                     svg_environment)
from digital_coalitions.report.timeframe import TimeFrame, time_frame
from digital_coalitions.audit.trace import fact_record, phrase, where
from digital_coalitions.casefiles.schema import display_name
from digital_coalitions.text.wording import (VERDICT_PHRASES, Words, attributive, capfirst, listed, percent,
                      plain, short_names)

# ICD 203's two rows of likelihood expressions; a product uses one row throughout (ours: the
# first, rules/concepts.py ICD203), so any word of the second row is a mix.
LIKELIHOOD_TERMS = tuple(term for term, _, _ in ICD203)
OTHER_ROW = ("remote", "highly improbable", "improbable", "improbably", "roughly even odds",
             "probable", "probably", "highly probable", "nearly certain")
CONFIDENCE_WORDS = ("confidence", "confident", "confidently")
LAYERS = ("brief", "full")

# the memo's four mechanisms: (heading, the concepts shown under it, in the argument's order)
SECTIONS = tuple((heading, tuple(c for c in IN_ARGUMENT_ORDER if c.heading == heading))
                 for heading in dict.fromkeys(c.heading for c in IN_ARGUMENT_ORDER if c.heading))
# the judgment itself: the verdict, its likelihood and confidence
JUDGMENT_FACTS = tuple(c.fact.__name__ for c in IN_ARGUMENT_ORDER if not c.in_mechanisms)
# the key judgments: (key, the concepts each rests on, as Answer.mechanisms names them); one
# judgment per mechanism after the verdict's, the stranglehold's only where there is a domain
JUDGMENTS = (
    # little_to_sacrifice: the verdict's sentence says why the cost does not hold it back (OC-06)
    ("verdict", ("verdict", "compulsion", "coalition_form", "objection_to_content",
                 "objection_to_framing", "little_to_sacrifice")),
    ("security", ("security_dependency", "threat_from_target", "security_leverage")),
    ("technology", ("stranglehold", "malposition", "firm_level_stranglehold",
                    "technological_stick", "substitution")),
    ("cost", ("interest_sacrifice", "little_to_sacrifice", "compensation")),
    ("autonomy", ("autonomy_pressure", "objection_to_framing", "objection_to_content",
                  "government_pace", "softened_wording")),
)
# the outlook's findings shown in prose, each with a note naming its rule
OUTLOOK = (("firmness", "CoalitionFirmness"), ("stability", "DestabilisationRisk"),
           ("erosion", "ErosionRisk"), ("efficacy", "SimpleCoalitionEfficacy"),
           ("pillar", "StructuralPillar"), ("conflicts", "LimitOnDepth"),
           ("wedge", "WedgeTargets"))


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
    label: str = ""  # its line, a format (rules/concepts.py CONCEPTS: ``memo_label``)


@dataclass
class Footnote:
    """A note the prose points to: the rules (with their claims) behind one passage."""

    n: int
    key: str
    rules: list  # RuleInfo


@dataclass
class Judgment:
    key: str
    concepts: list[str]  # the concepts present, as Answer.mechanisms names them
    note: int
    sources: list[int]


@dataclass
class Memo:
    answer: Answer
    date: str
    flips: Flips
    outlook: Outlook
    map_svg: str
    mechanisms: list[tuple[str, list[Concept]]]
    sources: list[dict]  # {n, case, file, text}
    time: TimeFrame
    basis: Basis
    links: dict  # (case, path) -> sourcing.Link, for the values the verdict rests on
    judgments: list[Judgment]
    notes: list[Footnote]
    signposts: list[Signpost]
    idle_indicators: list[dict]  # indicator texts that move nothing on this question
    alternatives: list[Alternative]
    sensitive: list[Sensitive]
    assumed: list[dict]  # {case, path, doc}: values taken at their documented defaults
    annex: dict  # trace.view(record)
    words: Words
    overrides: tuple = ()
    decisions: list = field(default_factory=list)  # the decisions corpus's entries on it
    chain: dict = field(default_factory=dict)  # concept -> chain Step
    names: dict = field(default_factory=dict)  # state id -> name, as a sentence writes it
    short_names: dict = field(default_factory=dict)  # state id -> name as repeated
    concepts: dict = field(default_factory=dict)  # Answer.mechanisms name -> what concluded it
    evidence: dict = field(default_factory=dict)  # (case, path) -> the value the question read
    attributive: dict = field(default_factory=dict)  # state id -> name before a noun ("US")

    def name(self, state_id) -> str:
        return self.names.get(state_id, state_id) if state_id else "none"

    def short(self, state_id) -> str:
        return self.short_names.get(state_id) or self.name(state_id)

    @property
    def brief_signposts(self) -> list:
        """The brief's "what would change the judgment": up to three indicators that move the
        verdict, or the likelihood's term against the judgment; where none does, up to two that
        move the figure against it. One that only bears it out (joining less likely still, for
        a state staying out) changes nothing; the full memo's indicators list it."""
        against = "away from joining" if self.answer.verdict in JOINING else "towards joining"
        strong = [s for s in self.signposts
                  if s.moves == "verdict" or (s.moves == "step" and s.direction == against)]
        return strong[:3] or [s for s in self.signposts
                              if s.moves == "figure" and s.direction == against][:2]

    @property
    def near_alternatives(self) -> list:
        """(alternative, change) for up to two changes within the horizon that reach another
        verdict: what the brief says would change the judgment where no indicator does."""
        return [(alt, x) for alt in self.alternatives for x in alt.changes if x["plausible"]][:2]

    @property
    def brief_sources(self) -> list[tuple[str, list[int]]]:
        """The sources the brief cites (beside its key judgments), as short references with
        their numbers, so that a brief printed alone says what [3] is."""
        return references([n for j in self.judgments for n in j.sources], self.sources)

    def note(self, key: str) -> int | None:
        return next((n.n for n in self.notes if n.key == key), None)

    def concept(self, name: str) -> dict | None:
        """A concept the rules concluded (as Answer.mechanisms names it): value, rule, claims."""
        return self.concepts.get(name)

    def value(self, case: str, path: str):
        """The value the question read at ``path`` of the ``case`` file (None if not read)."""
        return self.evidence.get((case, path))

    def assumed_at(self, case: str, path: str) -> bool:
        """Whether the value at ``path`` of the ``case`` file was taken at its documented
        default (the file does not give it), so that a sentence says it is assumed."""
        return any(x["case"] == case and x["path"] == path for x in self.assumed)

    def verdict_if(self, case: str, path: str, value) -> str | None:
        """The verdict with the one value at ``path`` of the ``case`` file changed to
        ``value``, as the search for flips found it; None where it did not ask that change. A
        sentence saying what a change would do says it only where the rules do."""
        return next((outcome.verdict for change, outcome in self.flips.outcomes.items()
                     if (change.case, change.path, change.after) == (case, path, value)), None)

    # the question's own paths, so that templates need not spell ids
    def tie(self, name):
        return self.value("state", f"ties.{self.answer.coalition.data['leader']}.{name}")

    def industry(self, name):
        return self.value("state", f"industries.{self.answer.coalition.data.get('domain')}.{name}")

    def reliance(self, name):
        c = self.answer.coalition.data
        return self.value("state", f"industries.{c.get('domain')}.reliance.{c['leader']}.{name}")

    def exposure(self, name):
        c = self.answer.coalition.data
        return self.value("state", f"industries.{c.get('domain')}.target_exposure."
                                   f"{c.get('target')}.{name}")

    def relation(self, name):
        return self.value("state", f"targets.{self.answer.coalition.data.get('target')}.{name}")

    def autonomy(self, name):
        return self.value("state", f"autonomy.{name}")

    @property
    def weak_links(self) -> list[dict]:
        """The wedge strategy's targets (OL-65) that are weak by their own answers: members
        whose verdict is not to join readily; those that do are listed apart."""
        wedge = self.outlook.one("WedgeTargets")
        out = []
        for sid, reasons in zip(wedge.get("states") or (), wedge.get("reasons") or ()) \
                if wedge else ():
            answer = self.outlook.answers.get(sid)
            out.append({"state": sid, "reasons": list(reasons),
                        "verdict": answer.verdict if answer else None,
                        "weak": answer is not None and answer.verdict != "joins"})
        return out

    def context(self, layers: str = "full") -> dict:
        a = self.answer
        return {
            "m": self, "a": a, "state": a.state.data, "coalition": a.coalition.data,
            "layers": layers, "t": self.time, "words": self.words,
            "leader": self.name(a.coalition.data["leader"]),
            "leader_attributive": self.attributive.get(a.coalition.data["leader"], ""),
            "target": self.name(a.coalition.data.get("target")),
            "state_name": display_name(a.state.data),
            "coalition_name": display_name(a.coalition.data),
            "coalition_short": display_name(a.coalition.data, short=True),
            "claims": {**CLAIMS, **STANDARDS}, "rules": RULES,
            "verdict_words": VERDICT_WORDS, "verdict_phrases": VERDICT_PHRASES,
            "colours": VERDICT_COLOURS, "show": show_value, "plain": plain,
            "percent": percent, "listed": listed, "capfirst": capfirst,
            "field_doc": field_doc, "name": self.name,
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
            out.append({"n": n, "case": case, "file": file.path.name, "text": text,
                        "body": without_field_notes(text)})
    return out


@functools.cache
def _field_note() -> re.Pattern:
    """What marks a writer's note on a case file's values: a field's name or dotted path
    (snake_case, ``offers.subsidies``, ``pillar:``) or a YAML literal (null, true, false)."""
    names = {f.name for kind in ("state", "coalition") for _, f in S.iter_fields(kind)}
    roots = "|".join(sorted(re.escape(n) for n in names))
    return re.compile(rf"[a-z]_[a-z]|\b(?:{roots})\s*(?:[:=.]\s*\S|\s+is\s+null)"
                      r"|\b(?:null|true|false)\b")


# a pointer to the project's own documents ("(see README)", "; see docs/case-files.md on …"):
# it helps whoever edits the case file, and means nothing to a memo's reader
# only where the pointer is all there is up to the end of its parenthesis, clause or sentence
# ("see README on North Korea"), so that a sentence going on ("see README, went 60% …", "see
# README for the 0.6 share") is left whole
_POINTER = r"(?:see|cf\.?)\s+(?:the\s+)?(?:README|docs/[\w/-]+(?:\.md)?)(?:\s+on\s+[^;:()\n,.]*)?"
_END = r"(?=\s*(?:\)|\.(?:\s|$)|$))"
_POINTERS = (re.compile(rf"\s*\(\s*{_POINTER}\s*\)", re.I),  # the whole parenthesis
             re.compile(rf"\s*;\s*{_POINTER}{_END}", re.I),  # a clause at its end
             re.compile(rf"(?:(?<=[.!?])\s+|^){_POINTER}\s*\.(?=\s|$)", re.I))  # a sentence


def without_pointers(text) -> str:
    """Case-file text without its pointers to the project's documents (the South Korea file's
    "… stance differed (see README)."): a memo quotes the evidence, not the repository."""
    text = str(text)
    for pattern in _POINTERS:
        text = pattern.sub("", text)
    return text.strip()


def without_field_notes(text: str) -> str:
    """A source's text without the notes its writer added for the case file's fields
    ("(offers.subsidies)", "(threat_from: north-korea)", "arms_import_share is null: …"): the
    body of the memo speaks in words; the annex keeps the text as written."""
    note = _field_note()
    text = without_pointers(text)
    text = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if note.search(m.group(1)) else m.group(0),
                  text)
    parts = re.split(r"((?<=[;:])\s+)", text)
    kept = [p for p in parts[::2] if p.strip() and not note.search(p)]
    cleaned = " ".join(p.strip() for p in kept).strip()
    cleaned = re.sub(r"[;:,]\s*$", "", cleaned)
    return cleaned or "a note on the case file's values (its text is in the annex)"


def _asserted_by(answer: Answer) -> dict:
    return {fid: firing for firing in answer.firings for fid in firing.asserted}


def _concept_table(answer: Answer) -> dict:
    """Answer.mechanisms name -> {value, rule, title, claims, fid} for each concept concluded."""
    by = _asserted_by(answer)
    first = {}
    for fid, fact in sorted(answer.facts.items()):
        first.setdefault(type(fact).__name__, fid)
    out = {}
    for name, value in answer.mechanisms.items():
        fid = first.get(CONCEPT[name].fact.__name__)
        if fid is None or fid not in by or value in (None, False, []):
            continue
        info = RULES[by[fid].rule]
        out[name] = {"value": value, "rule": info.id, "title": info.title,
                     "claims": info.claims, "fid": fid, "info": info}
    fid = first["Verdict"]
    info = RULES[by[fid].rule]
    out["verdict"] = {"value": answer.verdict, "rule": info.id, "title": info.title,
                      "claims": info.claims, "fid": fid, "info": info}
    return out


def _evidence_of(answer: Answer, fid: int, through_verdict: bool = True) -> list[dict]:
    """The case-file values beneath a fact. ``through_verdict`` False stops at the verdict:
    what follows from the verdict (softened wording) cites its own evidence, not the verdict's."""
    by = _asserted_by(answer)
    found, seen, todo = [], set(), [fid]
    while todo:
        current = todo.pop(0)
        if current in seen or current not in answer.facts:
            continue
        seen.add(current)
        firing = by.get(current)
        if firing is None:
            record = fact_record(answer, current)
            if record["type"] in EVIDENCE and record.get("from") \
                    and not record["from"].get("unwritten"):
                found.append(record)
            continue
        for child in list(firing.matched) + list(firing.consulted):
            kind = type(answer.facts.get(child)).__name__
            if through_verdict or kind not in JUDGMENT_FACTS:
                todo.append(child)
    return found


def _values(records) -> list[tuple[str, str]]:
    out = []
    for e in records:
        key = (e["fields"]["source"], e["fields"]["path"])
        if key not in out:
            out.append(key)
    return out


def _concepts(answer: Answer, sources: list[dict], called: dict) -> list[tuple[str, list[Concept]]]:
    from digital_coalitions.report.sourcing import link

    by = _asserted_by(answer)
    out = []
    for heading, under in SECTIONS:
        found = []
        for concept in under:
            for fid, fact in sorted(answer.facts.items()):
                if type(fact) is not concept.fact or fid not in by:
                    continue
                info = RULES[by[fid].rule]
                value = fact[concept.field] if concept.field else True
                if found:  # a further concept: what its rule matched directly
                    firing = by[fid]
                    evidence = [fact_record(answer, i) for i in firing.matched + firing.consulted
                                if i in answer.facts]
                    evidence = [e for e in evidence if e["type"] != "Question"]
                else:  # the mechanism's own concept: all the case-file evidence beneath it
                    evidence = _evidence_of(answer, fid)
                evidence = [e for e in evidence if e["type"] not in ("Defaulted", "Sourcing",
                                                                     "SourceOrigins",
                                                                     "SourceRecency")]
                links = [link(case, path, sources, called) for case, path in _values(
                    e for e in evidence if e["type"] in EVIDENCE and e.get("from"))]
                found.append(Concept(concept.fact.__name__, value, info.id, info.title,
                                     info.claims, evidence, shown_for(links, limit=4),
                                     concept.memo_label))
                break
        out.append((heading, found))
    return out


def _sourced_by(key: str, present: list[str], answer: Answer) -> list[str]:
    """The concepts whose evidence a judgment cites: the verdict's are the reasons it names
    (what compels it, what it objects to), not everything beneath it."""
    if key != "verdict":
        return present
    compulsion = answer.mechanisms.get("compulsion") or []
    named = (["stranglehold"] if "stranglehold" in compulsion else []) + \
        (["security_leverage"] if "security leverage" in compulsion else []) + \
        [n for n in ("objection_to_content", "objection_to_framing") if answer.mechanisms.get(n)]
    return named or ["verdict"]  # what the verdict's own rule read from the files


def _judgments(answer: Answer, table: dict, sources: list[dict], links: dict,
               notes: list[Footnote], called: dict) -> list[Judgment]:
    from digital_coalitions.report.sourcing import link

    out = []
    for key, names in JUDGMENTS:
        if key == "technology" and not answer.coalition.data.get("domain"):
            continue
        present = [n for n in names if n in table]
        if not present:
            continue
        values = []
        for name in _sourced_by(key, present, answer):
            if name == "verdict":
                firing = _asserted_by(answer)[table[name]["fid"]]
                records = [fact_record(answer, i) for i in firing.matched if i in answer.facts]
                found_here = [r for r in records if r["type"] in EVIDENCE and r.get("from")]
            else:
                found_here = _evidence_of(answer, table[name]["fid"], False)
            values += [v for v in _values(found_here) if v not in values]
        found = [links.get(v) or link(*v, sources, called) for v in values]
        rules = []
        for name in present:
            info = table[name]["info"]
            if info not in rules:
                rules.append(info)
        notes.append(Footnote(len(notes) + 1, f"judgment-{key}", rules))
        out.append(Judgment(key, present, notes[-1].n, shown_for(found)))
    return out


def _outlook_notes(look: Outlook, notes: list[Footnote]) -> None:
    for key, concept in OUTLOOK:
        finding = look.one(concept)
        if finding is None:
            continue
        rules = [finding.info]
        below = {"LimitOnDepth": "ConflictOfInterest", "WedgeTargets": "WeakLink"}.get(concept)
        for f in look.every(below) if below else ():
            if f.info not in rules:
                rules.append(f.info)
        notes.append(Footnote(len(notes) + 1, f"outlook-{key}", rules))
    tiers = look.every("PartnerTier")
    if tiers:
        rules = []
        for f in tiers:
            if f.info not in rules:
                rules.append(f.info)
        notes.append(Footnote(len(notes) + 1, "outlook-tiers", rules))


def _memo_date(date: str | None) -> str:
    return date or datetime.date.today().isoformat()


def build_memo(state, coalition, states: dict, engine: CoalitionEngine | None = None,
               date: str | None = None, templates=None, workers: int | None = None,
               argv=None, fmt: str | None = None, decisions=None,
               horizon: int = HORIZON_YEARS, stale_after: int = STALE_AFTER_YEARS) -> Memo:
    """Everything the memo shows, for ``state`` and ``coalition`` (``--set`` already applied).

    ``states``: the case base's states (id -> CaseFile), for the outlook and the map; the
    memo's own state replaces its file there, so --set changes reach the outlook too. ``fmt``,
    if given, is the format the memo will be rendered in: its template is compiled early.
    ``decisions``: the decisions corpus's entries about this question (a list of
    backtest.Decision), or a callable giving them, asked while the search runs; the memo
    reads from them, and from the coalition's members, whether the state already joined.
    """
    from digital_coalitions.audit.trace import trace_record, view

    engine = engine or CoalitionEngine()
    answer = ask(state, coalition, engine)
    states = {**states, state.id: state}
    # the coalition as the question read it: members of that year, each on its evidence then
    # (the latest evidence of each would put a state that joined later among the members)
    as_of = (state.dating.year if state.dating.asked is None else state.dating.asked) \
        if state.dating else None
    role_of = roles(coalition, states, as_of)
    known = {state.id: answer} if role_of.get(state.id) in ASKED else {}
    found = {}

    def meanwhile():  # this process asks the members and compiles while the workers search
        found["outlook"] = coalition_outlook(coalition, states, engine, answers=known,
                                             as_of=as_of)
        found["decisions"] = decisions() if callable(decisions) else list(decisions or ())
        map_template(templates)
        if fmt:
            memo_template(fmt, templates)
            for shared in ("memo-words.j2", "dating.j2"):  # imported while rendering: compile now
                memo_environment(templates).get_template(shared)

    result = find_flips(state, coalition, engine, pairs=False, workers=workers,
                        meanwhile=meanwhile)
    look = found["outlook"]
    svg = render_map(coalition, look.answers, look.roles, subject=state.id, templates=templates,
                     standalone=False, names=map_names(states))
    def ask_at(year):  # the question at the year of a recorded decision (one cheap run)
        from digital_coalitions.casefiles.question import dated

        earlier = ask(*dated(state, coalition, year), engine)
        return earlier.verdict, earlier.dating["state"]

    changes = overrides_of(state, coalition)  # only those that took effect
    frame = time_frame(answer, found["decisions"], _memo_date(date), horizon, stale_after,
                       ask_at, supposed=bool(changes))
    display = {sid: display_name(s.data) for sid, s in states.items()}
    short = short_names(states)
    words = Words(coalition.data, short)
    sources = _sources(answer)
    table = _concept_table(answer)
    values = []  # beneath the verdict, its likelihood and each step of its chain
    likelihood = next(fid for fid, f in answer.facts.items() if type(f).__name__ == "Likelihood")
    for fid in [table["verdict"]["fid"], likelihood] + [table[s.concept]["fid"]
                                                        for s in answer.chain if s.concept in table]:
        values += [v for v in _values(_evidence_of(answer, fid)) if v not in values]
    estimated = sum(1 for f in answer.facts.values() if type(f).__name__ == "Estimated")
    called = {sid: [s.data["name"], *(s.data.get("aliases") or ()),
                    *([s.data["short_name"]] if s.data.get("short_name") else [])]
              for sid, s in states.items()}
    grounds, links = source_basis(values, sources, answer.dating["state"], len(answer.defaults),
                                  estimated, called, int(_memo_date(date)[:4]))
    notes: list[Footnote] = [Footnote(1, "bluf", [table["verdict"]["info"], RULES["LK-10"]])]
    judgments = _judgments(answer, table, sources, links, notes, called)
    notes.append(Footnote(len(notes) + 1, "confidence", [
        RULES[r] for r in dict.fromkeys(answer.rules_fired) if r.startswith("CF-")]))
    mechanisms = _concepts(answer, sources, called)
    for i, (_, concepts) in enumerate(mechanisms):
        if concepts:
            notes.append(Footnote(len(notes) + 1, f"mechanism-{i}",
                                  list({RULES[k.rule]: None for k in concepts})))
    _outlook_notes(look, notes)
    signs, idle = indicators(result, state, coalition, words)
    record = trace_record(answer, argv=argv or [], assignments=[o.text for o in changes])
    return Memo(
        answer=answer, date=_memo_date(date), flips=result, outlook=look, map_svg=svg,
        mechanisms=mechanisms, sources=sources, time=frame, basis=grounds, links=links,
        judgments=judgments, notes=notes, signposts=signs, idle_indicators=idle,
        alternatives=alternatives(result), sensitive=sensitive(result),
        assumed=[{"case": d.split(":", 1)[0], "path": d.split(":", 1)[1],
                  "doc": field_doc(*d.split(":", 1))} for d in answer.defaults],
        annex=view(record), words=words,
        overrides=changes,
        decisions=found["decisions"],
        chain={step.concept: step for step in answer.chain}, names=display, short_names=short,
        concepts=table, evidence=answer.evidence(),
        attributive={sid: attributive(s.data) for sid, s in states.items()},
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
def commitment_words(context, word) -> str:
    """A commitment (schema COMMITMENTS) in the memo's words: 'excluding China's vendors'."""
    return context["words"].commitment(word)


@jinja2.pass_context
def state_name(context, state_id) -> str:
    """A state's name by id (``ids | map("name")``), from the memo being rendered."""
    return context["name"](state_id)


@functools.lru_cache(maxsize=8)
def _environment(templates: str | None) -> jinja2.Environment:
    env = svg_environment(Path(templates) if templates else None)
    env.filters.update(md=markdown_text, emphasised=emphasised, escaped=plain_escaped,
                       name=state_name, commitment=commitment_words,
                       quoted=without_pointers)
    env.add_extension("jinja2.ext.do")  # the sentences gather their clauses in lists
    return env


def memo_environment(templates=None) -> jinja2.Environment:
    """The template environment of memos, built once per templates directory (compiling costs)."""
    return _environment(str(templates) if templates else None)


def memo_template(fmt: str = "markdown", templates=None) -> jinja2.Template:
    name = "memo.html.j2" if fmt == "html" else "memo.md.j2"
    return memo_environment(templates).get_template(name)


def render_memo(memo: Memo, fmt: str = "markdown", templates=None, layers: str = "full") -> str:
    """The memo as Markdown or HTML: ``layers`` "full" (brief, assessment, annex) or "brief"."""
    return memo_template(fmt, templates).render(**memo.context(layers))


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
