"""Output files (``-o``): written whole or not at all, and never over a case file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .cli_common import UsageProblem


def write_output(path, text: str, protected=()) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory, then rename.

    An existing file is replaced only once the new one is complete. YAML files and the
    ``protected`` paths (the case files in use) are refused.
    """
    target = Path(path)
    resolved = target.resolve()
    if target.suffix.lower() in (".yaml", ".yml") or resolved in {Path(p).resolve() for p in protected}:
        raise UsageProblem(f"{target}: refusing to overwrite a case file (YAML); expected an "
                           "output file such as memo.md, map.svg or NAME.trace.json")
    if target.is_dir():
        raise UsageProblem(f"{target}: is a directory; expected an output file name")
    if not resolved.parent.is_dir():
        raise UsageProblem(f"{target}: the directory {target.parent} does not exist; "
                           "expected an existing directory")
    handle = None
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=resolved.parent,
                                             prefix=f".{target.name}.", suffix=".tmp",
                                             delete=False)
        with handle:
            handle.write(text)
        os.replace(handle.name, resolved)
    except OSError as error:
        if handle is not None:
            try:
                os.unlink(handle.name)
            except OSError:
                pass
        raise UsageProblem(f"{target}: cannot be written ({error.strerror or type(error).__name__}); "
                           "expected a writable file") from None
