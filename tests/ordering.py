"""Longest files first under ``pytest -n N --dist loadfile`` (``make test``).

xdist hands each worker whole files, one after another, in the order the workers collected them
(``--no-loadscope-reorder``; its own default orders files by their number of tests, which left the longest
single-test files, the whole cycle in Chromium and the load benchmark's smoke, for the very end, one worker
running them while the other had nothing left). Here the controller writes down how long each file took
(seconds of all its tests' phases, in pytest's cache: ``.pytest_cache``, key ``baocao/seconds-by-file``), and
the next run's workers put the longest files first: the work is then spread as evenly as files allow (longest
processing time first). A file the cache does not know yet goes first (it may be long); without a cache
(a fresh clone, ``-p no:cacheprovider``) the files go by their number of tests, as xdist would. The order of
the tests inside a file never changes. A run that ran only part of a file (``-k``, ``--lf``) leaves that
file's figure as it was.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict

import pytest

KEY = "baocao/seconds-by-file"


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def longest_first(files: list[str], tests: dict[str, int], seconds: dict[str, float] | None) -> list[str]:
    """``files`` in the order a worker should take them: unknown ones first, then by ``seconds`` (longest
    first); by number of ``tests`` when there are no seconds at all. Ties keep the collection's order."""
    if not seconds:
        return sorted(files, key=lambda name: -tests[name])
    return sorted(files, key=lambda name: (name in seconds, -seconds.get(name, 0.0)))


def _under_xdist(config: pytest.Config) -> bool:
    return bool(os.environ.get("PYTEST_XDIST_WORKER")) or bool(getattr(config.option, "numprocesses", None))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") or getattr(config.option, "loadscopereorder", True):
        return
    cache = getattr(config, "cache", None)
    by_file: dict[str, list[pytest.Item]] = defaultdict(list)
    for item in items:
        by_file[file_of(item.nodeid)].append(item)
    tests = {name: len(found) for name, found in by_file.items()}
    order = longest_first(list(by_file), tests, cache.get(KEY, None) if cache else None)
    items[:] = [item for name in order for item in by_file[name]]


class _Recorder:
    """In the controller (or a run without xdist): each file's seconds and number of tests run."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.ran: Counter[str] = Counter()
        self.collected: Counter[str] = Counter()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        name = file_of(report.nodeid)
        self.seconds[name] += report.duration
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            self.ran[name] += 1

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected.update(file_of(item.nodeid) for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        if not self.collected:
            self.collected.update(file_of(nodeid) for nodeid in ids)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        cache = getattr(session.config, "cache", None)
        if cache is None:
            return
        known: dict[str, float] = dict(cache.get(KEY, {}))
        for name, seconds in self.seconds.items():
            if self.ran[name] and self.ran[name] >= self.collected[name]:
                known[name] = round(seconds, 3)
        cache.set(KEY, known)


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") and _under_xdist(config):
        config.pluginmanager.register(_Recorder(), "baocao-file-seconds")
