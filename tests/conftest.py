"""Test-wide settings: fast password hashing, no sign-in slowdown; the Hypothesis profile is loaded from
tests/examples.py (``HYPOTHESIS_PROFILE``)."""

from __future__ import annotations

import pytest

import tests.examples  # noqa: F401 (registers and loads the Hypothesis profile: HYPOTHESIS_PROFILE)


@pytest.fixture(autouse=True)
def _fast_tests(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.LOGIN_SLOWDOWN_SECONDS = 0  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _signing_files(settings: object, tmp_path: object) -> None:
    """Signed copies and key files (baocao.signing) and the jobs' files of a test go to its own folder, never
    to data/."""
    settings.SIGNING_DIR = tmp_path / "signing"  # type: ignore[attr-defined, operator]
    settings.JOBS_DIR = tmp_path / "jobs"  # type: ignore[attr-defined, operator]
