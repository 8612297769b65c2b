"""The lock date: past it only a reviewer reopens a draft, and a report returned past it becomes editable
again. Each test makes its own world on 27/02/2024 with a lock date of 15/03/2024 (test_workflow.py shares
one world made today)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from baocao.reports import services
from baocao.reports.models import Report
from tests.web.conftest import make_sendable, make_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_after_the_lock_date_only_a_reviewer_can_reopen(db: None) -> None:
    with time_machine.travel(datetime(2024, 2, 27, 9, 0, tzinfo=TZ), tick=False):
        world = make_world(lock_date=date(2024, 3, 15))
    # Today is past the lock date: the commune can no longer change its draft, nor send it.
    with pytest.raises(PermissionDenied):
        services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="5")
    with pytest.raises(PermissionDenied):
        services.report_reopen(report=world.report, user=world.leader, reason="Xin sửa")
    services.report_reopen(report=world.report, user=world.district_reviewer, reason="Cho sửa sau hạn khóa")
    services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="5")
    assert Report.objects.get(pk=world.report.pk).raw_values()["1.1"] == "5"


def test_returned_past_the_lock_date_becomes_editable(db: None) -> None:
    with time_machine.travel(datetime(2024, 2, 27, 9, 0, tzinfo=TZ), tick=False):
        world = make_world(lock_date=date(2024, 3, 15))
        make_sendable(world)
        services.report_send(report=world.report, user=world.leader)
    services.report_return(report=world.report, user=world.district_reviewer, reason="Sửa 7.2.4")
    services.report_set_value(report=world.report, user=world.clerk, code="1.1", raw="5")
