"""Make experta 1.9.4 importable on Python >= 3.10.

experta 1.9.4 pins frozendict 1.2, whose ``class frozendict(collections.Mapping)`` fails since
Python 3.10 removed the ABC aliases from ``collections``. Restoring that one alias before
experta is first imported is the whole fix. Import experta only through this module.
"""

import collections
import collections.abc

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping

import experta  # noqa: E402  (must come after the alias)

__all__ = ["experta"]
