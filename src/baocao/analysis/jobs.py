"""Reminders as background jobs: a reviewer's "Nhắc các đơn vị chưa gửi" (``remind_unsent``) and the automatic
run (``remind_due``, queued by ``baocao remind --queue``), each with its
progress ("12/40 đơn vị") and its outcome in Vietnamese on the job's page. Run again (a retry, or a worker
that died mid-way) it sends nothing twice: a unit is reminded once per round and day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django_tasks import task

from baocao import access
from baocao.analysis import compare
from baocao.analysis.reminders import remind_due, remind_unsent
from baocao.core.numbers import format_count
from baocao.jobs.models import Job
from baocao.jobs.services import JobError, Progress, enqueue, run_job
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "KIND_COMPARE_XLSX",
    "KIND_REMIND",
    "KIND_REMIND_UNSENT",
    "compare_xlsx_task",
    "remind_task",
    "remind_unsent_task",
    "start_compare_xlsx",
    "start_remind",
    "start_remind_unsent",
]

KIND_REMIND = "remind_due"
LABEL_REMIND = "Nhắc các đơn vị chưa gửi báo cáo (các kỳ còn 0–{days} ngày đến hạn)"
LABEL_UNSENT = "Nhắc các đơn vị chưa gửi báo cáo {round}: {unit}"
KIND_REMIND_UNSENT = "remind_unsent"
STEP_UNITS = "{done}/{total} đơn vị"
MSG_UNSENT = "Đã nhắc {reminded} đơn vị chưa gửi; {skipped} đơn vị đã được nhắc hôm nay (mỗi ngày một lần)."
MSG_GONE = "Kỳ báo cáo hoặc đơn vị không còn nữa."
MSG_NOT_ALLOWED = "Bạn không còn quyền nhắc các đơn vị của kỳ báo cáo này."
COUNTRY = "cả nước"
KIND_COMPARE_XLSX = "compare_xlsx"
LABEL_COMPARE = "Bảng so sánh các đơn vị kỳ {round}: {unit} (Excel)"
STEP_COMPARE = "Đang đọc số liệu tổng hợp của các đơn vị…"
STEP_XLSX = "Đang ghi tệp Excel ({units} đơn vị)…"
MSG_NOT_ALLOWED_VIEW = "Bạn không còn quyền xem số liệu tổng hợp của đơn vị này."


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


def start_remind_unsent(*, user: User, round_: Round, unit: OrgUnit | None, back: str = "") -> Job:
    """Queue a reviewer's reminders to every unit of ``unit``'s subtree that has not sent ``round_``."""
    return enqueue(
        task=remind_unsent_task,
        owner=user,
        kind=KIND_REMIND_UNSENT,
        label=LABEL_UNSENT.format(round=round_.code, unit=unit.full_name if unit else COUNTRY)[:300],
        params={"round": round_.pk, "unit": unit.pk if unit else None, "back": back},
    )


@task()
def remind_unsent_task(job_id: int) -> None:
    run_job(job_id, _remind_unsent)


def _remind_unsent(job: Job, progress: Progress) -> None:
    round_ = Round.objects.select_related("requested_by").filter(pk=job.params["round"]).first()
    unit = OrgUnit.objects.filter(pk=job.params["unit"]).first() if job.params["unit"] else None
    if round_ is None or (job.params["unit"] and unit is None):
        raise JobError(MSG_GONE)
    # Checked again when it runs: a reviewer who has left the unit since the click reminds nobody.
    if not access.can_remind(job.owner, round_, unit):
        raise JobError(MSG_NOT_ALLOWED)

    def told(done: int, total: int) -> None:
        progress(done=done, total=total, step=STEP_UNITS.format(done=done, total=total))

    run = remind_unsent(round_=round_, unit=unit, user=job.owner, progress=told)
    progress.message(MSG_UNSENT.format(reminded=run.reminded, skipped=run.skipped))


def start_compare_xlsx(
    *, user: User, round_: Round, unit: OrgUnit | None, codes: list[str], sort: str, back: str = ""
) -> Job:
    """Queue the comparison's workbook (the units directly below ``unit``, the country's provinces when
    None): the one already under way for the same table and user, or a new one."""
    params = {"round": round_.pk, "unit": unit.pk if unit else None, "codes": codes, "sort": sort}
    key = f"compare-xlsx:{round_.pk}:{params['unit']}:{' '.join(codes)}:{sort}"[:200]
    running = Job.objects.unfinished().filter(kind=KIND_COMPARE_XLSX, key=key, owner=user).first()
    if running is not None:
        return running
    return enqueue(
        task=compare_xlsx_task,
        owner=user,
        kind=KIND_COMPARE_XLSX,
        label=LABEL_COMPARE.format(round=round_.code, unit=unit.full_name if unit else COUNTRY)[:300],
        key=key,
        params={**params, "back": back},
        total=2,
    )


@task()
def compare_xlsx_task(job_id: int) -> None:
    run_job(job_id, _compare_xlsx)


def _compare_xlsx(job: Job, progress: Progress) -> None:
    round_ = Round.objects.filter(pk=job.params["round"]).first()
    unit = OrgUnit.objects.filter(pk=job.params["unit"]).first() if job.params["unit"] else None
    if round_ is None or (job.params["unit"] and unit is None):
        raise JobError(MSG_GONE)
    # Checked again when it runs: a reviewer who has left the unit since the click gets nothing.
    if not access.can_view_rollup(job.owner, unit):
        raise JobError(MSG_NOT_ALLOWED_VIEW)
    progress(done=0, total=2, step=STEP_COMPARE)
    table = compare.compare(round_, unit, job.params["codes"])
    table.sort_by(job.params["sort"])
    progress(done=1, step=STEP_XLSX.format(units=format_count(len(table.lines))))
    progress.save_result(compare.xlsx_name(round_), compare.to_xlsx(table), compare.XLSX_TYPE)
