"""The automatic reminders (``remind_due``) as a background job: queued by ``baocao remind --queue``, with its
progress ("12/40 đơn vị") and its outcome in Vietnamese on the job's page. Run again (a retry, or a worker
that died mid-way) it sends nothing twice: a unit is reminded once per round and day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django_tasks import task

from baocao.analysis.reminders import remind_due
from baocao.jobs.models import Job
from baocao.jobs.services import Progress, enqueue, run_job

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = ["KIND_REMIND", "remind_task", "start_remind"]

KIND_REMIND = "remind_due"
LABEL_REMIND = "Nhắc các đơn vị chưa gửi báo cáo (các kỳ còn 0–{days} ngày đến hạn)"
STEP_UNITS = "{done}/{total} đơn vị"


def start_remind(*, user: User, days: int, today: date | None = None) -> Job:
    """Queue the automatic reminders for ``user`` to follow on the job's page; returns at once."""
    return enqueue(
        task=remind_task,
        owner=user,
        kind=KIND_REMIND,
        label=LABEL_REMIND.format(days=days),
        params={"days": days, "today": today.isoformat() if today else ""},
    )


@task()
def remind_task(job_id: int) -> None:
    run_job(job_id, _remind)


def _remind(job: Job, progress: Progress) -> None:
    today = date.fromisoformat(job.params["today"]) if job.params.get("today") else None

    def told(done: int, total: int) -> None:
        progress(done=done, total=total, step=STEP_UNITS.format(done=done, total=total))

    run = remind_due(days=job.params["days"], today=today, progress=told)
    progress.message(run.summary())
