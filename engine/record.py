"""Records: what ``@dataclass`` (``frozen=True`` for :class:`FrozenRecord`) gives a class of plain
fields (its ``repr``, ``==`` over the fields in order, the hash of a frozen one, assignment
refused on a frozen one, pickling and copying), written once here instead of generated per class.

A dataclass compiles its generated methods when its module is imported: some 3 to 7 M
instructions a class, at every cold start of ``coalition ask`` (issue 12). A record class names
its fields in ``FIELDS`` (in the order of ``__init__``, the ``repr`` and ``==``), those left out
of the ``repr`` in ``UNSHOWN`` (a dataclass's ``field(repr=False)``) and those left out of ``==``
and the hash in ``UNCOMPARED`` (``field(compare=False)``), and writes its own ``__init__``,
which sets them with :meth:`_set`. ``tests/test_record.py`` checks each record class against the
dataclass it replaces. :meth:`Record.replaced` is ``dataclasses.replace``, ``FIELDS`` its
``fields``.
"""

from __future__ import annotations


def _refused(message: str) -> Exception:
    """The error a frozen dataclass raises, imported only when one is raised: the
    ``dataclasses`` module costs a cold ``coalition ask`` its import."""
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(message)


class Record:
    """A mutable record: a dataclass's ``repr`` and ``==``, unhashable (as a dataclass with
    ``eq=True`` and not frozen)."""

    FIELDS: tuple[str, ...] = ()
    UNSHOWN: frozenset[str] = frozenset()
    UNCOMPARED: frozenset[str] = frozenset()

    def _set(self, *values) -> None:
        for name, value in zip(self.FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def _compared(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS if name not in self.UNCOMPARED)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS
                          if name not in self.UNSHOWN)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def replaced(self, **changes):
        """A copy with ``changes`` made, as ``dataclasses.replace`` makes one: every field is
        handed to the class's ``__init__`` again."""
        return type(self)(**{**{name: getattr(self, name) for name in self.FIELDS}, **changes})

    __hash__ = None


class FrozenRecord(Record):
    """A frozen record: its fields cannot be assigned or deleted, and it hashes by them."""

    def __hash__(self) -> int:
        return hash(self._compared())

    def __setattr__(self, name, value):
        if type(self).__dict__.get("FIELDS") is not None or name in self.FIELDS:
            raise _refused(f"cannot assign to field {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if type(self).__dict__.get("FIELDS") is not None or name in self.FIELDS:
            raise _refused(f"cannot delete field {name!r}")
        super().__delattr__(name)
