"""How ``make test`` (``pytest -n N --dist loadfile --no-loadscope-reorder``) shares the work between workers.

xdist hands each worker whole units of work, one after another, in the order the workers collected them. A
unit is a test file (``unit_of``), except the browser tests, whose files are one unit: one worker then starts
Chromium and Playwright's driver (about a second of CPU each time) and the other never does.

Longest units first: the controller writes down how long each unit took (the seconds of all its tests'
phases, in pytest's cache, ``.pytest_cache``, key ``baocao/seconds-by-unit``), and the next run's workers put
the longest first, so the work is spread as evenly as the units allow (longest processing time first).
xdist's own order, by number of tests, left the longest single-test files (the whole cycle in Chromium, the
load benchmark's smoke) for the very end, one worker running them while the other had nothing left. A unit
the cache does not know yet goes first (it may be long); without a cache (a fresh clone, ``-p
no:cacheprovider``) the units go by their number of tests, as xdist's would. The order of the tests inside a
file never changes. A run that ran only part of a unit (``-k``, ``--lf``) leaves its figure as it was.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from typing import Any

import pytest

KEY = "baocao/seconds-by-unit"
BROWSER = "tests/browser/"


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its file, or all the browser files together."""
    name = nodeid.split("::", 1)[0]
    return BROWSER if name.startswith(BROWSER) else name


def longest_first(units: list[str], tests: dict[str, int], seconds: dict[str, float] | None) -> list[str]:
    """``units`` in the order the workers should take them: unknown ones first, then by ``seconds``
    (longest first); by number of ``tests`` when there are no seconds at all. Ties keep the given order."""
    if not seconds:
        return sorted(units, key=lambda unit: -tests[unit])
    return sorted(units, key=lambda unit: (unit in seconds, -seconds.get(unit, 0.0)))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In each worker (all collect alike, and the controller schedules in their order)."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or getattr(config.option, "loadscopereorder", True):
        return
    cache = getattr(config, "cache", None)
    by_unit: dict[str, list[pytest.Item]] = defaultdict(list)
    for item in items:
        by_unit[unit_of(item.nodeid)].append(item)
    tests = {unit: len(found) for unit, found in by_unit.items()}
    order = longest_first(list(by_unit), tests, cache.get(KEY, None) if cache else None)
    items[:] = [item for unit in order for item in by_unit[unit]]


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # xdist's hook: absent with -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` with ``unit_of``'s units instead of files."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class UnitScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    return UnitScheduling(config, log)


class _Recorder:
    """In the controller: each unit's seconds and number of tests run, written to the cache at the end."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.ran: Counter[str] = Counter()
        self.collected: Counter[str] = Counter()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        unit = unit_of(report.nodeid)
        self.seconds[unit] += report.duration
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            self.ran[unit] += 1

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        if not self.collected:
            self.collected.update(unit_of(nodeid) for nodeid in ids)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = getattr(session.config, "cache", None)
        if cache is None:
            return
        known: dict[str, float] = dict(cache.get(KEY, {}))
        for unit, seconds in self.seconds.items():
            if self.ran[unit] and self.ran[unit] >= self.collected[unit]:
                known[unit] = round(seconds, 3)
        cache.set(KEY, known)


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") and getattr(config.option, "numprocesses", None):
        config.pluginmanager.register(_Recorder(), "baocao-seconds-by-unit")
