"""digital-coalitions: will state X join digital coalition Y? A rule-based reading of Liu 2024.

The library is :mod:`digital_coalitions.api`, re-exported here and imported on first use (so the
command line pays for no part it does not run)::

    from digital_coalitions import Cases, ask
    print(ask("Will South Korea join Chip 4?").verdict)
"""

__version__ = "0.1.0"

__all__ = ["BadInput", "Cases", "NotACandidate", "ask", "coalition_map", "explain", "flips",
           "matrix", "memo", "trace", "whatif", "main"]


def __getattr__(name):
    if name in __all__ and name != "main":
        from digital_coalitions import api

        return getattr(api, name)
    raise AttributeError(f"module 'digital_coalitions' has no attribute {name!r}")


def main():
    """The ``coalition`` command, as installed: the CLI, loaded here so that a Ctrl-C while it
    loads ends the way click ends one while it runs ("Aborted!", status 1), not in a traceback."""
    import sys

    try:
        from digital_coalitions.cli.main import main as program
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")
        raise SystemExit(1) from None
    return program()
