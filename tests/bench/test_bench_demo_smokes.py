"""The smokes of the benchmarks that copy the demo prepared once (tests/bench/conftest.py) instead of loading
it, all in one process (``run_together``: each script's own top level and ``main``); bench_load has its file
(test_bench_load_smoke.py), the others are in test_bench_smoke.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.conftest import DEMO_BENCHMARKS, Smoke, check_smoke, prepared_env, run_together

WITH_DEMO = [path for path in DEMO_BENCHMARKS if path.stem not in ("bench_load", "timing")]


@pytest.fixture(scope="module")
def smokes(prepared_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Smoke]:
    return run_together(WITH_DEMO, tmp_path_factory.mktemp("demo-smokes"), prepared_env(prepared_demo))


@pytest.mark.parametrize("script", WITH_DEMO, ids=[path.stem for path in WITH_DEMO])
def test_benchmark_runs_with_tiny_sizes(script: Path, smokes: dict[Path, Smoke]) -> None:
    check_smoke(smokes[script])
