"""experta's Rete network, cheaper to run: the same matches, in the same order.

An inference spends most of its time passing tokens through experta's network; these changes
remove work that cannot change a match, each checked against experta's own matcher by
``test_the_faster_matcher_fires_exactly_what_experta_fires`` (tests/test_analysis.py):

* the bus hands a fact only to the branches that test for its type (``_TypedBus``);
* a token is built without re-checking its arguments (``LeanToken``, made only by these nodes;
  experta's ``Token`` is not touched), and copied only where a node changes it (experta copies
  it at every node it enters, before testing it);
* the nodes skip their debug logging (experta's ``watch`` is not used by this engine), and a
  test of one plain field calls its check directly (``_plain_field``): a literal, a predicate
  that binds nothing, a wildcard binding and a fact's capture each have their own node
  (``_Literal``, ``_Predicate``, ``_Bind``, ``_Capture``), and a parent makes its literal
  children's test itself (``_fanout``);
* joins remember a token's context as its dict, not frozen, and make experta's
  ``SameContextCheck`` loop themselves (``_Join``);
* a step of the run looks only at the rules whose conflict set changed;
* building the network, each rule is put in normal form on its conditions and made a rule once
  (``prepare``): experta remakes the whole rule at every rewriting step, and remaking one reads
  its function's signature, a third of the time a cold start spends building the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from operator import attrgetter

from digital_coalitions.compat import experta
from digital_coalitions.inference.netcache import cached_network

_nodes = experta.matchers.rete.nodes
_dnf = experta.matchers.rete.dnf
_utils = experta.matchers.rete.utils


class LeanToken(experta.matchers.rete.token.Token):
    """experta's Token, built and copied without re-checking its arguments.

    experta's Token checks its arguments on every creation and every copy (an isinstance test per
    fact, and one against collections.abc.Mapping, which is slow); a token is copied at each node
    it enters, so the checks cost a fifth of an inference. Only this network's nodes make these
    tokens, always from facts and dicts; experta's own Token is left as it is, for everyone else.
    """

    __slots__ = ()

    def __new__(cls, tag, data, context=None):
        facts = {data} if isinstance(data, experta.Fact) else set(data)
        return tuple.__new__(cls, (tag, facts, {} if context is None else context))

    def copy(self):
        return tuple.__new__(type(self), (self.tag, self.data.copy(), self.context.copy()))

    def to_info(self):  # experta's, without the Python-level constructor of TokenInfo
        return tuple.__new__(_TokenInfo, (frozenset(self.data), frozenset(self.context.items())))


_TokenInfo = experta.matchers.rete.token.TokenInfo


_VALID, _INVALID = LeanToken.TagType.VALID, LeanToken.TagType.INVALID
_new_token = tuple.__new__


class _TypedBus(experta.matchers.rete.nodes.BusNode):
    """experta's bus node, handing each fact only to the branches that test for its type.

    experta's bus offers every fact to every branch of the network, and each branch's first
    test is ``type(fact) == T`` (an exact type, never a subclass); routing by type skips the
    tests that must fail and the token copies they cost. Same matches, about twice as fast.
    """

    def __init__(self):
        super().__init__()
        self._routes = {}  # fact type -> the branches that can accept it; the network is fixed

    def _route(self, kind):
        """The branches a fact of type ``kind`` is handed to, as ``_fanout`` entries."""
        route = self._routes.get(kind)
        if route is None:
            check = experta.matchers.rete.check.TypeCheck
            children = []
            for child in self.children:
                matcher = getattr(child.node, "matcher", None)
                if not isinstance(matcher, check):
                    children.append(child)
                elif matcher.fact_type is kind:
                    if type(child.node) is _Tester and child.callback == child.node.activate:
                        # its test passes every fact routed here, and hands the token on as it
                        # came: straight to its children, in their order
                        children.extend(child.node.children)
                    else:
                        children.append(child)
            route = self._routes[kind] = _fanout(children)
        return route

    def add(self, fact):
        self._send(fact, _VALID)

    def remove(self, fact):
        self._send(fact, _INVALID)

    def _send(self, fact, tag):
        token = _new_token(LeanToken, (tag, {fact}, {}))
        try:
            route = self._routes[type(fact)]
        except KeyError:
            route = self._route(type(fact))
        _pass_on(route, fact, token)


def _fanout(children) -> tuple:
    """A node's children as (key, literal, callbacks) entries, called in their order: a child
    that is a ``_Literal`` (activated as one) becomes its test, made by the parent on the same
    one-fact token, and its own children's callbacks, which it would hand that token to
    unchanged when the test passes (``key`` None: no test, the child's callback). The same
    calls in the same order, without a call of the literal's ``activate`` for each fact."""
    entries = []
    for child in children:
        node = child.node
        if type(node) is _Literal and child.callback == node.activate:
            entries.append((node.key, node.literal, tuple(c.callback for c in node.children)))
        else:
            entries.append((None, None, (child.callback,)))
    return tuple(entries)


def _pass_on(entries, fact, token) -> None:
    """Hand a one-fact token to the entries of a _fanout, in their order: a literal child's test
    made here, on the same fact, its children called when it holds."""
    for key, literal, callbacks in entries:
        if key is not None:
            try:
                record = fact[key]
            except (IndexError, KeyError, TypeError):
                continue
            if not literal == record:
                continue
        for callback in callbacks:
            callback(token)


class _Tester(_nodes.FeatureTesterNode):
    """experta's one-fact test, copying the token only when the test binds a variable.

    Most tests fail, and a test that binds nothing passes the token on unchanged; only binding
    changes the token's context, so only then is it copied (every node copies before changing).
    """

    key = None  # the one field a plain FeatureCheck reads (set by TypedReteMatcher), else None
    capture = None  # the name a FactCapture binds the fact to, else None

    def __getstate__(self):  # kept by netcache: ``check`` is experta's closure, found again
        return {k: v for k, v in self.__dict__.items()
                if k not in ("check", "literal", "fanout", "predicate")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self.key is not None:
            self.check = _unlogged(self.matcher.check)
        if type(self) is _Literal:
            self.literal = self.matcher.expected.value
        if type(self) is _Predicate:
            self.predicate = self.matcher.expected.match

    def activate(self, token):
        (fact,) = token.data
        if self.key is not None:  # experta's FeatureCheck.__call__ for a plain field, unlogged
            try:
                record = fact[self.key]
            except (IndexError, KeyError, TypeError):
                return
            match = self.check(record, self.expected)
        elif self.capture is not None:  # experta's FactCapture.__call__, unlogged
            match = {self.capture: fact}
        else:
            match = self.matcher(fact)
        if not match:
            return
        if match is not True and (type(match) is dict or isinstance(match, Mapping)):
            # experta's binding rules
            context = token.context
            for key, value in match.items():
                if isinstance(key, tuple):  # a negated binding
                    if key[1] in context and context[key[1]] == value:
                        return
                elif context.get(key, value) != value or \
                        ((False, key) in context and context[(False, key)] == value):
                    return
            token = token.copy()
            token.context.update(match)
        _pass_on(self.fanout, fact, token)


class _Literal(_Tester):
    """A test of one plain field against a literal that binds nothing (``Tie(field="alliance")``,
    most of the network's tests): experta's ``equal_literal`` (``expected.value == actual``,
    true or false, no binding), compared here directly. It never changes the token."""

    literal = None  # the L(...)'s value (set by _plain_field)

    def activate(self, token):
        (fact,) = token.data
        try:
            record = fact[self.key]
        except (IndexError, KeyError, TypeError):
            return
        if self.literal == record:
            _pass_on(self.fanout, fact, token)


class _Predicate(_Tester):
    """A test of one plain field by a predicate that binds nothing (``P(f)``: the rules'
    ``at_least``, ``one_of``...): experta's ``match_predicate`` (``expected.match(actual)``,
    true or false, no binding), called here directly. It never changes the token."""

    predicate = None  # the P(...)'s function (set by _plain_field)

    def activate(self, token):
        (fact,) = token.data
        try:
            record = fact[self.key]
        except (IndexError, KeyError, TypeError):
            return
        if self.predicate(record):
            _pass_on(self.fanout, fact, token)


class _Bind(_Tester):
    """A plain field bound to a name (``Tie(value=MATCH.v)``): experta's ``wildcard_match``
    (``{name: actual}``, always), under the binding rules of ``_Tester``, which for one
    binding are the two made here, then the token copied with the binding added."""

    bind = None  # the name (set by _plain_field)

    def activate(self, token):
        (fact,) = token.data
        try:
            record = fact[self.key]
        except (IndexError, KeyError, TypeError):
            return
        context, name = token.context, self.bind
        if context.get(name, record) != record or \
                ((False, name) in context and context[(False, name)] == record):
            return
        context = context.copy()
        context[name] = record
        token = _new_token(LeanToken, (token.tag, token.data, context))  # facts shared
        _pass_on(self.fanout, fact, token)


class _Capture(_Tester):
    """A fact's capture (``f << Fact()``), most of the network's other tests: experta's
    ``FactCapture`` binds the fact to a name, under the binding rules of ``_Tester``, which
    for one binding are the two looked up here."""

    def activate(self, token):
        (fact,) = token.data
        context, name = token.context, self.capture
        if name in context and context[name] != fact:
            return
        if (False, name) in context and context[(False, name)] == fact:
            return
        context = context.copy()
        context[name] = fact
        # its facts shared, not copied: no node changes a token's set of facts
        token = _new_token(LeanToken, (token.tag, token.data, context))
        _pass_on(self.fanout, fact, token)


class _Join(_nodes.OrdinaryMatchNode):
    """experta's join, making lean tokens, without the debug logs.

    The same steps as experta's ``OrdinaryMatchNode.__activation``: remember the token on its
    side, then join it with every match remembered on the other. It never changes the token it
    is given (it makes new ones), so it does not copy it first as experta's does; and where its
    check is experta's ``SameContextCheck``, a left side with no bindings agrees with anything
    (that check's loop over the left side's bindings has nothing to do)."""

    same_context = False  # its check is experta's SameContextCheck (set by TypedReteMatcher)

    # Its memories hold, for each token remembered, (its set of facts, its context as the dict
    # it came with, that context's bindings without negations): what experta's TokenInfo holds,
    # kept as they came, so that a join neither freezes a token when it remembers it (hashing
    # every bound fact) nor makes its context a dict again for every token it meets on the
    # other side. No node changes a token's facts or context once the token is made (a node
    # that binds makes a new context), so what is kept is what the token had. (experta's reset
    # of the node, two empty lists, suits them as it is.)

    def activate_left(self, token):
        self._join(token, self.left_memory, self.right_memory, left=True)

    def activate_right(self, token):
        self._join(token, self.right_memory, self.left_memory, left=False)

    def _join(self, token, memory, others, left):
        context = token.context
        own = {k: v for k, v in context.items() if isinstance(k, str)}
        if token.tag is _VALID:
            # its bindings without negations: ``own`` itself when every key is a name
            memory.append((token.data, context, own if len(own) == len(context) else
                           {k: v for k, v in context.items() if not isinstance(k, tuple)}))
        else:  # experta's memory.remove(token.to_info()): the first one equal to it, if any
            data, items = frozenset(token.data), frozenset(context.items())
            for index, (other_data, other_context, _) in enumerate(memory):
                if other_data == data and frozenset(other_context.items()) == items:
                    del memory[index]
                    break
        if not others:
            return
        matcher, same_context = self.matcher, self.same_context
        data, tag = token.data, token.tag
        for other_data, other_context, other_bindings in others:
            if same_context:  # experta's SameContextCheck(left, right), made here
                if left:
                    lhs, rhs = context, other_context
                else:
                    lhs, rhs = other_context, context
                agree = True
                for key, value in lhs.items():
                    if key[0] is False:
                        raise RuntimeError('Negated value "%s" present before capture.' % key[1])
                    if key in rhs and value != rhs[key]:
                        agree = False
                        break
                    if (False, key) in rhs and value == rhs[(False, key)]:
                        agree = False
                        break
                if not agree:
                    continue
            else:  # another check, given its own dict of the remembered side, as experta does
                theirs = dict(other_context)
                if not (matcher(context, theirs) if left else matcher(theirs, context)):
                    continue
            joined = own.copy()
            joined.update(other_bindings)
            joined = _new_token(LeanToken, (tag, data | other_data, joined))
            for child in self.children:
                child.callback(joined)


class _Not(_nodes.NotNode):
    """experta's negation, making lean tokens, without the debug logs.

    The left side is experta's own; the right side takes the same steps as experta's
    right activation of ``NotNode``, building its tokens as lean ones."""

    def activate_left(self, token):  # experta's, which never changes the token: not copied
        return self._activate_left(token)

    def activate_right(self, token):  # it never changes the token either
        if token.tag is _VALID:
            self.right_memory.append(token.to_info())
            step = 1
        else:
            step = -1
            self.right_memory.remove(token.to_info())
        for left in self.left_memory:
            if self.matcher(dict(left.context), token.context):
                self.left_memory[left] += step
                count = self.left_memory[left]
                if (count == 0 and step == -1) or (count == 1 and step == 1):
                    # the first match blocks the left token; the last to go frees it again
                    changed = LeanToken(_VALID if step == -1 else _INVALID, left.data,
                                        dict(left.context))
                    for child in self.children:
                        child.callback(changed)


class _Terminal(_nodes.ConflictSetNode):
    """experta's conflict-set node, noting when it starts to hold changes; it only reads the token.

    (Like experta's, its pending changes outlive a reset: they are handed over at the next step.)
    """

    changed: list  # the matcher's list of terminals with new activations, shared by all
    place: int  # its place in experta's order of collecting activations
    rule_hash: int  # hash(self.rule), per process (it hashes functions): set by TypedReteMatcher

    def __getstate__(self):  # kept by netcache, without the hash of this process
        return {k: v for k, v in self.__dict__.items() if k != "rule_hash"}

    def activate(self, token):
        """experta's ``ConflictSetNode._activate``, its activations hashing the rule once."""
        if not (self.added or self.removed):
            self.changed.append(self)
        info = token.to_info()
        items = info.context
        context = {k: v for k, v in items if isinstance(k, str)}
        activation = _Activation(self.rule, info.data, context, self.rule_hash,
                                 # its context frozen: the token's own, if it binds no negation
                                 items if len(context) == len(items) else None)
        if token.tag is _VALID:
            if info not in self.memory:
                self.memory.add(info)
                if activation in self.removed:
                    self.removed.remove(activation)
                else:
                    self.added.add(activation)
        else:
            try:
                self.memory.remove(info)
            except ValueError:  # as experta's (a set raises KeyError, which reaches the caller)
                pass
            else:
                if activation in self.added:
                    self.added.remove(activation)
                else:
                    self.removed.add(activation)


class _Activation(experta.activation.Activation):
    """experta's Activation, equal as experta's are, hashing its rule's hash instead of the rule
    (a rule hashes every one of its conditions, at every activation added, removed or looked
    up; the rule never changes)."""

    def __init__(self, rule, facts: frozenset, context: dict, rule_hash: int,
                 items: frozenset | None = None):
        # experta's Activation.__init__'s attributes, set directly
        self.rule, self.facts, self.key, self.context = rule, set(facts), None, context
        self._rule_hash = rule_hash
        # the hash it is looked up by, at least twice (removed, added): worked out once, from the
        # token's frozensets of facts and (``items``, when given: equal to frozenset(context.
        # items())) of its context, whose hashes Python keeps; nothing changes either part
        self._hash = hash((rule_hash, facts, frozenset(context.items()) if items is None else items))

    def __hash__(self):
        return self._hash


_LEAN = {_nodes.FeatureTesterNode: _Tester, _nodes.OrdinaryMatchNode: _Join,
         _nodes.NotNode: _Not, _nodes.ConflictSetNode: _Terminal}


def _normal_form(conditions: tuple) -> tuple:
    """experta's ``dnf(rule)``, on a rule's conditions: rewritten until nothing changes."""
    last, current = None, (experta.AND(*[_dnf.dnf(e) for e in conditions]),)
    while last != current:
        last, current = current, tuple(_dnf.dnf(e) for e in current)
    return tuple(_dnf.unpack_exp(current, experta.AND))


def prepare(rule):
    """experta's ``prepare_rule(rule)`` (the rule made ready for the network: in disjunctive
    normal form, an InitialFact where it starts with a NOT or tests no fact), with the same
    result, making the new rule once at the end instead of at every step.
    ``tests/test_analysis.py`` checks that every rule comes out equal to experta's."""
    conditions = tuple(_utils.prepare_rule(e) for e in _normal_form(tuple(rule)))
    if not conditions:
        return rule.new_conditions(experta.InitialFact())
    if isinstance(conditions[0], experta.NOT) or not _utils.extract_facts(conditions):
        return rule.new_conditions(experta.InitialFact(), *conditions)
    return rule.new_conditions(*_normal_form(conditions))


class TypedReteMatcher(experta.matchers.rete.ReteMatcher):
    """experta's Rete matcher on the type-routed bus, with the leaner nodes above."""

    @staticmethod
    def prepare_ruleset(engine):
        return {prepare(rule) for rule in engine.get_rules()}

    def __init__(self, engine):
        experta.abstract.Matcher.__init__(self, engine)
        self.root_node, self._changed, self._memories = cached_network(engine, self._build)
        for node in self._memories:
            if type(node) is _Terminal:
                node.rule_hash = hash(node.rule)
        self._reset_plan = _reset_plan(self._memories)
        for node in _network(self.root_node):  # kept out of netcache's copy: bound methods
            if isinstance(node, _Tester):
                node.fanout = _fanout(node.children)

    def _build(self) -> tuple[_TypedBus, list, list]:
        """experta's network, its nodes made the leaner ones: (root, the list of terminals with
        new activations, the nodes that remember tokens). What ``netcache`` keeps."""
        self.root_node = _TypedBus()
        self.build_network()
        nodes = _network(self.root_node)
        changed: list[_Terminal] = []
        for node in nodes:
            node.__class__ = _LEAN.get(type(node), type(node))
            if type(node) is _Terminal:
                node.changed = changed
            if type(node) is _Tester:
                _plain_field(node)
            if type(node) is _Join:
                node.same_context = type(node.matcher) is experta.matchers.rete.check.SameContextCheck
        for node in nodes:  # each child's callback, bound again to its leaner class
            node.children = [child._replace(callback=getattr(child.node, child.callback.__name__))
                             for child in node.children]
        for place, node in enumerate(self._get_conflict_set_nodes()):
            node.place = place  # experta collects in this order; ties on the agenda keep it
        return self.root_node, changed, [node for node in nodes if _has_memory(node)]

    def reset(self):
        """Empty every node that remembers tokens, once each (experta walks the whole network):
        joins and terminals, most of them, as their ``_reset`` does, without a call for each."""
        joins, terminals, others = self._reset_plan
        for node in joins:  # experta's OrdinaryMatchNode._reset
            node.left_memory, node.right_memory = [], []
        for node in terminals:  # experta's ConflictSetNode._reset
            node.memory = set()
        for node in others:
            node._reset()

    def changes(self, adding=None, deleting=None):
        """experta's changes, from only the rules whose conflict set changed."""
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added, removed = [], []
        for node in sorted(self._changed, key=attrgetter("place")):
            now_added, now_removed = node.get_activations()
            added.extend(now_added)
            removed.extend(now_removed)
        self._changed.clear()
        return added, removed


def _experta_check(function, name: str) -> bool:
    """Whether ``function`` is experta's FeatureCheck closure of that name."""
    return getattr(function, "__module__", None) == experta.matchers.rete.check.__name__ and \
        function.__name__ == name


def _plain_field(node) -> None:
    """Give a test of one plain field (``Evidence(field="x")``: not ``__factid__``, no
    ``a__b`` path, no index) its field, check and expected value, which its activation then
    calls directly: what experta's ``FeatureCheck.__call__`` does for such a field, without
    splitting the name and logging the result at every test. A fact's capture (``f << Fact()``)
    is given the name it binds."""
    check = node.matcher
    if isinstance(check, experta.matchers.rete.check.FeatureCheck) and \
            isinstance(check.what, str) and "__" not in check.what and not check.what.isnumeric():
        node.key, node.check, node.expected = check.what, _unlogged(check.check), check.expected
        if getattr(check.check, "__module__", None) == experta.matchers.rete.check.__name__ and \
                check.check.__name__ == "equal_literal" and check.expected.__bind__ is None:
            node.__class__, node.literal = _Literal, check.expected.value
        elif _experta_check(check.check, "match_predicate") and check.expected.__bind__ is None:
            node.__class__, node.predicate = _Predicate, check.expected.match
        elif _experta_check(check.check, "wildcard_match") and \
                isinstance(check.expected.__bind__, str):
            node.__class__, node.bind = _Bind, check.expected.__bind__
    elif type(check) is experta.matchers.rete.check.FactCapture:
        node.__class__, node.capture = _Capture, check.bind


# experta's checks of several field constraints (``P(a) & P(b)``, ``P(a) | P(b)``, ``~L(x)``)
# call each part through FeatureCheck.__call__, which logs every result; the same steps, each
# part's own check called directly (what FeatureCheck.__call__ does with ``is_fact=False``)
def _and_match(actual, expected):
    value = {}
    for part in expected:
        found = part.check(actual, part.expected)
        if found is False:
            return False
        if found is True:
            continue
        if type(found) is dict or isinstance(found, Mapping):  # (a dict, without abc's check)
            value.update(found)
        else:
            raise TypeError("Bad check value.")
    return value if value else True


def _or_match(actual, expected):
    for part in expected:
        found = part.check(actual, part.expected)
        if found:
            return found
    return False


def _not_equal(actual, expected):
    found = expected.check(actual, expected.expected)
    if type(found) is dict or isinstance(found, Mapping):
        return {(False, k): v for k, v in found.items()}
    return not found


_UNLOGGED = {"and_match": _and_match, "or_match": _or_match, "not_equal": _not_equal}


def _unlogged(check):
    """The check to call for one of experta's FeatureCheck closures: the same, or its unlogged
    twin above."""
    if getattr(check, "__module__", None) == experta.matchers.rete.check.__name__:
        return _UNLOGGED.get(check.__name__, check)
    return check


def _network(root) -> list:
    """Each node of the network once, in the order experta's reset walks it."""
    found, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            found.append(node)
            stack.extend(reversed([child.node for child in node.children]))
    return found


def _reset_plan(nodes) -> tuple[list, list, list]:
    """The nodes that remember tokens, as (joins, terminals, others): those of the first two
    whose ``_reset`` is _Join's or experta's ConflictSetNode's, the rest in their order."""
    joins, terminals, others = [], [], []
    for node in nodes:
        reset = getattr(type(node)._reset, "__func__", type(node)._reset)
        if reset is _nodes.OrdinaryMatchNode._reset:
            joins.append(node)
        elif reset is _nodes.ConflictSetNode._reset:
            terminals.append(node)
        else:
            others.append(node)
    return joins, terminals, others


def _has_memory(node) -> bool:
    """Whether the node's reset does anything (most nodes keep no memory)."""
    reset = type(node)._reset
    return getattr(reset, "__func__", reset) is not experta.matchers.rete.mixins.NoMemory._reset
