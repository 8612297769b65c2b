"""What the benchmark smokes copy instead of making it again, made once per test run.

``load_demo_into(data)``: the demo loaded into the data folder ``data`` that this process's Django uses
(``BAOCAO_DATA_DIR``), by tests/bench/run_together.py in its own process before the scripts that copy it
(``--prepare-demo``; bench/timing.py, ``copy_prepared_demo``): what each script would otherwise load, without
a Python and Django start of its own. The folder holds it as ``baocao demo`` leaves it (that command itself is
tested in tests/cli) but for its signing step: of the scripts that copy it, only bench_sign needs the demo's
keys, and it makes them itself (``ensure_demo_keys``, untimed); the demo's signed copy (one LibreOffice
conversion and three signatures) is needed by none. The demo accounts' passwords are hashed with MD5, as
everywhere in the test suite (tests/conftest.py): the smokes sign in by session, never by password, and the
default hasher would cost more than a second of CPU here.

The database it starts from is ``BENCH_MIGRATED_DB``, an SQLite database just migrated (bench/timing.py,
``copy_migrated_database``), when the environment names one: tests/bench/conftest.py copies the test run's own
SQLite database there. Otherwise this module migrates, and as a script it makes that database for a run
whose test database is not an SQLite file (PostgreSQL): ``python tests/bench/prepare_demo.py TARGET``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from unittest import mock

MIGRATED = "BENCH_MIGRATED_DB"  # bench/timing.py


def load_demo_into(data: Path) -> None:
    """The demo in ``data/baocao.sqlite3``, this process's database (``BAOCAO_DATA_DIR`` is ``data``); its
    connections closed at the end, so that the folder can be copied."""
    migrated = os.environ.get(MIGRATED)
    if migrated:
        shutil.copyfile(migrated, data / "baocao.sqlite3")
    from baocao.django_setup import setup

    setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import override_settings

    from baocao.demo import load_demo, loader

    if not migrated:
        call_command("migrate", verbosity=0)
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        mock.patch.object(loader, "_ensure_signing", lambda: None),
    ):
        load_demo()
    connections.close_all()


def make_migrated(target: Path) -> None:
    """An empty SQLite database, migrated, at ``target``."""
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as folder:
        os.environ["BAOCAO_DATA_DIR"] = folder
        for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
            os.environ.pop(name, None)
        from baocao.django_setup import setup

        setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        target.unlink(missing_ok=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        connection.close()


if __name__ == "__main__":
    make_migrated(Path(sys.argv[1]))
