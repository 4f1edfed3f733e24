"""The two case files a question names by their ids, read without loading the whole directory.

``coalition ask south-korea chip4`` names ``states/south-korea.yaml`` and
``coalitions/chip4.yaml``: reading, validating and cross-checking every file of the case
directories to answer it cost most of a cold start (issue 12). :func:`load_named` reads just those
two, from the highest directory that has each (an added ``--cases`` directory's file replaces the
shipped one, as in :func:`~digital_coalitions.casefiles.loader.load_dir`), and gives the same
``CaseFile`` objects ``load_dir`` would: the same validation, the same cross-checks against
every state file of the directories (their ids are their file names, so the listing gives
them), the same ``case_set``.

Where the answer could differ from the whole directory's, it gives None and the caller loads the
directory, which then reports exactly what it always did: a name that is not a file's stem (names
and aliases need every file), a directory that cannot be listed, two files of one id, a problem
in either of the two files, or another file claiming one of their ids, names or aliases (the
clash ``load_dir`` refuses, as "the question answered about the wrong file"). The other files'
names are read from their top-level ``id``, ``name`` and ``aliases`` lines alone, parsed as
YAML; a file whose top level is written any other way counts as a possible clash. What is not
checked here is the rest of the other files: a broken file elsewhere in the directory is
reported by the commands that read it (``list``, ``matrix``, a question about it), not by a
question about two other files.
"""

from __future__ import annotations

import functools
import os
import pathlib
import re
from collections.abc import Mapping

import yaml

from digital_coalitions.casefiles import loader as L
from digital_coalitions.casefiles import nameindex
from digital_coalitions.casefiles import schema as S

KINDS = (("state", "states"), ("coalition", "coalitions"))
_NAME_FIELDS = ("id", "name", "aliases")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# a one-line value most files write (``name: South Korea``, ``aliases: [ROK, "NO"]``), read
# without a YAML parser; anything else is parsed. A plain word YAML reads as no string (``no``,
# ``1984``) is counted as a name too: a clash too many only means loading the directory.
_QUOTED = r"'[^'\n]*'|\"[^\"\\\n]*\""
_PLAIN = r"[^\W_][\w .'()&/-]*"


@functools.cache
def _patterns():
    """(top line, top key, item, one-line value): compiled when a file's top lines are first
    read, not at every start (the names index has them read rarely)."""
    return (re.compile(r"\n(?=\S)"),  # before a line of the top level (a key, a comment, a '- ')
            re.compile(r"[A-Za-z_][\w\-]*[ \t]*:(?:[ \t]|$)"),
            re.compile(rf"{_QUOTED}|{_PLAIN}"),
            re.compile(rf"(?P<key>id|name|aliases)[ \t]*:[ \t]*(?:(?P<one>{_QUOTED}|{_PLAIN})|"
                       rf"\[(?P<many>[ \t]*(?:(?:{_QUOTED}|{_PLAIN})[ \t]*,[ \t]*)*"
                       rf"(?:(?:{_QUOTED}|{_PLAIN})[ \t]*)?)\])[ \t]*(?:[ \t]#[^\n]*)?\r?\n?"))


def _listed(directories: list[pathlib.Path]):
    """{(kind, stem): path} of the file each id is read from (the highest directory's), the
    files in the order load_dir meets them, and every file listed (those replaced by a higher
    directory's too); None if load_dir would report a problem with the listing itself (a
    directory that cannot be read, two files of one id)."""
    if any(L._directory_problem(d) for d in directories):
        return None
    top: list[str] = []
    chosen: dict[tuple[str, str], pathlib.Path] = {}
    layer_of: dict[tuple[str, str], int] = {}
    listed = []
    for layer, base in enumerate(directories):
        for kind, sub in KINDS:
            seen = set()
            for path in L._listing(base / sub, kind, top):
                stem = path.stem
                if stem in seen:  # x.yaml and x.yml: load_dir names the clash
                    return None
                seen.add(stem)
                listed.append((layer, kind, stem, path))
                chosen[kind, stem] = path
                layer_of[kind, stem] = layer
    if top:
        return None
    order = [(kind, path) for layer, kind, stem, path in listed if layer_of[kind, stem] == layer]
    return chosen, order, [path for *_, path in listed]


class _Aliases(Mapping):
    """The states' names and aliases, lowercased -> id, as load_dir's CaseSet has them: read
    only if asked for (a "did you mean" in a --set's problem), from every state file."""

    def __init__(self, order):
        self._order = order
        self._found: dict | None = None

    def _all(self) -> dict:
        if self._found is None:
            found: dict[str, str] = {}
            for kind, path in self._order:
                if kind != "state":
                    continue
                for alias in (L._load(path, kind).data or {}).get("aliases", []) or []:
                    if isinstance(alias, str):
                        found.setdefault(alias.strip().lower(), path.stem)
            self._found = found
        return self._found

    def __getitem__(self, key):
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())


def claimed_names(path: pathlib.Path) -> set[str] | None:
    """The normalised id, name and aliases a case file claims, from its top-level lines; None
    where the file cannot be read that way (then it may claim anything)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    top_line, top_key, item_pattern, one_line = _patterns()
    starts = [m.start() for m in top_line.finditer("\n" + text)]  # (a literal first: fast)
    lines = [(start, text[start:text.find("\n", start) % (len(text) + 1)]) for start in starts]
    snippets = {}
    for i, (start, line) in enumerate(lines):
        if line.startswith("#") or line == "-" or line.startswith("- "):
            continue  # a comment, or an item of the sequence the key above holds
        if not top_key.match(line):
            return None  # '---', a quoted or complex key, a flow mapping, a stray value...
        key = line.split(":", 1)[0].strip()
        if key not in _NAME_FIELDS:
            continue
        if key in snippets:
            return None  # a key given twice
        end = len(text)
        for start_next, following in lines[i + 1:]:
            if not (following.startswith("#") or following == "-" or following.startswith("- ")):
                end = start_next
                break
        snippets[key] = text[start:end]
    names = set()
    for key, snippet in snippets.items():
        simple = one_line.fullmatch(snippet)
        if simple:
            written = simple["one"] if simple["one"] is not None else simple["many"]
            for item in item_pattern.findall(written):
                item = item.rstrip()
                names.add(L.normalise(item[1:-1] if item[:1] in "'\"" else item))
            continue
        try:
            parsed = yaml.load(snippet, Loader=_Loader)
        except yaml.YAMLError:
            return None
        if not isinstance(parsed, dict) or set(parsed) != {key}:
            return None
        given = parsed[key]
        for text_given in (given if key == "aliases" and isinstance(given, list) else [given]):
            if isinstance(text_given, str):
                names.add(L.normalise(text_given))
    return names


def _own_names(case: L._Loaded) -> set[str]:
    names = set()
    for field in _NAME_FIELDS:
        given = case.data.get(field)
        for text in (given if field == "aliases" and isinstance(given, (list, tuple)) else [given]):
            if isinstance(text, str):
                names.add(L.normalise(text))
    return names


def _names_of(listing) -> dict:
    """{path: the names it claims, or None} of every file listed, through the index."""
    return nameindex.claims(listing[2], claimed_names)


def load_named(directories, state_id: str, coalition_id: str):
    """(state, coalition): the files ``states/STATE_ID.yaml`` and ``coalitions/COALITION_ID.yaml``
    of ``directories`` (lowest first), exactly as ``load_dir(directories)`` would give them; None
    where that could differ (see the module's docstring) or a name is not a file's stem."""
    if not (S.is_slug(state_id) and S.is_slug(coalition_id)):
        return None
    directories = _paths(directories)
    listing = _listed(directories)
    if listing is None:
        return None
    return _load_pair(directories, listing, None, state_id, coalition_id)


def resolve_named(directories, state_ref: str, coalition_ref: str):
    """(state, coalition) that a question's two names (ids, names or aliases, as
    :class:`~digital_coalitions.casefiles.question.Resolver` compares them) name, exactly as the
    resolver over ``load_dir(directories)`` would find them, read from the two files alone; None
    where that could differ: a name no file or several files claim, a file whose names cannot be
    read from its top lines, and every case :func:`load_named` gives None for."""
    from digital_coalitions.casefiles.question import GENERIC_SUFFIX, looks_like_path

    if looks_like_path(state_ref) or looks_like_path(coalition_ref):
        return None
    directories = _paths(directories)
    listing = _listed(directories)
    if listing is None:
        return None
    claims = _names_of(listing)
    wanted = {}
    for kind, ref in (("state", state_ref), ("coalition", coalition_ref)):
        pool = [(path, claims[path]) for other_kind, path in listing[1] if other_kind == kind]
        if any(names is None for _, names in pool):
            return None
        name = L.normalise(ref)
        if kind == "coalition" and not any(name in names for _, names in pool):
            bare = GENERIC_SUFFIX.sub("", name)
            name = bare if any(bare in names for _, names in pool) else name
        claiming = [path for path, names in pool if name in names]
        if len(claiming) != 1:
            return None
        wanted[kind] = (claiming[0].stem, name)
    return _load_pair(directories, listing, claims, wanted["state"][0], wanted["coalition"][0],
                      {kind: name for kind, (_, name) in wanted.items()})


def _paths(directories) -> list[pathlib.Path]:
    if isinstance(directories, (str, os.PathLike)):
        directories = [directories]
    return [pathlib.Path(d) for d in directories]


def _load_pair(directories, listing, claims, state_id, coalition_id, names=None):
    chosen, order, _ = listing
    paths = {"state": chosen.get(("state", state_id)),
             "coalition": chosen.get(("coalition", coalition_id))}
    if None in paths.values():
        return None
    known = L.CaseSet(tuple(L._resolved(d) for d in directories),
                      frozenset(stem for kind, stem in chosen if kind == "state"), _Aliases(order))
    loaded = {}
    for kind, path in paths.items():
        item = L._load(path, kind)
        if item.data is None or item.ctx.problems:
            return None
        item.case_set = known
        L._cross_check(item, known)
        if item.ctx.problems:
            return None
        loaded[kind] = item
    if claims is None:
        claims = _names_of(listing)
    for kind, item in loaded.items():
        own = _own_names(item)
        if names is not None and names[kind] not in own:
            return None  # the name was read from the top lines, but the file is not so named
        for other_kind, path in order:
            if other_kind != kind or path == paths[kind]:
                continue
            theirs = claims[path]
            if theirs is None or theirs & own:
                return None
    return loaded["state"].case(), loaded["coalition"].case()
