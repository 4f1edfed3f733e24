"""Reading a file the tool is given (a case file, a decisions file, a trace, a trace's inputs),
bounded.

``read_bounded`` reads regular files only, and at most ``limit`` bytes of them, counted as they
are read. A device (``/dev/zero``, ``/dev/urandom``), a named pipe or a socket is refused before
it is opened, so nothing blocks or fills the memory; a file whose size says less than it holds
(``/proc``, a file still growing) is cut off at the limit all the same. A :class:`ReadProblem`
says why a file was not read, as a ``reason`` its caller words in its own messages (the loader's
``(file)`` lines), or in ``what``, the words that follow the file's name in a trace's messages.
"""

from __future__ import annotations

import os
import stat

MIB = 1024 * 1024
REASONS = ("missing", "broken-link", "no-parent", "denied", "unreadable", "directory",
           "not-regular", "too-large")


class ReadProblem(Exception):
    """Why a file cannot be read: ``reason`` (one of REASONS); ``error`` the OSError behind an
    unreadable file; ``size`` the size a too-large file says it has (None: found reading it)."""

    def __init__(self, reason: str, limit: int, error: Exception | None = None,
                 size: int | None = None):
        self.reason, self.limit, self.error, self.size = reason, limit, error, size
        super().__init__(self.what)

    @property
    def missing(self) -> bool:
        return self.reason in ("missing", "broken-link")

    @property
    def what(self) -> str:
        """The reason in the words that follow the file's name: 'no such file', …"""
        if self.missing:
            return "no such file"
        if self.reason == "directory":
            return "is a directory"
        if self.reason == "not-regular":
            return "is not a regular file (a device, pipe or socket)"
        if self.reason == "too-large":
            size = f"{self.limit // MIB} MiB" if self.limit % MIB == 0 else f"{self.limit} bytes"
            return f"is larger than {size}"
        error = self.error
        return f"cannot be read ({getattr(error, 'strerror', None) or type(error).__name__})"


def read_bounded(path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; else ReadProblem."""
    try:
        status = os.stat(path)
        _refuse_unless_regular(status.st_mode, limit)  # before opening: a pipe would block
        if status.st_size > limit:
            raise ReadProblem("too-large", limit, size=status.st_size)
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY), "rb") as handle:
            _refuse_unless_regular(os.fstat(handle.fileno()).st_mode, limit)  # replaced since
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise ReadProblem("broken-link" if os.path.islink(path) else "missing", limit) from None
    except NotADirectoryError as error:
        raise ReadProblem("no-parent", limit, error) from None
    except PermissionError as error:
        raise ReadProblem("denied", limit, error) from None
    except (OSError, ValueError) as error:  # ValueError: a path with a NUL in it
        raise ReadProblem("unreadable", limit, error) from None
    if len(raw) > limit:
        raise ReadProblem("too-large", limit)
    return raw


def _refuse_unless_regular(mode: int, limit: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReadProblem("directory", limit)
    if not stat.S_ISREG(mode):
        raise ReadProblem("not-regular", limit)
