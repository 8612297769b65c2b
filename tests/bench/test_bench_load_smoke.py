"""bench_load's smoke (PostgreSQL and SQLite servers under load for a second each): a file of its own, the
longest of the smokes, so that xdist runs it beside the others (tests/bench/test_bench_smoke.py)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.conftest import ROOT, run_smoke, smoke_env


def test_bench_load_runs_with_tiny_sizes(migrated_database: Path) -> None:
    run_smoke(ROOT / "bench" / "bench_load.py", smoke_env(migrated_database))
