"""The demo's story moves with the day it is loaded: its current round reads as live, not years overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from baocao.accounts.models import User
from baocao.demo import load_demo
from baocao.demo.plan import demo_shift
from baocao.reports.models import AuditEvent, Report
from baocao.rounds.models import Round

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LATER = date(2026, 12, 3)


def test_the_shift_never_goes_backwards() -> None:
    assert demo_shift(date(2024, 3, 7)) == timedelta(0)
    assert demo_shift(date(2024, 1, 1)) == timedelta(0)
    assert demo_shift(date(2024, 3, 17)) == timedelta(days=10)


@pytest.mark.django_db
def test_loaded_later_the_round_is_a_week_past_its_deadline_and_the_story_keeps_its_order() -> None:
    with time_machine.travel(datetime(2026, 12, 3, 8, 0, tzinfo=TZ), tick=False):
        load_demo(today=LATER)
        current = Round.objects.get(code="cchc-2024-q1")
        assert current.days_left(LATER) == -8
        assert current.window_end - current.window_start == date(2024, 2, 24) - date(2023, 11, 25)
        assert current.period_label == "quý I năm 2024"
        assert current.lock_date == LATER + timedelta(days=365)
        previous = Round.objects.get(code="cchc-2023-q4")
        assert previous.window_end + timedelta(days=1) == current.window_start
        cam_giang = Report.objects.get(round=current, unit__code="02008")
        assert cam_giang.document_date == current.due_date  # the seed's report is dated on its deadline
        late = Report.objects.get(round=current, unit__name="Vũ Muộn")
        sent = Report.objects.filter(round=current, sent_at__isnull=False)
        assert late.is_late and any(not report.is_late for report in sent)
        assert not AuditEvent.objects.filter(at__gt=timezone.now()).exists()
        client = Client()
        client.force_login(User.objects.get(username="xa.camgiang"))
        inbox = client.get("/").content.decode()
        client.force_login(User.objects.get(username="xa.quanha"))
        reminded = client.get("/").content.decode()
    assert "Quá hạn 8 ngày" in inbox and "Cấp trên nhắc" not in inbox
    assert "Cấp trên nhắc gửi báo cáo lúc 08:00 " in reminded and "(Lưu Thị Hạnh)" in reminded
