"""How many examples a property test tries, by the Hypothesis profile (``HYPOTHESIS_PROFILE``, read by
tests/conftest.py):

- ``dev`` (the default, ``make test`` while working): a fifth of the number the test names, at least 20; tests
  that name none try 25.
- ``thorough`` (CI, ``.ci/run``; a nightly run): the number the test names; tests that name none try 200.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILES = ("dev", "thorough")
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
if PROFILE not in PROFILES:
    raise SystemExit(f"HYPOTHESIS_PROFILE={PROFILE}: phải là một trong {', '.join(PROFILES)}")

settings.register_profile("dev", max_examples=25)
settings.register_profile("thorough", max_examples=200)
settings.load_profile(PROFILE)


def examples(thorough: int) -> int:
    """``thorough`` examples under the thorough profile, a fifth of them (at least 20) otherwise."""
    return thorough if PROFILE == "thorough" else max(thorough // 5, 20)
