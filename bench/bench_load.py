"""Load at a deadline, over real HTTP on the loopback: signed-in clerks opening their report, the inbox, and
saving values as they type, against the production way to serve.

1. PostgreSQL, one Waitress process (`baocao serve`): closed-loop throughput (clients back to back).
2. PostgreSQL, the production configuration (`baocao serve --workers N`: gunicorn, BAOCAO_HTTPS=1 behind a
   trusted proxy, as nginx would forward): the same closed loop, then the deadline: USERS users, each sending
   a request every 5 s on average (exponential pauses; 70 % report page, 10 % inbox, 20 % value saves).
   Targets: p95 ≤ 150 ms, 0 errors; closed-loop throughput ≥ 2× the Waitress process.
3. SQLite (the default, one Waitress process): SQLITE_USERS users the same way; target 0 "database is locked".

Bounded: every phase runs a fixed time and a capped number of requests; servers are stopped at the end.
Run: `.venv/bin/python bench/bench_load.py [--users 100] [--seconds 60] [--workers 5]`; results in
docs/benchmarks.md. The PostgreSQL database (`BENCH_DATABASE_URL`, default baocao_bench_load on 127.0.0.1) is
emptied first. `--smoke` (the test suite): phases of a second or less; on both databases the demo's round with
two empty draft reports instead of the whole demo (``tiny_round``), on PostgreSQL in a database of its own
that is dropped at the end and prepared in this process (``prepare``, ``here``), on SQLite in a copy of
BENCH_MIGRATED_DB when the environment names one (bench/timing.py); and gunicorn with one worker (its own
command and the production configuration, see ``Server``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/baocao_bench_load")
ROUND = "cchc-2024-q1"
MAX_REQUESTS = 200_000  # per phase, whatever the duration


@dataclass
class Clerk:
    unit: str
    cookie: str


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock = threading.Lock()

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def prepare(env: dict[str, str], users: int, *, tiny: bool = False, here: bool = False) -> list[Clerk]:
    """A fresh database with the demo (``tiny``: the round and a few empty reports only, see ``tiny_round``),
    and ``users`` clerks with signed-in sessions, made in a child process with that database's settings (see
    ``make_clerks``); ``here``: in this process, which then has Django set up with those settings (a smoke's
    PostgreSQL: what is measured is the servers, not this step's process start)."""
    if here:
        for name in ("DATABASE_URL", "BAOCAO_DATA_DIR", "BAOCAO_SECRET_KEY"):
            if name in env:
                os.environ[name] = env[name]
        return [Clerk(*made) for made in make_clerks(users, tiny=tiny)]
    command = [sys.executable, __file__, "--make-clerks", str(users), *(["--tiny"] if tiny else [])]
    output = subprocess.run(command, env=env, capture_output=True, text=True)
    if output.returncode != 0:
        raise SystemExit(f"Không chuẩn bị được dữ liệu: {' '.join(command)}\n{output.stderr[-3000:]}")
    return [Clerk(*line.split()) for line in output.stdout.splitlines() if line.strip()]


def tiny_round(communes: int) -> None:
    """The smoke: Bạch Thông's units, the demo's round and ``communes`` empty draft reports, opened by a clerk
    of each, instead of the whole demo (the measuring run loads the demo; the demo itself is tested in
    tests/demo, on PostgreSQL by `make test-postgres`)."""
    from dataclasses import asdict
    from datetime import date, timedelta

    from baocao.accounts.models import Membership, Role, User
    from baocao.demo.plan import ROUND as PLAN
    from baocao.forms.registry import load_form
    from baocao.reports import services
    from baocao.rounds.models import Round
    from baocao.units.dvhc import load_units_2025_03
    from baocao.units.models import OrgUnit

    load_units_2025_03(district_codes={"063"})
    district = OrgUnit.objects.get(code="063")
    round_ = Round.objects.create(
        **asdict(PLAN),
        definition_version=load_form(PLAN.definition_code).version,
        requested_by=district,
        lock_date=date.today() + timedelta(days=365),
    )
    units = list(OrgUnit.objects.subtree(district).filter(level=OrgUnit.Level.COMMUNE)[:communes])
    round_.respondents.add(*units)
    opener = User.objects.create(username="bench-opener")
    for unit in units:
        Membership.objects.create(user=opener, unit=unit, role=Role.CLERK)
    opener = User.objects.get(pk=opener.pk)  # with its memberships
    for unit in units:
        services.report_open(round_=round_, unit=unit, user=opener)


def make_clerks(users: int, *, tiny: bool = False) -> list[tuple[str, str]]:
    """Each clerk's unit code and session key. Sessions are made directly, as a sign-in would: the benchmark
    measures the deadline, not hashing."""
    import django
    from django.conf import settings

    from timing import copy_migrated_database, copy_prepared_demo

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
    if not tiny:
        prepared = copy_prepared_demo()  # SQLite only
    else:  # a tiny round on SQLite: in a copy of the migrated database, when the environment names one
        sqlite = "sqlite" in settings.DATABASES["default"]["ENGINE"]
        prepared = sqlite and copy_migrated_database(Path(settings.DATABASES["default"]["NAME"]))
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from baocao.accounts.models import Membership, Role, User
    from baocao.demo import load_demo
    from baocao.reports.models import Report, Status

    if not prepared:  # a prepared copy is migrated
        call_command("migrate", verbosity=0)
    if tiny:
        tiny_round(2)
    elif not prepared:
        load_demo()
    # Reports a clerk edits (after "Trình ký" only the leader does).
    editable = Report.objects.filter(
        round__code=ROUND, status__in=(Status.DRAFT, Status.RETURNED)
    ).select_related("unit")
    units = [report.unit for report in editable]
    made = []
    for index in range(users):
        unit = units[index % len(units)]
        user, _ = User.objects.get_or_create(username=f"bench{index}")
        Membership.objects.get_or_create(user=user, unit=unit, role=Role.CLERK)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        made.append((unit.code, str(session.session_key)))
    return made


def _close_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def reset_postgres(url: str, *, create: bool = True) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``baocao serve`` with ``args``; with ``gunicorn`` (workers, threads) gunicorn's own command with the
    production configuration, as ``baocao serve --workers`` execs it once it has migrated: the smoke's way,
    with one worker (``baocao serve`` takes two at least; its own start: tests/cli/test_serve.py)."""

    def __init__(self, env: dict[str, str], *args: str, gunicorn: tuple[int, int] | None = None) -> None:
        self.port = free_port()
        # The server writes its log here until stop() reads it; kept when the server does not start.
        self.log = tempfile.NamedTemporaryFile(prefix="baocao-bench-", suffix=".log", delete=False)  # noqa: SIM115
        command = [str(BIN / "baocao"), "serve", "--port", str(self.port), *args]
        if gunicorn:
            workers, threads = map(str, gunicorn)
            env = {**env, "BAOCAO_BIND": f"127.0.0.1:{self.port}", "BAOCAO_WORKERS": workers}
            env["BAOCAO_THREADS"] = threads
            command = [sys.executable, "-m", "gunicorn", "--config", "python:baocao.config.gunicorn_conf"]
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"Máy chủ không chạy được: {' '.join(command)} (xem {self.log.name})")
            time.sleep(0.05)  # a refused connection costs next to nothing; a late start is wall time

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()
        log = Path(self.log.name)
        try:
            return log.read_text(encoding="utf-8", errors="replace")
        finally:
            log.unlink()


def request(session: requests.Session, base: str, clerk: Clerk, token: str, proxied: bool) -> str | None:
    report = f"/reports/{ROUND}/{clerk.unit}/"
    headers = {"Cookie": f"sessionid={clerk.cookie}; csrftoken={token}"}
    if proxied:
        headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    scheme_base = base.replace("http://", "https://") if proxied else base
    pick = random.random()
    if pick < 0.2:
        data = {"code": "1.1", "raw": str(random.randint(0, 60))}
        headers |= {"X-CSRFToken": token, "Referer": scheme_base + report, "Origin": scheme_base}
        response = session.post(base + report + "value/", data=data, headers=headers, timeout=30)
    else:
        path = "/" if pick < 0.3 else report
        response = session.get(base + path, headers=headers, timeout=30, allow_redirects=False)
    if response.status_code != 200:
        where = response.headers.get("Location", "")
        return f"{response.status_code} {response.request.method} {response.url} → {where}"
    return None


def run(
    base: str, clerks: list[Clerk], seconds: float, *, think: float, proxied: bool
) -> tuple[Tally, float]:
    """Each clerk in a thread; ``think`` is the mean pause between its requests (0: closed loop)."""
    tally, stop_at = Tally(), time.monotonic() + seconds
    token = secrets.token_hex(16)

    def clerk_loop(clerk: Clerk) -> None:
        session = requests.Session()
        rng = random.Random(clerk.cookie)
        time.sleep(rng.uniform(0, min(think, seconds)))  # users do not all start on the same second
        while time.monotonic() < stop_at and len(tally.latencies) < MAX_REQUESTS:
            start = time.perf_counter()
            try:
                error = request(session, base, clerk, token, proxied)
            except requests.RequestException as problem:
                error = type(problem).__name__
            tally.add(time.perf_counter() - start, error)
            if think:
                time.sleep(max(0.0, min(rng.expovariate(1 / think), stop_at - time.monotonic())))

    threads = [threading.Thread(target=clerk_loop, args=(clerk,), daemon=True) for clerk in clerks]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally, time.monotonic() - began


def warm_up(base: str, clerks: list[Clerk], seconds: float, *, proxied: bool) -> None:
    """Every worker imports, connects and reads the definitions on its first requests: not counted."""
    run(base, clerks, seconds, think=0, proxied=proxied)


def report(name: str, tally: Tally, elapsed: float) -> float:
    figures = sorted(tally.latencies)
    rate = len(figures) / elapsed
    p50, p95 = (figures[int(len(figures) * q)] * 1000 for q in (0.5, 0.95)) if figures else (0, 0)
    print(
        f"{name}: {len(figures)} requests in {elapsed:.0f} s = {rate:.1f}/s; "
        f"median {p50:.0f} ms, p95 {p95:.0f} ms, max {max(figures, default=0) * 1000:.0f} ms; "
        f"errors {len(tally.errors)}{(' e.g. ' + tally.errors[0]) if tally.errors else ''}"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--sqlite-users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--closed-seconds", type=float, default=20)
    parser.add_argument("--warm-seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=5.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--make-clerks", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every step still runs")
    args = parser.parse_args()
    if args.smoke:
        # Fractions of a second, not minutes: the smoke proves every step runs (tests/bench), not the figures.
        args.users, args.sqlite_users, args.concurrency, args.workers, args.threads = 2, 1, 1, 1, 1
        args.seconds, args.closed_seconds, args.warm_seconds, args.think = 0.15, 0.1, 0.05, 0.1
    if args.make_clerks is not None:
        for unit, key in make_clerks(args.make_clerks, tiny=args.tiny):
            print(unit, key)
        return
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="baocao-bench-", ignore_cleanup_errors=True) as folder:
        measure(args, Path(folder))


def measure(args: argparse.Namespace, folder: Path) -> None:
    """Every phase, the data folders (PostgreSQL's run, then SQLite's) inside ``folder``."""
    (folder / "postgresql").mkdir()
    base_env = {
        **os.environ,
        "BAOCAO_DATA_DIR": str(folder / "postgresql"),
        "BAOCAO_ACCESS_LOG": "",
        "BAOCAO_EMBEDDED_WORKERS": "0",  # the web servers alone; no job runs in this benchmark
    }
    # A smoke gets a database of its own (dropped at its end): several may run at once on one server.
    pg_url = PG_URL
    if args.smoke and "BENCH_DATABASE_URL" not in os.environ:
        pg_url = f"{PG_URL.rsplit('/', 1)[0]}/baocao_bench_load_smoke_{os.getpid()}"
    reset_postgres(pg_url)
    try:
        many, one = postgres_phases(args, {**base_env, "DATABASE_URL": pg_url})
    finally:
        if args.smoke:
            _close_connections()  # this process's own (prepare's ``here``)
            reset_postgres(pg_url, create=False)
    print(f"throughput ratio: {many / one if one else 0:.2f}× one Waitress process")
    (folder / "sqlite").mkdir()
    sqlite_phase(args, {**base_env, "BAOCAO_DATA_DIR": str(folder / "sqlite")})


def postgres_phases(args: argparse.Namespace, pg_env: dict[str, str]) -> tuple[float, float]:
    """Closed-loop throughput of one Waitress process and of gunicorn, then the deadline on gunicorn."""
    clerks = prepare(pg_env, args.users, tiny=args.smoke, here=args.smoke)
    closed = clerks[: args.concurrency]

    waitress = Server(pg_env)
    try:
        warm_up(waitress.url, closed, args.warm_seconds, proxied=False)
        one = report(
            "PostgreSQL, one Waitress process, closed loop",
            *run(waitress.url, closed, args.closed_seconds, think=0, proxied=False),
        )
    finally:
        waitress.stop()

    production = {
        **pg_env,
        "BAOCAO_HTTPS": "1",
        "BAOCAO_TRUSTED_PROXIES": "127.0.0.1",
    }
    if args.smoke:  # gunicorn's own command with one worker (see Server)
        gunicorn = Server(production, gunicorn=(args.workers, args.threads))
    else:
        gunicorn = Server(production, "--workers", str(args.workers), "--threads", str(args.threads))
    try:
        warm_up(gunicorn.url, closed, args.warm_seconds, proxied=True)
        many = report(
            f"PostgreSQL, gunicorn {args.workers}×{args.threads}, closed loop",
            *run(gunicorn.url, closed, args.closed_seconds, think=0, proxied=True),
        )
        deadline, elapsed = run(gunicorn.url, clerks, args.seconds, think=args.think, proxied=True)
        report(
            f"PostgreSQL, gunicorn, deadline: {args.users} users, one request per {args.think:g} s each",
            deadline,
            elapsed,
        )
    finally:
        log = gunicorn.stop()
    if os.environ.get("BENCH_SHOW_LOG"):
        print(log[-3000:])
    return many, one


def sqlite_phase(args: argparse.Namespace, base_env: dict[str, str]) -> None:
    """The default database with one Waitress process: SQLITE_USERS users at the deadline."""
    sqlite_env = dict(base_env)
    sqlite_env.pop("DATABASE_URL", None)
    sqlite_clerks = prepare(sqlite_env, args.sqlite_users, tiny=args.smoke)
    server = Server(sqlite_env)
    try:
        warm_up(server.url, sqlite_clerks[:4], args.warm_seconds, proxied=False)
        tally, elapsed = run(server.url, sqlite_clerks, args.seconds, think=args.think, proxied=False)
    finally:
        log = server.stop()
    report(f"SQLite, one Waitress process: {args.sqlite_users} users", tally, elapsed)
    print(f'"database is locked" in the server log: {log.count("database is locked")}')


if __name__ == "__main__":
    main()
