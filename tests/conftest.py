"""Test-wide settings: fast password hashing (module and session fixtures included), no sign-in slowdown;
the Hypothesis profile is loaded from tests/examples.py (``HYPOTHESIS_PROFILE``). WhiteNoise's list of
static files is built once per process."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

import tests.examples  # noqa: F401 (registers and loads the Hypothesis profile: HYPOTHESIS_PROFILE)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """For the whole run, module and session fixtures included: Django's PBKDF2 costs ~0.5 s per password."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_tests() -> Iterator[None]:
    """No sign-in slowdown, set once for the whole run (module and session fixtures included); a test that
    sets its own (``settings`` fixture) gets 0 back after it."""
    with override_settings(LOGIN_SLOWDOWN_SECONDS=0):
        yield


@pytest.fixture(scope="session")
def _files_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("files")


_test_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _signing_files(settings: object, _files_root: Path) -> None:
    """Signed copies and key files (baocao.signing) and the jobs' files of a test go to its own folder, never
    to data/. The folder is only named, not made: the code that writes there makes it (storages, ``mkdir``),
    so the many tests that write nothing pay no folder to make and remove (asking every test for ``tmp_path``
    cost ≈ 2 ms a test)."""
    folder = _files_root / f"test{next(_test_numbers)}"
    settings.SIGNING_DIR = folder / "signing"  # type: ignore[attr-defined]
    settings.JOBS_DIR = folder / "jobs"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once() -> Iterator[None]:
    """Each test ``Client`` builds its own middleware chain, and WhiteNoise's middleware walks and stats every
    static file of the installed apps (≈ 180, Django's admin's included) and prepares their headers each time:
    a fifth of a page request in tests, never in production (one chain per process). The result depends only
    on the settings below and the installed files, so it is computed once per settings and reused: the same
    ``StaticFile`` entries, served the same way."""
    scan = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[tuple[Any, ...], dict[str, Any]] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = (
            self.static_prefix,
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.add_headers_function,
            self.index_file,
            repr(getattr(django_settings, "WHITENOISE_MIMETYPES", None)),
            repr(getattr(django_settings, "WHITENOISE_IMMUTABLE_FILE_TEST", None)),
            tuple(django_settings.INSTALLED_APPS),
            tuple(map(str, django_settings.STATICFILES_DIRS)),
            tuple(django_settings.STATICFILES_FINDERS),
        )
        if key not in listed:
            before = dict(self.files)
            scan(self)
            listed[key] = {url: file for url, file in self.files.items() if before.get(url) is not file}
        self.files.update(listed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders)
        yield
