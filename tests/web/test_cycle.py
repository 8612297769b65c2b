"""The commune's cycle finished: document details saved from a form, what sending needs, the leader's review,
the clerk locked out after "Trình ký", row remarks with a return, and only the addressed level deciding."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from baocao.access import Action, Target, can, receiving_unit
from baocao.reports import services
from baocao.reports.models import AuditEvent, Report, RowComment, Status
from baocao.reports.workflow import REQUIRED_HEADER
from tests.web.conftest import World, make_sendable

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(module_world: World, db: None) -> World:
    """The module's one world (tests/web/conftest.py, module_world), a fresh copy of its objects per test."""
    return copy.deepcopy(module_world)


R = "/reports/cchc-2024-q1/02008/"
REVIEW = R + "xem-xet/"
RECIPIENTS = "- Phòng Nội vụ huyện;\n- TT Đảng ủy, HĐND xã;\n- Lưu: VT."


def fresh(world: World) -> Report:
    return Report.objects.get(pk=world.report.pk)


def header_form(world: World, **typed: str) -> dict[str, str]:
    """The header form as a browser submits it: every field, the originals it showed, newlines as CRLF."""
    report = fresh(world)
    data = {name: services.header_text(report, name) for name in services.HEADER_FIELDS}
    data |= typed
    data |= {f"orig_{name}": services.header_text(report, name) for name in services.HEADER_FIELDS}
    return {name: value.replace("\n", "\r\n") for name, value in data.items()}


def send_ready(world: World) -> None:
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)


# ------------------------------------------------------------------------------------ document details


def test_header_with_crlf_newlines_saves_and_saves_again(world: World) -> None:
    client = world.client(world.clerk)
    first = client.post(R + "header/", header_form(world, number="15", recipients=RECIPIENTS))
    assert first.status_code == 302
    assert fresh(world).recipients == RECIPIENTS  # stored with LF only
    second = client.post(R + "header/", header_form(world, signer_name="Vũ Văn Thành"))
    assert second.status_code == 302
    report = fresh(world)
    assert (report.number, report.signer_name, report.recipients) == ("15", "Vũ Văn Thành", RECIPIENTS)
    assert not AuditEvent.objects.filter(report=report, target="recipients", new__contains="\r").exists()


def test_a_refused_header_save_keeps_what_was_typed(world: World) -> None:
    client = world.client(world.clerk)
    form = header_form(world, number="16", recipients="- Sở Nội vụ;\n- Lưu: VT.")
    services.report_set_header(report=world.report, user=world.leader, fields={"number": "15"})
    response = client.post(R + "header/", form)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="header-number" name="number" value="16"' in html
    assert "- Sở Nội vụ;\n- Lưu: VT.</textarea>" in html
    assert "vừa được người khác sửa" in html
    assert fresh(world).number == "15"  # nothing overwritten
    # The form now holds the stored values as its originals: saving again is a deliberate overwrite.
    assert 'name="orig_number" value="15"' in html


def test_a_bad_date_keeps_the_other_typed_fields(world: World) -> None:
    response = world.client(world.clerk).post(
        R + "header/", header_form(world, number="17", document_date="31/02/2024")
    )
    assert response.status_code == 422
    assert 'name="number" value="17"' in response.content.decode()
    assert fresh(world).number == ""


def test_sending_needs_every_field_of_the_document(world: World) -> None:
    make_sendable(world)
    services.report_set_header(
        report=world.report, user=world.clerk, fields={"number": "", "signer_name": "", "recipients": ""}
    )
    blockers = services.sending_blockers(fresh(world))
    assert [(m.label, m.anchor) for m in blockers.missing] == [
        ("số văn bản", "header-number"),
        ("họ và tên người ký", "header-signer_name"),
        ("nơi nhận", "header-recipients"),
    ]
    with pytest.raises(services.WorkflowError) as refused:
        services.report_send(report=world.report, user=world.leader)
    assert str(refused.value) == (
        "Chưa gửi được: thiếu số văn bản, họ và tên người ký, nơi nhận trong Thông tin văn bản."
    )
    assert fresh(world).status == Status.DRAFT
    page = world.client(world.leader).get(REVIEW).content.decode()
    assert f'href="{R}#header-signer_name">Chưa có họ và tên người ký.</a>' in page
    assert 'id="header-signer_name"' in world.client(world.leader).get(R).content.decode()


# ------------------------------------------------------------------------------------ the leader's review


def test_review_page_shows_figures_findings_document_and_asks_to_confirm(world: World) -> None:
    services.report_set_value(report=world.report, user=world.clerk, code="2.2.1.a", raw="3")  # a warning
    make_sendable(world)
    page = world.client(world.leader).get(REVIEW).content.decode()
    assert "Văn bản sẽ gửi (xem trước)" in page
    assert "Số: 15/BC-UBND" in page and "Vũ Văn Thành" in page and "Nơi nhận:" in page
    assert '<output data-cell="7.2.4">24,14</output>' in page
    assert "Giải trình: Đã kiểm tra, số đúng." in page
    assert 'name="confirm" value="1" required' in page
    assert "Gửi</button>" in page and "Tiếp nhận</button>" not in page


def test_sending_without_the_confirmation_is_refused(world: World) -> None:
    make_sendable(world)
    client = world.client(world.leader)
    refused = client.post(R + "action/send/")
    assert refused.status_code == 302 and refused["Location"] == REVIEW
    assert fresh(world).status == Status.DRAFT
    client.post(R + "action/send/", {"confirm": "1"})
    assert fresh(world).status == Status.SENT


def test_after_trinh_ky_the_clerk_cannot_edit_until_the_leader_gives_it_back(world: World) -> None:
    make_sendable(world)
    services.report_mark_ready(report=world.report, user=world.clerk)
    with pytest.raises(PermissionDenied):
        services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="4")
    clerk = world.client(world.clerk)
    assert clerk.post(R + "value/", {"code": "1.1", "raw": "4"}).status_code == 403
    assert clerk.post(R + "header/", {"number": "99"}).status_code == 403
    assert 'class="cell' not in clerk.get(R).content.decode()
    assert fresh(world).raw_values()["1.1"] == "0"
    # The leader may still correct it, and hands it back with a reason.
    services.report_set_value(report=world.report, user=world.leader, code="1.1", raw="2")
    with pytest.raises(PermissionDenied):
        services.report_give_back(report=world.report, user=world.clerk)
    services.report_give_back(report=world.report, user=world.leader, reason="Bổ sung mục II.4")
    assert fresh(world).status == Status.DRAFT
    event = AuditEvent.objects.filter(report=world.report, action="give_back").get()
    assert (event.user, event.old, event.new) == (world.leader, "ready", "draft: Bổ sung mục II.4")
    services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="4")
    page = world.client(world.clerk).get(R).content.decode()
    assert "đã trả lại để sửa lúc" in page and ": Bổ sung mục II.4. Sửa xong thì trình ký lại." in page


# ------------------------------------------------------------------------------------ returns with remarks


def test_return_with_row_remarks_shown_to_the_clerk_beside_their_rows(world: World) -> None:
    send_ready(world)
    client = world.client(world.district_reviewer)
    client.post(
        R + "action/return/",
        {
            "reason": "Kiểm tra mục 7.2",
            "comment:7.2.4.b": "Số hồ sơ trực tuyến chưa khớp sổ.",
            "comment:1.1": "",
        },
    )
    report = fresh(world)
    assert report.status == Status.RETURNED
    comment = RowComment.objects.get(report=report)
    assert (comment.code, comment.text, comment.author) == (
        "7.2.4.b",
        "Số hồ sơ trực tuyến chưa khớp sổ.",
        world.district_reviewer,
    )
    assert AuditEvent.objects.filter(report=report, action="comment", target="7.2.4.b").exists()
    page = world.client(world.clerk).get(R).content.decode()
    row = re.search(r'<tr [^>]*data-row="7.2.4.b">.*?</tr>', page, re.S)
    assert row is not None and "Số hồ sơ trực tuyến chưa khớp sổ." in row.group(0)
    assert page.count("Nhận xét của cấp trên") == 1


def test_a_remark_on_an_unknown_row_refuses_the_whole_return(world: World) -> None:
    send_ready(world)
    with pytest.raises(services.WorkflowError, match=r"9\.9\.9"):
        services.report_return(
            report=world.report, user=world.district_reviewer, reason="Sai", comments={"9.9.9": "?"}
        )
    assert fresh(world).status == Status.SENT
    assert not RowComment.objects.exists()


def test_review_shows_what_changed_since_the_return_and_the_reason_until_accepted(world: World) -> None:
    def at(day: int, hour: int, minute: int) -> time_machine.travel:
        return time_machine.travel(datetime(2024, 3, day, hour, minute, tzinfo=VN), tick=False)

    with at(1, 8, 0):
        send_ready(world)
    with at(2, 9, 30):
        services.report_return(report=world.report, user=world.district_reviewer, reason="Sửa 7.2.4.b")
    with at(4, 10, 15):
        services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="3")
    page = world.client(world.leader).get(REVIEW).content.decode()
    changes = page[page.index('id="thay-doi"') :]
    changes = changes[: changes.index("</section>")]
    # Only what changed since the return, cell by cell, with who and when: not the figures typed before.
    assert changes.count("<tr><td>") == 1
    assert "Những gì đã sửa từ lần trả lại ngày 02/03/2024 09:30" in changes
    assert "<tr><td>04/03/2024 10:15</td>" in changes
    assert "xa.camgiang" in changes and "Sửa số liệu" in changes
    assert '<td class="old">0</td><td class="new">3</td>' in changes
    assert "<td>1.1 " in changes  # the row by its STT and label
    services.report_send(report=world.report, user=world.leader)
    assert "Lý do cấp trên trả lại lần trước" in world.client(world.clerk).get(R).content.decode()
    assert "Sửa 7.2.4.b" in world.client(world.district_reviewer).get(REVIEW).content.decode()
    services.report_accept(report=world.report, user=world.district_reviewer)
    assert "Sửa 7.2.4.b" not in world.client(world.clerk).get(R).content.decode()


# ------------------------------------------------------------------------------------ who decides


def test_only_the_addressed_level_accepts_or_returns(world: World) -> None:
    send_ready(world)
    assert receiving_unit(world.round, world.cam_giang) == world.district
    with pytest.raises(PermissionDenied):
        services.report_accept(report=world.report, user=world.province_reviewer)
    with pytest.raises(PermissionDenied):
        services.report_return(report=world.report, user=world.province_reviewer, reason="Sai")
    province = world.client(world.province_reviewer)
    assert province.post(R + "action/accept/").status_code == 403
    assert province.post(R + "action/return/", {"reason": "Sai"}).status_code == 403
    page = province.get(REVIEW).content.decode()
    assert "Tiếp nhận</button>" not in page and "Trả lại</button>" not in page
    assert "Huyện Bạch Thông tiếp nhận hoặc trả lại" in page
    assert fresh(world).status == Status.SENT
    for name in ("clerk", "leader"):
        assert not can(getattr(world, name), Action.ACCEPT, Target.of(fresh(world)))
    services.report_accept(report=world.report, user=world.district_reviewer)
    assert fresh(world).status == Status.ACCEPTED


def test_return_and_reopen_are_never_offered_together(world: World) -> None:
    send_ready(world)
    reviewer = world.district_reviewer
    sent = Target.of(fresh(world))
    assert can(reviewer, Action.RETURN, sent) and not can(reviewer, Action.REOPEN, sent)
    page = world.client(reviewer).get(REVIEW).content.decode()
    assert "Trả lại</button>" in page and "Mở lại để sửa</button>" not in page
    services.report_accept(report=world.report, user=reviewer)
    accepted = Target.of(fresh(world))
    assert can(reviewer, Action.REOPEN, accepted) and not can(reviewer, Action.RETURN, accepted)
    page = world.client(reviewer).get(REVIEW).content.decode()
    assert "Mở lại để sửa</button>" in page and "Trả lại</button>" not in page
    assert not can(world.province_reviewer, Action.REOPEN, accepted)


def test_a_user_of_another_commune_sees_no_review_page(world: World) -> None:
    send_ready(world)
    for user in (world.other_clerk, world.stranger_reviewer):
        assert world.client(user).get(REVIEW).status_code == 404
        with pytest.raises(Http404):
            services.report_return(report=world.report, user=user, reason="x")


# ------------------------------------------------------------------------------------ plain Vietnamese


def test_history_speaks_vietnamese_and_shows_figures(world: World) -> None:
    services.report_set_narrative(
        report=world.report, user=world.clerk, section="I.2", text="Tiếp nhận {7.2.4.a:02} hồ sơ."
    )
    send_ready(world)
    services.report_accept(report=world.report, user=world.district_reviewer)
    page = world.client(world.clerk).get(R + "history/").content.decode()
    for internal in (">status<", "sent → accepted", ">recipients<", "{7.2.4.a:02}", ">accepted<", ">draft<"):
        assert internal not in page, internal
    assert "Tiếp nhận 29 hồ sơ." in page
    assert ">Trạng thái<" in page and ">Đã gửi<" in page and ">Đã tiếp nhận<" in page
    assert ">Số<" in page and ">Người ký<" in page


def test_findings_name_rows_by_stt_and_label(world: World) -> None:
    page = world.client(world.clerk).get(R).content.decode()
    findings = page[page.index('id="findings"') :]
    codes = re.findall(r'<span class="codes">(.*?)</span>', findings)
    assert len(codes) == 2
    assert not any(re.search(r"\b\d+(\.\d+)+\.[a-z]\b|N\.", text) for text in codes)
    assert "Số hồ sơ TTHC đã tiếp nhận trực tuyến (dòng 7.2.4)" in codes[0]


def test_explaining_a_rule_the_definition_lacks_is_refused(world: World) -> None:
    with pytest.raises(services.WorkflowError, match="Không có quy tắc kiểm tra"):
        services.report_explain(report=world.report, user=world.clerk, rule="khong-co", text="Giải trình")
    assert not world.report.explanations.exists()
    assert not AuditEvent.objects.filter(report=world.report, action="explain").exists()


def test_header_document_date_is_required_to_send(world: World) -> None:
    make_sendable(world)
    services.report_set_header(report=world.report, user=world.clerk, fields={"document_date": None})
    assert [m.name for m in services.sending_blockers(fresh(world)).missing] == ["document_date"]
    services.report_set_header(
        report=world.report, user=world.clerk, fields={"document_date": date(2024, 2, 28)}
    )
    assert not services.sending_blockers(fresh(world))


def test_a_section_with_default_text_saves_the_first_time(world: World) -> None:
    definition = services.definition_of(world.round)
    default = definition.narrative_default("closing")
    assert default  # the definition gives the closing paragraph a default
    services.report_set_narrative(
        report=world.report, user=world.clerk, section="closing", text=default + " Thêm.", previous=default
    )
    assert world.report.narrative.get(section="closing").text == default + " Thêm."
    event = AuditEvent.objects.get(report=world.report, action="narrative")
    assert (event.old, event.new) == (default, default + " Thêm.")
    with pytest.raises(services.ConflictError):
        services.report_set_narrative(
            report=world.report, user=world.leader, section="closing", text="Khác", previous=default
        )


SENT_DECISIONS = {
    # persona: (accept, return, reopen) on Cẩm Giàng's sent report, over the web
    "clerk": (403, 403, 403),
    "leader": (403, 403, 403),
    "district_reviewer": (302, 302, 403),
    "province_reviewer": (403, 403, 403),
    "other_clerk": (404, 404, 404),
    "stranger_reviewer": (404, 404, 404),
}


@pytest.mark.parametrize("who", list(SENT_DECISIONS))
def test_who_decides_on_a_sent_report(world: World, who: str) -> None:
    send_ready(world)
    client = world.client(getattr(world, who))
    accept, return_, reopen = SENT_DECISIONS[who]
    assert client.post(R + "action/reopen/", {"reason": "Sửa"}).status_code == reopen
    assert client.post(R + "action/return/", {"reason": "Sửa"}).status_code == return_
    expected = Status.RETURNED if return_ == 302 else Status.SENT
    assert fresh(world).status == expected
    if expected == Status.SENT:
        assert client.post(R + "action/accept/").status_code == accept
        assert fresh(world).status == Status.SENT


def test_a_districts_own_report_is_decided_by_the_province(world: World) -> None:
    from tests.web.conftest import make_round

    provincial = make_round("tinh-2024-q1", "Báo cáo CCHC quý I năm 2024 của cấp huyện", world.province)
    provincial.respondents.add(world.district)
    assert receiving_unit(provincial, world.district) == world.province
    target = Target(provincial, world.district)
    assert can(world.province_reviewer, Action.VIEW, target)
    report = Report.objects.create(round=provincial, unit=world.district, status=Status.SENT)
    sent = Target.of(report)
    assert can(world.province_reviewer, Action.ACCEPT, sent)
    assert not can(world.district_reviewer, Action.ACCEPT, sent)  # not its own report's judge


@pytest.mark.parametrize(("name", "label"), REQUIRED_HEADER)
def test_each_field_of_the_official_document_alone_blocks_sending(
    world: World, name: str, label: str
) -> None:
    make_sendable(world)
    blank = None if name == "document_date" else ""
    services.report_set_header(report=world.report, user=world.clerk, fields={name: blank})
    missing = services.sending_blockers(fresh(world)).missing
    assert [(m.name, m.label, m.anchor) for m in missing] == [(name, label, f"header-{name}")]
    with pytest.raises(services.WorkflowError, match=f"thiếu {label} trong Thông tin văn bản"):
        services.report_send(report=world.report, user=world.leader)
    assert fresh(world).status == Status.DRAFT
    page = world.client(world.leader).get(R).content.decode()
    assert f'id="header-{name}"' in page  # the blockers' link lands on the field
