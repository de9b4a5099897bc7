"""Hypothesis profiles: ``default`` keeps the test run quick; ``full`` (HYPOTHESIS_PROFILE=full,
the tox environment ``full``) runs the property tests at length."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile(
    "full", max_examples=20000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
