"""A level's own report compiled from its children, and longer periods derived from the quarters."""

from __future__ import annotations

from datetime import date

from baocao.accounts.models import Membership, Role, User
from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.compile import report_compile, report_prefill_period
from baocao.reports import services
from baocao.reports.models import Value
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit
from tests.web.conftest import World, make_round, make_sendable


def accept(world: World) -> None:
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)
    services.report_accept(report=world.report, user=world.district_reviewer)


def half_year_round(code: str, title: str, *, requested_by: OrgUnit) -> Round:
    """The six months of 2024 under the seed's local rule (15/12 → 14/06), due on the 20th."""
    return make_round(
        code,
        title,
        requested_by,
        period_type="half_year",
        window_start=date(2023, 12, 15),
        window_end=date(2024, 6, 14),
        due_date=date(2024, 6, 20),
    )


def test_a_district_starts_its_own_report_prefilled_from_its_communes(world: World) -> None:
    accept(world)
    world.round.respondents.add(world.district)
    compiler = User.objects.create_user(username="huyen.vanthu", password="x")
    Membership.objects.create(user=compiler, unit=world.district, role=Role.CLERK)
    report = report_compile(round_=world.round, unit=world.district, user=compiler)
    stored = Value.objects.get(report=report, code="7.2.4.a")
    assert (stored.raw, stored.source) == ("29", Value.Source.COMPILED)
    evaluation = services.report_evaluation(report)
    assert evaluation.display("7.2.4") == "24,14"  # the ratio is computed by the report, not copied
    assert not Value.objects.filter(report=report, code="1.4").exists()  # yes/no is the compiler's to write
    # A stranger cannot compile someone else's report: the services' access check refuses.
    import pytest
    from django.http import Http404

    with pytest.raises(Http404):
        report_compile(round_=world.round, unit=world.district, user=world.other_clerk)


def test_a_six_month_report_adds_flows_and_takes_the_latest_stock(world: World) -> None:
    accept(world)
    q2 = quarter_round(year=2024, quarter=2, requested_by=world.district, respondents=[world.cam_giang.pk])
    bulk_accepted_reports(q2, lambda unit: {"7.2.4.a": "31", "3.1.4": "120"}, [world.cam_giang])
    half = half_year_round("cchc-2024-6t", "Báo cáo CCHC 6 tháng năm 2024", requested_by=world.district)
    half.respondents.add(world.cam_giang)
    report = services.report_open(round_=half, unit=world.cam_giang, user=world.clerk)
    derived = report_prefill_period(report=report, user=world.clerk)
    values = {v.code: v for v in Value.objects.filter(report=report)}
    assert values["7.2.4.a"].raw == "60"  # flow: 29 + 31
    assert values["7.2.4.a"].note == "Suy ra từ các quý: cộng 2 kỳ"
    assert values["3.1.4"].raw == "120"  # stock: the latest quarter
    assert values["3.1.4"].note == "Suy ra từ các quý: lấy kỳ gần nhất có số liệu (quý 2)"
    assert values["7.2.4.b"].raw == "7"  # reported in Q1 only
    assert "thiếu: quý 2" in derived.derived["7.2.4.b"]
    assert values["7.2.4.a"].source == Value.Source.COMPILED


def test_the_compile_button_opens_the_prefilled_report_and_strangers_get_nothing(world: World) -> None:
    accept(world)
    world.round.respondents.add(world.district)
    compiler = User.objects.create_user(username="huyen.vanthu", password="x")
    Membership.objects.create(user=compiler, unit=world.district, role=Role.CLERK)
    url = f"/phan-tich/lap-bao-cao/{world.round.code}/063/"
    assert world.client(world.other_clerk).post(url).status_code == 404
    response = world.client(compiler).post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{world.round.code}/063/"
    assert Value.objects.get(report__unit=world.district, code="7.2.4.a").raw == "29"


def test_a_district_half_year_is_derived_from_its_communes_quarterly_rollups(world: World) -> None:
    accept(world)  # Q1: Cẩm Giàng 29 hồ sơ
    q2 = quarter_round(year=2024, quarter=2, requested_by=world.district, respondents=[world.quan_ha.pk])
    bulk_accepted_reports(q2, lambda unit: {"7.2.4.a": "31"}, [world.quan_ha])
    half = half_year_round(
        "cchc-2024-6t-huyen", "Báo cáo CCHC 6 tháng năm 2024 (huyện)", requested_by=world.province
    )
    half.respondents.add(world.district)
    compiler = User.objects.create_user(username="huyen.vanthu", password="x")
    Membership.objects.create(user=compiler, unit=world.district, role=Role.CLERK)
    report = services.report_open(round_=half, unit=world.district, user=compiler)
    report_prefill_period(report=report, user=compiler)
    assert Value.objects.get(report=report, code="7.2.4.a").raw == "60"
