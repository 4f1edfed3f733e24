"""One engine from the mechanism modules, recording every firing as it happens.

The rule modules in ``rules/`` are experta mixins; ``CoalitionEngine`` combines them. Its
``run`` (in ``RecordingEngine``, the base it shares with the outlook's engine) is experta's own
loop with one addition: each firing is recorded (rule, the facts it
matched, the facts it consulted by accumulation, the facts it asserted), and so are the
activations that were on the agenda but never fired. The trace is this record, not a
reconstruction. The Rete network it matches with is experta's, made cheaper in ``rete.py``.
"""

from __future__ import annotations

import bisect
import inspect
from collections.abc import Mapping
from itertools import chain
from logging import INFO as _INFO
from operator import attrgetter

from digital_coalitions.rules.autonomy import AutonomyRules
from digital_coalitions.rules.base import rule_id as _rule_id, rule_info
from digital_coalitions.rules.concepts import Factor, LikelihoodShift
from digital_coalitions.rules.judgment import JudgmentRules
from digital_coalitions.rules.outcome import OutcomeRules
from digital_coalitions.rules.sacrifice import SacrificeRules
from digital_coalitions.rules.security import SecurityRules
from digital_coalitions.rules.stranglehold import StrangleholdRules
from digital_coalitions.rules.verdict import VerdictRules

from digital_coalitions.compat import experta
from digital_coalitions.inference.rete import TypedReteMatcher
from digital_coalitions.record import Record

RULE_MIXINS = (SecurityRules, StrangleholdRules, SacrificeRules, AutonomyRules, OutcomeRules,
              VerdictRules, JudgmentRules)


def rule_catalogue() -> dict:
    """Every rule of the rule base by ID, read from the mixins' class dicts (no engine built)."""
    # the outlook rules run in their own engine (digital_coalitions.analysis.outlook), over the answers
    from digital_coalitions.rules.outlook import OUTLOOK_RULE_MIXINS

    return _catalogue(RULE_MIXINS + OUTLOOK_RULE_MIXINS)


def _rules(mixins) -> dict:
    """Every rule of the mixins by ID, as experta rules (their RuleInfo not yet made)."""
    found = {}
    for mixin in mixins:
        for value in vars(mixin).values():
            if isinstance(value, experta.Rule):
                rule_id = _rule_id(value)
                if rule_id in found:
                    raise ValueError(f"rule ID {rule_id} is used twice")
                found[rule_id] = value
    return found


def _catalogue(mixins) -> dict:
    return {rule_id: rule_info(value) for rule_id, value in _rules(mixins).items()}


class _Catalogue(Mapping):
    """``rule_catalogue()``, its outlook rules read only when asked for: a question's answer
    reads only the question's rules, and importing the outlook's module cost a cold ``ask``
    as much as reading a case file. Each question rule's RuleInfo is made when it is first
    looked up (rules/base.py's ``rule_info``). The same entries in the same order, once
    complete."""

    def __init__(self):
        self._question = _rules(RULE_MIXINS)
        self._every: dict | None = None

    def _all(self) -> dict:
        if self._every is None:
            self._every = rule_catalogue()
        return self._every

    def __getitem__(self, rule_id):
        found = self._question.get(rule_id)
        return rule_info(found) if found is not None else self._all()[rule_id]

    def __contains__(self, rule_id):
        return rule_id in self._question or rule_id in self._all()

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())


RULES = _Catalogue()


class Firing(Record):
    """One firing of a rule. A record (record.py), not a dataclass: one dataclass
    compiled at import cost every cold ``coalition ask`` about 5 M instructions."""

    FIELDS = ("step", "rule", "matched", "consulted", "asserted")
    step: int
    rule: str
    matched: list[int]  # fact ids the rule's conditions matched, in declaration order
    consulted: list[int]  # fact ids read by accumulation
    asserted: list[int]

    def __init__(self, step: int, rule: str, matched: list[int],
                 consulted: list[int] | None = None, asserted: list[int] | None = None):
        # a dataclass's field(default_factory=list): each firing its own lists
        self._set(step, rule, matched, [] if consulted is None else consulted,
                  [] if asserted is None else asserted)


class _Descending(str):
    """A rule ID that sorts backwards, so that among equals the lowest ID fires first."""

    def __lt__(self, other):
        return str.__gt__(self, other)


class RepeatableStrategy(experta.strategies.DepthStrategy):
    """experta's depth strategy with ties broken by rule ID.

    experta orders activations of equal salience over the same facts by set iteration order,
    which changes with PYTHONHASHSEED; the rule ID makes the firing order (and the trace) the
    same in every process.
    """

    def get_key(self, activation):
        # DepthStrategy's key, computed directly: its lru_cache hashes and compares whole rules
        # (every pattern) on each lookup, which cost a sixth of an inference
        rule_id, ids = _noted(activation)
        if len(ids) == len(activation.facts):  # every fact has its id: these, highest first
            facts = ids[::-1]
        else:
            facts = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, facts, _Descending(rule_id))

    def _update_agenda(self, agenda, added, removed):
        """DepthStrategy's, its bisections comparing the keys directly (``key=``), not through
        Activation.__lt__, which compares the same keys: the same places, the same order."""
        activations = agenda.activations
        for act in removed:
            act.key = self.get_key(act)
            idx = bisect.bisect_left(activations, act.key, key=_KEY)
            for o in (0, 1, -1):
                try:
                    if activations[idx + o] == act:
                        del activations[idx + o]
                    else:
                        continue
                except IndexError:
                    pass
                else:
                    break
        for act in added:
            act.key = self.get_key(act)
            bisect.insort(activations, act, key=_KEY)


_KEY = attrgetter("key")


_FactList, _CE = experta.factlist.FactList, experta.conditionalelement.ConditionalElement
# exact types no ConditionalElement (a tuple subclass, with no metaclass of its own) can be
_NOT_CE = frozenset({str, int, float, bool, type(None), tuple})
_has_key = dict.__contains__
_PLAIN: dict[type, bool] = {}  # fact class -> whether it declares as experta's Fact does


def _plain(kind: type) -> bool:
    """A Fact class none of whose declaration steps is its own (then RecordingEngine._declare's
    steps are experta's)."""
    found = _PLAIN.get(kind)
    if found is None:
        found = _PLAIN[kind] = issubclass(kind, experta.Fact) and all(
            getattr(kind, name) is getattr(experta.Fact, name)
            for name in ("has_field_constraints", "has_nested_accessor", "validate",
                         "is_special", "__setitem__", "items", "keys", "values", "__factid__"))
    return found


def _parameters(deffact) -> set | None:
    """The arguments experta's reset passes a deffact: the names it takes, or None for all
    (it takes ``**kwargs``); read once per deffact."""
    try:
        return _PARAMETERS[deffact]
    except KeyError:
        pass
    signature = inspect.signature(deffact)
    names = None if any(p.kind == inspect.Parameter.VAR_KEYWORD
                        for p in signature.parameters.values()) else set(signature.parameters)
    _PARAMETERS[deffact] = names
    return names


_PARAMETERS: dict = {}


class RecordingEngine(experta.KnowledgeEngine):
    """experta's engine on the project's matcher and repeatable strategy, recording each firing.

    The base of both engines (the question's and the outlook's): one run loop, one firing order
    in every process, one record of what each rule matched, consulted and asserted."""

    __matcher__ = TypedReteMatcher

    __strategy__ = RepeatableStrategy

    _deffacts = None  # experta's DefFacts of this engine, found at the first reset

    def __init__(self):
        super().__init__()
        self.firings: list[Firing] = []
        self.unfired: list[tuple[str, list[int]]] = []
        self._current: Firing | None = None

    def get_deffacts(self):
        # experta looks for them with inspect.getmembers at every reset; the class never changes
        if self._deffacts is None:
            self._deffacts = super().get_deffacts()
        return self._deffacts

    def reset(self, **kwargs):
        """experta's reset (a new agenda and fact list, the network emptied, the deffacts
        declared with the arguments they take), each deffact's signature read once, not at
        every reset."""
        self.agenda = experta.agenda.Agenda()
        self.facts = experta.factlist.FactList()
        self.matcher.reset()
        deffacts = []
        for deffact in self.get_deffacts():
            names = _parameters(deffact)
            deffacts.append(deffact(**kwargs) if names is None else
                            deffact(**{k: v for k, v in kwargs.items() if k in names}))
        self._declare(tuple(chain.from_iterable(deffacts)))
        self.running = False

    def _declare(self, facts: tuple):
        """experta's ``KnowledgeEngine.__declare`` with ``FactList.declare``: the same checks,
        errors, ids and order, in fewer passes over each fact (a fifth of an inference went to
        them). Anything unusual (not a plain Fact, another fact list) takes experta's own way."""
        for fact in facts:
            plain = _PLAIN.get(type(fact))
            if not (plain or plain is None and _plain(type(fact))):
                break
        else:
            plain = type(self.facts) is _FactList
        if not plain:
            return self._KnowledgeEngine__declare(*facts)
        # experta's two checks, every value then every key: one pass finds whether either can
        # fail (a key without "__" passes the second, and so does "__factid__", which a fact
        # declared before carries), and only then are they made in its order. The same pass
        # notes which facts have a special key (experta's is_special), the only keys its fact
        # id leaves out: the others' ids are their class and all their items.
        suspect, special = False, None  # ids of facts with special keys besides "__factid__"
        for fact in facts:
            for key, value in dict.items(fact):
                if type(value) not in _NOT_CE and isinstance(value, _CE):
                    suspect = True
                elif (type(key) is not str or "__" in key) and key != "__factid__":
                    suspect = True
                    if special is None:
                        special = set()
                    special.add(id(fact))
        if suspect:
            for fact in facts:
                for value in dict.values(fact):
                    if isinstance(value, _CE):
                        raise TypeError("Declared facts cannot contain conditional elements")
            for fact in facts:
                for key in dict.keys(fact):
                    if "__" in str(key).strip("__"):
                        raise KeyError("Cannot declare facts containing double underscores as keys.")
        found, last = self.facts, None
        counter, log = found.reference_counter, experta.watchers.FACTS
        logged = log.isEnabledFor(_INFO)
        for fact in facts:
            if type(fact).__fields__:  # experta's validate checks only the declared fields
                fact.validate()
            if special is not None and id(fact) in special:
                fact_id = frozenset([fact.__class__] + [
                    (k, v) for k, v in dict.items(fact)
                    if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))])
            elif _has_key(fact, "__factid__"):  # declared before (or earlier in this call)
                fact_id = frozenset([fact.__class__] + [
                    item for item in dict.items(fact) if item[0] != "__factid__"])
            else:
                fact_id = frozenset((fact.__class__, *dict.items(fact)))
            if found.duplication or fact_id not in counter:
                index = found.last_index
                dict.__setitem__(fact, "__factid__", index)  # experta's __factid__ setter
                found[index] = fact
                found.last_index = index + 1
                found.added.append(fact)
                counter[fact_id] = counter.get(fact_id, 0) + 1  # Counter's += 1, no __missing__
                if logged:
                    log.info(" ==> %s: %r", fact, fact)
                last = fact
            else:
                last = None
        if not self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
        return last

    # ---- accumulation, for the classification rules --------------------------------------
    def gather(self, fact_type, where=None):
        """The facts of one type in working memory, noted as consulted by the firing rule."""
        found = [f for f in self.facts.values()
                 if isinstance(f, fact_type) and (where is None or where(f))]
        if self._current is not None:
            self._current.consulted.extend(f["__factid__"] for f in found)
        return found

    # ---- recording -----------------------------------------------------------------------
    def declare(self, *facts):
        if not self.facts:
            experta.watchers.ENGINE.warning("Declaring fact before reset()")
        declared = self._declare(facts)
        if self._current is not None and declared is not None:
            self._current.asserted.append(declared["__factid__"])
        return declared

    def run(self, steps=float("inf"), stop_below=None):
        """experta's run loop, recording each firing and what stayed on the agenda.

        ``stop_below``: stop before the first activation whose salience is below it (a search
        that needs only the verdict stops before the likelihood and confidence stages)."""
        self.running = True
        seen: dict[tuple, tuple[str, list[int]]] = {}
        fired: set[tuple] = set()

        def note(activations):
            for pending in activations:
                rule_id, ids = _noted(pending)
                key = (rule_id, tuple(ids))
                if key not in seen:
                    seen[key] = (rule_id, list(ids))

        # what was on the agenda before the run, then each step's additions: experta removes
        # before it inserts, so every added activation reaches the agenda (cheaper than
        # rescanning the whole agenda at every step, which cost a tenth of an inference)
        note(self.agenda.activations)
        while steps > 0 and self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
            note(added)
            if stop_below is not None and self.agenda.activations and \
                    self.agenda.activations[-1].rule.salience < stop_below:
                break
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            rule_id, ids = _noted(activation)
            fired.add((rule_id, tuple(ids)))
            self._current = Firing(step=len(self.firings) + 1, rule=rule_id, matched=list(ids))
            try:
                activation.rule(self, **{k: v for k, v in activation.context.items()
                                         if not k.startswith("__")})
            finally:
                self.firings.append(self._current)
                self._current = None
        self.running = False
        # in a canonical order: experta hands additions over in set order, which varies by process
        self.unfired = sorted((seen[k] for k in seen if k not in fired),
                              key=lambda u: (-RULES[u[0]].salience, u[0], u[1]))

    def asserted_by(self) -> dict[int, Firing]:
        """The firing that asserted each derived fact, by fact id."""
        return {fid: firing for firing in self.firings for fid in firing.asserted}


class CoalitionEngine(*RULE_MIXINS, RecordingEngine):
    """The rule base of Liu 2024 as one forward-chaining engine."""

    network_cache = True  # its built network is kept between processes (netcache.py); not its
    # subclasses': a subclass may mask rules (bench/engine_floor.py's SliceEngine does)

    def weigh(self, concept: str) -> int:
        # only this concept's factors are noted as consulted: the trace cites them as the reasons
        return sum(f["points"] for f in self.gather(Factor, lambda f: f["concept"] == concept))

    def weigh_shifts(self) -> int:
        return sum(f["steps"] for f in self.gather(LikelihoodShift))


def _noted(activation) -> tuple[str, list[int]]:
    """(rule ID, ``_ids``) of an activation, worked out once: the strategy's key, the note of
    what reached the agenda and the firing each read them (an activation's rule and facts
    never change). Kept on the activation; callers copy the list before handing it out."""
    found = getattr(activation, "_noted", None)  # (no exception raised the first time)
    if found is None:
        found = activation._noted = (_rule_id(activation.rule), _ids(activation))
    return found


def _ids(activation) -> list[int]:
    # activation.facts is a set: sorted, so that the record does not depend on PYTHONHASHSEED
    return sorted(f["__factid__"] for f in activation.facts if "__factid__" in f)

