"""The fuzz tests' budget: a fixed seed and a few examples in the suite (and CI), a longer run on
demand:

    ETK_FUZZ_EXAMPLES=2000 python -m pytest tests/fuzz -n 2 -p no:cacheprovider   # random seeds

Hypothesis prints the seed of a failing run (`--hypothesis-seed=N` repeats it) and the smallest
input it found.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_EXAMPLES = os.environ.get("ETK_FUZZ_EXAMPLES")

FUZZ = settings(
    max_examples=int(_EXAMPLES) if _EXAMPLES else 30,
    derandomize=_EXAMPLES is None,  # the suite runs the same examples every time
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture,
                           HealthCheck.filter_too_much],
)
