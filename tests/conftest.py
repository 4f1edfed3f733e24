"""Hypothesis profiles for the property tests.

``ci`` (the default) keeps ``pytest -q`` fast: few examples, no deadline (one example writes,
loads and asks two case files, ~0.1 s). With the ``CI`` environment variable set it is also
derandomised, so a CI run cannot fail on an example no one has seen before. Locally, run the
same tests much harder with ``HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py``.
Tests that set their own ``@settings`` (the loader's fuzzers) keep them.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=15, deadline=None, derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile(
    "thorough", max_examples=400, deadline=None,
    suppress_health_check=[HealthCheck.too_slow], print_blob=True)

settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci"))
