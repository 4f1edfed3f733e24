"""A progress line on stderr for the searches that take seconds (flips, matrix, backtest, rules
coverage). Only on a terminal: never in captured or redirected output, never in JSON, and not
with ``--quiet``. The searches report through a plain ``progress(done, total, what)`` callback.
"""

from __future__ import annotations

import sys

import click

quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="No progress line on stderr while the search runs.")


class Progress:
    """``progress(done, total, what)`` redraws one line; leaving the ``with`` block erases it."""

    def __init__(self, label: str, quiet: bool = False, stream=None):
        self.stream = sys.stderr if stream is None else stream
        self.label = label
        self.on = not quiet and bool(getattr(self.stream, "isatty", lambda: False)())
        self.drawn = False

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.on:
            self.stream.write(f"\r{self.label}: {what} {done}/{total}\x1b[K")
            self.stream.flush()
            self.drawn = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self.drawn:  # leave the terminal as it was: the answer follows on a clean line
            self.stream.write("\r\x1b[K")
            self.stream.flush()
