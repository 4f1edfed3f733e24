"""The names each case file claims (its id, name and aliases), kept between processes.

A question about two files must know that no other file claims their ids, names or aliases
(:mod:`.direct`), and a question by names must know which file each name is: both read every
other file's top-level ``id``, ``name`` and ``aliases`` lines (``direct.claimed_names``), which
costs a cold start more the more files there are. The index keeps what was read, per file, with
the file's size, inode and times of change (``os.stat``), one JSON file per case directory in
``$XDG_CACHE_HOME/digital-coalitions/names`` (else ``~/.cache/…``), beside the network and the
templates. A file whose stat differs, or one not in the index, is read again; a file no longer
listed is dropped. The index is written (to a temporary file, then renamed) only when it
changed, and is named by the directory and by the modules that read the names, so an edited
reader is another index.

It only saves reading: the names given are those ``claimed_names`` gives for the file as it is
now, with the index or without it. It is safe to delete; a file of it that does not load (cut
short, edited, another format) is rebuilt, and a directory that cannot be written only costs
the reading. ``COALITION_NO_CACHE=1`` turns it off, as it does the network and answer caches.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time

try:  # CPython's own SHA-256 (hashlib would load OpenSSL, as the loader explains)
    from _sha256 import sha256
except ImportError:  # pragma: no cover (another Python)
    from hashlib import sha256

FORMAT = 1
NO_CACHE_ENV = "COALITION_NO_CACHE"
# a file changed less than this long ago is read but not kept: a second change within the same
# tick of the file system's clock, of the same size, would leave its stat as it was
SETTLED_NS = 1_000_000_000


def enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() in ("", "0", "false", "no")


def directory() -> pathlib.Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "digital-coalitions" / "names"


def _code() -> str:
    """What decides the names read from a file: the format and the modules that read them."""
    from digital_coalitions.casefiles import direct, loader

    parts = [str(FORMAT), sys.version]
    for module in (direct, loader, sys.modules[__name__]):
        path = getattr(module, "__file__", None) or ""
        try:
            stat = os.stat(path)
            parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
        except OSError:
            parts.append(path)
    return "\0".join(parts)


def _signature(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


def _index_file(base: pathlib.Path) -> pathlib.Path:
    try:
        where = str(base.resolve())
    except (OSError, RuntimeError):
        where = str(base.absolute())
    return directory() / f"{sha256(where.encode()).hexdigest()[:32]}.json"


def _read_index(path: pathlib.Path, code: str) -> dict:
    """{relative path: [signature..., names or None]} of a sound index file; else {}."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    if not (isinstance(data, dict) and data.get("code") == code
            and isinstance(data.get("files"), dict)):
        return {}
    return data["files"]


def _names(entry, signature: list[int]):
    """The names an index entry gives, if it is sound and the file's stat is still its own:
    (True, names or None); else (False, None)."""
    if type(entry) is not list or len(entry) != 6 or entry[:5] != signature:
        return False, None
    names = entry[5]
    if names is None:
        return True, None
    if type(names) is list and set(map(type, names)) <= {str}:  # every name a str
        return True, set(names)
    return False, None


def _write_index(path: pathlib.Path, code: str, files: dict) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"format": FORMAT, "code": code, "files": files}, handle,
                      separators=(",", ":"))
        os.replace(temporary, path)
    except (OSError, ValueError):  # an unwritable cache only costs the reading next time
        try:
            os.unlink(temporary)
        except OSError:
            pass


def claims(paths, read) -> dict:
    """{path: the names ``read(path)`` gives (a set, or None)} for every path of ``paths`` (case
    files, each ``DIRECTORY/states/…`` or ``DIRECTORY/coalitions/…``), from the index where a
    file is unchanged since it was read."""
    paths = list(paths)
    if not enabled():
        return {path: read(path) for path in paths}
    by_base: dict[pathlib.Path, list[tuple[pathlib.Path, str]]] = {}
    for path in paths:  # each with its key in the index, KIND-FOLDER/NAME
        parent = path.parent
        by_base.setdefault(parent.parent, []).append((path, f"{parent.name}/{path.name}"))
    code = _code()
    found = {}
    for base, members in by_base.items():
        index_path = _index_file(base)
        old = _read_index(index_path, code)
        new = {}
        changed = False
        for path, key in members:
            try:
                signature = _signature(os.stat(path))
            except OSError:  # gone, or unreadable: read says what it makes of it, and no entry
                found[path] = read(path)
                continue
            entry = old.get(key)
            kept, names = _names(entry, signature)
            if kept:
                found[path] = names
                new[key] = entry
                continue
            names = found[path] = read(path)
            if max(signature[1], signature[2]) < time.time_ns() - SETTLED_NS:
                new[key] = [*signature, None if names is None else sorted(names)]
                changed = True
        if changed or new.keys() != old.keys():
            _write_index(index_path, code, new)
    return found
