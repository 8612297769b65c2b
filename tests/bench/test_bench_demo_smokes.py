"""The smokes of the benchmarks that copy the demo prepared once (tests/bench/conftest.py) instead of loading
it; bench_load has its file (test_bench_load_smoke.py), the others are in test_bench_smoke.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.conftest import DEMO_BENCHMARKS, prepared_env, run_smoke

WITH_DEMO = [path for path in DEMO_BENCHMARKS if path.stem not in ("bench_load", "timing")]


@pytest.mark.parametrize("script", WITH_DEMO, ids=[path.stem for path in WITH_DEMO])
def test_benchmark_runs_with_tiny_sizes(script: Path, prepared_demo: Path) -> None:
    run_smoke(script, prepared_env(prepared_demo))
