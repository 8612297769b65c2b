"""The benchmark smokes' shared pieces: the environment a script runs in, the migrated database made once for
the whole test run (shared by the xdist workers), and one smoke run with what it must print."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from pytest_django import DjangoDbBlocker

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = sorted((ROOT / "bench").glob("bench_*.py"))
# The scripts that copy the prepared demo (bench/timing.py, ``copy_prepared_demo``) instead of loading it.
MIGRATED = "BENCH_MIGRATED_DB"  # bench/timing.py
DEMO_BENCHMARKS = [path for path in BENCHMARKS if "copy_prepared_demo" in path.read_text()]


def script_env() -> dict[str, str]:
    # Never a configured database: a benchmark empties the database it is given.
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "BAOCAO_DATA_DIR")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@contextmanager
def _only_one(lock_file: Path) -> Iterator[None]:
    """One process at a time (the xdist workers share the prepared demo); without fcntl, no lock: each
    worker's folder is its own then."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (not Linux)
        yield
        return
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def migrated_database(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Path:
    """An empty migrated SQLite database, made once per test run, that the scripts copy (bench/timing.py,
    ``copy_migrated_database``; see ``smoke_env``) instead of each migrating again: the smokes that fill an
    empty database (bench_rollup, bench_load's SQLite half) and the demo that tests/bench/run_together.py
    loads once for the others (``--prepare-demo``). Under xdist the workers share one beside their own
    temporary folders; the first to need it makes it while the others wait. It is a copy of this run's own
    test database when that is SQLite (``_copy_test_database``), else tests/bench/prepare_demo.py migrates."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "bench-prepared"
    target = folder / "migrated.sqlite3"
    with _only_one(shared / "bench-prepared.lock"):
        if not (folder / "ready").is_file():
            folder.mkdir(exist_ok=True)
            if not _copy_test_database(target, django_db_blocker):
                run = subprocess.run(
                    [sys.executable, str(Path(__file__).with_name("prepare_demo.py")), str(target)],
                    env=script_env(),
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                assert run.returncode == 0, run.stderr[-3000:]
            assert target.is_file()
            (folder / "ready").touch()
    return target


def _copy_test_database(target: Path, django_db_blocker: DjangoDbBlocker) -> bool:
    """This run's test database copied to ``target`` when it is an SQLite file (as tests/jobs/test_recovery.py
    does: every test leaves it empty, and no migration adds rows but those its own signals add again after a
    flush), about two seconds of CPU less than migrating again. False on PostgreSQL, and when the run made no
    test database (pytest-django makes one only when a test of the run uses it: the connection then still
    names the configured database, never to be copied)."""
    target.unlink(missing_ok=True)
    named, test_name = connection.settings_dict, connection.settings_dict["TEST"].get("NAME")
    if connection.vendor != "sqlite" or not test_name or named["NAME"] != test_name:
        return False
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
    return True


def smoke_env(migrated: Path) -> dict[str, str]:
    """A script's environment with the migrated database (``migrated_database``)."""
    return {**script_env(), MIGRATED: str(migrated)}


@dataclass(frozen=True)
class Smoke:
    """What one smoke run left: its exit code and output."""

    code: int
    stdout: str
    stderr: str


def check_smoke(smoke: Smoke) -> None:
    """A smoke ran every step: exit code 0, its figures printed, no traceback."""
    assert smoke.code == 0, smoke.stderr[-3000:]
    assert "median" in smoke.stdout, smoke.stdout[-2000:]
    assert "Traceback" not in smoke.stderr


def run_smoke(script: Path, env: dict[str, str] | None = None) -> None:
    """``script --smoke`` in a process of its own."""
    run = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        cwd=ROOT,
        env=env or script_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    check_smoke(Smoke(run.returncode, run.stdout, run.stderr))


def run_together(scripts: list[Path], out: Path, env: dict[str, str] | None = None) -> dict[Path, Smoke]:
    """``--smoke`` of each script, one after the other in one process (tests/bench/run_together.py): every
    script's own top level and ``main``, without a Python, Django and imports start each; by script. The
    demo is loaded first in that process for the scripts that copy it (``--prepare-demo``)."""
    command = [sys.executable, str(Path(__file__).with_name("run_together.py")), "--prepare-demo", str(out)]
    run = subprocess.run(
        [*command, *map(str, scripts)],
        cwd=ROOT,
        env=env or script_env(),
        capture_output=True,
        text=True,
        timeout=600 * len(scripts),
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return {
        script: Smoke(
            int((out / f"{script.stem}.code").read_text()),
            (out / f"{script.stem}.out").read_text(errors="replace"),
            (out / f"{script.stem}.err").read_text(errors="replace"),
        )
        for script in scripts
    }
