"""Server time of the data-entry page: saving one value (the whole form recomputed) and rendering the page.

Targets: save ≤ 30 ms median, render ≤ 100 ms median. Measured in-process through Django's test client (the
server's own work: routing, access check, database, evaluation, templates; no network), on a throw-away
database loaded with the demo.

Run: `.venv/bin/python bench/bench_web.py` (SQLite in a temporary folder) or
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/baocao_bench .venv/bin/python bench/bench_web.py`
(the database is created if missing and emptied first).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
os.environ["BAOCAO_ALLOWED_HOSTS"] = "testserver"


def prepare_database() -> tuple[str, bool]:
    """The database's kind, and whether it is a prepared copy of the demo (see timing.copy_prepared_demo)."""
    from timing import copy_prepared_demo

    prepared = copy_prepared_demo()
    import django
    from django.conf import settings

    django.setup()
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        import psycopg

        name = settings.DATABASES["default"]["NAME"]
        admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    if not prepared:  # a prepared copy is migrated
        call_command("migrate", verbosity=0)
    return ("PostgreSQL" if "postgresql" in engine else "SQLite"), prepared


def timed(calls: int, body) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU milliseconds of each call (CPU time stays meaningful on a busy shared machine)."""
    wall, cpu = [], []
    for index in range(calls):
        start, start_cpu = time.perf_counter(), time.process_time()
        body(index)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def describe(name: str, measured: tuple[list[float], list[float]]) -> str:
    wall, cpu = sorted(measured[0]), sorted(measured[1])
    p95 = wall[int(len(wall) * 0.95) - 1]
    return (
        f"{name}: median {statistics.median(wall):.1f} ms, p95 {p95:.1f} ms ({len(wall)} requests); "
        f"CPU median {statistics.median(cpu):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every step still runs")
    args = parser.parse_args()
    warm = 0 if args.smoke else 10  # a smoke: its first render (below) is the only warm-up
    if args.smoke:
        args.calls = 1
    database, prepared = prepare_database()

    from django.test import Client

    from baocao.accounts.models import User
    from baocao.demo import load_demo

    if not prepared:
        load_demo(today=date.today())
    client = Client()
    client.force_login(User.objects.get(username="xa.camgiang"))
    url = "/reports/cchc-2024-q1/02008/"
    state = {"previous": client.get(url) and "29"}

    def save(index: int) -> None:
        raw = str(29 + index % 7)
        response = client.post(url + "value/", {"code": "7.2.4.a", "raw": raw, "previous": state["previous"]})
        assert response.status_code == 200, response.content[:300]
        state["previous"] = raw

    def render(index: int) -> None:
        response = client.get(url)
        assert response.status_code == 200

    timed(warm, save)
    timed(max(warm // 2, 1), render)
    print(
        f"machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}; {database}"
    )
    print(describe("save one value and recompute the form", timed(args.calls, save)))
    print(describe("render the entry page", timed(max(args.calls // 4, warm * 2, 1), render)))


if __name__ == "__main__":
    from timing import data_folder

    with data_folder():  # a temporary one unless BAOCAO_DATA_DIR names one
        main()
