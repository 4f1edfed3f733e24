"""The built Rete network, kept between processes: a cold start loads it instead of building it.

Building the network (every rule in normal form, the alpha part shared between patterns, each
rule wired, the nodes made the leaner ones of ``rete.py``) was the largest part of a cold
``coalition ask``, some 260 M instructions; loading it back costs about 30 M. It is written with
``pickle`` as ``TypedReteMatcher._build`` leaves it:

* what ``pickle`` cannot write by itself is written as the call that makes it again through
  experta's own constructors: a field test (``FeatureCheck(what, how)``, whose check closure
  experta picks again from ``how``), a TEST's check (``WhereCheck(test)``), a rule (what
  ``Rule.new_conditions`` makes: the class, its conditions, salience and function), a pattern
  (the fact class and its items, without the hash experta caches, which is per process) and the
  other conditional elements (the class and its items);
* the rules' own functions (their bodies, and the predicates of ``P(...)`` and ``TEST(...)``,
  lambdas and closures among them) are not written at all: each is named by the rule attribute
  it was found under and its place in that rule, and found again there on loading, in the rule
  modules just imported. A function found nowhere makes the network unwritable: it is not
  cached, and every process builds it, as before.

A network is cached only for an engine class that asks for it in its own class body
(``network_cache = True``: ``CoalitionEngine``; not its subclasses, which may mask rules), and
its file is named by a digest of what decides the network: the format below, Python's and
experta's versions, experta's matcher modules, the package's version and every module of the
rule base (``rules/``) and of this layer (``inference/``). An edit of any of them is another
file; nothing is ever rebuilt in place. It lives in the user's cache directory beside the
compiled templates (``$XDG_CACHE_HOME`` or ``~/.cache``, then ``digital-coalitions/network``), is
written to a temporary file and renamed, and is safe to delete at any time; a file that does not
load (cut short, edited, from another build) is built again and rewritten, and a directory that
cannot be written only costs the build. ``COALITION_NO_CACHE=1`` turns it off, as it does the
answer cache. ``tests/test_netcache.py`` checks that a loaded network fires exactly as a built
one on every shipped pairing.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
import sys
import types
from pathlib import Path

from digital_coalitions.compat import experta

try:  # CPython's own SHA-256 (hashlib would load OpenSSL, as the loader explains)
    from _sha256 import sha256
except ImportError:  # pragma: no cover (another Python)
    from hashlib import sha256

FORMAT = 1  # the layout of the file; a change of it is a change of every name
NO_CACHE_ENV = "COALITION_NO_CACHE"

_check = experta.matchers.rete.check
_Rule, _Fact = experta.Rule, experta.Fact
_CE = experta.conditionalelement.ConditionalElement


def enabled_for(engine) -> bool:
    """Whether this engine's class asks for its network to be cached, in its own class body."""
    if os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no"):
        return False
    return bool(type(engine).__dict__.get("network_cache", False))


def directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "digital-coalitions" / "network"


def code_digest() -> str:
    """What decides the network besides the engine class: Python, experta, the package's
    version, the rule base's and this layer's modules. A module is known by its path, size and
    time of last change, the test Python itself makes of a source against its byte code
    (hashing their bytes cost a cold start a fifth of loading the network)."""
    import digital_coalitions
    import digital_coalitions.rules

    digest = sha256(f"{FORMAT}\0{sys.version}\0{experta.__version__}\0"
                    f"{digital_coalitions.__version__}\0".encode())
    paths = [str(Path(experta.__file__))]
    for module in (experta.matchers.rete, digital_coalitions.rules, sys.modules[__package__]):
        folder = str(Path(module.__file__).parent)  # its *.py, as glob("*.py") lists them
        paths += [os.path.join(folder, name) for name in sorted(os.listdir(folder))
                  if name.endswith(".py")]  # (without glob's machinery: 1.5 M instructions)
    for path in paths:
        stat = os.stat(path)
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def path_for(engine) -> Path:
    kind = type(engine)
    name = sha256(f"{code_digest()}\0{kind.__module__}.{kind.__qualname__}".encode())
    return directory() / f"{name.hexdigest()[:32]}.pickle"


# ---- the rules' own functions, named by where they are found ----------------------------------
def _functions(engine_class) -> dict[tuple, object]:
    """Every function the engine class's rules hold (bodies, predicates), by a name that finds
    it again in another process: (class, attribute, place in the walk of its conditions)."""
    found: dict[tuple, object] = {}
    for klass in engine_class.__mro__:
        for attribute, value in vars(klass).items():
            if isinstance(value, _Rule):
                place = 0
                for function in _walk(value):
                    found[(klass.__module__, klass.__qualname__, attribute, place)] = function
                    place += 1
    return found


def _walk(element):
    """The functions in a rule, in a fixed order: its body, then depth-first in its conditions."""
    if isinstance(element, _Rule) and element._wrapped is not None:
        yield element._wrapped
    if isinstance(element, dict):
        items = element.values()
    elif isinstance(element, tuple):
        items = element
    else:
        return
    for item in items:
        if isinstance(item, (types.FunctionType, types.BuiltinFunctionType)):
            yield item
        elif isinstance(item, (tuple, dict)):
            yield from _walk(item)


# ---- writing and reading ------------------------------------------------------------------------
def _rule(kind, conditions, salience, wrapped, wrapped_args, wrapped_self):
    """What experta's ``Rule.new_conditions`` makes (its ``__call__`` without reading the
    function's signature again: ``wrapped_args`` is what it read)."""
    rule = kind.__new__(kind, *conditions, salience=salience)
    if wrapped is not None:
        rule._wrapped, rule._wrapped_args = wrapped, wrapped_args
        functools.update_wrapper(rule, wrapped)
    rule._wrapped_self = wrapped_self
    return rule


def _element(kind, items):
    return tuple.__new__(kind, items)


def _pattern(kind, items):
    fact = kind()
    dict.update(fact, items)
    return fact


class _Writer(pickle.Pickler):
    def __init__(self, file, functions: dict[tuple, object]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {}
        for name, function in functions.items():
            self._names.setdefault(id(function), name)
        self._keep = list(functions.values())  # their ids stay theirs while writing

    def persistent_id(self, obj):
        if isinstance(obj, types.FunctionType):
            return self._names.get(id(obj))  # None: written by pickle (a module-level function)
        return None

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is _check.FeatureCheck:
            return _check.FeatureCheck, (obj.what, obj.how)
        if kind is _check.WhereCheck:
            return _check.WhereCheck, (obj.test,)
        if isinstance(obj, _Rule):
            return _rule, (kind, tuple(obj), obj.salience, obj._wrapped, obj._wrapped_args,
                           obj._wrapped_self)
        if isinstance(obj, _Fact):
            state = {k: v for k, v in obj.__dict__.items() if k != "_hash"}  # hashes are per process
            return _pattern, (kind, list(dict.items(obj))), state or None
        if isinstance(obj, _CE) and not hasattr(kind, "_fields"):  # not experta's namedtuples
            return _element, (kind, tuple(obj)), (obj.__dict__ or None)
        return NotImplemented


class _Reader(pickle.Unpickler):
    def __init__(self, file, functions: dict[tuple, object]):
        super().__init__(file)
        self._functions = functions

    def persistent_load(self, name):
        return self._functions[tuple(name)]


def dump(network, engine_class) -> bytes:
    """The network as bytes; pickle's error if any part of it cannot be written."""
    buffer = io.BytesIO()
    _Writer(buffer, _functions(engine_class)).dump(network)
    return buffer.getvalue()


def load(data: bytes, engine_class):
    return _Reader(io.BytesIO(data), _functions(engine_class)).load()


def cached_network(engine, build):
    """The engine's network (what ``build()`` returns: ``TypedReteMatcher._build``'s root and
    lists): loaded from the cache, else built and written to the cache for the next process."""
    if not enabled_for(engine):
        return build()
    try:
        path = path_for(engine)
        data = path.read_bytes()
    except OSError:
        path, data = (path if "path" in locals() else None), None
    if data is not None:
        try:
            return load(data, type(engine))
        except Exception:  # cut short, edited, from another build: built again below
            pass
    network = build()
    if path is not None:
        _write(path, network, type(engine))
    return network


def _write(path: Path, network, engine_class) -> None:
    """Write the network atomically; a network or directory that cannot be written is let be."""
    try:
        data = dump(network, engine_class)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    import contextlib
    import tempfile  # only when writing: a tenth of the load's cost to import

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".network-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(scratch, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
            raise
    except OSError:
        pass
