"""Reminders: from "Đơn vị cần nhắc" by a reviewer, and automatically before the deadline by `baocao remind`;
on the unit's inbox and by email; never twice a day for the same unit and round."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from baocao.analysis.reminders import remind_due, send_reminder
from baocao.reports import services
from baocao.rounds.models import Reminder
from tests.cli_runner import run
from tests.web.conftest import World, make_sendable

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REMIND_QUAN_HA = "/phan-tich/nhac/cchc-2024-q1/02005/"
BEFORE_DUE = datetime(2024, 2, 26, 9, 0, tzinfo=TZ)  # two days before 28/02/2024


@pytest.fixture
def emails(world: World) -> World:
    for user, address in ((world.other_clerk, "quanha@example.vn"), (world.clerk, "camgiang@example.vn")):
        user.email = address
        user.save()
    return world


def test_a_reviewer_reminds_a_unit_on_its_inbox_and_by_email(emails: World) -> None:
    world = emails
    with time_machine.travel(BEFORE_DUE, tick=False):
        response = world.client(world.district_reviewer).post(REMIND_QUAN_HA)
        assert response.status_code == 302
        assert response["Location"] == "/phan-tich/tien-do/cchc-2024-q1/"
        inbox = world.client(world.other_clerk).get("/").content.decode()
    reminder = Reminder.objects.get()
    assert (reminder.unit, reminder.sent_by, reminder.day) == (
        world.quan_ha,
        world.district_reviewer,
        date(2024, 2, 26),
    )
    assert "Cấp trên nhắc gửi báo cáo lúc 09:00 26/02/2024 (huyen.bachthong)" in inbox
    assert [m.to for m in mail.outbox] == [["quanha@example.vn"]]
    message = mail.outbox[0]
    assert message.subject == "Nhắc gửi báo cáo: Báo cáo kết quả thực hiện công tác CCHC quý I năm 2024"
    assert "Hạn gửi: 28/02/2024 (còn 2 ngày)" in message.body
    assert "/reports/cchc-2024-q1/02005/" in message.body
    assert reminder.emailed_to == "quanha@example.vn"
    # Cẩm Giàng's clerk sees nothing of it.
    assert "nhắc gửi" not in world.client(world.clerk).get("/").content.decode()


def test_a_second_reminder_the_same_day_is_refused(emails: World) -> None:
    world = emails
    client = world.client(world.district_reviewer)
    client.post(REMIND_QUAN_HA)
    page = client.get(client.post(REMIND_QUAN_HA)["Location"]).content.decode()
    assert "đã được nhắc hôm nay" in page
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1


def test_a_unit_that_has_sent_is_not_reminded(world: World) -> None:
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)
    with pytest.raises(services.WorkflowError, match="đã gửi báo cáo"):
        send_reminder(round_=world.round, unit=world.cam_giang, user=world.district_reviewer)
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("clerk", 404), ("leader", 404), ("stranger_reviewer", 404), ("other_clerk", 404)]
)
def test_only_reviewers_over_the_unit_remind(world: World, who: str, status: int) -> None:
    assert world.client(getattr(world, who)).post(REMIND_QUAN_HA).status_code == status
    assert not Reminder.objects.exists()


def test_the_province_reviewer_may_remind_too(world: World) -> None:
    assert world.client(world.province_reviewer).post(REMIND_QUAN_HA).status_code == 302
    assert Reminder.objects.get().sent_by == world.province_reviewer


def test_automatic_reminders_before_the_deadline_once_a_day(emails: World) -> None:
    run_ = remind_due(days=3, today=date(2024, 2, 26))
    assert (run_.rounds, run_.reminded, run_.skipped) == (1, 2, 0)
    assert set(Reminder.objects.values_list("unit__code", "sent_by")) == {("02008", None), ("02005", None)}
    again = remind_due(days=3, today=date(2024, 2, 26))
    assert (again.reminded, again.skipped) == (0, 2)
    assert Reminder.objects.count() == 2 and len(mail.outbox) == 2
    too_early = remind_due(days=3, today=date(2024, 2, 20))
    assert (too_early.rounds, too_early.reminded) == (0, 0)


def test_remind_command(monkeypatch, capsys, emails: World) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(monkeypatch, capsys, "remind", "--days", "3", "--today", "2024-02-27")
    assert code == 0
    assert out.strip() == "1 kỳ sắp đến hạn: đã nhắc 2 đơn vị; 0 đơn vị đã được nhắc hôm nay."
    code, out, _ = run(monkeypatch, capsys, "remind", "--days", "3", "--today", "2024-02-27")
    assert out.strip() == "1 kỳ sắp đến hạn: đã nhắc 0 đơn vị; 2 đơn vị đã được nhắc hôm nay."
    code, _, err = run(monkeypatch, capsys, "remind", "--today", "27/02/2024")
    assert code == 2 and "không đúng dạng YYYY-MM-DD" in err
    assert Reminder.objects.count() == 2
