"""Background jobs end to end: a PDF download becomes a job the worker finishes; its owner alone sees it; a
failure says why in Vietnamese and "Thử lại" runs it again; a job left by a dead worker is picked up."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from baocao.accounts.models import User
from baocao.documents.jobs import KIND_REPORT_PDF, report_pdf
from baocao.jobs import services
from baocao.jobs.models import Job, JobStatus
from tests.documents.conftest import needs_soffice
from tests.jobs.conftest import work
from tests.web.conftest import World

BASE = "/reports/cchc-2024-q1/02008/"
PDF = BASE + "tai-ve/pdf/"


def _job_of(response) -> Job:  # type: ignore[no-untyped-def]
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/viec/")
    return Job.objects.get(pk=int(location.split("/")[2]))


def _failing_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A LibreOffice that crashes at once: the conversion fails the way a crash does."""
    script = tmp_path / "soffice-crash"
    script.write_text("#!/bin/sh\necho 'soffice crashed' >&2\nexit 81\n")
    script.chmod(0o755)
    monkeypatch.setenv("BAOCAO_SOFFICE", str(script))


@needs_soffice
def test_pdf_download_becomes_a_job_and_the_worker_makes_the_file(jobs_world: World) -> None:
    client = jobs_world.client(jobs_world.clerk)
    job = _job_of(client.get(PDF))
    assert (job.kind, job.status, job.owner) == (KIND_REPORT_PDF, JobStatus.QUEUED, jobs_world.clerk)
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 1s"' in page and "<progress" in page
    # Asking again while it is queued gives the same job, not a second conversion.
    assert _job_of(client.get(PDF)).pk == job.pk

    work()

    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total, job.error) == (JobStatus.DONE, 1, 1, 1, "")
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    live = client.get(f"/viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in live  # finished: the page stops asking
    assert f"/viec/{job.pk}/tep/" in live and "02008-xa-cam-giang-cchc-2024-q1.pdf" in live
    response = client.get(f"/viec/{job.pk}/tep/")
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and data[:5] == b"%PDF-"
    # The same version of the report again (by another who may see it): the file at once, no new job.
    again = jobs_world.client(jobs_world.district_reviewer).get(PDF)
    assert again.status_code == 200 and b"".join(again.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]
    assert Job.objects.count() == 1


def test_only_the_owner_and_a_superuser_see_a_job(jobs_world: World) -> None:
    job = services.enqueue(
        task=report_pdf, owner=jobs_world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={"report": 0}
    )
    urls = (f"/viec/{job.pk}/", f"/viec/{job.pk}/tep/")
    for user in (jobs_world.other_clerk, jobs_world.leader, jobs_world.district_reviewer):
        client = jobs_world.client(user)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert client.post(f"/viec/{job.pk}/thu-lai/").status_code == 404
        assert f"/viec/{job.pk}/" not in client.get("/viec/").content.decode()
    assert jobs_world.client(None).get(urls[0])["Location"].startswith("/dang-nhap/")
    assert jobs_world.client(jobs_world.clerk).get(urls[0]).status_code == 200
    assert f"/viec/{job.pk}/" in jobs_world.client(jobs_world.clerk).get("/viec/").content.decode()
    admin = User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri")
    assert jobs_world.client(admin).get(urls[0]).status_code == 200
    assert jobs_world.client(jobs_world.clerk).get("/viec/999999/").status_code == 404


@needs_soffice
@pytest.mark.usefixtures("no_retry_delay")
def test_a_crashing_conversion_is_retried_then_shown_in_vietnamese_and_thu_lai_runs_it_again(
    jobs_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = jobs_world.client(jobs_world.clerk)
    with monkeypatch.context() as patched:
        _failing_soffice(tmp_path, patched)
        job = _job_of(client.get(PDF))
        work()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert job.error == "LibreOffice không chuyển được tệp sang PDF: soffice crashed (đã thử 3 lần)"
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # the last attempt's task
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2  # the two that queued a retry
    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Không thành công" in page and "soffice crashed (đã thử 3 lần)" in page and "Thử lại" in page
    assert client.get(f"/viec/{job.pk}/tep/").status_code == 404  # no file of a failed job

    retried = client.post(f"/viec/{job.pk}/thu-lai/")
    assert retried.status_code == 302 and retried["Location"] == f"/viec/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (JobStatus.QUEUED, "", 0)
    work()  # LibreOffice is back
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 1, "")


def test_a_failure_that_cannot_pass_by_itself_is_not_retried(jobs_world: World) -> None:
    job = services.enqueue(
        task=report_pdf, owner=jobs_world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={"report": 0}
    )
    work()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (
        JobStatus.FAILED,
        1,
        "Báo cáo hoặc kỳ báo cáo không còn nữa.",
    )


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _as_if_running(job: Job, worker: str, attempts: int) -> None:
    """What a worker leaves when it is killed mid-task: the task claimed, the job running."""
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", worker_ids=["killed"])
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker=worker, attempts=attempts)


@needs_soffice
def test_a_job_left_running_by_a_killed_worker_is_run_again(jobs_world: World) -> None:
    job = _job_of(jobs_world.client(jobs_world.clerk).get(PDF))
    first_task = job.task_id
    _as_if_running(job, f"{socket.gethostname()}:{_dead_pid()}", attempts=1)

    work()  # the worker first picks up what the dead one left

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert job.task_id != first_task
    abandoned = DBTaskResult.objects.get(id=first_task)
    assert (abandoned.status, abandoned.exception_class_path) == ("FAILED", "baocao.jobs.services.WorkerLost")


def test_a_job_whose_worker_died_too_often_fails_with_a_vietnamese_message(jobs_world: World) -> None:
    job = services.enqueue(
        task=report_pdf, owner=jobs_world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={"report": 0}
    )
    _as_if_running(job, f"{socket.gethostname()}:{_dead_pid()}", attempts=3)
    recovered = services.recover_stale()
    assert [(j.pk, j.status) for j in recovered] == [(job.pk, JobStatus.FAILED)]
    assert recovered[0].error.startswith(
        "Bộ xử lý việc nền dừng đột ngột khi đang làm việc này (đã chạy 3 lần)."
    )


def test_a_running_job_of_a_live_worker_is_left_alone_until_it_goes_quiet(
    jobs_world: World, settings: object
) -> None:
    job = services.enqueue(
        task=report_pdf, owner=jobs_world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={"report": 0}
    )
    from django.utils import timezone

    _as_if_running(job, "may-khac:4242", attempts=1)  # another machine: only its silence tells
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert services.recover_stale() == []
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=301))
    assert [j.status for j in services.recover_stale()] == [JobStatus.QUEUED]


@needs_soffice
def test_round_zip_with_pdfs_counts_reports(jobs_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[tuple[int, int, str]] = []
    original = services.Progress.__call__

    def record(self, done=None, total=None, step=None):  # type: ignore[no-untyped-def]
        original(self, done, total, step)
        steps.append((self.job.done, self.job.total, self.job.step))

    monkeypatch.setattr(services.Progress, "__call__", record)
    client = jobs_world.client(jobs_world.district_reviewer)
    job = _job_of(client.get("/rounds/cchc-2024-q1/tai-ve.zip?pdf=1"))
    assert job.label == "Tệp nén các báo cáo kỳ cchc-2024-q1 (kèm PDF)"
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert steps == [(0, 1, "0/1 báo cáo"), (1, 1, "1/1 báo cáo")]
    data = b"".join(client.get(f"/viec/{job.pk}/tep/").streaming_content)  # type: ignore[attr-defined]
    names = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    stem = "02008-xa-cam-giang-cchc-2024-q1"
    assert names == [f"{stem}.docx", f"{stem}.pdf", f"{stem}.xlsx", "DANH SACH.txt"]


def test_thu_lai_on_a_job_whose_task_an_upgrade_removed_says_so_and_queues_nothing(jobs_world: World) -> None:
    job = services.enqueue(
        task=report_pdf, owner=jobs_world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={"report": 0}
    )
    work()
    Job.objects.filter(pk=job.pk).update(task_path="baocao.documents.jobs.report_pdf_before_the_upgrade")
    tasks = DBTaskResult.objects.count()
    client = jobs_world.client(jobs_world.clerk)
    retried = client.post(f"/viec/{job.pk}/thu-lai/")
    assert retried.status_code == 302 and retried["Location"] == f"/viec/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, services.MSG_NO_LONGER_RUNS)
    assert DBTaskResult.objects.count() == tasks
    assert (
        "phiên bản hiện tại của hệ thống không còn loại việc này"
        in client.get(f"/viec/{job.pk}/").content.decode()
    )
