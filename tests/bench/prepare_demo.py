"""What the benchmark smokes copy instead of making it again, made once per test run (tests/bench/conftest.py,
``prepared_demo``): run as ``python tests/bench/prepare_demo.py FOLDER`` in a process of its own.

``FOLDER/demo`` is a data folder holding the demo (``load_demo``: database and secret key) as ``baocao demo``
leaves it (that command itself is tested in tests/cli) but for its signing step: of the scripts that copy it,
only bench_sign needs the demo's keys, and it makes them itself (``ensure_demo_keys``, untimed); the demo's
signed copy (one LibreOffice conversion and three signatures) is needed by none.
``FOLDER/migrated.sqlite3`` is the same database just migrated, before the demo, for the smokes that fill an
empty database of their own: when it is there already (tests/bench/conftest.py copies the test run's own
SQLite database there), the demo is loaded into a copy of it instead of migrating. The demo accounts'
passwords are hashed with MD5, as everywhere in the test suite (tests/conftest.py): the smokes sign in by
session, never by password, and the default hasher would cost more than a second of CPU here.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from unittest import mock


def main(folder: Path) -> None:
    data = folder / "demo"
    data.mkdir(parents=True, exist_ok=True)
    os.environ["BAOCAO_DATA_DIR"] = str(data)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        os.environ.pop(name, None)
    migrated = folder / "migrated.sqlite3"
    given = migrated.is_file()  # the test run's own database, copied (conftest.prepared_demo)
    if given:
        shutil.copyfile(migrated, data / "baocao.sqlite3")
    from baocao.django_setup import setup

    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from baocao.demo import load_demo, loader

    if not given:
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(migrated)])
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        mock.patch.object(loader, "_ensure_signing", lambda: None),
    ):
        load_demo()
    connection.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
