"""Test-wide settings: fast password hashing (module and session fixtures included), no sign-in slowdown;
the Hypothesis profile is loaded from tests/examples.py (``HYPOTHESIS_PROFILE``). WhiteNoise's list of
static files is built once per process. Each test runs from a frame that keeps the frame stack's chunks
from being mapped and unmapped on every call (``pytest_runtest_protocol``). On SQLite, a transactional
test's closing flush puts back the rows that ``post_migrate`` made at the first flush instead of running its
receivers again. The cycle collector runs less often (``pytest_configure``)."""

from __future__ import annotations

import contextlib
import gc
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FunctionType
from typing import Any

import pytest
from _pytest import runner
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test import override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

import tests.examples  # noqa: F401 (registers and loads the Hypothesis profile: HYPOTHESIS_PROFILE)

# Longest files first under xdist (make test): tests/ordering.py.
pytest_plugins = ["tests.ordering"]


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


@pytest.fixture(autouse=True, scope="session")
def _files_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The run's folder of signed copies, key files and jobs' files: module and session fixtures (the demo
    loaded once for a module) write there too, never to data/; each test has its own folder below it."""
    root = tmp_path_factory.mktemp("files")
    with override_settings(SIGNING_DIR=root / "signing", JOBS_DIR=root / "jobs"):
        yield root


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


def _frame_with_room(call: Callable[..., Any], *args: Any) -> Any:
    return call(*args)


# The same function with 32 768 unused local slots: its frame alone takes 256 KiB of the frame stack.
_SPARE_SLOTS = tuple(f"_spare{i}" for i in range(32768))
_in_a_roomy_chunk = FunctionType(
    _frame_with_room.__code__.replace(
        co_varnames=_frame_with_room.__code__.co_varnames + _SPARE_SLOTS,
        co_nlocals=len(_frame_with_room.__code__.co_varnames) + len(_SPARE_SLOTS),
    ),
    globals(),
)


def pytest_configure(config: pytest.Config) -> None:
    """The cycle collector runs less often: a full collection walks every object the run keeps (Django, the
    compiled forms, each worker's imports), ≈ 0.15 s each, and with CPython's thresholds (700, 10, 10) the
    full ones took ≈ 11 % of the CPU of tests/web, tests/reports and tests/api (2.7 s of 30 s) and the young
    ones 3 %; at (5000, 10, 100) all of them take ≈ 6 %. Nothing a test runs or asserts changes: garbage in
    cycles is freed a little later (the run's memory peak ≈ 5 % higher)."""
    gc.set_threshold(5000, 10, 100)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    """Each test (its fixtures too) runs as pytest runs it, from a frame that makes CPython keep the frames of
    the calls below it in one chunk of 256 KiB instead of chunks of 16 KiB. CPython 3.11 frees a chunk as
    soon as the frame that opened it returns (python/cpython#142183, fixed in later releases): a loop whose
    calls cross a chunk's end maps and unmaps memory on every call. Requests of the test client crossed one:
    the report page's template took 70 ms of CPU inside a request, 23 ms outside; tests/web's two largest
    files made 300 000 page faults, and 50 000 from here. What a test runs and asserts is unchanged."""
    return bool(_in_a_roomy_chunk(runner.pytest_runtest_protocol, item, nextitem))


Rows = list[tuple[str, list[str], list[tuple[Any, ...]]]]


@pytest.fixture(autouse=True, scope="session")
def _flush_restores_what_post_migrate_made() -> Iterator[None]:
    """A transactional test (``transactional_db``, ``live_server``) ends with Django's ``flush``: every table
    emptied, then the ``post_migrate`` receivers run as after a migration (content types, permissions, the
    packaged forms): ≈ 50 ms of CPU a test, nearly all in those receivers. On SQLite, the first flush of each
    test database runs them and keeps the rows they made; later flushes empty the tables the same way and put
    those rows back as they were (same values, same ids), without running the receivers again. The receivers
    still run at each migration and at that first flush."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.commands import flush

    emit = flush.emit_post_migrate_signal
    made: dict[tuple[str, str], Rows | None] = {}

    def emit_post_migrate_signal(verbosity: int, interactive: bool, db: str, **kwargs: Any) -> None:
        connection = connections[db]
        key = (db, str(connection.settings_dict["NAME"]))
        if connection.vendor != "sqlite" or kwargs:
            emit(verbosity, interactive, db, **kwargs)
            return
        if made.get(key) is None:
            emit(verbosity, interactive, db)
            made[key] = _table_rows(db)
            return
        kept = made[key]
        assert kept is not None
        quote = connection.ops.quote_name
        with transaction.atomic(using=db), connection.cursor() as cursor:
            for table, columns, rows in kept:
                names = ", ".join(map(quote, columns))
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        ContentType.objects.clear_cache()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "emit_post_migrate_signal", emit_post_migrate_signal)
        yield


def _table_rows(db: str) -> Rows | None:
    """Every row of the (non-empty) tables that ``flush`` empties, as stored: read through a plain connection,
    without Django's conversions, so they go back unchanged. None for a database not in a file."""
    connection = connections[db]
    name = str(connection.settings_dict["NAME"])
    if not Path(name).is_file():
        return None
    quote = connection.ops.quote_name
    found: Rows = []
    with contextlib.closing(sqlite3.connect(name)) as plain:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor = plain.execute(f"SELECT * FROM {quote(table)}")
            rows = [tuple(row) for row in cursor.fetchall()]
            if rows:
                found.append((table, [column[0] for column in cursor.description], rows))
    return found
