"""Every workflow transition, and every forbidden one; conflicts; bad input; the lock date (with
test_workflow_lock_date.py, whose tests make their own worlds on another day)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from baocao.reports import services
from baocao.reports.models import AuditEvent, Report, Status
from tests.web.conftest import World, make_sendable

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(module_world: World, db: None) -> World:
    """The module's one world (tests/web/conftest.py, module_world), a fresh copy of its objects per test; the
    lock date's own worlds, made on another day, are in test_workflow_lock_date.py."""
    return copy.deepcopy(module_world)


def status_of(world: World) -> str:
    return Report.objects.get(pk=world.report.pk).status


def test_errors_block_sending_and_warnings_need_an_explanation(world: World) -> None:
    with pytest.raises(services.WorkflowError, match="lỗi cần sửa"):
        services.report_send(report=world.report, user=world.leader)
    # Fix the two impossible figures; make 2.2.1.a exceed 2.2, which may happen (a warning).
    for code, raw in (("7.2.1.c", "2"), ("N.received_in_person", "22"), ("2.2.1.a", "3")):
        services.report_set_value(report=world.report, user=world.clerk, code=code, raw=raw)
    blockers = services.sending_blockers(world.report)
    assert not blockers.errors
    assert [f.rule for f in blockers.unexplained] == ["R-2.2.1-kiem-tra"]
    with pytest.raises(services.WorkflowError, match="cảnh báo chưa giải trình"):
        services.report_send(report=world.report, user=world.leader)
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)
    assert status_of(world) == Status.SENT


def test_full_cycle_ready_send_return_resend_accept(world: World) -> None:
    make_sendable(world)
    services.report_mark_ready(report=world.report, user=world.clerk)
    assert status_of(world) == Status.READY
    with pytest.raises(PermissionDenied):
        services.report_send(report=world.report, user=world.clerk)
    services.report_send(report=world.report, user=world.leader)
    with pytest.raises(PermissionDenied):  # a sent report's values are locked
        services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="3")
    with pytest.raises(services.WorkflowError, match="lý do"):
        services.report_return(report=world.report, user=world.district_reviewer, reason="  ")
    services.report_return(report=world.report, user=world.district_reviewer, reason="Kiểm tra lại 7.2.4")
    report = Report.objects.get(pk=world.report.pk)
    assert (report.status, report.return_reason) == (Status.RETURNED, "Kiểm tra lại 7.2.4")
    services.report_set_value(report=report, user=world.clerk, code="1.1", raw="3")  # editable again
    services.report_send(report=report, user=world.leader)
    services.report_accept(report=report, user=world.district_reviewer)
    assert status_of(world) == Status.ACCEPTED
    actions = list(AuditEvent.objects.filter(report=report, target="status").values_list("action", flat=True))
    assert actions == ["ready", "send", "return", "send", "accept"]


@pytest.mark.parametrize(
    ("who", "action", "refusal"),
    [
        ("clerk", "accept", PermissionDenied),
        ("leader", "accept", PermissionDenied),
        ("district_reviewer", "send", PermissionDenied),
        ("province_reviewer", "accept", PermissionDenied),
        ("other_clerk", "mark_ready", Http404),  # may not even know the report exists
    ],
)
def test_forbidden_transitions(world: World, who: str, action: str, refusal: type[Exception]) -> None:
    make_sendable(world)
    if action == "accept":
        services.report_send(report=world.report, user=world.leader)
    before = status_of(world)
    with pytest.raises(refusal):
        getattr(services, f"report_{action}")(report=world.report, user=getattr(world, who))
    assert status_of(world) == before


def test_accept_or_return_needs_a_sent_report(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.report_accept(report=world.report, user=world.district_reviewer)
    with pytest.raises(PermissionDenied):
        services.report_return(report=world.report, user=world.district_reviewer, reason="x")


def test_sent_after_the_due_date_is_late(world: World) -> None:
    make_sendable(world)
    with time_machine.travel(datetime(2024, 2, 28, 23, 0, tzinfo=TZ), tick=False):
        services.report_send(report=world.report, user=world.leader)
    assert not Report.objects.get(pk=world.report.pk).is_late
    services.report_return(report=world.report, user=world.district_reviewer, reason="Bổ sung")
    with time_machine.travel(datetime(2024, 2, 29, 0, 30, tzinfo=TZ), tick=False):
        services.report_send(report=world.report, user=world.leader)
    assert Report.objects.get(pk=world.report.pk).is_late


def test_two_people_saving_the_same_cell_the_later_is_told(world: World) -> None:
    services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="4", previous="0")
    with pytest.raises(services.ConflictError) as conflict:
        services.report_set_value(report=world.report, user=world.leader, code="1.1", raw="7", previous="0")
    assert (conflict.value.theirs, conflict.value.yours) == ("4", "7")
    assert world.report.raw_values()["1.1"] == "4"  # nothing lost silently


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("1.1", "mười", "không phải là số"),
        ("1.1", "-3", "không được là số âm"),
        ("1.1", "2000000000000", "quá lớn"),
        ("1.2", "6,06", "được tính tự động"),
        ("9.9", "1", "Không có chỉ tiêu"),
        ("1.1", "1.5", "dấu chấm chỉ dùng để tách hàng nghìn"),
        ("1.1", "17 (50%)", "tỷ lệ phần trăm do hệ thống tự tính"),
        ("1.1", "１７", "hãy gõ chữ số thường 0–9"),
    ],
)
def test_bad_values_are_refused_and_nothing_saved(world: World, code: str, raw: str, message: str) -> None:
    before = world.report.raw_values()
    with pytest.raises(services.WorkflowError, match=message):
        services.report_set_value(report=world.report, user=world.clerk, code=code, raw=raw)
    assert world.report.raw_values() == before


def test_value_endpoint_answers_with_every_display_and_the_findings(world: World) -> None:
    client = world.client(world.clerk)
    response = client.post(
        "/reports/cchc-2024-q1/02008/value/", {"code": "7.2.4.b", "raw": "29", "previous": "07"}
    )
    data = response.json()
    assert data["ok"] and data["displays"]["plain"]["7.2.4"] == "100"
    assert data["displays"]["padded"]["7.2.4.b"] == "29"
    assert "Có 8 TTHC" not in data["findings_html"]
    bad = client.post(
        "/reports/cchc-2024-q1/02008/value/", {"code": "7.2.4.b", "raw": "abc", "previous": "29"}
    )
    assert bad.status_code == 422
    assert bad.json() == {"ok": False, "error": bad.json()["error"], "code": "invalid"}
    assert "không phải là số" in bad.json()["error"]
    stale = client.post(
        "/reports/cchc-2024-q1/02008/value/", {"code": "7.2.4.b", "raw": "5", "previous": "07"}
    )
    assert stale.status_code == 409 and stale.json()["conflict"] == {"theirs": "29", "yours": "5"}


def test_narrative_is_stored_as_text_and_shown_escaped(world: World) -> None:
    client = world.client(world.clerk)
    text = "Tiếp nhận {7.2.4.a} hồ sơ <script>alert(1)</script>"
    assert client.post("/reports/cchc-2024-q1/02008/narrative/", {"section": "I.2", "text": text}).json()[
        "ok"
    ]
    html = client.get("/reports/cchc-2024-q1/02008/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert (
        'data-code="7.2.4.a" data-pad="0" data-display="7.2.4.a" title="Số liệu từ bảng: 7.2.4 › Tổng số '
        'hồ sơ TTHC đã tiếp nhận (cả trực tiếp, bưu chính công ích và trực tuyến)">29</span>' in html
    )


def test_posting_twice_does_no_harm(world: World) -> None:
    make_sendable(world)
    client = world.client(world.leader)
    client.post("/reports/cchc-2024-q1/02008/action/send/", {"confirm": "1"})
    second = client.post("/reports/cchc-2024-q1/02008/action/send/", {"confirm": "1"})
    assert second.status_code == 403
    assert AuditEvent.objects.filter(report=world.report, action="send").count() == 1


def test_audit_trail_is_append_only(world: World) -> None:
    event = AuditEvent.objects.filter(report=world.report).first()
    assert event is not None
    event.new = "sửa lén"
    with pytest.raises(ValueError, match="chỉ được ghi thêm"):
        event.save()
    with pytest.raises(ValueError, match="không được xóa"):
        event.delete()


def test_header_field_saved_by_someone_else_is_not_overwritten(world: World) -> None:
    services.report_set_header(
        report=world.report, user=world.clerk, fields={"number": "15"}, originals={"number": ""}
    )
    with pytest.raises(services.ConflictError) as conflict:
        services.report_set_header(
            report=world.report, user=world.leader, fields={"number": "16"}, originals={"number": ""}
        )
    assert (conflict.value.theirs, conflict.value.yours) == ("15", "16")
    # Another field of the same form saves, and the number typed by the clerk stays.
    services.report_set_header(
        report=world.report,
        user=world.leader,
        fields={"number": "15", "signer_name": "Vũ Văn Thành"},
        originals={"number": "", "signer_name": ""},
    )
    report = Report.objects.get(pk=world.report.pk)
    assert (report.document_number, report.signer_name) == ("15/BC-UBND", "Vũ Văn Thành")


def test_values_saved_meanwhile_do_not_block_the_header(world: World) -> None:
    client = world.client(world.clerk)
    page = client.get("/reports/cchc-2024-q1/02008/").content.decode()
    assert 'name="orig_number" value=""' in page
    services.report_set_value(report=world.report, user=world.leader, code="1.1", raw="5")
    response = client.post(
        "/reports/cchc-2024-q1/02008/header/",
        {"number": "7", "orig_number": "", "document_date": "28/02/2024"},
    )
    assert response.status_code == 302
    report = Report.objects.get(pk=world.report.pk)
    assert report.document_number == "07/BC-UBND" and report.document_date == date(2024, 2, 28)


def test_import_is_one_audited_change_and_refused_whole_on_a_bad_cell(world: World) -> None:
    preview = services.import_preview(world.report, {"7.2.4.b": "09", "1.1": "0"})
    assert [(c.code, c.old, c.new) for c in preview.changes] == [("7.2.4.b", "07", "09")]
    with pytest.raises(services.WorkflowError, match=r"1\.2\.1"):
        services.report_import(
            report=world.report,
            user=world.clerk,
            values={"7.2.4.b": "09", "1.2.1": "ba"},
            origin="so-lieu.xlsx",
        )
    assert world.report.raw_values()["7.2.4.b"] == "07"
    before = AuditEvent.objects.filter(report=world.report).count()
    services.report_import(
        report=world.report, user=world.clerk, values={"7.2.4.b": "09"}, origin="so-lieu.xlsx"
    )
    assert world.report.values.get(code="7.2.4.b").source == "imported"
    assert AuditEvent.objects.filter(report=world.report).count() == before + 1
