"""An on-disk cache of what the batch commands read of an answer (``matrix``, ``backtest``,
``rules coverage``, ``rules show``).

Every entry is one question's :class:`~digital_coalitions.analysis.batch.Summary` (verdict,
likelihood, confidence, the evidence years, the mechanism levels, the rules fired and the rule
that decided), a small JSON file named by the SHA-256 of what decides the answer:

- the tool's version and a digest of its code (every module of the package, the rule base's
  ``rule_base_hash()`` among them), so that an upgrade or an edit of any rule starts afresh;
- the SHA-256 of each of the two case files' bytes (an edited file is another key), the year
  asked and the evidence year chosen, and any ``--set`` changes applied to either.

It lives under ``$COALITION_CACHE_DIR``, else ``$XDG_CACHE_HOME/digital-coalitions``, else
``~/.cache/digital-coalitions``; ``COALITION_NO_CACHE=1`` (or a command's ``--no-cache``) turns
it off. Deleting it, or any file in it, at any time is safe: a missing entry is asked again.
Entries are written to a temporary file and renamed, so none is ever read half-written; an entry
that does not read back as one (a torn or edited file) is ignored and written again. A
directory that cannot be written leaves the commands working, uncached (``problem`` says why,
for one warning line). Nothing here answers a question: the engine does, and a cached entry is
only ever what it answered for the same inputs.

The entries of one version of the code sit in a folder of their own,
``answers/<code digest>/``, since no other version can ever read them: when a version first
writes, it deletes the folders of all but the :data:`KEPT_VERSIONS` versions used last (two
installs used in turn keep each other's entries), and the entries of the layout before these
folders. So the cache holds what recent versions answered, not every answer an upgrade or an
edited rule left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from digital_coalitions.audit.trace import rule_base_hash
from digital_coalitions.casefiles.overrides import overrides_of

CACHE_ENV, NO_CACHE_ENV = "COALITION_CACHE_DIR", "COALITION_NO_CACHE"
FORMAT = 1  # the entries' layout; a change of it is a change of every key
KEPT_VERSIONS = 3  # the versions of the code whose entries are kept, the last used first
USED = ".used"  # in a version's folder: touched when a process first reads or writes an entry
VERSION_CHARS = 16  # of the code digest, naming a version's folder
_VERSION = re.compile(f"[0-9a-f]{{{VERSION_CHARS}}}")
_OLD_FOLDER, _OLD_ENTRY = re.compile("[0-9a-f]{2}"), re.compile("[0-9a-f]{64}[.]json")


def default_directory() -> Path:
    """Where the cache lives: $COALITION_CACHE_DIR, else the user's cache directory (XDG)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return root / "digital-coalitions"


def disabled_by_environment() -> bool:
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def user_cache(enabled: bool = True) -> AnswerCache | None:
    """The user's answer cache, or None where it is turned off (``enabled`` False, or
    $COALITION_NO_CACHE set)."""
    if not enabled or disabled_by_environment():
        return None
    return AnswerCache(default_directory())


def code_digest() -> str:
    """The tool's version, the rule base's hash and a digest of every other module of the
    package: what, besides the two case files, decides an answer."""
    import digital_coalitions

    digest = hashlib.sha256(f"{FORMAT}\0{digital_coalitions.__version__}\0"
                            f"{rule_base_hash()['sha256']}\0".encode())
    root = Path(digital_coalitions.__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _case_key(case) -> list | None:
    """What of one case file decides an answer: its bytes' hash, the year asked and chosen, and
    the --set changes it carries. None for a file not read from disk (no hash to key it by)."""
    if not getattr(case, "sha256", ""):
        return None
    dating = case.dating.to_dict() if case.dating is not None else None
    return [case.kind, case.sha256, dating, [o.to_dict() for o in overrides_of(case)]]


class AnswerCache:
    """One cache directory. ``get``/``put`` by the key of :meth:`key`; never raises on I/O."""

    def __init__(self, directory: os.PathLike | str):
        self.directory = Path(directory)
        self.problem: str | None = None  # why entries could not be written, once
        self.hits = self.misses = self.written = 0
        self._code: str | None = None
        self._marked = self._pruned = False

    @property
    def code(self) -> str:
        if self._code is None:
            self._code = code_digest()
        return self._code

    def key(self, state, coalition) -> str | None:
        """The entry's name for a question (two dated case files), None if it cannot be keyed."""
        parts = [_case_key(state), _case_key(coalition)]
        if None in parts:
            return None
        text = json.dumps([self.code, *parts], sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def version_folder(self) -> Path:
        """Where this version of the code keeps its entries."""
        return self.directory / "answers" / self.code[:VERSION_CHARS]

    def path(self, key: str) -> Path:
        return self.version_folder / key[:2] / f"{key}.json"

    def _mark_used(self) -> None:
        """Note that this version was used now (once a process), for the pruning of others."""
        self._marked = True
        try:
            (self.version_folder / USED).touch()
        except OSError:
            pass

    def _prune(self) -> None:
        """Delete the entries no version kept can read: the folders of the versions used before
        the last KEPT_VERSIONS, and entries of the layout before them (``answers/ab/<key>.json``).
        Only what this cache wrote is touched: a version's folder is one named by a digest that
        holds a USED mark (a folder just made, not yet marked, is left be), an old entry a file
        named by a key, its folder removed only once empty; anything else under answers/ (a
        file, a folder or a link of someone else's) stays. Best effort: what cannot be deleted
        stays, and costs only room."""
        self._pruned = True
        try:
            folders = [f for f in self.version_folder.parent.iterdir()
                       if f.is_dir() and not f.is_symlink() and f != self.version_folder]
        except OSError:
            return

        def last_used(folder: Path) -> float | None:
            try:
                return (folder / USED).stat().st_mtime
            except OSError:
                return None

        versions = [(used, f) for f in folders if _VERSION.fullmatch(f.name)
                    for used in [last_used(f)] if used is not None]
        versions.sort(reverse=True)
        for _, folder in versions[KEPT_VERSIONS - 1:]:  # this version is one of those kept
            shutil.rmtree(folder, ignore_errors=True)
        for folder in (f for f in folders if _OLD_FOLDER.fullmatch(f.name)):
            try:
                for entry in folder.iterdir():
                    if _OLD_ENTRY.fullmatch(entry.name) and not entry.is_symlink():
                        entry.unlink()
                folder.rmdir()  # only if nothing else is in it
            except OSError:
                pass

    def get(self, key: str) -> dict | None:
        """The entry stored under ``key``, or None (missing, unreadable, or not a whole entry)."""
        try:
            with open(self.path(key), "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(data, dict) or data.get("key") != key \
                or not isinstance(data.get("summary"), dict):
            self.misses += 1
            return None
        self.hits += 1
        if not self._marked:
            self._mark_used()
        return data["summary"]

    def put(self, key: str, summary: dict) -> bool:
        """Store ``summary`` under ``key``: a temporary file renamed over the entry."""
        if self.problem is not None:
            return False
        target = self.path(key)
        text = json.dumps({"key": key, "summary": summary}, ensure_ascii=False,
                          separators=(",", ":"))
        temporary = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not self._marked:
                self._mark_used()
            if not self._pruned:
                self._prune()
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, target)
        except OSError as error:
            self.problem = (f"{self.directory}: cannot be written "
                            f"({error.strerror or error}); answering without the cache")
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
            return False
        self.written += 1
        return True
