"""digital-coalitions: will state X join digital coalition Y? A rule-based reading of Liu 2024."""

__version__ = "0.1.0"


def main():
    """The ``coalition`` command, as installed: the CLI, loaded here so that a Ctrl-C while it
    loads ends the way click ends one while it runs ("Aborted!", status 1), not in a traceback."""
    import sys

    try:
        from .cli import main as program
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")
        raise SystemExit(1) from None
    return program()
