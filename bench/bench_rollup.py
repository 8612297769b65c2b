"""Rollups at national scale: 10,047 real communes × cchc-xa-quy × 8 quarterly rounds, all accepted.

Target: the rollup of any unit for one round, the national root included, ≤ 100 ms at the 95th percentile,
on SQLite and PostgreSQL; the serving process ≤ 300 MB.

The dataset is generated once through the bulk services (``analysis.bulk``: the real units loader, rounds,
accepted reports with plausible figures that keep every error rule, rollup cells built with numpy) and kept:
a second run measures again without regenerating.

Run:
  .venv/bin/python bench/bench_rollup.py                         (SQLite: $BAOCAO_DATA_DIR/bench.sqlite3)
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/baocao_analysis_bench .venv/bin/python bench/bench_rollup.py
Add --fresh to drop and regenerate the dataset. --smoke runs every step on a tiny dataset (Hà Nội's units, 24
of its communes, two quarters) in a temporary database (a copy of BENCH_MIGRATED_DB when set): the test suite
does, so the benchmark cannot rot.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

SMOKE = "--smoke" in sys.argv  # read before Django's settings: a smoke run never touches the kept dataset
if SMOKE:  # the run's own data folder (timing.data_folder, see __main__) and its default SQLite file
    os.environ.pop("DATABASE_URL", None)
else:
    DATA_DIR = Path(os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-analysis-bench"))
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA_DIR / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
os.environ["BAOCAO_ALLOWED_HOSTS"] = "testserver"

QUARTERS = [(2023, 3), (2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2)]


def prepare(fresh: bool, *, migrated: bool = False) -> str:
    """The database's kind, once it is migrated; ``fresh``: emptied first; ``migrated``: already migrated
    (a smoke's copy, see timing.copy_migrated_database)."""
    import django
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if fresh:
        if "postgresql" in engine:
            import psycopg

            name = settings.DATABASES["default"]["NAME"]
            admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
        else:
            Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    if not migrated:
        call_command("migrate", verbosity=0)
    return "PostgreSQL" if "postgresql" in engine else "SQLite"


def generate(
    communes_limit: int | None = None, quarters: int = len(QUARTERS), provinces: set[str] | None = None
) -> dict[str, float]:
    """The dataset: the real units (of ``provinces`` only, when given), then the first ``communes_limit``
    communes by code asked in ``quarters`` rounds, every report accepted."""
    from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
    from baocao.demo.invented import invented_values
    from baocao.units.dvhc import load_units_2025_03
    from baocao.units.models import OrgUnit

    timings: dict[str, float] = {}
    start = time.perf_counter()
    load_units_2025_03(province_codes=provinces)
    timings["units"] = time.perf_counter() - start
    communes = list(OrgUnit.objects.filter(level="commune", valid_from__isnull=True).order_by("code"))
    communes = communes[:communes_limit]
    asking = OrgUnit.objects.get(code="01", level="province")
    for index, (year, quarter) in enumerate(QUARTERS[:quarters], start=1):
        start = time.perf_counter()
        round_ = quarter_round(
            year=year, quarter=quarter, requested_by=asking, respondents=[u.pk for u in communes]
        )
        made = bulk_accepted_reports(
            round_, lambda unit, i=index: invented_values(str(i * 100_000 + int(unit.code))), communes
        )
        timings[round_.code] = time.perf_counter() - start
        print(f"  {round_.code}: {made} reports in {timings[round_.code]:.1f} s", flush=True)
    return timings


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p95(figures: list[float]) -> float:
    ordered = sorted(figures)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def measure(samples: int) -> None:
    from baocao.analysis.rollups import unit_rollup
    from baocao.rounds.models import Round
    from baocao.units.models import OrgUnit

    rng = random.Random(6)
    rounds = list(Round.objects.filter(code__startswith="cchc-20").order_by("code"))
    by_level = {
        level: list(OrgUnit.objects.filter(level=level).values_list("pk", flat=True))
        for level in ("province", "district", "commune")
    }
    figures: dict[str, list[float]] = {"nation": [], "province": [], "district": [], "commune": []}
    unit_rollup(rounds[0], None)  # warm the definition cache, as a running server has
    for index in range(samples):
        level = ("nation", "province", "district", "commune")[index % 4]
        round_ = rng.choice(rounds)
        unit = None if level == "nation" else OrgUnit.objects.get(pk=rng.choice(by_level[level]))
        start = time.perf_counter()
        rollup = unit_rollup(round_, unit, include_sent=bool(index % 2))
        figures[level].append((time.perf_counter() - start) * 1000)
        if level == "nation" and index < 4:
            print(
                f"  national {round_.code}: {rollup.reports} reports,"
                f" 7.2.4.a = {rollup.total.display('7.2.4.a')}"
            )
    every = [f for values in figures.values() for f in values]
    print(
        f"rollup, all levels: median {statistics.median(every):.1f} ms,"
        f" p95 {p95(every):.1f} ms ({len(every)})"
    )
    for level, values in figures.items():
        print(
            f"  {level}: median {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms ({len(values)})"
        )


def measure_workflow(count: int) -> None:
    """Reopen, send again and accept reports of random communes through the ordinary services: each change
    updates the rollup cells of the commune, its district, its province and the country in its transaction."""
    from baocao.accounts.models import User
    from baocao.analysis.rollups import unit_rollup
    from baocao.reports import services
    from baocao.reports.models import Report
    from baocao.rounds.models import Round

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    round_ = Round.objects.filter(code__startswith="cchc-20").order_by("-window_end").first()
    assert round_ is not None
    rng = random.Random(8)
    reports = list(Report.objects.filter(round=round_).values_list("pk", flat=True))
    timings: dict[str, list[float]] = {"reopen": [], "send": [], "accept": []}
    for pk in rng.sample(reports, count):
        report = Report.objects.get(pk=pk)
        for name, step in (
            ("reopen", lambda r: services.report_reopen(report=r, user=admin, reason="Kiểm tra")),
            ("send", lambda r: services.report_send(report=r, user=admin)),
            ("accept", lambda r: services.report_accept(report=r, user=admin)),
        ):
            start = time.perf_counter()
            report = step(report)
            timings[name].append((time.perf_counter() - start) * 1000)
            if name == "reopen":
                assert unit_rollup(round_, None).reports == len(reports) - 1
    assert unit_rollup(round_, None).reports == len(reports)
    print(
        "workflow on the national dataset (rollup cells of 4 levels updated in the same transaction): "
        + ", ".join(
            f"{name} median {statistics.median(v):.1f} ms, p95 {p95(v):.1f} ms" for name, v in timings.items()
        )
        + f" ({count} reports each)"
    )


def _session_cookie() -> str:
    """A signed-in superuser's session, made directly (the bench does not go through the login form)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from baocao.accounts.models import User

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    session = SessionStore()
    session[SESSION_KEY] = str(admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def _server_memory(pid: int) -> tuple[float, float]:
    """Current and peak resident memory (VmRSS, VmHWM) of the server process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(rest.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def serve_http(requests: int, port: int = 8765) -> None:
    """Start `baocao serve` (Waitress), ask it for national and provincial rollups over HTTP (the JSON
    endpoint: rollup and completeness counts), and read the server process's memory."""
    import subprocess
    import urllib.request

    from baocao.rounds.models import Round
    from baocao.units.models import OrgUnit

    cookie = _session_cookie()
    # The web server alone (its background workers, which poll the queue, would count in its memory's stead).
    env = {**os.environ, "BAOCAO_ALLOWED_HOSTS": "127.0.0.1", "BAOCAO_EMBEDDED_WORKERS": "0"}
    baocao = str(Path(sys.executable).with_name("baocao"))
    server = subprocess.Popen([baocao, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    try:
        rounds = list(Round.objects.filter(code__startswith="cchc-20").values_list("code", flat=True))
        provinces = list(OrgUnit.objects.filter(level="province").values_list("code", flat=True))
        rng = random.Random(7)
        for _ in range(400):  # up to 20 s; a refused connection costs next to nothing, a late start wall time
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        times = []
        for index in range(requests):
            unit = "" if index % 2 == 0 else rng.choice(provinces)
            url = f"http://127.0.0.1:{port}/phan-tich/api/rollup/{rng.choice(rounds)}/?unit={unit}"
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
            times.append((time.perf_counter() - start) * 1000)
            assert b'"ok": true' in body, body[:300]
        rss, peak = _server_memory(server.pid)
        print(
            f"HTTP JSON endpoint via Waitress (national and provincial, rollup + completeness counts):"
            f" median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms ({requests} requests);"
            f" server RSS {rss:.0f} MB, peak {peak:.0f} MB"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="drop the dataset and generate it again")
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument(
        "--smoke", action="store_true", help="tiny dataset: checks that every step still runs"
    )
    args = parser.parse_args()
    from timing import copy_migrated_database

    # A smoke copies the database the test suite migrated once for every smoke, when it names one.
    migrated = args.smoke and copy_migrated_database(_database_file())
    database = prepare((args.fresh or args.smoke) and not migrated, migrated=migrated)
    print(f"{database}; Python {sys.version.split()[0]}; {platform.machine()}, {os.cpu_count()} cores")
    from baocao.reports.models import Report

    if Report.objects.count() < (1 if args.smoke else 80_000):
        start = time.perf_counter()
        print("generating the dataset …", flush=True)
        # A smoke's 24 communes are the first by code, Hà Nội's: that province's units are enough.
        generate(24, 2, provinces={"01"}) if args.smoke else generate()
        print(f"generated in {time.perf_counter() - start:.0f} s", flush=True)
    print(f"{Report.objects.count()} reports; RSS before serving {rss_mb():.0f} MB")
    # A smoke: one rollup of each level, one report through the workflow, one national and one provincial
    # request.
    measure(4 if args.smoke else args.samples)
    measure_workflow(1 if args.smoke else 30)
    serve_http(2 if args.smoke else 200, port=_free_port() if args.smoke else 8765)


def _database_file() -> Path:
    """The SQLite file the settings name (a smoke's: in its data folder)."""
    from django.conf import settings

    return Path(settings.DATABASES["default"]["NAME"])


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    if SMOKE:
        from timing import data_folder

        with data_folder():  # a temporary one unless BAOCAO_DATA_DIR names one
            main()
    else:
        main()
