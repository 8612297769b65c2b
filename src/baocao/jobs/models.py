"""A job as its owner sees it: what it does, how far it is, its file or its failure in Vietnamese.

The queue itself (which worker runs what, in which order) is django-tasks' database backend
(``django_tasks_db.DBTaskResult``); a Job names the task result of its current attempt (``task_id``), and
one job may go through several attempts (a retry, or a worker that died mid-way)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models


class JobStorage(FileSystemStorage):
    """The jobs' result files, under ``BAOCAO_JOBS_DIR`` (default: the data folder's ``jobs/``), read when the
    setting is, so tests that move it are followed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(location=None, **kwargs)

    @property
    def base_location(self) -> str:
        return str(settings.JOBS_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def job_storage() -> FileSystemStorage:
    return JobStorage(file_permissions_mode=0o640, directory_permissions_mode=0o750)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Xong"
    FAILED = "failed", "Không thành công"


class JobQuerySet(models.QuerySet["Job"]):
    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))

    def ready_result(self, kind: str, key: str) -> Job | None:
        """The newest finished job of ``kind`` for ``key`` whose file is still there: the same work, done."""
        for job in (
            self.filter(kind=kind, key=key, status=JobStatus.DONE).exclude(result="").order_by("-pk")[:3]
        ):
            if job.result.storage.exists(job.result.name):
                return job
        return None


class Job(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField("loại việc", max_length=40)
    label = models.CharField("việc", max_length=300)
    # What the job is about, to find the same work done before ("report-pdf:12:v7"); blank when none.
    key = models.CharField(max_length=200, blank=True, db_index=True)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField("đang làm", max_length=300, blank=True)
    result = models.FileField(storage=job_storage, upload_to="results/", blank=True)
    result_name = models.CharField("tên tệp", max_length=255, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    error = models.TextField("lỗi", blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    task_path = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, blank=True)  # the DBTaskResult of the current attempt
    # The process running it ("host:pid") and when it last said so: how a dead worker's job is found.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "việc nền"
        verbose_name_plural = "việc nền"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_le_total")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def waiting_too_long(self) -> bool:
        """Queued, due, and not taken by any worker for ``BAOCAO_JOB_STALE_SECONDS``: no worker is running,
        or all are busy. Nothing is wrong with the job itself; its page says so, so nobody waits blind."""
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        if self.status != JobStatus.QUEUED:
            return False
        ready = DBTaskResult.objects.filter(id=self.task_id, status="READY")
        task = ready.only("run_after", "enqueued_at").first()
        if task is None:
            return False
        # Without a delay the library stores "run after" as the far future; a retry's delay is a real time.
        due = task.enqueued_at if task.run_after >= get_date_max() else max(task.enqueued_at, task.run_after)
        waited: float = (timezone.now() - due).total_seconds()
        return waited > settings.JOBS_STALE_SECONDS

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
