"""Output files (``-o``): written whole or not at all, never over a case file, never over a device.

What ``-o`` may name, judged where the path really leads (symbolic links followed):

- a regular file or a new name: written to a temporary file beside it, then renamed over it, so
  it is only ever replaced by a complete file. A new file's mode follows the umask; an existing
  file keeps its mode. The temporary file is removed on any exit Python sees (an error,
  Ctrl-C, SIGTERM or SIGHUP);
- a character device or a named pipe (``/dev/null``, ``/dev/stdout``, a FIFO): written
  directly, as a shell's ``>`` would (opening a pipe waits for a reader), since renaming over
  it would replace the device itself;
- anything else (a directory, a block device, a socket) and any case file (a ``.yaml``/``.yml``
  file, or one of the ``protected`` paths) is refused with one line.
"""

from __future__ import annotations

import os
import secrets
import signal
import stat
from contextlib import contextmanager, suppress
from pathlib import Path

from digital_coalitions.cli.common import UsageProblem

CASE_SUFFIXES = (".yaml", ".yml")


def protected_files(cases, *inputs) -> set[Path]:
    """Files -o must never replace: the case files of the directories and the question's inputs
    (case files, or their paths)."""
    found = set()
    for directory in cases.directories:
        for sub in ("states", "coalitions"):
            folder = directory / sub
            if folder.is_dir():
                found.update(Path(os.path.realpath(p)) for p in folder.iterdir())
    found.update(Path(os.path.realpath(getattr(case, "path", case))) for case in inputs)
    return found


def write_output(path, text: str, protected=()) -> None:
    """Write ``text`` to ``path`` as the module's docstring says, or raise one UsageProblem."""
    target = Path(path)
    try:
        found = os.stat(target)  # follows symbolic links: what a write would reach
    except (FileNotFoundError, NotADirectoryError):
        found = None  # a new file (or a dangling link, which then creates its target)
    except OSError as error:
        raise _cannot(target, error) from None
    real = Path(os.path.realpath(target))  # never raises, even on a symbolic-link loop
    if (target.suffix.lower() in CASE_SUFFIXES or real.suffix.lower() in CASE_SUFFIXES
            or real in {Path(os.path.realpath(p)) for p in protected}):
        shown = target if real == Path(os.path.abspath(target)) else f"{target} (-> {real})"
        raise UsageProblem(f"{shown}: refusing to overwrite a case file (YAML); expected an "
                           "output file such as memo.md, map.svg or NAME.trace.json")
    data = text.encode("utf-8")
    if found is None or stat.S_ISREG(found.st_mode):
        _replace(target, real, data, None if found is None else stat.S_IMODE(found.st_mode))
    elif stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
        _write_through(target, data)
    elif stat.S_ISDIR(found.st_mode):
        raise UsageProblem(f"{target}: is a directory; expected an output file name")
    else:
        kind = "a block device" if stat.S_ISBLK(found.st_mode) else "a socket"
        raise UsageProblem(f"{target}: is {kind}; expected a regular file, a new file name, "
                           "or a character device or pipe (written directly)")


def _replace(target: Path, real: Path, data: bytes, mode: int | None) -> None:
    """Write a temporary file beside ``real`` and rename it over ``real``."""
    if not real.parent.is_dir():
        raise UsageProblem(f"{target}: the directory {target.parent} does not exist; "
                           "expected an existing directory")
    temp = real.with_name(f".{real.name}.{secrets.token_hex(8)}.tmp")
    replaced = False
    try:
        with _termination_as_exit():
            with open(temp, "xb") as handle:  # a new file, mode 0666 less the umask
                if mode is not None:
                    os.fchmod(handle.fileno(), mode)
                handle.write(data)
            os.replace(temp, real)
            replaced = True
    except OSError as error:
        raise _cannot(target, error) from None
    finally:
        if not replaced:
            with suppress(OSError):
                os.unlink(temp)


def _write_through(target: Path, data: bytes) -> None:
    """Write to a character device or pipe itself."""
    try:
        with open(os.open(target, os.O_WRONLY | os.O_NOCTTY), "wb") as handle:
            kind = os.fstat(handle.fileno()).st_mode
            if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):  # replaced since it was checked
                raise UsageProblem(f"{target}: changed while it was being opened; expected "
                                   "a file that stays put while it is written")
            handle.write(data)
    except BrokenPipeError:
        raise  # the reader stopped reading: ended quietly, as on standard output (cli.Program)
    except OSError as error:
        raise _cannot(target, error) from None


def _cannot(target: Path, error: OSError) -> UsageProblem:
    return UsageProblem(f"{target}: cannot be written ({error.strerror or type(error).__name__}); "
                        "expected a writable file")


@contextmanager
def _termination_as_exit():
    """While a temporary file exists, SIGTERM and SIGHUP raise SystemExit, so that ``finally``
    removes it (Ctrl-C already raises KeyboardInterrupt). A signal someone chose to ignore or
    handle keeps its handler; outside the main thread signals cannot be caught, and are not."""
    def leave(number, _frame):
        raise SystemExit(128 + number)

    changed = {}
    for number in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(number) is signal.SIG_DFL:
                changed[number] = signal.signal(number, leave)
        except ValueError:  # not the main thread
            break
    try:
        yield
    finally:
        for number, previous in changed.items():
            signal.signal(number, previous)
