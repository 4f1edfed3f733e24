"""Reading the files the tool is given besides case files: trace files and a trace's inputs.

``read_bounded`` reads regular files only, and at most ``limit`` bytes of them, counted as they
are read. A device (``/dev/zero``, ``/dev/urandom``), a named pipe or a socket is refused before
it is opened, so nothing blocks or fills the memory; a file whose size says less than it holds
(``/proc``, a file still growing) is cut off at the limit all the same. Case files and decisions
files are read the same way by the loader (``loader._read``, 1 MiB).
"""

from __future__ import annotations

import os
import stat

MIB = 1024 * 1024


class ReadProblem(Exception):
    """Why a file cannot be read, in the words that follow its name: 'no such file', …"""

    def __init__(self, what: str, missing: bool = False):
        super().__init__(what)
        self.what, self.missing = what, missing


def read_bounded(path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; else ReadProblem."""
    try:
        _refuse_unless_regular(os.stat(path).st_mode)  # before opening: a pipe would block
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY), "rb") as handle:
            _refuse_unless_regular(os.fstat(handle.fileno()).st_mode)  # replaced since the stat
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise ReadProblem("no such file", missing=True) from None
    except OSError as error:
        raise ReadProblem(f"cannot be read ({error.strerror or type(error).__name__})") from None
    if len(raw) > limit:
        size = f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"
        raise ReadProblem(f"is larger than {size}")
    return raw


def _refuse_unless_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReadProblem("is a directory")
    if not stat.S_ISREG(mode):
        raise ReadProblem("is not a regular file (a device, pipe or socket)")
