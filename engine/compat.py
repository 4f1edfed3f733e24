"""Make experta 1.9.4 importable on Python >= 3.10, without changing the process for anyone else.

experta 1.9.4 pins frozendict 1.2, whose ``class frozendict(collections.Mapping)`` fails since
Python 3.10 removed the ABC aliases from ``collections``. The alias is needed only while that class
statement runs: it is lent for the first import of experta and taken back at once, so no other
code sees a ``collections`` that Python does not have. Import experta only through this module.
"""

import collections
import collections.abc

_lent = not hasattr(collections, "Mapping")
if _lent:
    collections.Mapping = collections.abc.Mapping
try:
    import experta  # noqa: E402  (must come after the alias)
finally:
    if _lent:
        del collections.Mapping

__all__ = ["experta"]
