"""Timing shared by the benchmarks: wall-clock and CPU milliseconds per call, and one line to print them.

Imported by a bench script as ``from timing import …`` (bench/ is on the path when a bench script runs).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def timed(calls: int, body: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call; on a shared, busy machine the CPU time is the steadier
    (work in a child process, such as LibreOffice's, counts in the wall time only)."""
    wall, cpu = [], []
    for _ in range(calls):
        start, start_cpu = time.perf_counter(), time.process_time()
        body()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def describe(name: str, figures: tuple[list[float], list[float]]) -> str:
    wall, cpu = sorted(figures[0]), figures[1]
    return (
        f"{name}: median {statistics.median(wall):.1f} ms, best {wall[0]:.1f} ms, worst {wall[-1]:.1f} ms; "
        f"CPU median {statistics.median(cpu):.1f} ms ({len(wall)} runs)"
    )


PREPARED_DEMO = "BENCH_PREPARED_DEMO"


def copy_prepared_demo() -> bool:
    """Before Django starts: when ``BENCH_PREPARED_DEMO`` names a data folder in which the demo has already
    been loaded into SQLite (migrations and ``load_demo``), copy that folder (database, secret key, any
    signing keys) into this run's ``BAOCAO_DATA_DIR`` and say so; the caller then skips its own ``migrate``
    and ``load_demo``. The test suite's smokes prepare that folder once per session
    (tests/bench/prepare_demo.py) instead of loading the demo in each script; a measuring run leaves the
    variable unset and loads the demo itself. Never used with ``DATABASE_URL`` (PostgreSQL)."""
    import os
    import shutil

    prepared = os.environ.get(PREPARED_DEMO)
    if not prepared or os.environ.get("DATABASE_URL"):
        return False
    source = Path(prepared)
    if not (source / "baocao.sqlite3").is_file():
        raise SystemExit(f"{PREPARED_DEMO}={prepared}: không có baocao.sqlite3 (chạy `baocao demo` trước)")
    shutil.copytree(source, Path(os.environ["BAOCAO_DATA_DIR"]), dirs_exist_ok=True)
    return True


MIGRATED_DATABASE = "BENCH_MIGRATED_DB"


def copy_migrated_database(target: Path) -> bool:
    """Before Django starts: when ``BENCH_MIGRATED_DB`` names an SQLite database that is migrated and holds
    nothing else, copy it to ``target`` (the SQLite file this run's settings name) and say so; the caller then
    skips its own ``migrate``. Prepared once per session by the test suite's smokes, like the demo above."""
    import os
    import shutil

    prepared = os.environ.get(MIGRATED_DATABASE)
    if not prepared:
        return False
    if not Path(prepared).is_file():
        raise SystemExit(f"{MIGRATED_DATABASE}={prepared}: không có tệp cơ sở dữ liệu")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(prepared, target)
    return True


@contextmanager
def data_folder() -> Iterator[Path]:
    """The run's data folder (``BAOCAO_DATA_DIR``), before Django starts: the one the environment names (the
    test suite's smokes, tests/bench/run_together.py), else a temporary folder named there for the run and
    removed at its end (a folder is made only when it is used)."""
    named = os.environ.get("BAOCAO_DATA_DIR")
    if named:
        yield Path(named)
        return
    with tempfile.TemporaryDirectory(prefix="baocao-bench-", ignore_cleanup_errors=True) as folder:
        os.environ["BAOCAO_DATA_DIR"] = folder
        try:
            yield Path(folder)
        finally:
            del os.environ["BAOCAO_DATA_DIR"]
