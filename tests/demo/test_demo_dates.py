"""The demo's story moves with the day it is loaded: its current round reads as live, not years overdue.
Loaded here by the ``baocao demo`` command, as a user does (its output, then a second run adding nothing)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from baocao.accounts.models import Membership, User
from baocao.demo.plan import demo_rounds, demo_shift
from baocao.reports.models import AuditEvent, NarrativeText, Report, Value
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit
from tests.cli_runner import run

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LATER = date(2026, 12, 3)


def test_the_shift_never_goes_backwards() -> None:
    assert demo_shift(date(2024, 3, 7)) == timedelta(0)
    assert demo_shift(date(2024, 1, 1)) == timedelta(0)
    assert demo_shift(date(2024, 3, 17)) == timedelta(days=10)


@pytest.mark.parametrize(
    ("today", "current", "previous"),
    [
        (date(2024, 3, 7), "quý I năm 2024", "quý IV năm 2023"),  # the seed's own day: its own names
        (date(2026, 12, 3), "quý IV năm 2026", "quý III năm 2026"),
        (date(2027, 1, 5), "quý IV năm 2026", "quý III năm 2026"),  # due 28/12: the live round is still Q4
        (date(2027, 4, 20), "quý I năm 2027", "quý IV năm 2026"),
    ],
)
def test_the_rounds_are_named_after_the_quarters_their_moved_dates_fall_in(
    today: date, current: str, previous: str
) -> None:
    now, before = demo_rounds(today)
    assert (now.title, before.title) == (
        f"Báo cáo kết quả thực hiện công tác CCHC {current}",
        f"Báo cáo kết quả thực hiện công tác CCHC {previous}",
    )
    assert now.due_date == today - timedelta(days=8)
    assert now.window_start <= date(now.year, 3 * now.period_number - 1, 15) <= now.window_end
    assert before.window_end < now.window_start and (now.code, before.code) == (
        "cchc-2024-q1",
        "cchc-2023-q4",
    )


def _counts() -> tuple[int, ...]:
    models = (Report, Value, AuditEvent, User, OrgUnit, Membership, NarrativeText, Round)
    return tuple(model.objects.count() for model in models)


@pytest.mark.django_db
def test_baocao_demo_loaded_later_the_round_is_a_week_past_its_deadline_and_the_story_keeps_its_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(datetime(2026, 12, 3, 8, 0, tzinfo=TZ), tick=False):
        assert timezone.localdate() == LATER  # the day the command loads the demo on
        code, out, err = run(monkeypatch, capsys, "demo")
        assert code == 0, err
        current = Round.objects.get(code="cchc-2024-q1")
        # The command lists the accounts and names the current round's period and how many communes reported.
        assert "Tên đăng nhập" in out and "Vai trò" in out and "Đơn vị" in out
        assert "xa.camgiang" in out and "huyen.bachthong" in out and "Xã Cẩm Giàng" in out
        assert "http://127.0.0.1:8000" in out
        reported = Report.objects.filter(round=current).count()
        assert reported == 12
        assert f"Kỳ báo cáo quý IV năm 2026: {reported} trong 14 xã đã có báo cáo." in out
        assert current.days_left(LATER) == -8
        assert current.window_end - current.window_start == date(2024, 2, 24) - date(2023, 11, 25)
        assert current.period_label == "quý IV năm 2026" and current.short_label == "Quý IV/2026"
        assert current.title == "Báo cáo kết quả thực hiện công tác CCHC quý IV năm 2026"
        assert current.lock_date == LATER + timedelta(days=365)
        previous = Round.objects.get(code="cchc-2023-q4")
        assert previous.period_label == "quý III năm 2026"
        assert previous.window_end + timedelta(days=1) == current.window_start
        cam_giang = Report.objects.get(round=current, unit__code="02008")
        assert cam_giang.document_date == current.due_date  # the seed's report is dated on its deadline
        narrative = "\n".join(cam_giang.narrative.values_list("text", flat=True))
        assert "quý IV năm 2026" in narrative and "Quý IV năm 2026 xã Cẩm Giàng" in narrative
        assert "(Từ 22/08/2026 đến 21/11/2026)" in narrative and "ngày 05 tháng 11 năm 2026" in narrative
        # The commune's plans of the quarter and "this year" move with the round; decrees keep their dates.
        assert "Kế hoạch số 17/KH-UBND ngày 03/11/2026" in narrative and "Kế hoạch CCHC năm 2026" in narrative
        assert "công chức năm 2025: Hoàn thành" in narrative and "năm 2024" not in narrative
        assert "33/2023/NĐ-CP ngày 10/6/2023" in narrative and "283/2021/QĐ-UBND ngày 24/8/2023" in narrative
        assert "quý I năm 2024" not in narrative and "Trong quý I " not in narrative
        assert "Tiếp nhận {7.2.4.a} hồ sơ" in narrative  # the figures are still the table's
        late = Report.objects.get(round=current, unit__name="Vũ Muộn")
        sent = Report.objects.filter(round=current, sent_at__isnull=False)
        assert late.is_late and any(not report.is_late for report in sent)
        assert not AuditEvent.objects.filter(at__gt=timezone.now()).exists()
        client = Client()
        client.force_login(User.objects.get(username="xa.camgiang"))
        inbox = client.get("/").content.decode()
        client.force_login(User.objects.get(username="xa.quanha"))
        reminded = client.get("/").content.decode()
        client.force_login(User.objects.get(username="huyen.bachthong"))
        compared = client.get("/phan-tich/so-sanh/cchc-2024-q1/", {"unit": "063"}).content.decode()
        trend = client.get("/phan-tich/xu-huong/02008/").content.decode()
        # Run again, the command adds nothing.
        before = _counts()
        code, _, err = run(monkeypatch, capsys, "demo")
        assert code == 0, err
        assert _counts() == before
    # The district and its communes ceased on 01/07/2025; the rounds that asked them still show them.
    assert "Phủ Thông" in compared and "Cẩm Giàng" in compared
    assert "Quý III/2026" in trend and "Quý IV/2023" not in trend and "Quý I/2024" not in trend
    assert "Quá hạn 8 ngày" in inbox and "Cấp trên nhắc" not in inbox
    assert "Cấp trên nhắc gửi báo cáo lúc 08:00 " in reminded and "(Lưu Thị Hạnh)" in reminded
