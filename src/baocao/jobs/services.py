"""The one home of a job's changes: enqueue it, run it (inside a task, with progress), retry it, and find the
jobs a dead worker left behind.

An area's task is a few lines (``documents.jobs`` for instance)::

    @task()
    def report_pdf(job_id: int) -> None:
        run_job(job_id, _make_pdf)          # _make_pdf(job, progress) does the work

and a view calls ``enqueue(task=report_pdf, owner=..., kind=..., label=..., params=...)``. The task's only
argument is the job's id: nothing secret (a password, a PIN) ever goes into a job or its task.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from baocao.jobs.models import Job, JobStatus, job_storage

if TYPE_CHECKING:
    from django_tasks.base import Task

    from baocao.accounts.models import User

__all__ = [
    "JobError",
    "Progress",
    "Pruned",
    "enqueue",
    "job_retry",
    "prune_jobs",
    "recover_stale",
    "run_job",
    "worker_name",
]

logger = logging.getLogger(__name__)

MSG_QUEUED = "Đang chờ đến lượt…"
MSG_STARTED = "Đang bắt đầu…"
MSG_RETRYING = "Lần chạy thứ {attempt} không thành công ({reason}); sẽ thử lại sau {seconds} giây."
MSG_RESUMED = "Bộ xử lý việc nền đã dừng giữa chừng; việc được chạy lại từ đầu."
MSG_WORKER_LOST = (
    "Bộ xử lý việc nền dừng đột ngột khi đang làm việc này (đã chạy {attempts} lần). "
    "Hãy bấm “Thử lại”; nếu vẫn lỗi, hãy báo quản trị hệ thống."
)
MSG_TASK_LOST = (
    "Việc này không còn trong hàng đợi (bị xóa, hoặc phần mềm đã đổi từ khi việc được tạo) nên không "
    "thể chạy tiếp. Hãy bấm “Thử lại”; nếu vẫn lỗi, hãy báo quản trị hệ thống."
)
MSG_UNEXPECTED = "Có lỗi không mong đợi khi làm việc này; lỗi đã được ghi lại. Hãy thử lại hoặc báo quản trị."
MSG_GAVE_UP = "{reason} (đã thử {attempts} lần)"
MSG_NO_LONGER_RUNS = (
    "Không chạy lại được: phiên bản hiện tại của hệ thống không còn loại việc này. "
    "Hãy làm lại từ trang đã tạo ra nó."
)
RETRY_DELAY_SECONDS = 5
UNNAMED_GRACE = timedelta(hours=1)


class JobError(Exception):
    """A failure to show the job's owner: ``str(error)`` is Vietnamese. ``retryable``: a timeout or a crash
    that another attempt may not meet (tried again up to the job's ``max_attempts``)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def worker_name() -> str:
    """This process as a job records it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


# ---------------------------------------------------------------------------------------------- enqueue


def enqueue(
    *,
    task: Task[[int], None],
    owner: User,
    kind: str,
    label: str,
    params: dict[str, Any] | None = None,
    key: str = "",
    total: int = 0,
    max_attempts: int = 3,
) -> Job:
    """A new job for ``owner``, queued for a worker; returns at once (a database insert or two)."""
    with transaction.atomic():
        job = Job.objects.create(
            owner=owner,
            kind=kind,
            label=label,
            key=key,
            params=params or {},
            total=total,
            step=MSG_QUEUED,
            max_attempts=max_attempts,
            task_path=task.module_path,
        )
        _submit(job)
    return job


def _submit(job: Job, delay: int = 0) -> None:
    task: Task[[int], None] = import_string(job.task_path)
    if delay:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    result = task.enqueue(job.pk)
    job.task_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def job_retry(*, job: Job) -> Job:
    """A failed job queued again from the start (the "Thử lại" button); the caller has checked access."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.FAILED:
            return job
        try:
            import_string(job.task_path)
        except ImportError:  # a task renamed or removed by an upgrade since the job was made
            job.error = MSG_NO_LONGER_RUNS
            job.save(update_fields=["error"])
            return job
        job.status, job.error, job.done, job.step, job.attempts = JobStatus.QUEUED, "", 0, MSG_QUEUED, 0
        job.finished_at = None
        job.save(update_fields=["status", "error", "done", "step", "attempts", "finished_at"])
        _submit(job)
    return job


# ---------------------------------------------------------------------------------------------- run


class Progress:
    """What a running job's body reports through: how far it is, and its file at the end."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, done: int | None = None, total: int | None = None, step: str | None = None) -> None:
        job = self.job
        if total is not None:
            job.total = total
        if done is not None:
            job.done = min(done, job.total)
        if step is not None:
            job.step = step[:300]
        job.heartbeat_at = timezone.now()
        Job.objects.filter(pk=job.pk).update(
            done=job.done, total=job.total, step=job.step, heartbeat_at=job.heartbeat_at
        )

    def message(self, text: str, details: list[str] | None = None) -> None:
        """The outcome in a sentence, shown on the job's page when it is done (a job with no file, or a
        file with something missing), with ``details`` as a list under it."""
        job = self.job
        job.params = {**job.params, "message": text, "details": details or []}
        Job.objects.filter(pk=job.pk).update(params=job.params)

    def save_result(self, name: str, data: bytes, content_type: str) -> None:
        job = self.job
        job.result.save(f"{job.pk}-{name}", ContentFile(data), save=False)
        job.result_name, job.result_type = name, content_type
        Job.objects.filter(pk=job.pk).update(
            result=job.result.name, result_name=name, result_type=content_type
        )


def run_job(job_id: int, body: Callable[[Job, Progress], None]) -> None:
    """Run one attempt of a job inside its task: mark it running, call ``body``, record the outcome. A
    ``JobError`` marked retryable is queued again (a bounded number of times); any other failure is recorded
    in Vietnamese and re-raised, so the task result shows it too."""
    now = timezone.now()
    started = Job.objects.filter(pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker_name(),
        heartbeat_at=now,
        started_at=now,
        step=MSG_STARTED,
    )
    if not started:  # deleted, or finished meanwhile (recovered and failed): nothing to do
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        body(job, Progress(job))
    except JobError as error:
        if _retry_later(job, str(error), retryable=error.retryable):
            return
        raise
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _fail(job, MSG_UNEXPECTED)
        raise
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        done=F("total"),
        step="",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def _retry_later(job: Job, reason: str, *, retryable: bool) -> bool:
    if retryable and job.attempts < job.max_attempts:
        delay = RETRY_DELAY_SECONDS * job.attempts
        step = MSG_RETRYING.format(attempt=job.attempts, reason=reason, seconds=delay)
        with transaction.atomic():  # never queued with the finished attempt's task (recovery would see it)
            Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, step=step[:300], worker="")
            _submit(job, delay=delay)
        return True
    _fail(job, MSG_GAVE_UP.format(reason=reason, attempts=job.attempts) if job.attempts > 1 else reason)
    return False


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=message, step="", finished_at=timezone.now(), worker=""
    )


# ---------------------------------------------------------------------------------------------- recovery


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _dead_here(worker: str) -> bool:
    """``worker`` ("host:pid", or the library's worker id "host:pid-xxxxxx") is a process of this machine
    that no longer exists."""
    host, _, rest = worker.rpartition(":")
    pid = rest.partition("-")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    return not _process_alive(int(pid))


def _task_worker(task: DBTaskResult[Any, Any]) -> str:
    return str(task.worker_ids[-1]) if task.worker_ids else ""


def _lost(job: Job, task: DBTaskResult[Any, Any] | None, stale_before: datetime) -> str:
    """Why ``job`` can no longer finish by itself ("" when it still can): its task is gone or finished
    without it, or the worker that took the task is gone (whether or not it had marked the job running)."""
    if task is None or task.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        return MSG_TASK_LOST
    if task.status != TaskResultStatus.RUNNING:
        return ""  # waiting for a worker
    if job.status == JobStatus.RUNNING and job.worker:
        gone = _dead_here(job.worker) or job.heartbeat_at is None or job.heartbeat_at < stale_before
    else:
        # Taken, but the job was never marked running: a live worker does that within milliseconds.
        started = task.started_at
        gone = _dead_here(_task_worker(task)) or started is None or started < stale_before
    return MSG_WORKER_LOST if gone else ""


def recover_stale() -> list[Job]:
    """Jobs that can no longer finish by themselves, found and settled: a task taken by a worker that is
    gone (its process has ended on this machine, or it has not reported for ``BAOCAO_JOB_STALE_SECONDS``),
    whether the job was running or still queued, or a task that vanished or ended without its job. Each is
    queued again while attempts remain (the lost run counts as one), else failed with a Vietnamese message;
    the abandoned task result is marked failed so the queue does not show it running forever. Every worker
    calls this when it starts and then every minute."""
    stale_before = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    unfinished = list(Job.objects.unfinished().exclude(task_id=""))
    tasks = {str(t.id): t for t in DBTaskResult.objects.filter(id__in=[j.task_id for j in unfinished])}
    recovered = []
    for job in unfinished:
        if _lost(job, tasks.get(job.task_id), stale_before) and _settle_lost(job, stale_before):
            job.refresh_from_db()
            recovered.append(job)
    return recovered


def _settle_lost(job: Job, stale_before: datetime) -> bool:
    """Queue ``job`` again or fail it, after checking under a lock that it is still lost as it was seen."""
    with transaction.atomic():
        current = Job.objects.select_for_update().filter(pk=job.pk).first()
        seen = (job.task_id, job.status)
        if current is None or current.finished or (current.task_id, current.status) != seen:
            return False  # it moved on meanwhile
        task = DBTaskResult.objects.filter(id=job.task_id).first()
        why = _lost(current, task, stale_before)
        if not why:
            return False
        if task is not None and task.status == TaskResultStatus.RUNNING:
            DBTaskResult.objects.filter(id=task.id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="baocao.jobs.services.WorkerLost",
                traceback=f"worker {_task_worker(task) or current.worker} stopped while running job {job.pk}",
            )
        # A run that never reached ``run_job`` was not counted there: it is counted here, so a job that
        # kills its worker at once cannot be queued again forever.
        attempts = current.attempts + (current.status == JobStatus.QUEUED)
        if why == MSG_WORKER_LOST and attempts < current.max_attempts:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.QUEUED, step=MSG_RESUMED, worker="", attempts=attempts
            )
            _submit(current)
        else:
            Job.objects.filter(pk=job.pk).update(attempts=attempts)
            _fail(current, why.format(attempts=attempts))
    return True


# ---------------------------------------------------------------------------------------------- pruning


@dataclass
class Pruned:
    jobs: int = 0  # finished jobs removed (their rows)
    files: int = 0  # their files (results, uploaded copies) and files no job names any more
    size: int = 0  # bytes freed
    tasks: int = 0  # finished task results of the queue removed
    kept: int = 0  # jobs still queued or running: never touched


def _job_files(job: Job) -> list[str]:
    """Every file of the jobs folder a job names: its result, the uploaded copies it checks."""
    names = [job.result.name] if job.result else []
    names += [item["path"] for item in job.params.get("files", []) if item.get("path")]
    return names


def _remove(names: Iterable[str], pruned: Pruned) -> None:
    storage = job_storage()
    for name in names:
        if storage.exists(name):
            pruned.size += storage.size(name)
            storage.delete(name)
            pruned.files += 1


def _unnamed_before(cutoff: datetime, named: set[str]) -> list[str]:
    """Files of the jobs folder older than ``cutoff`` that no job names (their job was deleted with its
    user, or the upload never became a job)."""
    root = Path(job_storage().location)
    found = []
    for path in root.rglob("*") if root.is_dir() else ():
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in named and path.stat().st_mtime < cutoff.timestamp():
            found.append(name)
    return found


def prune_jobs(*, days: int, progress: Callable[[int, int], None] | None = None) -> Pruned:
    """Remove the jobs finished (done or failed for good) more than ``days`` days ago: their files, their
    rows, and the queue's finished task results as old; then the jobs folder's files no job names. A
    queued or running job, and every file it names, is never touched. ``baocao jobs prune`` and the
    workers (every few hours) call it."""
    cutoff = timezone.now() - timedelta(days=days)
    pruned = Pruned(kept=Job.objects.unfinished().count())
    old = list(
        Job.objects.filter(status__in=(JobStatus.DONE, JobStatus.FAILED), finished_at__lt=cutoff).only(
            "pk", "result", "params"
        )
    )
    for done, job in enumerate(old, start=1):
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, status__in=(JobStatus.DONE, JobStatus.FAILED)).delete()[0]:
                _remove(_job_files(job), pruned)  # not if "Thử lại" queued it again meanwhile
                pruned.jobs += 1
        if progress is not None:
            progress(done, len(old))
    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    pruned.tasks = DBTaskResult.objects.filter(status__in=finished, finished_at__lt=cutoff).delete()[0]
    named = {name for job in Job.objects.only("result", "params") for name in _job_files(job)}
    # An upload is stored a moment before its job is created: a file of the last hour is never unnamed.
    _remove(_unnamed_before(min(cutoff, timezone.now() - UNNAMED_GRACE), named), pruned)
    return pruned
