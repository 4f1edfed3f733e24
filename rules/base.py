"""What every rule is: an experta Rule with a stable identity, a stage and the claims it encodes.

A rule is declared with ``@rule(ID, title, *patterns, claims=..., stage=..., concludes=...)``.
The ID is permanent (never reused, even if the rule is deleted); the claims are IDs from
``shared/design/theory.md``; the docstring says what the rule concludes (first line) and why;
``concludes`` says what facts it declares, as facts written with the literal fields it always
gives them (``concludes=Factor(concept="commitment", claim="S2")``; one fact, or a tuple where
it declares more than one kind). ``why`` reads the declarations to find the rules that could
have concluded something, and tests/test_conclusions.py runs the engine to check each firing
declared what its rule says. The catalogue (``coalition rules``) is generated from these
attributes, never kept by hand.

Conflict resolution is staged by salience: evidence is weighed before concepts are classified,
concepts before mechanisms, mechanisms before the verdict, the verdict before its likelihood and
confidence. A rule only consumes facts produced by earlier (higher-salience) stages, so every
stage sees the finished work of the one before; within the verdict stage, ``rank`` orders the
precedence of verdict rules explicitly.
"""

from __future__ import annotations

import functools
import inspect
import types
from enum import IntEnum
from typing import NamedTuple

from digital_coalitions.compat import experta
from digital_coalitions.record import FrozenRecord

Rule = experta.Rule
P = experta.P


class Stage(IntEnum):
    """Salience bands, highest first. The gaps leave room for ranks inside a stage."""

    EVIDENCE = 700  # case-file evidence -> weighted factors and bounds
    CLASSIFY = 600  # factors -> sub-concepts (attachment, commitment, stranglehold level, ...)
    CONCEPT = 500  # sub-concepts -> the paper's concepts (security dependency, ...)
    MECHANISM = 400  # concepts -> mechanisms (compulsion, leverage, coalition form, ...)
    VERDICT = 300  # mechanisms -> one verdict, by rank
    CONSEQUENCE = 200  # what follows from the verdict (softened wording, substitution, ...)
    LIKELIHOOD = 100  # shifts of likelihood, then the ICD 203 term
    CONFIDENCE = 0  # confidence and its basis


class Conclusion(NamedTuple):
    """A kind of fact a rule declares: the fact class's name and the literal fields it always
    has when this rule declares it (other fields are computed, so any value may appear)."""

    kind: str
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, fact) -> "Conclusion":
        if not isinstance(fact, experta.Fact):
            raise TypeError(f"a conclusion is written as a fact, e.g. Verdict(value='joins'), "
                            f"not {fact!r}")
        return cls(type(fact).__name__, tuple((k, v) for k, v in fact.items()
                                              if not str(k).startswith("__")))

    def matches(self, fact, kind: str | None = None) -> bool:
        """Is ``fact`` (a fact, or a mapping of fields of the fact class named ``kind``) of this
        kind, with these literal fields?"""
        return (kind or type(fact).__name__) == self.kind and \
            all(k in fact and fact[k] == v for k, v in self.fields)

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(f'{k}={v!r}' for k, v in self.fields)})"

    def described(self) -> str:
        """As the conditions are said: 'verdict with value conflict'."""
        told = ", ".join(f"{k.replace('_', ' ')} {_value(v)}" for k, v in self.fields)
        return _words(self.kind) + (f" with {told}" if told else "")


class RuleInfo(FrozenRecord):
    """What ``@rule`` declares about a rule, a frozen record (``record.py``), not a dataclass:
    a dataclass compiles its methods when ``rules/`` is imported, about 5 M instructions of
    every cold ``coalition ask`` (issue 12); ``tests/test_record.py`` checks it behaves as the
    dataclass it was."""

    FIELDS = ("id", "title", "claims", "stage", "salience", "mechanism", "function", "doc",
              "conditions", "reading", "concludes")
    id: str
    title: str
    claims: tuple[str, ...]
    stage: Stage
    salience: int
    mechanism: str  # the rules module: security, stranglehold, sacrifice, autonomy, outcome, ...
    function: str
    doc: str
    conditions: tuple[str, ...]
    reading: str  # "paper", or "project": this project's reading, not the paper's claim
    concludes: tuple[Conclusion, ...]  # what it declares: (kind, ((field, literal), ...))

    def __init__(self, id: str, title: str, claims: tuple[str, ...], stage: Stage, salience: int,
                 mechanism: str, function: str, doc: str, conditions: tuple[str, ...] = (),
                 reading: str = "paper", concludes: tuple[Conclusion, ...] = ()):
        self._set(id, title, claims, stage, salience, mechanism, function, doc, conditions,
                  reading, concludes)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


READINGS = ("paper", "project")


def rule(rule_id: str, title: str, *patterns, claims, stage: Stage, concludes, rank: int = 0,
         reading: str = "paper"):
    """Declare an experta rule with an identity. ``concludes`` is the fact (or tuple of facts)
    it declares, written with the literal fields it always gives them; ``rank`` orders rules
    inside one stage; ``reading`` "project" marks a rule that is this project's reading of the
    paper rather than a claim the paper makes."""
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {READINGS}, not {reading!r}")
    conclusions = tuple(Conclusion.of(f) for f in (
        (concludes,) if isinstance(concludes, experta.Fact) else tuple(concludes)))
    if not conclusions:
        raise ValueError(f"rule {rule_id} declares no conclusions: say what facts it declares "
                         f"with concludes=")

    def decorate(function):
        # the RuleInfo is made when first asked for (rule_info): its doc and conditions in
        # words (inspect.cleandoc, describe) cost a cold ``coalition ask`` about 11 M
        # instructions for a hundred rules, and an answer reads neither. What it is made from
        # is taken now, as the function and patterns are at declaration.
        salience = int(stage) + rank
        function.rule_id = rule_id
        function.rule_declaration = (rule_id, title, tuple(claims), stage, salience,
                                     function.__module__.rsplit(".", 1)[-1], function.__name__,
                                     function.__doc__, patterns, reading, conclusions)
        return _wrapping(Rule(*patterns, salience=salience), function)

    return decorate


def _wrapping(rule_object, function):
    """``rule_object(function)``: what experta's ``Rule.__call__`` does when it decorates (the
    function wrapped, the names of its parameters kept, ``functools.update_wrapper``), with the
    names read from the function's code instead of ``inspect.signature``, which cost a cold
    ``coalition ask`` about 10 M instructions for a hundred rules. A function whose signature
    is not its code's (a wrapper, a ``__signature__``, not a plain function) is left to
    experta; ``tests/test_rulebook.py`` checks every rule against experta's own reading. (The
    network cache makes rules again the same way: inference/netcache.py's ``_rule``.)"""
    if type(function) is not types.FunctionType or hasattr(function, "__wrapped__") \
            or hasattr(function, "__signature__") or rule_object._wrapped is not None:
        return rule_object(function)
    code = function.__code__
    names = rule_object._wrapped_args
    if not code.co_flags & inspect.CO_VARKEYWORDS:  # experta passes **kwargs functions all
        count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & inspect.CO_VARARGS)
        names = set(code.co_varnames[:count])
    rule_object._wrapped, rule_object._wrapped_args = function, names
    return functools.update_wrapper(rule_object, function)


def _declared(rule_id, title, claims, stage, salience, mechanism, function, doc, patterns,
              reading, conclusions) -> RuleInfo:
    return RuleInfo(id=rule_id, title=title, claims=claims, stage=stage, salience=salience,
                    mechanism=mechanism, function=function, doc=inspect.cleandoc(doc or ""),
                    conditions=tuple(describe(p) for p in patterns), reading=reading,
                    concludes=conclusions)


def rule_info(rule_object) -> RuleInfo:
    """What ``@rule`` declared about a rule, made once, when first asked for."""
    function = rule_object._wrapped
    info = function.__dict__.get("rule_info")
    if info is None:
        info = function.rule_info = _declared(*function.rule_declaration)
    return info


def rule_id(rule_object) -> str:
    """A rule's ID, without making its RuleInfo (the engine reads it at every activation)."""
    return rule_object._wrapped.rule_id


# ---- readable field tests ----------------------------------------------------------------------
# Each returns an experta predicate whose function carries a plain-words name, so that the
# catalogue and the trace can print the condition as a person would say it.


def _named(test, words):
    test.__name__ = test.__qualname__ = words
    return P(test)


def at_least(scale: tuple[str, ...], level: str):
    floor = scale.index(level)
    return _named(lambda v: v in scale and scale.index(v) >= floor, f"at least {level}")


def at_most(scale: tuple[str, ...], level: str):
    ceiling = scale.index(level)
    return _named(lambda v: v in scale and scale.index(v) <= ceiling, f"at most {level}")


def one_of(*values):
    return _named(lambda v: v in values, "one of " + ", ".join(_value(v) for v in values))


def not_one_of(*values):
    words = [_value(v) for v in values]
    told = ("given" if values == (None,) else  # not None: the file names one
            "not " + words[0] if len(words) == 1 else
            f"neither {words[0]} nor {words[1]}" if len(words) == 2 else
            "none of " + ", ".join(words))
    return _named(lambda v: v not in values, told)


def _is_share(v) -> bool:
    # predicates see every fact of a type, whatever its ``field``: words and booleans must fail
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def share_at_least(threshold: float):
    return _named(lambda v: _is_share(v) and v >= threshold, f"at least {threshold:g}")


def share_below(threshold: float):
    return _named(lambda v: _is_share(v) and v < threshold, f"below {threshold:g}")


def compare(test, words):
    """An experta TEST over values bound by the patterns before it, named for the catalogue."""
    test.__name__ = test.__qualname__ = words
    return experta.TEST(test)


def level_of(score: int, bands: tuple[tuple[int, str], ...]) -> str:
    """The level whose lower bound is the highest one not above ``score``."""
    chosen = bands[0][1]
    for lower, level in bands:
        if score >= lower:
            chosen = level
    return chosen


# ---- conditions in plain words, for the catalogue ----------------------------------------------


def _words(name: str) -> str:
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in name).strip()


def _value(v) -> str:
    fc = experta.fieldconstraint
    if isinstance(v, fc.W):
        return "any value"
    if isinstance(v, fc.P):
        return v[0].__name__
    if isinstance(v, fc.ANDFC):
        told = [_value(x) for x in v if not isinstance(x, fc.W)]
        return " and ".join(told) or "any value"
    if isinstance(v, fc.NOTFC):
        return "not " + _value(v[0])
    if isinstance(v, fc.L):
        return _value(v.value)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if v is None:  # not Python's None, nor "none", a word of the scales
        return "not given"
    return str(v)  # a word or key of the contract, as the case files write it


def _no_article(words: str) -> str:
    return words.removeprefix("an " if words.startswith("an ") else "a ")


def describe(pattern) -> str:
    """A rule's condition as a person would say it: 'tie: alliance is one of ...'."""
    ce = experta.conditionalelement
    if isinstance(pattern, ce.TEST):
        return pattern[0].__name__
    if isinstance(pattern, ce.NOT):
        return "no " + " and ".join(_no_article(describe(p)) for p in pattern)
    if isinstance(pattern, ce.EXISTS):
        return "at least one " + " and ".join(_no_article(describe(p)) for p in pattern)
    if isinstance(pattern, ce.OR):
        return "either " + " or ".join(describe(p) for p in pattern)
    if isinstance(pattern, ce.AND):
        return " and ".join(describe(p) for p in pattern)
    name = _words(type(pattern).__name__)
    fields = {k: v for k, v in pattern.items() if not str(k).startswith("__")}
    if "field" in fields and "value" in fields:
        return f"{name}: {fields['field']} is {_value(fields['value'])}"
    if not fields:
        article = "an" if name[:1] in "aeiou" else "a"
        return f"{article} {name}" if name != "question" else "the question"
    told = ", ".join(f"{k.replace('_', ' ')} {_value(v)}" for k, v in fields.items())
    return f"{name} with {told}"
