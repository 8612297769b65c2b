"""The automatic reminders as a background job (`baocao remind --queue --user NAME`): queued, run by the real
worker with progress per unit, the outcome in Vietnamese on the job's page, seen by its owner alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from baocao.accounts.models import User
from baocao.analysis import reminders
from baocao.analysis.jobs import KIND_REMIND
from baocao.jobs.models import Job, JobStatus
from baocao.rounds.models import Reminder
from tests.cli_runner import run
from tests.jobs.conftest import work
from tests.web.conftest import World, make_world

OUTCOME = "1 kỳ sắp đến hạn: đã nhắc 2 đơn vị; 0 đơn vị đã được nhắc hôm nay."


@pytest.fixture
def world(transactional_db: None) -> World:
    world = make_world()
    world.clerk.email = "camgiang@example.vn"
    world.clerk.save()
    return world


@pytest.fixture
def admin(world: World) -> User:
    return User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri")


def test_queued_reminders_run_as_a_job_with_progress_and_a_vietnamese_outcome(
    world: World, admin: User, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        monkeypatch, capsys, "remind", "--queue", "--user", "quantri", "--days", "3", "--today", "2024-02-26"
    )
    job = Job.objects.get()
    assert code == 0
    assert out.strip() == (
        f"Đã xếp việc nền số {job.pk}: Nhắc các đơn vị chưa gửi báo cáo (các kỳ còn 0–3 ngày đến hạn). "
        f"Theo dõi ở http://127.0.0.1:8000/viec/{job.pk}/ (đăng nhập bằng “quantri”)."
    )
    assert (job.kind, job.owner, job.status) == (KIND_REMIND, admin, JobStatus.QUEUED)
    assert not Reminder.objects.exists()  # nothing sent by the command itself

    seen: list[tuple[int, int, str]] = []
    send = reminders.send_reminder

    def watching(**kwargs: Any) -> Any:
        now = Job.objects.get(pk=job.pk)
        seen.append((now.done, now.total, now.step))
        return send(**kwargs)

    monkeypatch.setattr(reminders, "send_reminder", watching)
    work()

    assert seen == [(0, 2, "0/2 đơn vị"), (1, 2, "1/2 đơn vị")]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == (JobStatus.DONE, 2, 2, "")
    assert set(Reminder.objects.values_list("unit__code", "sent_by", "day")) == {
        ("02008", None, date(2024, 2, 26)),
        ("02005", None, date(2024, 2, 26)),
    }
    assert [m.to for m in mail.outbox] == [["camgiang@example.vn"]]
    page = world.client(admin).get(f"/viec/{job.pk}/").content.decode()
    assert OUTCOME in page and "Xong" in page
    for user in (world.district_reviewer, world.province_reviewer, world.clerk):
        assert world.client(user).get(f"/viec/{job.pk}/").status_code == 404


def test_queue_needs_an_administrator(
    world: World, admin: User, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "remind", "--queue")
    assert code == 2 and "--queue cần --user TÊN" in err
    code, _, err = run(monkeypatch, capsys, "remind", "--queue", "--user", world.district_reviewer.username)
    assert code == 2
    assert f"người dùng “{world.district_reviewer.username}” không phải quản trị hệ thống" in err
    code, _, err = run(monkeypatch, capsys, "remind", "--queue", "--user", "khong-co")
    assert code == 2 and "không có người dùng “khong-co”" in err
    assert not Job.objects.exists() and not Reminder.objects.exists()
