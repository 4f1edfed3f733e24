"""The engine's raw cost floor, and CLIPS as the field's reference engine (issue 5).

Run by hand, not in CI (clipspy is a benchmark-only dependency, the ``bench`` extra)::

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/engine_floor.py            # prints the table, writes docs/benchmark-floor.md

It measures, as medians over repeated runs on this machine, one inference for the South
Korea / Chip 4 question:

* our engine with the whole rule base, warm (one engine reused: ``answer.ask``, and the bare
  reset + declare + run inside it) and fresh (a new ``CoalitionEngine`` for the question);
* experta's floor: a ``KnowledgeEngine`` with no rules doing reset + declare + run for the same
  facts (the same number, the same objects);
* a slice of the rule base run two ways on the same facts: by our engine (``SliceEngine``, a
  ``CoalitionEngine`` with every other rule removed) and by CLIPS (``CLIPS_PROGRAM``, a
  translation of the same rules into deftemplates and defrules, via clipspy).

The slice is the security-dependency evidence and classification (SD-01..SD-08, SD-10, SD-11,
SD-20, SD-21), the stranglehold (ST-01..ST-07, ST-10) and the decision table's precedence for
V-01, V-02, V-07, V-08 and V-10, with the rules those rows read (SD-32, SC-01..SC-11, AU-01,
AU-03, OC-01, OC-02): without them V-07 and V-08 could never fire. Before timing, the
script checks on every shipped pairing that CLIPS reaches the same levels as our engine
(commitment, attachment, security dependency, stranglehold, sacrifice) and the same verdict and
number of firings as our slice; it stops if they differ.

The CLIPS text is written rule by rule from rules/*.py, and every number and table in it
(points, bands, the dependency table, the stranglehold base, saliences) is read from the
Python rule modules, so the two cannot drift apart silently; the check above catches the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

from digital_coalitions.inference.answer import ask
from digital_coalitions.compat import experta
from digital_coalitions.inference.engine import RULE_MIXINS, RULES, CoalitionEngine
from digital_coalitions.casefiles.evidence import question_evidence
from digital_coalitions.casefiles.loader import load_dir
from digital_coalitions.casefiles.question import shipped_cases
from digital_coalitions.rules import autonomy, sacrifice, security, stranglehold
from digital_coalitions.rules import concepts as c
from digital_coalitions.rules.base import rule_info

ROOT = Path(__file__).resolve().parents[1]
QUESTION = ("south-korea", "chip4")

SLICE = (
    # security dependency: evidence, classification, concept; the narrative OC-02 reads
    "SD-01", "SD-02", "SD-03", "SD-04", "SD-05", "SD-06", "SD-07", "SD-08",
    "SD-10", "SD-11", "SD-20", "SD-21", "SD-30",
    # stranglehold: bounds and level; the cut-off SC-08 reads
    "ST-01", "ST-02", "ST-03", "ST-04", "ST-05", "ST-06", "ST-07", "ST-10", "ST-23",
    # what V-07 and V-08 read: leverage, sacrifice, autonomy, pace, compulsion
    "SD-32", "SC-01", "SC-02", "SC-03", "SC-04", "SC-05", "SC-06", "SC-07", "SC-08", "SC-09",
    "SC-10", "SC-11", "AU-01", "AU-03", "OC-01", "OC-02",
    # rows of the decision table, in its precedence
    "V-01", "V-02", "V-07", "V-08", "V-10",
)


# ---- our engine, on the slice only ---------------------------------------------------------------
class SliceEngine(CoalitionEngine):
    """A CoalitionEngine with only the rules of ``SLICE``: every other rule attribute is masked
    with None, so experta's rule discovery (``inspect.getmembers``) never sees it."""


for _mixin in RULE_MIXINS:
    for _name, _value in vars(_mixin).items():
        if isinstance(_value, experta.Rule) and rule_info(_value).id not in SLICE:
            setattr(SliceEngine, _name, None)


class FloorEngine(experta.KnowledgeEngine):
    """experta with no rules at all: what reset + declare + run cost by themselves."""


# ---- the slice in CLIPS ---------------------------------------------------------------------------
def _words(words) -> str:
    return "|".join(words)


def _at_least(scale, level) -> str:
    return _words(scale[scale.index(level):])


def _at_most(scale, level) -> str:
    return _words(scale[:scale.index(level) + 1])


def _pairs(mapping) -> str:
    return " ".join(f"{k} {v}" for k, v in mapping.items())


def _bands(bands) -> str:
    return " ".join(f"{lower} {level}" for lower, level in bands)


def _salience(rule_id: str) -> str:
    return f"(declare (salience {RULES[rule_id].salience}))"


ALLIED = _words(security.ALLIANCE_POINTS)  # the words SD-01's ALLIED accepts
SOME_RELIANCE = _at_least(c.RELIANCE, "low")
EVIDENCE_TEMPLATES = {  # experta class -> CLIPS template: the same slots
    c.Question: ("state", "coalition", "leader", "target", "domain", "year", "earliest"),
    c.CoalitionTrait: ("field", "value", "source", "path"),
    c.Tie: ("field", "value", "source", "path"),
    c.Autonomy: ("field", "value", "source", "path"),
    c.Industry: ("field", "value", "source", "path"),
    c.Reliance: ("field", "value", "source", "path"),
    c.TargetRelation: ("field", "value", "source", "path"),
    c.Offer: ("kind", "source", "path"),
    c.Pressure: ("kind", "source", "path"),
    c.Sourcing: ("source", "value", "path"),
    c.SourceOrigins: ("source", "value", "path"),
    c.SourceRecency: ("source", "value", "path"),
    c.Defaulted: ("case", "path"),
    c.Estimated: ("case", "path"),
}
DERIVED_TEMPLATES = {
    "factor": ("concept", "points", "reason", "claim"),
    "stranglehold-bound": ("bound", "level", "reason", "claim"),
    "restricted-exposure": ("of", "share"),
    "alliance-commitment": ("level", "score"),
    "security-attachment": ("level", "score"),
    "security-dependency": ("level",),
    "security-leverage": (),
    "stranglehold": ("level",),
    "malposition": (),
    "firm-level-stranglehold": (),
    "interest-sacrifice": ("level", "score"),
    "autonomy-pressure": ("level",),
    "government-pace": ("pace", "stance"),
    "compulsion": ("source",),
    "narrative-receptiveness": ("level", "shared_values", "threat"),
    "target-product-cut-off": ("year",),
    "verdict": ("value",),
}


def template_name(kind: type) -> str:
    """``TargetRelation`` -> ``target-relation``."""
    return "".join("-" + ch.lower() if ch.isupper() else ch for ch in kind.__name__).lstrip("-")


def _deftemplates() -> list[str]:
    out = []
    for name, slots in [(template_name(k), s) for k, s in EVIDENCE_TEMPLATES.items()] + \
            list(DERIVED_TEMPLATES.items()):
        out.append(f"(deftemplate {name} " + " ".join(f"(slot {s})" for s in slots) + ")")
    return out


DEFFUNCTIONS = [
    # rules/base.py level_of: the level whose lower bound is the highest one not above the score
    """(deffunction level-of (?score $?bands)
         (bind ?chosen (nth$ 2 ?bands))
         (loop-for-count (?i 1 (div (length$ ?bands) 2))
           (if (>= ?score (nth$ (- (* 2 ?i) 1) ?bands)) then (bind ?chosen (nth$ (* 2 ?i) ?bands))))
         ?chosen)""",
    # a Python dict as key value pairs
    """(deffunction lookup (?key $?pairs)
         (loop-for-count (?i 1 (div (length$ ?pairs) 2))
           (if (eq ?key (nth$ (- (* 2 ?i) 1) ?pairs)) then (return (nth$ (* 2 ?i) ?pairs))))
         nil)""",
    # CoalitionEngine.weigh: the points of one concept's factors in working memory
    """(deffunction weigh (?concept)
         (bind ?sum 0)
         (do-for-all-facts ((?f factor)) (eq ?f:concept ?concept) (bind ?sum (+ ?sum ?f:points)))
         ?sum)""",
    # sacrifice.share_points: 3 for a half or more, 2 for a quarter, 1 for a tenth
    "(deffunction share-points (?share) "
    + "".join(f"(if (>= ?share {floor}) then (return {points})) "
              for floor, points in sacrifice.SHARE_POINTS) + "0)",
    # security.DEPENDENCY[commitment][attachment]
    "(deffunction dependency (?commitment ?attachment) (lookup (sym-cat ?commitment / ?attachment) "
    + " ".join(f"{com}/{att} {level}" for com, row in security.DEPENDENCY.items()
               for att, level in row.items()) + "))",
]


POINTS = "share-points"


def _defrules() -> list[str]:
    s = security
    complex_ = "(coalition-trait (field demand) (value complex))"
    allied = f"(tie (field alliance) (value {ALLIED}))"
    undecided = "(not (verdict))"

    def factor(concept, points, reason, claim):
        return f'(assert (factor (concept {concept}) (points {points}) (reason {reason}) (claim {claim})))'

    def bound(kind, level, reason, claim):
        return f'(assert (stranglehold-bound (bound {kind}) (level {level}) (reason {reason}) (claim {claim})))'

    rules = {
        # ---- security dependency (rules/security.py) ----
        "SD-01": (f"(tie (field alliance) (value ?alliance&{ALLIED}))",
                  factor("commitment", f"(lookup ?alliance {_pairs(s.ALLIANCE_POINTS)})",
                         '(str-cat ?alliance " alliance with the leader")', "S2")),
        "SD-02": (f"{allied} (tie (field institutionalisation) (value ?level&moderate|high))",
                  factor("commitment", f"(lookup ?level {_pairs(s.INSTITUTION_POINTS)})",
                         '(str-cat ?level " institutionalisation of the alliance")', "S2")),
        "SD-03": (f"{allied} (tie (field extended_deterrence) (value TRUE))",
                  factor("commitment", 1, '"under the leader\'s extended deterrence"', "S2")),
        "SD-04": (f"{allied} (tie (field joint_exercises) (value regular))",
                  factor("commitment", 1, '"regular joint exercises with the leader"', "S3")),
        "SD-05": (f"{allied} (tie (field existential_threat) (value ?level&low|moderate|high))",
                  factor("attachment", f"(lookup ?level {_pairs(s.THREAT_POINTS)})",
                         '(str-cat ?level " threat the leader protects against")', "S3")),
        "SD-06": (f"{allied} (tie (field abandonment_fear) (value ?level&moderate|high))",
                  factor("attachment", f"(lookup ?level {_pairs(s.FEAR_POINTS)})",
                         '(str-cat ?level " fear of abandonment")', "S2")),
        # base.share_at_least: a number (CLIPS TRUE/FALSE are symbols, so no bool slips in)
        "SD-07": (f"{allied} (tie (field arms_import_share) "
                  f"(value ?share&:(numberp ?share)&:(>= ?share {s.ARMS_SHARE})))",
                  factor("attachment", 1, '(str-cat (integer (round (* ?share 100))) '
                                          '"% of arms imports from the leader")', "S4")),
        "SD-08": (f"{allied} (tie (field intelligence_dependence) (value high))",
                  factor("attachment", 1, '"high dependence on the leader\'s intelligence"', "S4")),
        "SD-10": ("(question)",
                  "(bind ?score (weigh commitment)) (assert (alliance-commitment "
                  f"(level (level-of ?score {_bands(s.COMMITMENT_BANDS)})) (score ?score)))"),
        "SD-11": ("(question)",
                  "(bind ?score (weigh attachment)) (assert (security-attachment "
                  f"(level (level-of ?score {_bands(s.ATTACHMENT_BANDS)})) (score ?score)))"),
        "SD-20": ("(question) (tie (field alliance) (value none))",
                  "(assert (security-dependency (level none)))"),
        "SD-21": (f"{allied} (security-attachment (level ?attachment)) "
                  "(alliance-commitment (level ?commitment))",
                  "(assert (security-dependency (level (dependency ?commitment ?attachment))))"),
        "SD-32": ("(pressure (kind security_cutoff)) (security-dependency "
                  f"(level {_at_least(c.SECURITY_DEPENDENCY, 'moderate')}))",
                  "(assert (security-leverage))"),
        # ---- stranglehold (rules/stranglehold.py) ----
        "ST-01": ("(reliance (field level) (value ?level&low|moderate|high|critical))",
                  bound("base", f"(lookup ?level {_pairs(stranglehold.BASE)})",
                        '(str-cat ?level " reliance on the leader\'s technology")', "T2")),
        "ST-07": ("(reliance (field level) (value critical)) (reliance (field kind) "
                  "(value key-technology)) (reliance (field substitutable) (value FALSE))",
                  bound("base", "decisive", '"critical reliance on an irreplaceable key technology"',
                        "T4")),
        "ST-02": (f"(reliance (field level) (value {SOME_RELIANCE})) "
                  "(reliance (field kind) (value ?kind&raw-material|equipment))",
                  bound("ceiling", "(if (eq ?kind raw-material) then limited else significant)",
                        '(str-cat "reliance is on " ?kind)', "T4")),
        "ST-03": (f"(reliance (field level) (value {SOME_RELIANCE})) "
                  "(reliance (field substitutable) (value TRUE))",
                  bound("ceiling", "limited", '"the supply is substitutable"', "T4")),
        "ST-04": ("(industry (field position) (value lagging))",
                  "(assert (malposition)) " + bound(
                      "ceiling", "limited", '"malposition: no cutting-edge capability to grip"',
                      "T6")),
        "ST-05": ("(industry (field position) (value niche)) "
                  f"(reliance (field level) (value {_at_least(c.RELIANCE, 'high')}))",
                  "(assert (firm-level-stranglehold)) " + bound(
                      "ceiling", "limited", '"the hold grips a niche firm, not the state"', "T6")),
        "ST-06": (f"(reliance (field level) (value {SOME_RELIANCE})) "
                  "(industry (field weight) (value low))",
                  bound("ceiling", "limited", '"the industry weighs little in the economy"', "T2")),
        # the base (none without one), lowered to the tightest ceiling
        "ST-10": ("(question)",
                  f"(bind ?scale (create$ {' '.join(c.STRANGLEHOLD)})) (bind ?level 1) "
                  "(do-for-all-facts ((?b stranglehold-bound)) (eq ?b:bound base) "
                  "  (bind ?level (max ?level (member$ ?b:level ?scale)))) "
                  "(do-for-all-facts ((?b stranglehold-bound)) (eq ?b:bound ceiling) "
                  "  (bind ?level (min ?level (member$ ?b:level ?scale)))) "
                  "(assert (stranglehold (level (nth$ ?level ?scale))))"),
        # ---- sacrifice (rules/sacrifice.py) ----
        "SC-05": (f"{complex_} (industry (field export_share) (value ?share)) "
                  "(coalition-trait (field restricted_share) (value ?restricted))",
                  "(assert (restricted-exposure (of exports) "
                  "(share (/ (round (* ?share ?restricted 10000)) 10000))))"),
        "SC-06": (f"{complex_} (question (domain nil)) (target-relation (field trade_share) "
                  "(value ?share)) (coalition-trait (field restricted_share) (value ?restricted))",
                  "(assert (restricted-exposure (of trade) "
                  "(share (/ (round (* ?share ?restricted 10000)) 10000))))"),
        "SD-30": ("(tie (field shared_values) (value ?values)) "
                  "(target-relation (field threat_perception) (value ?threat))",
                  "(bind ?level (if (and (member$ ?values (create$ moderate high)) "
                  "(member$ ?threat (create$ moderate high)) (or (eq ?values high) (eq ?threat high))) "
                  "then receptive else (if (and (eq ?values low) (eq ?threat low)) "
                  "then unreceptive else mixed))) "
                  "(assert (narrative-receptiveness (level ?level) (shared_values ?values) "
                  "(threat ?threat)))"),
        "ST-23": ("(coalition-trait (field target_product_cut_off) (value ?cut&:(integerp ?cut))) "
                  "(question (year ?year&:(<= ?cut ?year)))",
                  "(assert (target-product-cut-off (year ?cut)))"),
        "SC-01": (f"{complex_} (restricted-exposure (of ?of) "
                  "(share ?share&:(numberp ?share)&:(>= ?share 0.1)))",
                  factor("sacrifice", f"({POINTS} ?share)", '"restricted exposure"', "C1")),
        "SC-02": (f"{complex_} (restricted-exposure (of exports) "
                  "(share ?share&:(numberp ?share)&:(>= ?share 0.1))) "
                  "(industry (field weight) (value high))",
                  factor("sacrifice", 1, '"the exposed industry weighs heavily in the economy"',
                         "C1")),
        "SC-03": (f"{complex_} (target-relation (field retaliation_risk) "
                  "(value ?risk&moderate|high))",
                  factor("sacrifice", "(if (eq ?risk moderate) then 1 else 2)",
                         '(str-cat ?risk " risk of the target\'s retaliation")', "C1")),
        "SC-04": (f"{complex_} (coalition-trait (field framing) (value softened)) "
                  "(target-relation (field retaliation_risk) (value moderate|high))",
                  factor("sacrifice", -1, '"members may word it as aimed at no one"', "C5")),
        "SC-07": (f"{complex_} (industry (field installed_share) "
                  "(value ?share&:(numberp ?share)&:(>= ?share 0.1)))",
                  factor("sacrifice", f"({POINTS} ?share)", '"installed equipment"', "C1")),
        "SC-08": (f"{complex_} (industry (field installed_share) "
                  "(value ?share&:(numberp ?share)&:(>= ?share 0.1))) "
                  "(target-product-cut-off (year ?cut))",
                  factor("sacrifice", -1, '"the target\'s product cut off"', "T3")),
        "SC-09": (f"{complex_} (industry (field import_share) "
                  "(value ?share&:(numberp ?share)&:(>= ?share 0.25)))",
                  factor("sacrifice", "(if (>= ?share 0.5) then 2 else 1)", '"inputs"', "C1")),
        "SC-10": (f"(question) {complex_}",
                  "(bind ?score (weigh sacrifice)) (assert (interest-sacrifice "
                  f"(level (level-of ?score {_bands(sacrifice.SACRIFICE_BANDS)})) (score ?score)))"),
        "SC-11": ("(question) (coalition-trait (field demand) (value simple))",
                  "(assert (interest-sacrifice (level none) (score 0)))"),
        # ---- autonomy (rules/autonomy.py) ----
        "AU-01": ("(autonomy (field strategic_autonomy) (value ?level))",
                  "(assert (autonomy-pressure (level ?level)))"),
        "AU-03": ("(autonomy (field government_alignment) (value ?stance))",
                  f"(assert (government-pace (pace (lookup ?stance {_pairs(autonomy.PACE)})) "
                  "(stance ?stance)))"),
        # ---- outcomes (rules/outcome.py) ----
        "OC-01": (f"{complex_} (stranglehold (level {_at_least(c.STRANGLEHOLD, 'significant')})) "
                  f"(security-dependency (level {_at_least(c.SECURITY_DEPENDENCY, 'moderate')}))",
                  "(assert (compulsion (source stranglehold)))"),
        "OC-02": (f"{complex_} (security-leverage) "
                  f"(interest-sacrifice (level {_at_most(c.SACRIFICE, 'low')})) "
                  "(narrative-receptiveness (level ~unreceptive))",
                  '(assert (compulsion (source "security leverage")))'),
        # ---- the verdict list (rules/verdict.py), by salience = precedence ----
        "V-01": (f"{complex_} (security-dependency (level none)) "
                 f"(or (stranglehold (level {_at_least(c.STRANGLEHOLD, 'significant')})) "
                 f"    (and (pressure (kind technology_sanctions)) "
                 f"         (stranglehold (level {_at_least(c.STRANGLEHOLD, 'limited')})))) "
                 f"{undecided}",
                 "(assert (verdict (value conflict)))"),
        "V-02": ("(security-dependency (level none)) "
                 "(coalition-trait (field organisational_base) (value alliances|partial-alliances)) "
                 f"{undecided}",
                 "(assert (verdict (value declines)))"),
        "V-07": (f"{complex_} (security-dependency (level {_at_least(c.SECURITY_DEPENDENCY, 'high')})) "
                 f"(compulsion (source stranglehold)) "
                 f"(interest-sacrifice (level {_at_most(c.SACRIFICE, 'moderate')})) "
                 f"(autonomy-pressure (level low)) (government-pace (pace ~slows)) {undecided}",
                 "(assert (verdict (value joins)))"),
        "V-08": (f"{complex_} (compulsion) {undecided}",
                 "(assert (verdict (value joins-reluctantly)))"),
        "V-10": (f"{complex_} (question) {undecided}", "(assert (verdict (value declines)))"),
    }
    assert sorted(rules) == sorted(SLICE), "the CLIPS slice and SLICE name different rules"
    return [f"(defrule {rule_id} {_salience(rule_id)} {lhs} => {rhs})"
            for rule_id, (lhs, rhs) in rules.items()]


CLIPS_CONSTRUCTS = _deftemplates() + DEFFUNCTIONS + _defrules()
CLIPS_PROGRAM = "\n\n".join(CLIPS_CONSTRUCTS)


def _is_symbol(text: str) -> bool:
    # a word of a scale or an id: a CLIPS symbol, as the rules compare them; anything else a string
    return bool(text) and text[0].isalpha() and all(ch.isalnum() or ch in "-_" for ch in text)


def _clips_text(value) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return text if _is_symbol(text) else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def clips_facts(facts) -> list[str]:
    """The evidence facts of one question as CLIPS fact text (same slots, same values)."""
    return [f"({template_name(type(fact))} "
            + " ".join(f"({s} {_clips_text(fact.get(s))})" for s in EVIDENCE_TEMPLATES[type(fact)])
            + ")" for fact in facts]


def clips_environment(facts=None, explain=False):
    """A CLIPS environment with the slice built; with ``facts``, also as a ``deffacts`` that
    CLIPS itself asserts on every reset.

    clipspy's error router is a Python callback that CLIPS queries for every character it
    parses; it is removed before building (so a fresh environment measures CLIPS, not the
    callback) unless ``explain``, which keeps it so that a construct CLIPS refuses is reported
    with CLIPS's own message (``compare`` builds that way, before anything is timed)."""
    import clips  # benchmark-only dependency: pip install -e '.[bench]'

    env = clips.Environment()
    if not explain:
        for router in list(env.routers()):
            router.delete()
    for construct in CLIPS_CONSTRUCTS:
        env.build(construct)
    if facts is not None:
        env.build("(deffacts question " + " ".join(clips_facts(facts)) + ")")
    return env


def clips_prepare(facts) -> list[bytes]:
    """The facts as CLIPS fact text, encoded once (as ours are built once, outside the loop)."""
    return [text.encode() for text in clips_facts(facts)]


def clips_infer(env, prepared) -> int:
    """reset + assert + run; the number of rules fired.

    Asserts through clipspy's C binding (``lib.AssertString``): clipspy's ``assert_string``
    wraps every fact in a Python object that retains it, and CLIPS frees retained facts only
    when a top-level garbage frame is cleaned, which a host loop never does: reset + assert +
    run then slows with every call (1.4 ms to 4.7 ms in 1,200 calls here)."""
    from clips._clips import ffi, lib

    env.reset()
    for text in prepared:
        if lib.AssertString(env._env, text) == ffi.NULL:
            raise RuntimeError(f"CLIPS refused the fact {text.decode()}")
    return env.run()


def clips_infer_native(env) -> int:
    """reset (CLIPS asserts the deffacts) + run: CLIPS alone, no Python per fact."""
    env.reset()
    return env.run()


LEVELS = {  # CLIPS template -> the answer's mechanism it concludes (its ``level`` slot)
    "alliance-commitment": "alliance_commitment",
    "security-attachment": "security_attachment",
    "security-dependency": "security_dependency",
    "stranglehold": "stranglehold",
    "interest-sacrifice": "interest_sacrifice",
}
OUR_LEVELS = {c.CONCEPT[key].fact: key for key in LEVELS.values()}


def clips_conclusions(env) -> dict:
    found = {}
    for fact in env.facts():
        name = fact.template.name
        if name in LEVELS:
            found[LEVELS[name]] = str(fact["level"])
        elif name == "verdict":
            found["verdict"] = str(fact["value"])
    return found


def engine_infer(engine, facts) -> None:
    """reset + declare + run, as answer.ask does it (without reading the answer)."""
    engine.reset()
    engine.firings, engine.unfired = [], []
    engine.declare(*facts)
    engine.run()


def slice_conclusions(engine: SliceEngine, facts) -> tuple[dict, int]:
    """Our slice on the same facts: what clips_conclusions reads, and the number of firings."""
    engine_infer(engine, facts)
    found = {}
    for fact in engine.facts.values():
        if type(fact) in OUR_LEVELS:
            found[OUR_LEVELS[type(fact)]] = fact["level"]
        elif type(fact) is c.Verdict:
            found["verdict"] = fact["value"]
    return found, len(engine.firings)


def compare(pairs) -> list[str]:
    """Differences between CLIPS, our whole engine and our slice, for (state, coalition) pairs.

    Levels are compared with the whole rule base (the slice must reach what the real answer
    says); the verdict and the number of firings with our slice (the slice's verdict list is
    shorter than the real one: simple coalitions get no verdict from it)."""
    problems = []
    full = CoalitionEngine()
    answers = {(s.id, co.id): ask(s, co, engine=full) for s, co in pairs}
    ours = SliceEngine()  # built after the full engine's runs: engines are never interleaved
    env = clips_environment(explain=True)
    for state, coalition in pairs:
        facts, _ = question_evidence(state, coalition)
        mine, firings = slice_conclusions(ours, facts)
        fired = clips_infer(env, clips_prepare(facts))
        theirs = clips_conclusions(env)
        mechanisms = answers[(state.id, coalition.id)].mechanisms
        where = f"{state.id} / {coalition.id}"
        for concept in LEVELS.values():
            for engine_name, found in (("CLIPS", theirs), ("our slice", mine)):
                if found.get(concept) != mechanisms.get(concept):
                    problems.append(f"{where}: {concept}: {engine_name} {found.get(concept)}, "
                                    f"whole engine {mechanisms.get(concept)}")
        if theirs.get("verdict") != mine.get("verdict"):
            problems.append(f"{where}: verdict: CLIPS {theirs.get('verdict')}, "
                            f"our slice {mine.get('verdict')}")
        if fired != firings:
            problems.append(f"{where}: firings: CLIPS {fired}, our slice {firings}")
    return problems


def shipped_pairs():
    base = load_dir(shipped_cases())
    return [(s, co) for s in base.states.values() for co in base.coalitions.values()
            if s.id != co.data["leader"]]


def question_pair():
    base = load_dir(shipped_cases())
    return base.states[QUESTION[0]], base.coalitions[QUESTION[1]]


# ---- timing -----------------------------------------------------------------------------------------
def timings(run, repeats: int) -> tuple[list[float], list[float]]:
    """CPU and wall time of each of ``repeats`` calls of ``run()`` (gc off while timing, as in
    timeit; one untimed call first, so that first-call costs are not counted)."""
    cpu, wall = [], []
    run()
    gc.collect()
    for _ in range(repeats):
        gc.disable()
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        w1, c1 = time.perf_counter(), time.process_time()
        gc.enable()
        cpu.append(c1 - c0)
        wall.append(w1 - w0)
    return cpu, wall


def measure(repeats: int, passes: int = 5) -> tuple[list[dict], int]:
    """Every measurement, in ``passes`` rounds of ``repeats / passes`` runs each.

    The machine is shared: taking every measurement in each round spreads the other processes'
    load over all of them alike. CPU time (this process only) is the figure the ratios use;
    wall time also counts the other processes' turns. Each engine is built right before its own
    runs and never used after another was built: experta binds rules to the last engine built.
    """
    state, coalition = question_pair()
    facts, _ = question_evidence(state, coalition)
    prepared = clips_prepare(facts)

    def floor():
        engine = FloorEngine()
        return lambda: engine_infer(engine, facts)

    def full_run():
        engine = CoalitionEngine()
        return lambda: engine_infer(engine, facts)

    def full_ask():
        engine = CoalitionEngine()
        return lambda: ask(state, coalition, engine=engine)

    def full_fresh():
        return lambda: ask(state, coalition, engine=CoalitionEngine())

    def slice_run():
        engine = SliceEngine()
        return lambda: engine_infer(engine, facts)

    def slice_fresh():
        return lambda: engine_infer(SliceEngine(), facts)

    def clips_run():
        env = clips_environment()
        return lambda: clips_infer(env, prepared)

    def clips_fresh():
        return lambda: clips_infer(clips_environment(), prepared)

    def clips_native():
        env = clips_environment(facts)
        return lambda: clips_infer_native(env)

    # what each engine does for this question, counted once
    full = CoalitionEngine()
    engine_infer(full, facts)
    whole_rules, whole_fired = len(full.get_rules()), len(full.firings)
    ours = SliceEngine()
    engine_infer(ours, facts)
    slice_rules, slice_fired = len(ours.get_rules()), len(ours.firings)
    clips_fired = clips_infer(clips_environment(), prepared)
    assert clips_infer_native(clips_environment(facts)) == clips_fired == slice_fired

    fresh = max(2, repeats // 5)
    plan = [  # name, what, rules, firings, setup, runs in all
        ("floor", "experta floor, no rules: reset + declare + run", 0, 0, floor, repeats * 4),
        ("full-run", "ours, whole rule base, warm: reset + declare + run", whole_rules,
         whole_fired, full_run, repeats),
        ("full-ask", "ours, whole rule base, warm: `answer.ask` (evidence, run, answer)",
         whole_rules, whole_fired, full_ask, repeats),
        ("full-fresh", "ours, whole rule base, fresh: `CoalitionEngine()` + `answer.ask`",
         whole_rules, whole_fired, full_fresh, fresh),
        ("slice-run", "ours, slice, warm: reset + declare + run", slice_rules, slice_fired,
         slice_run, repeats),
        ("slice-fresh", "ours, slice, fresh: `SliceEngine()` + reset + declare + run",
         slice_rules, slice_fired, slice_fresh, fresh),
        ("clips-run", "CLIPS, slice, warm: reset + assert + run", len(SLICE), clips_fired,
         clips_run, repeats * 4),
        ("clips-fresh", "CLIPS, slice, fresh: `Environment()` + build + reset + assert + run",
         len(SLICE), clips_fired, clips_fresh, fresh),
        ("clips-native", "CLIPS, slice, warm: reset (facts as `deffacts`) + run", len(SLICE),
         clips_fired, clips_native, repeats * 4),
    ]
    samples = {name: ([], []) for name, *_ in plan}
    for _ in range(passes):
        for name, _what, _rules, _fired, setup, runs in plan:
            cpu, wall = timings(setup(), max(1, runs // passes))
            samples[name][0].extend(cpu)
            samples[name][1].extend(wall)
    rows = []
    for name, what, rules, fired, _setup, _runs in plan:
        cpu, wall = samples[name]
        rows.append({"name": name, "what": what, "rules": rules, "fired": fired,
                     "cpu": statistics.median(cpu), "cpu_min": min(cpu),
                     "wall": statistics.median(wall), "repeats": len(cpu)})
    return rows, len(facts)


def paired(rounds: int = 200, ours_runs: int = 5, clips_runs: int = 4) -> dict:
    """ours ÷ CLIPS on the slice, warm, in many short interleaved rounds in this process.

    A round is ``ours_runs`` times (one warm run of our slice, then ``clips_runs`` of CLIPS,
    facts from Python), about 2 ms each side, which of the two goes first alternating from
    round to round; CPU time per run, gc off during the round. Both engines are built once,
    before the rounds (clipspy's environment is not an experta engine, so the two can be
    interleaved). Load from other processes then falls on both sides of a round within a few
    milliseconds, so the ratio of one round's medians moves far less than either engine's
    time; the figure is the median of the rounds' ratios, with their quartiles and extremes,
    and the ratio of each side's fastest run. What is timed is what ``measure`` times:
    reset + declare + run, reset + assert + run."""
    state, coalition = question_pair()
    facts, _ = question_evidence(state, coalition)
    engine, env, prepared = SliceEngine(), clips_environment(), clips_prepare(facts)
    ours = lambda: engine_infer(engine, facts)  # noqa: E731
    clips = lambda: clips_infer(env, prepared)  # noqa: E731
    for _ in range(ours_runs):  # untimed warm-up, as in ``timings``
        ours()
        clips()
    ratios, times = [], {"ours": [], "clips": []}
    clock = time.process_time
    for index in range(rounds):
        mine, theirs = [], []
        gc.collect()
        gc.disable()
        try:
            for _ in range(ours_runs):
                if index % 2:
                    for _ in range(clips_runs):
                        c0 = clock()
                        clips()
                        theirs.append(clock() - c0)
                c0 = clock()
                ours()
                mine.append(clock() - c0)
                if not index % 2:
                    for _ in range(clips_runs):
                        c0 = clock()
                        clips()
                        theirs.append(clock() - c0)
        finally:
            gc.enable()
        ratios.append(statistics.median(mine) / statistics.median(theirs))
        times["ours"].extend(mine)
        times["clips"].extend(theirs)
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return {"rounds": rounds, "median": statistics.median(ratios), "q1": q1, "q3": q3,
            "min": min(ratios), "max": max(ratios),
            "fastest": min(times["ours"]) / min(times["clips"]),
            "ours": statistics.median(times["ours"]), "ours_min": min(times["ours"]),
            "clips": statistics.median(times["clips"]), "clips_min": min(times["clips"]),
            "load": os.getloadavg()[0]}


def paired_text(result: dict) -> str:
    r = result
    return (f"ours ÷ CLIPS, slice, warm, {r['rounds']} interleaved rounds: median "
            f"{r['median']:.2f}× (quartiles {r['q1']:.2f}–{r['q3']:.2f}×, min {r['min']:.2f}×, "
            f"max {r['max']:.2f}×); fastest runs {r['fastest']:.2f}× "
            f"(ours {_seconds(r['ours'])} median, {_seconds(r['ours_min'])} fastest; CLIPS "
            f"{_seconds(r['clips'])}, {_seconds(r['clips_min'])}); load average {r['load']:.1f}")


def paired_processes(pythons: list[str], processes: int, rounds: int) -> list[list[dict]]:
    """``paired`` in ``processes`` fresh processes of each install, taken in turn (A, B, A, B,
    ...): each install's code under the same minutes of load. The children run this file
    with ``--paired-child``; each install imports its own ``digital_coalitions``."""
    import json
    import subprocess

    found: list[list[dict]] = [[] for _ in pythons]
    env = dict(os.environ, PYTHONHASHSEED="0", COALITION_NO_CACHE="1")
    for _ in range(processes):
        for index, python in enumerate(pythons):
            out = subprocess.run([python, __file__, "--paired-child", str(rounds)], env=env,
                                 check=True, capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            found[index].append(result)
            print(f"{python}: {paired_text(result)}", flush=True)
    return found


def paired_summary(pythons: list[str], found: list[list[dict]]) -> str:
    lines = ["| install | processes | rounds each | median of the processes' medians | their range "
             "| median of their minima | fastest runs (median) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for python, results in zip(pythons, found):
        medians = [r["median"] for r in results]
        lines.append(f"| `{python}` | {len(results)} | {results[0]['rounds']} | "
                     f"{statistics.median(medians):.2f}× | {min(medians):.2f}–{max(medians):.2f}× | "
                     f"{statistics.median([r['min'] for r in results]):.2f}× | "
                     f"{statistics.median([r['fastest'] for r in results]):.2f}× |")
    return "\n".join(lines)


RATIOS = (  # (numerator, denominator, what is compared)
    ("full-ask", "floor", "whole engine, warm `ask` ÷ experta floor"),
    ("full-run", "floor", "whole engine, warm reset + declare + run ÷ experta floor"),
    ("slice-run", "floor", "slice, warm ÷ experta floor"),
    ("slice-run", "clips-run", "ours ÷ CLIPS: slice, warm, facts from Python"),
    ("slice-run", "clips-native", "ours ÷ CLIPS: slice, warm, CLIPS asserting its own deffacts"),
    ("slice-fresh", "clips-fresh", "ours ÷ CLIPS: slice, fresh engine"),
    ("full-ask", "clips-run", "whole engine warm `ask` ÷ CLIPS slice warm (not like for like)"),
)


def tables(rows) -> str:
    by = {r["name"]: r for r in rows}
    floor = by["floor"]["cpu"]
    lines = ["| measurement | rules | firings | runs | CPU median | CPU fastest | wall median "
             "| × floor |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['what']} | {r['rules']} | {r['fired']} | {r['repeats']} | "
                     f"{_seconds(r['cpu'])} | {_seconds(r['cpu_min'])} | {_seconds(r['wall'])} | "
                     f"{r['cpu'] / floor:.1f} |")
    lines += ["", "| ratio (CPU medians) | × |", "|---|---:|"]
    for top, bottom, what in RATIOS:
        lines.append(f"| {what} | {by[top]['cpu'] / by[bottom]['cpu']:.1f} |")
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value * 1e3:.3f} ms" if value >= 1e-4 else f"{value * 1e6:.1f} µs"


# ---- profile ----------------------------------------------------------------------------------------
AREAS = (  # the module a function lives in -> the area its own time is counted in (by module
    # name, not by path: installed non-editable, the package's files are not under engine/)
    ("experta.matchers.rete.token", "experta Rete: tokens (create, copy, hash)"),
    ("experta.matchers.rete.nodes", "experta Rete: nodes (join, activate, reset)"),
    ("experta.matchers.rete.check", "experta Rete: pattern checks"),
    ("experta.matchers.rete.abstract", "experta Rete: node bookkeeping (reset, activate)"),
    ("experta.matchers.rete", "experta Rete: other"),
    ("experta.fact", "experta facts (copy, hash, validate)"),
    ("experta.factlist", "experta fact list (declare, ids)"),
    ("experta", "experta: other (agenda, strategy, engine)"),
    ("digital_coalitions.inference.engine", "ours: engine.py (run loop, strategy)"),
    ("digital_coalitions.inference.rete", "ours: rete.py (typed bus, leaner nodes, tokens)"),
    ("digital_coalitions.inference.answer", "ours: answer.py (reading the answer)"),
    ("digital_coalitions.casefiles.evidence", "ours: evidence.py (facts from the case files)"),
    ("digital_coalitions.rules", "ours: rule bodies (rules/*.py)"),
    ("digital_coalitions", "ours: other"),
)


def _package_roots() -> list[tuple[Path, str]]:
    """(directory, module name) of the packages the areas name, wherever they are installed
    (an editable install's checkout or site-packages), the deepest first: the rules install
    inside the package but sit beside it in a checkout."""
    import digital_coalitions
    import digital_coalitions.rules

    roots = [(Path(m.__file__).resolve().parent, m.__name__)
             for m in (digital_coalitions, digital_coalitions.rules, experta)]
    return sorted(roots, key=lambda root: -len(root[0].parts))


def module_of(file: str, roots=None) -> str | None:
    """The dotted module name of a profiled file of ours or experta's, else None (the
    standard library, a builtin, another package)."""
    if file.startswith(("~", "<")):
        return None
    path = Path(file).resolve()
    for root, name in roots or _package_roots():
        if path.is_relative_to(root):
            parts = path.relative_to(root).with_suffix("").parts
            return ".".join((name, *parts)).removesuffix(".__init__")
    return None


def area_of(module: str | None) -> str:
    if module is not None:
        for prefix, name in AREAS:
            if module == prefix or module.startswith(prefix + "."):
                return name
    return "builtins and the standard library"


def profile_warm(repeats: int, top: int = 15):
    """cProfile over warm ``answer.ask`` calls: the functions with the most own time, and the
    own time summed by area."""
    state, coalition = question_pair()
    engine = CoalitionEngine()
    ask(state, coalition, engine=engine)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeats):
        ask(state, coalition, engine=engine)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    functions, areas, roots = [], {}, _package_roots()
    for (file, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        module = module_of(file, roots)
        functions.append((own, cumulative, calls, _where(file, line, function, module)))
        area = area_of(module)
        areas[area] = areas.get(area, 0.0) + own
    by_cumulative = sorted(functions, key=lambda f: -f[1])[:top]
    functions.sort(reverse=True)
    return functions[:top], by_cumulative, sorted(areas.items(), key=lambda kv: -kv[1]), total


def _where(file: str, line: int, function: str, module: str | None = None) -> str:
    if file == "~":
        return function  # a builtin
    if module is not None:
        return f"{module}:{line} {function}"
    path = file.replace("\\", "/")
    for marker in ("site-packages/", str(ROOT).replace("\\", "/") + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line} {function}"


def profile_text(functions, by_cumulative, areas, total, repeats) -> str:
    lines = [f"cProfile over {repeats} warm `answer.ask` calls for {' / '.join(QUESTION)}: "
             f"{total:.2f} s of own time in all ({total / repeats * 1e3:.1f} ms a call under the "
             "profiler, which slows these many small calls several-fold: read the shares, not "
             "the seconds).", "", "Own time by area:", "",
             "| area | own time | share |", "|---|---:|---:|"]
    for area, own in areas:
        lines.append(f"| {area} | {own:.3f} s | {own / total:.0%} |")
    lines += ["", "Top functions by own time:", "",
              "| own time | share | cumulative | calls | function |", "|---:|---:|---:|---:|---|"]
    for own, cumulative, calls, where in functions:
        lines.append(f"| {own:.3f} s | {own / total:.0%} | {cumulative:.3f} s | {calls} | "
                     f"`{where}` |")
    lines += ["", "Top functions by cumulative time (what they and their callees cost):", "",
              "| cumulative | share | own time | calls | function |", "|---:|---:|---:|---:|---|"]
    for own, cumulative, calls, where in by_cumulative:
        lines.append(f"| {cumulative:.3f} s | {cumulative / total:.0%} | {own:.3f} s | {calls} | "
                     f"`{where}` |")
    return "\n".join(lines)


# ---- report -----------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="runs per warm measurement")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmark-floor.md"),
                        help="where to write the markdown report ('-' for nowhere)")
    parser.add_argument("--paired", nargs="*", metavar="PYTHON",
                        help="only ours ÷ CLIPS in alternating rounds: in this process, or in "
                        "fresh processes of each PYTHON given (an install's interpreter), in turn")
    parser.add_argument("--processes", type=int, default=6, help="with --paired PYTHON...: "
                        "processes of each install")
    parser.add_argument("--rounds", type=int, default=200, help="with --paired: rounds per process")
    parser.add_argument("--paired-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # a fresh engine builds its network, as before the network cache (engine/inference/netcache.py):
    # the fresh rows compare building with CLIPS's build; a cold `ask` loads it (bench/cold.py)
    os.environ.setdefault("COALITION_NO_CACHE", "1")

    try:
        import clips  # noqa: F401
    except ImportError:
        print("error: clipspy is not installed; run: .venv/bin/pip install -e '.[bench]'",
              file=sys.stderr)
        return 2

    if args.paired_child:
        import json

        print(json.dumps(paired(args.paired_child)))
        return 0
    if args.paired is not None:
        if not args.paired:
            print(paired_text(paired(args.rounds)))
            return 0
        found = paired_processes(args.paired, args.processes, args.rounds)
        print("\n" + paired_summary(args.paired, found))
        return 0

    pairs = shipped_pairs()
    problems = compare(pairs)
    if problems:
        print("error: CLIPS and our engine disagree:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    check = (f"Checked before timing, on all {len(pairs)} shipped pairings: CLIPS reaches the "
             "same alliance commitment, security attachment, security dependency, stranglehold "
             "and interest sacrifice as the whole engine, and the same verdict and number of "
             "firings as our slice.")
    print(check)

    load_before = os.getloadavg()[0]
    rows, n_facts = measure(args.repeats)
    load_after = os.getloadavg()[0]
    text = tables(rows) + "\n\n" + paired_text(paired(args.rounds))
    profiled = max(50, args.repeats // 2)
    profile = profile_text(*profile_warm(profiled), profiled)
    print(f"\n{' / '.join(QUESTION)}: {n_facts} facts declared; load average "
          f"{load_before:.1f} -> {load_after:.1f}\n\n{text}\n\n{profile}")
    if args.output != "-":
        write_report(Path(args.output), text, profile, check, n_facts, args.repeats,
                     (load_before, load_after))
        print(f"\nwritten: {args.output}")
    return 0


def write_report(path: Path, text, profile, check, n_facts, repeats, load) -> None:
    command = ".venv/bin/python bench/engine_floor.py" + (
        f" --repeats {repeats}" if repeats != 200 else "")
    body = f"""# The engine's raw cost floor, and CLIPS

Reproduce (by hand, not in CI; clipspy is the `bench` extra):

```
.venv/bin/pip install -e '.[bench]'
{command}
```

One inference for the question *{' / '.join(QUESTION)}* ({n_facts} facts declared): medians over
repeated runs, taken in five rounds that each run every measurement (so that the load of other
processes falls on all of them alike), garbage collection off while timing. CPU time (this
process only) is the figure the ratios use, because the machine is shared: the load average
was {load[0]:.1f} before the runs and {load[1]:.1f} after, so wall times include other
processes' turns, and even CPU times vary by a few tens of percent from run to run; so the
last line below times ours and CLIPS again interleaved (`paired`: in each round one warm run
of ours, then four of CLIPS's, five times, the order alternating by round; the median of the
rounds' ratios), which load moves far less. Python
{platform.python_version()}, experta {_version('experta')}, clipspy {_version('clipspy')},
{os.cpu_count()} CPUs ({platform.machine()}), {time.strftime('%Y-%m-%d')}.

{text}

* **experta floor**: a `KnowledgeEngine` with no rules doing reset + declare + run for the same
  fact objects. No rule base on experta can answer the question for less. (Its tokens are
  experta's own: the lighter ones of engine/inference/rete.py live in the project's own node
  subclasses and serve only the project's engines.)
* **slice**: {len(SLICE)} of our rules: {', '.join(SLICE)}: the security-dependency evidence
  and classification, the stranglehold, and the verdict list's precedence for V-01, V-02, V-07,
  V-08 and V-10 with the rules those verdicts read. Ours runs it in `SliceEngine` (a
  `CoalitionEngine` with every other rule removed, so with our matcher, strategy and firing
  record); CLIPS runs `CLIPS_PROGRAM` in bench/engine_floor.py, a rule-by-rule translation whose
  points, bands, tables and saliences are read from the Python rule modules.
* {check}
* CLIPS two ways: facts asserted from Python as text on every run, as ours are declared on
  every run (the like-for-like figure), and facts as a `deffacts` that CLIPS asserts itself on
  reset (CLIPS alone, no Python per fact). The text goes through clipspy's C binding
  (`lib.AssertString`), not its `assert_string`: that wraps each fact in a Python object that
  retains it, CLIPS never frees retained facts between top-level calls, and a loop of
  reset + assert + run slowed from 1.4 ms to 4.7 ms in 1,200 calls. clipspy's error router (a
  Python callback queried for every parsed character) is removed before the timed runs.

## Where a warm inference spends its time

{profile}

Engine code is unchanged by this benchmark; what to optimise is the lead's decision.
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(body, encoding="utf-8")
    os.replace(temporary, path)


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
