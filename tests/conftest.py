"""Test-wide settings: fast password hashing, no sign-in slowdown."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_tests(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.LOGIN_SLOWDOWN_SECONDS = 0  # type: ignore[attr-defined]
