"""bench_load's smoke (PostgreSQL and SQLite servers under load for a second each): a file of its own, the
longest of the smokes, so that xdist runs it beside the others (tests/bench/test_bench_smoke.py)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.conftest import ROOT, prepared_env, run_smoke


def test_bench_load_runs_with_tiny_sizes(prepared_demo: Path) -> None:
    run_smoke(ROOT / "bench" / "bench_load.py", prepared_env(prepared_demo))
