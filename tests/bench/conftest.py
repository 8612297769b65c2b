"""The benchmark smokes' shared pieces: the environment a script runs in, the demo prepared once for the whole
test run (shared by the xdist workers), and one smoke run with what it must print."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = sorted((ROOT / "bench").glob("bench_*.py"))
# The scripts that copy the prepared demo (bench/timing.py, ``copy_prepared_demo``) instead of loading it.
PREPARED = "BENCH_PREPARED_DEMO"  # bench/timing.py
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
def prepared_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder in which ``baocao demo`` (migrations, the whole demo with its signing step) ran once per
    test run: the scripts that need the demo on SQLite copy it (bench/timing.py, ``copy_prepared_demo``)
    instead of each loading it again. Under xdist the workers share one folder beside their own temporary
    folders; the first to need it loads it while the others wait."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "bench-demo"
    with _only_one(shared / "bench-demo.lock"):
        if not (folder / "loaded").is_file():
            folder.mkdir(exist_ok=True)
            run = subprocess.run(
                [str(Path(sys.executable).parent / "baocao"), "demo"],
                env={**script_env(), "BAOCAO_DATA_DIR": str(folder)},
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert run.returncode == 0, run.stderr[-3000:]
            assert (folder / "baocao.sqlite3").is_file()
            (folder / "loaded").touch()
    return folder


def run_smoke(script: Path, env: dict[str, str] | None = None) -> None:
    run = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        cwd=ROOT,
        env=env or script_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "median" in run.stdout, run.stdout[-2000:]
    assert "Traceback" not in run.stderr
