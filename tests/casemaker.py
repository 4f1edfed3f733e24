"""Build case files for tests: a base case, changed by dotted paths, loaded and asked for real.

The base case is minimal but complete (facts.md): every field the question reads is written, so
nothing is defaulted, and both files cite a source. The state is a treaty ally of the leader
with nothing else switched on: no threat, no reliance on the leader's technology, no exposure
to the target, no offers and no pressure, so each rule is made to fire by a few changes.

Changes are ``{dotted path: value}``; ``None`` deletes the key (so the loader's default, or
"no entry", applies). Paths starting with ``coalition.`` change the coalition file, all others
the state file::

    ask_case(tmp_path, {"ties.united-states.alliance": "none", "coalition.demand": "simple"})
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from digital_coalitions.inference.answer import ask
from digital_coalitions.casefiles.loader import load_file
from digital_coalitions.rules.fixtures import base_case

STATE_ID, COALITION_ID = "testland", "test-coalition"
LEADER, TARGET, DOMAIN = "united-states", "china", "semiconductors"
COALITION = "coalition."  # the prefix of a change to the coalition file

# the base case is shipped beside the rule fixtures that change it (rules/fixtures/base.yaml)
_BASE = base_case()
assert (_BASE["state"]["id"], _BASE["coalition"]["id"]) == (STATE_ID, COALITION_ID)
_STATE, _COALITION = _BASE["state"], _BASE["coalition"]


def base_state() -> dict:
    return copy.deepcopy(_STATE)


def base_coalition() -> dict:
    return copy.deepcopy(_COALITION)


def apply(data: dict, changes: dict) -> dict:
    """A copy of ``data`` with each ``dotted.path: value`` set (missing mappings are created)
    or, for ``None``, deleted."""
    data = copy.deepcopy(data)
    for path, value in changes.items():
        *parents, key = path.split(".")
        node = data
        for name in parents:
            node = node.setdefault(name, {})
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
    return data


def split(changes: dict) -> tuple[dict, dict]:
    """``changes`` divided into (state changes, coalition changes), the prefix removed."""
    state = {p: v for p, v in changes.items() if not p.startswith(COALITION)}
    coalition = {p[len(COALITION):]: v for p, v in changes.items() if p.startswith(COALITION)}
    return state, coalition


def write_case(directory, changes: dict | None = None) -> tuple[Path, Path]:
    """Write the changed base case as ``states/<id>.yaml`` and ``coalitions/<id>.yaml``."""
    state_changes, coalition_changes = split(changes or {})
    paths = []
    for kind, data in (("state", apply(base_state(), state_changes)),
                       ("coalition", apply(base_coalition(), coalition_changes))):
        path = Path(directory) / f"{kind}s" / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def load_case(directory, changes: dict | None = None):
    """The changed base case, written and read back by the real loader: (state, coalition)."""
    state_path, coalition_path = write_case(directory, changes)
    return load_file(state_path, "state"), load_file(coalition_path, "coalition")


SET = "--set"  # a key of ``changes`` whose value is a list of --set assignments, applied last
AS_OF = "--as-of"  # a key of ``changes``: the year asked about (the files' evidence at that year)


def ask_case(directory, changes: dict | None = None, engine=None):
    """Will the changed base state join the changed base coalition? The engine's Answer."""
    from digital_coalitions.casefiles.question import dated

    changes = dict(changes or {})
    assignments = changes.pop(SET, ())
    as_of = changes.pop(AS_OF, None)
    state, coalition = dated(*load_case(directory, changes), as_of)
    if assignments:
        from digital_coalitions.casefiles.overrides import apply_overrides

        state, coalition = apply_overrides(state, coalition, assignments)
    return ask(state, coalition, engine=engine)


def load_files(directory, state: dict, coalition: dict):
    """Two whole case dicts (not changes to the base, so a value may be written as ``null``),
    written as YAML like :func:`write_case` does and read back by the real loader:
    (state, coalition)."""
    loaded = []
    for kind, data in (("state", state), ("coalition", coalition)):
        path = Path(directory) / f"{kind}s" / f"{data['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        loaded.append(load_file(path, kind))
    return loaded[0], loaded[1]
