"""``baocao jobs prune``: finished jobs older than N days go (rows, files, uploaded copies of a folder check
that failed for good, the queue's old task results, files no job names); a queued or running job and its
files never do, however old."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from baocao.documents.jobs import KIND_REPORT_PDF, report_pdf
from baocao.jobs.models import Job, JobStatus, job_storage
from baocao.jobs.services import enqueue, prune_jobs
from baocao.legacy.jobs import KIND_FOLDER_CHECK, folder_check_task
from tests.cli_runner import run
from tests.web.conftest import World, make_world

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam


def _job(world: World, status: str, days_ago: float, *, upload: bool = False, result: bool = True) -> Job:
    """A job of ``status`` that finished (or, unfinished, was created) ``days_ago`` days ago."""
    storage = job_storage()
    files = []
    if upload:  # a folder check's uploaded copy, as start_folder_check stores it
        files = [{"name": "a.docx", "path": storage.save("inputs/abc/0.docx", ContentFile(b"PK docx"))}]
        job = enqueue(
            task=folder_check_task, owner=world.clerk, kind=KIND_FOLDER_CHECK, label="Kiểm tra", params={}
        )
    else:
        job = enqueue(task=report_pdf, owner=world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={})
    when = NOW - timedelta(days=days_ago)
    Job.objects.filter(pk=job.pk).update(
        status=status,
        params={"files": files},
        created_at=when,
        finished_at=when if status in (JobStatus.DONE, JobStatus.FAILED) else None,
    )
    job.refresh_from_db()
    if result:
        job.result.save(f"{job.pk}-bao-cao.pdf", ContentFile(b"%PDF-1.7 " + b"x" * 1000), save=True)
    return job


def _exists(name: str) -> bool:
    return job_storage().exists(name)


@pytest.fixture
def world(db: None) -> World:
    return make_world(values=False)


@pytest.fixture
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.usefixtures("frozen")
def test_prune_removes_old_finished_jobs_and_never_an_unfinished_one(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old_done = _job(world, JobStatus.DONE, 10)
    old_failed_check = _job(world, JobStatus.FAILED, 8, upload=True, result=False)
    recent = _job(world, JobStatus.DONE, 2)
    old_queued = _job(world, JobStatus.QUEUED, 30, upload=True, result=False)
    old_running = _job(world, JobStatus.RUNNING, 30)
    gone_files = [old_done.result.name, old_failed_check.params["files"][0]["path"]]
    kept_files = [recent.result.name, old_queued.params["files"][0]["path"], old_running.result.name]
    DBTaskResult.objects.filter(id=old_done.task_id).update(
        status="SUCCESSFUL", finished_at=NOW - timedelta(10)
    )
    storage = job_storage()
    orphan = storage.save("results/999-mo-coi.zip", ContentFile(b"zip"))  # its job was deleted with its user
    fresh_orphan = storage.save("inputs/moi/0.pdf", ContentFile(b"%PDF"))  # an upload being queued now
    old = (NOW - timedelta(days=9)).timestamp()
    os.utime(storage.path(orphan), (old, old))
    os.utime(storage.path(fresh_orphan), (NOW.timestamp(), NOW.timestamp()))

    code, out, _ = run(monkeypatch, capsys, "jobs", "prune")

    assert code == 0
    assert out == (
        "Đã xóa 2 việc nền xong trước 17:00 ngày 26/11/2026 (3 tệp, 0 MB) và 1 kết quả cũ của hàng đợi; "
        "2 việc đang chờ hoặc đang chạy được giữ nguyên.\n"
    )
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, old_queued.pk, old_running.pk}
    assert [_exists(name) for name in [*gone_files, orphan]] == [False, False, False]
    assert [_exists(name) for name in [*kept_files, fresh_orphan]] == [True, True, True, True]
    assert not DBTaskResult.objects.filter(id=old_done.task_id).exists()
    assert DBTaskResult.objects.filter(id=old_queued.task_id, status="READY").exists()  # still to run

    # --days 0: every finished job, the recent one too; still nothing queued or running.
    code, out, _ = run(monkeypatch, capsys, "jobs", "prune", "--days", "0")
    assert code == 0 and out.startswith("Đã xóa 1 việc nền xong trước 17:00 ngày 03/12/2026 (1 tệp, 0 MB)")
    assert set(Job.objects.values_list("pk", flat=True)) == {old_queued.pk, old_running.pk}
    assert [_exists(name) for name in [*kept_files[1:], fresh_orphan]] == [True, True, True]


@pytest.mark.usefixtures("frozen")
def test_prune_reports_its_progress_and_a_bad_value_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for days in (9, 10, 11):
        _job(world, JobStatus.DONE, days)
    steps: list[tuple[int, int]] = []
    pruned = prune_jobs(days=7, progress=lambda done, total: steps.append((done, total)))
    assert (pruned.jobs, pruned.files, pruned.size, pruned.kept) == (3, 3, 3 * 1009, 0)
    assert steps == [(1, 3), (2, 3), (3, 3)]

    code, out, err = run(monkeypatch, capsys, "jobs", "prune", "--days", "-1")
    assert (code, out) == (2, "")
    assert "Lệnh không hợp lệ" in err and "--days" in err
