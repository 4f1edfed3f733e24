"""The one error base of the library: input that cannot be answered, told in one line per problem.

Every error the library raises for what it was given (a case file that breaks the contract, a
question naming no known state, a bad ``--set``, an unknown concept or rule) is a ``BadInput``;
its text is the lines the CLI prints after ``error:``. Anything else is a bug.
"""

from __future__ import annotations


class BadInput(Exception):
    """Input the library cannot answer from: ``str(error)`` is one line per problem, each naming
    the file, line and field where there is one, and what was expected."""

    @property
    def lines(self) -> list[str]:
        return str(self).splitlines()


class Note(UserWarning):
    """Input that was answered but did less than it said (a ``--set`` giving a value the file
    already holds): a warning, so that a library caller may filter it; the CLI prints its text
    after ``note:`` on standard error."""
