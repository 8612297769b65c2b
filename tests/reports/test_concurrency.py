"""Concurrent changes on PostgreSQL: threads, each with its own database connection, released together by
a barrier so that their transactions really overlap, through the services the web, the API and the CLI call.

SQLite has no row locks (one writer holds the whole file), so what these tests prove cannot happen there:
they run on PostgreSQL, in `make test-postgres` (which CI runs), and are skipped on SQLite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

import pytest
from django.db import connection, connections

from baocao.accounts.models import Role, User
from baocao.analysis.bulk import rollup_rebuild
from baocao.analysis.models import NATION, REPORTS_CODE, Bucket, RollupCell
from baocao.reports import services
from baocao.reports.models import AuditEvent, Report, Status, Value
from baocao.units.models import OrgUnit
from tests.web.conftest import World, _user, make_sendable, make_world, type_seed_values

T = TypeVar("T")
THREADS = 4
FIGURE = "1.1"  # an item no rule ties to another: each commune gets its own figure

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency tests need PostgreSQL's row locks and parallel transactions (make test-postgres); "
    "SQLite lets one writer at a time hold the whole file",
)


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    # Committed for real: the threads' own connections see only what is committed.
    yield make_world()


def run_together(calls: list[Callable[[], T]]) -> list[T | Exception]:
    """Run each call in its own thread and connection, all released at once; each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results: list[T | Exception] = [RuntimeError("not run")] * len(calls)

    def work(index: int) -> None:
        try:
            connection.ensure_connection()  # connect before the barrier, so the calls start together
            barrier.wait(timeout=30)
            results[index] = calls[index]()
        except Exception as error:  # each thread's outcome is asserted by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def save(world: World, raw: str, previous: str) -> Callable[[], services.SaveResult]:
    return lambda: services.report_set_value(
        report=world.report, user=world.clerk, code="7.2.4.a", raw=raw, previous=previous
    )


def test_the_same_cell_saved_at_once_keeps_exactly_one_write_per_base_version(world: World) -> None:
    code = "7.2.4.a"
    base = Value.objects.get(report=world.report, code=code).raw
    expected_audit = list(
        AuditEvent.objects.filter(report=world.report, action=AuditEvent.Action.VALUE, target=code)
        .order_by("pk")
        .values_list("old", "new")
    )
    version = Report.objects.get(pk=world.report.pk).version
    for attempt in range(3):  # each winner's value is the base every thread saw in the next attempt
        typed = [f"{100 * (attempt + 1) + index}" for index in range(THREADS)]
        results = run_together([save(world, raw, base) for raw in typed])
        saved = [result for result in results if isinstance(result, services.SaveResult)]
        conflicts = [result for result in results if isinstance(result, services.ConflictError)]
        assert len(saved) == 1, results
        assert len(conflicts) == THREADS - 1, results
        winner = saved[0].value.raw
        assert winner in typed
        # Each loser is told what is stored now (the winner's value) and keeps what it typed.
        assert sorted(c.yours for c in conflicts) == sorted(raw for raw in typed if raw != winner)
        assert {c.theirs for c in conflicts} == {winner}
        assert list(Value.objects.filter(report=world.report, code=code).values_list("raw", flat=True)) == [
            winner
        ]
        expected_audit.append((base, winner))
        audit = AuditEvent.objects.filter(report=world.report, action=AuditEvent.Action.VALUE, target=code)
        assert list(audit.order_by("pk").values_list("old", "new")) == expected_audit
        version += 1
        assert Report.objects.get(pk=world.report.pk).version == version  # bumped once, by the winner
        base = winner


def test_the_same_value_saved_at_once_by_every_thread_is_written_once(world: World) -> None:
    code = "7.2.4.a"
    base = Value.objects.get(report=world.report, code=code).raw
    before = AuditEvent.objects.filter(report=world.report, action=AuditEvent.Action.VALUE).count()
    results = run_together([save(world, "77", base) for _ in range(THREADS)])
    assert [isinstance(r, services.SaveResult) for r in results] == [True] * THREADS, results
    assert sorted(r.changed for r in results if isinstance(r, services.SaveResult)) == [False] * (
        THREADS - 1
    ) + [True]
    audit = AuditEvent.objects.filter(report=world.report, action=AuditEvent.Action.VALUE)
    assert audit.count() == before + 1
    assert audit.order_by("-pk").values_list("old", "new").first() == (base, "77")


def sent_report(world: World, index: int) -> Report:
    """A commune under the world's district with the seed's values, sent by its leader (by the services)."""
    unit = OrgUnit.objects.create(
        code=f"0209{index}", name=f"Xã Thử {index}", kind="Xã", level="commune", parent=world.district
    )
    world.round.respondents.add(unit)
    clerk = _user(f"xa.thu{index}", unit, Role.CLERK)
    leader = _user(f"ct.thu{index}", unit, Role.LEADER, full_name="Vũ Văn Thành")
    report = services.report_open(round_=world.round, unit=unit, user=clerk)
    type_seed_values(report, clerk)
    # A different figure in each commune, so that a lost or doubled increment changes the sums.
    services.report_set_value(report=report, user=clerk, code=FIGURE, raw=str(10 + index))
    commune = replace(world, report=report, clerk=clerk, leader=leader)
    make_sendable(commune)
    services.report_mark_ready(report=report, user=clerk)
    return services.report_send(report=report, user=leader)


def cells(world: World) -> dict[tuple[int, int, str], tuple[object, int, int]]:
    rows = RollupCell.objects.filter(round=world.round).values_list(
        "unit_key", "bucket", "code", "total", "reported", "yes"
    )
    # A cell that reached zero after a report moved on is the same as no cell for a rebuild.
    return {(k, b, c): (t, r, y) for k, b, c, t, r, y in rows if (t, r, y) != (0, 0, 0)}


def test_concurrent_accepts_under_one_district_count_every_rollup_increment(world: World) -> None:
    make_sendable(world)
    services.report_mark_ready(report=world.report, user=world.clerk)
    reports = [services.report_send(report=world.report, user=world.leader)]
    reports += [sent_report(world, index) for index in range(1, THREADS + 2)]

    def accept(report: Report) -> Callable[[], Report]:
        return lambda: services.report_accept(report=report, user=world.district_reviewer)

    results = run_together([accept(report) for report in reports])
    assert [type(result) for result in results] == [Report] * len(reports), results
    assert set(Report.objects.filter(round=world.round).values_list("status", flat=True)) == {Status.ACCEPTED}

    incremental = cells(world)
    rollup_rebuild(world.round)
    rebuilt = cells(world)
    assert incremental == rebuilt
    # Every commune's figure counted once at the district and above, and nothing left as "sent".
    typed = sum(int(Value.objects.get(report=report, code=FIGURE).raw) for report in reports)
    assert typed == sum(10 + index for index in range(1, THREADS + 2))  # Cẩm Giàng's 1.1 is 0
    for key in (world.district.pk, world.province.pk, NATION):
        assert rebuilt[(key, Bucket.ACCEPTED, FIGURE)][:2] == (typed, len(reports))
        assert rebuilt[(key, Bucket.ACCEPTED, REPORTS_CODE)][1] == len(reports)
    assert not [cell for cell in incremental if cell[1] == Bucket.SENT]


def test_a_report_started_at_once_by_its_clerk_and_leader_is_created_once(world: World) -> None:
    def start(user: User) -> Callable[[], Report]:
        return lambda: services.report_open(round_=world.round, unit=world.quan_ha, user=user)

    leader = _user("ct.quanha", world.quan_ha, Role.LEADER)
    results = run_together([start(world.other_clerk), start(leader)] * (THREADS // 2))
    assert [type(result) for result in results] == [Report] * THREADS, results
    report = Report.objects.get(round=world.round, unit=world.quan_ha)
    assert {result.pk for result in results if isinstance(result, Report)} == {report.pk}
    created = AuditEvent.objects.filter(report=report, action=AuditEvent.Action.CREATE)
    assert created.count() == 1
