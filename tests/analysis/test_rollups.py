"""Rollups kept in the database follow every workflow change at once, at every level above."""

from __future__ import annotations

from decimal import Decimal

from baocao.accounts.models import Membership, Role, User
from baocao.analysis.bulk import rollup_rebuild
from baocao.analysis.models import RollupCell
from baocao.analysis.rollups import unit_rollup
from baocao.core.definition import load_definition
from baocao.core.rollup import rollup_reports
from baocao.reports import services
from baocao.reports.models import Report
from tests.web.conftest import World, make_sendable


def send(world: World) -> None:
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)


def received(world: World, unit: object, *, include_sent: bool = False) -> str:
    rollup = unit_rollup(world.round, unit, include_sent=include_sent)  # type: ignore[arg-type]
    return rollup.total.display("7.2.4.a")


def test_accept_and_reopen_reach_every_ancestor_at_once(world: World) -> None:
    levels = [world.cam_giang, world.district, world.province, None]
    send(world)
    # Sent, not yet accepted: only the "also sent" view counts it.
    assert [received(world, unit) for unit in levels] == ["", "", "", ""]
    assert [received(world, unit, include_sent=True) for unit in levels] == ["29"] * 4
    services.report_accept(report=world.report, user=world.district_reviewer)
    assert [received(world, unit) for unit in levels] == ["29"] * 4
    assert [received(world, unit, include_sent=True) for unit in levels] == ["29"] * 4
    assert unit_rollup(world.round, world.district).reports == 1
    services.report_reopen(report=world.report, user=world.district_reviewer, reason="Sửa số hồ sơ")
    assert [received(world, unit, include_sent=True) for unit in levels] == ["", "", "", ""]
    assert unit_rollup(world.round, None).reports == 0
    # Nothing reported is blank, never a zero.
    assert unit_rollup(world.round, world.province).total.by_code["7.2.4.a"].value is None


def test_the_other_province_sees_none_of_it(world: World) -> None:
    send(world)
    services.report_accept(report=world.report, user=world.district_reviewer)
    other = world.stranger_reviewer.memberships.get().unit
    assert unit_rollup(world.round, other).reports == 0


def test_stored_rollup_equals_the_rollup_of_the_reports_themselves(world: World) -> None:
    send(world)
    services.report_accept(report=world.report, user=world.district_reviewer)
    quan_ha = services.report_open(round_=world.round, unit=world.quan_ha, user=world.other_clerk)
    for code, raw in (("7.2.4.a", "11"), ("7.2.4.b", "11"), ("1.4", "Có"), ("6.b", "12,5")):
        services.report_set_value(report=quan_ha, user=world.other_clerk, code=code, raw=raw)
    Report.objects.filter(pk=quan_ha.pk).update(status="sent")  # as if sent: Quân Hà has no leader here
    services.report_accept(report=quan_ha, user=world.district_reviewer)
    stored = unit_rollup(world.round, world.district)
    definition = load_definition("cchc-xa-quy")
    direct = rollup_reports(
        definition, {r.unit.name: r.raw_values() for r in Report.objects.filter(round=world.round)}
    )
    assert [(row.item.code, row.display) for row in stored.total.rows] == [
        (row.item.code, row.display) for row in direct.rows
    ]
    assert stored.total.display("7.2.4.a") == "40"
    assert stored.total.display("7.2.4") == "45"  # (7 + 11) / (29 + 11), recomputed, not averaged
    assert stored.total.display("1.4") == "1/2 đơn vị: Có"
    assert stored.total.by_code["6.b"].value == Decimal("12.5") + direct.by_code["6.b"].value - Decimal(
        "12.5"
    )


def test_a_level_with_its_own_report_shows_own_and_children_apart(world: World) -> None:
    send(world)
    services.report_accept(report=world.report, user=world.district_reviewer)
    world.round.respondents.add(world.district)
    district_clerk = User.objects.create_user(username="huyen.clerk", password="x")
    Membership.objects.create(user=district_clerk, unit=world.district, role=Role.CLERK)
    own = services.report_open(round_=world.round, unit=world.district, user=district_clerk)
    services.report_set_value(report=own, user=district_clerk, code="7.2.4.a", raw="100")
    Report.objects.filter(pk=own.pk).update(status="sent")
    services.report_accept(report=own, user=world.province_reviewer)
    district = unit_rollup(world.round, world.district)
    assert district.total.display("7.2.4.a") == "129"
    assert district.own is not None and district.own.display("7.2.4.a") == "100"
    assert district.children is not None and district.children.display("7.2.4.a") == "29"
    assert RollupCell.objects.get(round=world.round, unit_key=0, code="@reports", bucket=1).reported == 2


def cells(world: World) -> list[tuple[object, ...]]:
    rows = RollupCell.objects.filter(round=world.round).exclude(reported=0, yes=0, total=0)
    return sorted(rows.values_list("unit_key", "bucket", "code", "total", "reported", "yes"))


def test_rebuilding_from_the_reports_gives_the_cells_kept_incrementally(world: World) -> None:
    send(world)
    services.report_accept(report=world.report, user=world.district_reviewer)
    services.report_reopen(report=world.report, user=world.district_reviewer, reason="Sửa")
    services.report_send(report=world.report, user=world.leader)
    kept = cells(world)
    assert rollup_rebuild(world.round) == len(kept)
    assert cells(world) == kept


def test_the_rollup_page_shows_own_and_children_columns_only_where_both_exist(world: World) -> None:
    send(world)
    services.report_accept(report=world.report, user=world.district_reviewer)
    page = world.client(world.district_reviewer).get(f"/phan-tich/tong-hop/{world.round.code}/?unit=02008")
    assert "Các đơn vị trực thuộc" not in page.content.decode()
