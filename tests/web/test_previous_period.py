"""The unit's previous period: a starting point to copy from, and a yardstick for implausible figures."""

from __future__ import annotations

import re

import pytest

from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.reports import carry, services
from baocao.reports.models import AuditEvent, Report, Status, Value
from baocao.rounds.models import Round
from tests.web.conftest import World, make_sendable, world_per_module

module_world, world = world_per_module()  # one world for the module, each test in its own savepoint

R = "/reports/cchc-2024-q1/02008/"
BEFORE = {"1.1": "2", "1.2.1": "33", "3.1.4": "11", "7.2.4.a": "30", "N.radio_broadcasts": "05"}


def previous_round(world: World, values: dict[str, str] = BEFORE) -> Round:
    """Quý IV/2023, Cẩm Giàng's report accepted with ``values``."""
    round_ = quarter_round(
        year=2023, quarter=4, requested_by=world.district, respondents=[world.cam_giang.pk, world.quan_ha.pk]
    )
    bulk_accepted_reports(round_, lambda unit: values, [world.cam_giang])
    return round_


def fresh_report(world: World) -> Report:
    """Quân Hà has nothing typed yet in Q1/2024: the case copying is for."""
    return services.report_open(round_=world.round, unit=world.quan_ha, user=world.other_clerk)


def test_previous_report_is_the_units_last_sent_one_before_this_period(world: World) -> None:
    assert services.previous_report(world.report) is None
    older = previous_round(world)
    found = services.previous_report(world.report)
    assert found is not None and found.round == older and found.unit == world.cam_giang
    assert services.previous_report(fresh_report(world)) is None  # Quân Hà sent nothing then


def test_a_draft_of_the_previous_period_is_not_a_basis(world: World) -> None:
    older = previous_round(world)
    Report.objects.filter(round=older).update(status=Status.DRAFT)
    assert services.previous_report(world.report) is None


def test_copy_fills_only_blank_cells_marks_them_copied_and_is_audited(world: World) -> None:
    older = quarter_round(year=2023, quarter=4, requested_by=world.district, respondents=[world.quan_ha.pk])
    bulk_accepted_reports(older, lambda unit: BEFORE, [world.quan_ha])
    report = fresh_report(world)
    services.report_set_value(report=report, user=world.other_clerk, code="1.1", raw="7")
    copied = carry.report_copy_previous(report=report, user=world.other_clerk)
    assert sorted(copied) == ["1.2.1", "3.1.4", "7.2.4.a", "N.radio_broadcasts"]
    values = {v.code: (v.raw, v.source) for v in Value.objects.filter(report=report)}
    assert values["1.1"] == ("7", Value.Source.TYPED)  # what was typed is never overwritten
    assert values["1.2.1"] == ("33", Value.Source.COPIED)
    event = AuditEvent.objects.get(report=report, action=AuditEvent.Action.COPY)
    assert event.target == "quý IV năm 2023" and "1.2.1: 33" in event.new
    with pytest.raises(services.WorkflowError, match="Không có ô trống nào"):
        carry.report_copy_previous(report=report, user=world.other_clerk)


def test_editing_or_retyping_a_copied_cell_confirms_it_and_the_rest_are_confirmed_at_once(
    world: World,
) -> None:
    older = quarter_round(year=2023, quarter=4, requested_by=world.district, respondents=[world.quan_ha.pk])
    bulk_accepted_reports(older, lambda unit: BEFORE, [world.quan_ha])
    report = fresh_report(world)
    carry.report_copy_previous(report=report, user=world.other_clerk)
    services.report_set_value(report=report, user=world.other_clerk, code="1.1", raw="3", previous="2")
    services.report_set_value(report=report, user=world.other_clerk, code="3.1.4", raw="11")
    sources = dict(Value.objects.filter(report=report).values_list("code", "source"))
    assert sources["1.1"] == sources["3.1.4"] == Value.Source.TYPED
    assert sources["1.2.1"] == Value.Source.COPIED
    assert carry.report_confirm_copied(report=report, user=world.other_clerk) == 3
    assert not Value.objects.filter(report=report, source=Value.Source.COPIED).exists()
    assert AuditEvent.objects.filter(report=report, action=AuditEvent.Action.CONFIRM).count() == 2
    with pytest.raises(services.WorkflowError, match="Không còn số liệu sao chép"):
        carry.report_confirm_copied(report=report, user=world.other_clerk)


def test_copy_without_a_previous_report_is_refused_and_writes_nothing(world: World) -> None:
    report = fresh_report(world)
    with pytest.raises(services.WorkflowError, match="Chưa có báo cáo kỳ trước"):
        carry.report_copy_previous(report=report, user=world.other_clerk)
    assert not Value.objects.filter(report=report).exists()
    assert not AuditEvent.objects.filter(report=report, action=AuditEvent.Action.COPY).exists()


def test_only_an_author_may_copy(world: World) -> None:
    previous_round(world)
    answer = world.client(world.district_reviewer).post(R + "copy-previous/")
    assert answer.status_code == 403
    assert not Value.objects.filter(report=world.report, source=Value.Source.COPIED).exists()


def test_entry_page_offers_the_copy_and_marks_copied_cells_until_confirmed(world: World) -> None:
    older = quarter_round(year=2023, quarter=4, requested_by=world.district, respondents=[world.quan_ha.pk])
    bulk_accepted_reports(older, lambda unit: BEFORE, [world.quan_ha])
    fresh_report(world)
    client = world.client(world.other_clerk)
    url = "/reports/cchc-2024-q1/02005/"
    page = client.get(url).content.decode()
    assert "Lấy số liệu quý IV năm 2023 làm điểm xuất phát" in page
    answer = client.post(url + "copy-previous/", follow=True)
    html = answer.content.decode()
    assert "Đã lấy 5 số liệu của kỳ trước" in html
    assert html.count('<td class="value copied">') == 5
    assert '<strong id="copied-count">5</strong>' in html
    html = client.post(url + "confirm-copied/", follow=True).content.decode()
    assert "Đã xác nhận 5 số liệu" in html and '<td class="value copied">' not in html


def test_a_figure_far_from_the_previous_period_is_a_warning_to_explain(world: World) -> None:
    previous_round(world)
    services.report_set_value(report=world.report, user=world.clerk, code="3.1.4", raw="114", previous="114")
    unexplained = services.sending_blockers(world.report).unexplained
    far = [f for f in unexplained if f.rule == "change:3.1.4"]
    assert [f.message for f in far] == [
        "3.1.4. Tổng số TTHC thuộc thẩm quyền giải quyết tại cơ quan, đơn vị: 114 thủ tục, kỳ trước 11 thủ "
        "tục (tăng gấp 10,4 lần); kiểm tra lại, nếu đúng thì giải trình"
    ]
    services.report_explain(
        report=world.report, user=world.clerk, rule="change:3.1.4", text="Nhận thêm TTHC."
    )
    assert "change:3.1.4" not in {f.rule for f in services.sending_blockers(world.report).unexplained}


def test_an_implausible_figure_is_accepted_as_typed_but_warned_about_beside_its_row(world: World) -> None:
    answer = world.client(world.clerk).post(
        R + "value/", {"code": "3.1.4", "raw": "99.999.999.999", "previous": "114"}
    )
    body = answer.json()
    assert answer.status_code == 200 and body["value"]["raw"] == "99.999.999.999"
    messages = [f["message"] for f in body["row_findings"]["3.1.4"]]
    assert any("lớn bất thường (thường không quá 1.000)" in m for m in messages)


def test_a_compiled_report_of_the_district_is_not_held_to_a_communes_bounds(world: World) -> None:
    evaluation = services.report_evaluation(world.report, {"3.1.4": "5000"})
    assert "plausible:3.1.4" in {f.rule for f in evaluation.warnings}
    world.report.unit = world.district
    evaluation = services.report_evaluation(world.report, {"3.1.4": "5000"})
    assert "plausible:3.1.4" not in {f.rule for f in evaluation.warnings}


def test_copied_figures_block_signing_and_sending_until_the_clerk_confirms_them(world: World) -> None:
    """Last quarter's numbers never leave as this quarter's: unconfirmed copies stop Trình ký and Gửi."""
    make_sendable(world)
    typed = world.report.raw_values()
    previous_round(world, {code: typed[code] for code in ("1.2.1", "3.1.4")})  # the same figures as now
    Value.objects.filter(report=world.report, code__in=["1.2.1", "3.1.4"]).delete()
    assert sorted(carry.report_copy_previous(report=world.report, user=world.clerk)) == ["1.2.1", "3.1.4"]
    blockers = services.sending_blockers(world.report)
    assert blockers.unconfirmed == ["1.2.1", "3.1.4"]
    expected = "2 số liệu sao chép từ kỳ trước chưa được xác nhận (1.2.1, 3.1.4)"
    with pytest.raises(services.WorkflowError, match=rf"^Chưa trình ký được: {re.escape(expected)}\.$"):
        services.report_mark_ready(report=world.report, user=world.clerk)
    with pytest.raises(services.WorkflowError, match=rf"^Chưa gửi được: {re.escape(expected)}\.$"):
        services.report_send(report=world.report, user=world.leader)
    assert Report.objects.get(pk=world.report.pk).status == Status.DRAFT

    carry.report_confirm_copied(report=world.report, user=world.clerk)
    assert not services.sending_blockers(world.report)
    services.report_mark_ready(report=world.report, user=world.clerk)
    services.report_send(report=world.report, user=world.leader)
    assert Report.objects.get(pk=world.report.pk).status == Status.SENT
