"""Every benchmark runs end to end with tiny sizes (``--smoke``), so none can rot unnoticed between the
occasions someone measures. The figures are not judged here: targets live in docs/benchmarks.md.

Three files, so that xdist's ``--dist loadfile`` spreads them over its workers: the scripts without the demo
here, bench_load (the longest) and the others that copy the prepared demo each in a file of their own. The
scripts here that need no database run in one process (``run_together``: each script's own top level and
``main``); those that copy the migrated database (bench_rollup, whose settings are its own) each in its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.conftest import (
    BENCHMARKS,
    DEMO_BENCHMARKS,
    MIGRATED_BENCHMARKS,
    Smoke,
    check_smoke,
    prepared_env,
    run_smoke,
    run_together,
)

LOAD = [path for path in BENCHMARKS if path.stem == "bench_load"]
OTHERS = [path for path in BENCHMARKS if path not in DEMO_BENCHMARKS]
TOGETHER = [path for path in OTHERS if path not in MIGRATED_BENCHMARKS]


def test_every_benchmark_takes_the_smoke_flag() -> None:
    assert len(BENCHMARKS) >= 5
    assert [path.name for path in BENCHMARKS if "--smoke" not in path.read_text()] == []


def test_every_benchmark_has_its_smoke() -> None:
    from tests.bench.test_bench_demo_smokes import WITH_DEMO

    assert sorted([*OTHERS, *LOAD, *WITH_DEMO]) == BENCHMARKS
    assert LOAD and LOAD[0] in DEMO_BENCHMARKS


@pytest.fixture(scope="module")
def smokes(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Smoke]:
    return run_together(TOGETHER, tmp_path_factory.mktemp("smokes"))


@pytest.mark.parametrize("script", OTHERS, ids=[path.stem for path in OTHERS])
def test_benchmark_runs_with_tiny_sizes(script: Path, request: pytest.FixtureRequest) -> None:
    if script in MIGRATED_BENCHMARKS:  # it copies the database migrated once (conftest.prepared_demo)
        run_smoke(script, prepared_env(request.getfixturevalue("prepared_demo")))
    else:
        check_smoke(request.getfixturevalue("smokes")[script])
