"""Time a whole-form evaluation of `cchc-xa-quy`: parsing, every formula, every rule, every display string.

Two workloads: the demo report evaluated again and again (warm caches, as when a clerk edits one report),
and 2,000 different reports built from the demo by scaling its counts (as when a province compiles an
archive: values vary from report to report, so no cache of parsed or formatted numbers is warm).

Run: `make bench` (or `.venv/bin/python bench/bench_evaluate.py`). Target: ≤ 0.5 ms per evaluation.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable

from baocao.core.definition import Definition, load_definition
from baocao.core.evaluate import Raw, evaluate
from baocao.core.numbers import clear_caches
from baocao.core.values import load_demo_values


def varied_reports(definition: Definition, count: int, seed: int = 2024) -> list[dict[str, Raw]]:
    """Reports of communes of every size: the demo's counts times a whole factor from 1 to 300.

    Multiplying by a whole number keeps every part ≤ whole and every sum of the form, so each report carries
    the seed's own conflicts and no others, as real archives mostly do. Counts are written as a clerk would
    ("07", "1.234").
    """
    rng = random.Random(seed)
    base = load_demo_values()
    counts = [item.code for item in definition.input_items if item.type == "count"]
    reports = []
    for _ in range(count):
        factor = rng.randint(1, 300)
        values = dict(base)
        for code in counts:
            given = base.get(code)
            if isinstance(given, str) and given.strip():
                number = int(given) * factor
                values[code] = f"{number:02d}" if number < 10 else f"{number:,}".replace(",", ".")
        reports.append(values)
    return reports


def timed(rounds: int, body: Callable[[], int]) -> list[float]:
    """Milliseconds per evaluation, one figure per round."""
    figures = []
    for _ in range(rounds):
        start = time.perf_counter()
        evaluations = body()
        figures.append((time.perf_counter() - start) / evaluations * 1000)
    return figures


def describe(name: str, figures: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(figures):.3f} ms, best {min(figures):.3f} ms, "
        f"worst {max(figures):.3f} ms per evaluation ({len(figures)} rounds)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every step still runs")
    args = parser.parse_args()
    count, repeat = (20, 10) if args.smoke else (2000, 1000)
    if args.smoke:
        args.rounds = 1
    definition = load_definition("cchc-xa-quy")
    demo = load_demo_values()
    reports = varied_reports(definition, count)

    def same_report() -> int:
        for _ in range(repeat):
            evaluate(definition, demo)
        return repeat

    def different_reports() -> int:
        clear_caches()  # every round starts cold, as a new archive would
        for values in reports:
            evaluate(definition, values)
        return len(reports)

    print(f"machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}")
    print(f"definition: cchc-xa-quy, {len(definition.items)} items, {len(definition.rules)} rules")
    print(describe(f"the demo report, {repeat:,} times", timed(args.rounds, same_report)))
    cold = timed(args.rounds, different_reports)
    print(describe(f"{count:,} different reports, caches cleared each round", cold))


if __name__ == "__main__":
    main()
