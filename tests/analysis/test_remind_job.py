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


REMIND_UNSENT = "/phan-tich/nhac-chua-gui/cchc-2024-q1/"


def test_a_reviewer_reminds_every_unit_not_sent_by_one_button(world: World) -> None:
    client = world.client(world.district_reviewer)
    page = client.get("/phan-tich/tien-do/cchc-2024-q1/").content.decode()
    assert f'action="{REMIND_UNSENT}?unit=063"' in page and "Nhắc các đơn vị chưa gửi (2)" in page
    response = client.post(REMIND_UNSENT + "?unit=063")
    assert response.status_code == 302 and response["Location"].startswith("/viec/")
    job = Job.objects.get()
    assert response["Location"] == f"/viec/{job.pk}/"
    assert job.label == "Nhắc các đơn vị chưa gửi báo cáo cchc-2024-q1: Huyện Bạch Thông"
    assert not Reminder.objects.exists()
    work()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert set(Reminder.objects.values_list("unit__code", "sent_by")) == {
        ("02008", world.district_reviewer.pk),
        ("02005", world.district_reviewer.pk),
    }
    shown = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Đã nhắc 2 đơn vị chưa gửi; 0 đơn vị đã được nhắc hôm nay (mỗi ngày một lần)." in shown
    assert 'href="/phan-tich/tien-do/cchc-2024-q1/?unit=063"' in shown  # back to the page it was pressed on

    # Pressed again the same day: nobody is reminded twice.
    client.post(REMIND_UNSENT + "?unit=063")
    work()
    again = Job.objects.order_by("-pk").first()
    assert again is not None and again.status == JobStatus.DONE
    assert again.params["message"] == (
        "Đã nhắc 0 đơn vị chưa gửi; 2 đơn vị đã được nhắc hôm nay (mỗi ngày một lần)."
    )
    assert Reminder.objects.count() == 2


@pytest.mark.parametrize("who", ["clerk", "leader", "other_clerk", "stranger_reviewer"])
def test_only_reviewers_over_the_units_press_it(world: World, who: str) -> None:
    client = world.client(getattr(world, who))
    assert client.post(REMIND_UNSENT + "?unit=063").status_code == 404
    assert client.post(REMIND_UNSENT).status_code == 404
    assert not Job.objects.exists() and not Reminder.objects.exists()
