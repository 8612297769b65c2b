"""The slow half of signing as a background job: the report rendered as sent (PDF/A, LibreOffice, seconds).

The other half, the signature itself (pyHanko, a fraction of a second), stays in the leader's request: the
password or PIN is in memory only for that request, never in a job, a task's arguments or the database. The
job starts when the leader opens the review page (or the sign-and-send page); when they click "Ký số và gửi",
the PDF of exactly the report's current version is signed, or they are told to wait for it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django_tasks import task

from baocao.documents.builder import build_report
from baocao.documents.jobs import conversion_failures, job_report
from baocao.documents.pdf_export import export_pdf
from baocao.jobs.models import Job
from baocao.jobs.services import Progress, enqueue, run_job
from baocao.reports.models import Report, Status

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = ["KIND_SIGNING_PDF", "prepare_pdf", "prepared_job", "prepared_pdf", "render_as_sent", "signing_key"]

KIND_SIGNING_PDF = "signing_pdf"
LABEL = "Chuẩn bị bản PDF/A để ký số: {unit}, {round}"
STEP = "LibreOffice đang chuyển báo cáo sang PDF/A…"
MSG_GONE = "Báo cáo không còn nữa."


def signing_key(report: Report) -> str:
    """The report's content at this moment: a change (a value, the header) makes another PDF to sign."""
    return f"signing-pdf:{report.pk}:v{report.version}:{report.updated_at.timestamp():.6f}"


def render_as_sent(report: Report) -> bytes:
    """The report as it will read once sent (no "Dự thảo" mark), as PDF/A; raises PdfUnavailable."""
    built = dataclasses.replace(build_report(report), draft=False, draft_note="", status=Status.SENT)
    return export_pdf(built, pdfa=True)


def prepared_pdf(report: Report) -> bytes | None:
    """The PDF/A of exactly this version of the report, if a job has made it."""
    job = Job.objects.ready_result(KIND_SIGNING_PDF, signing_key(report))
    if job is None:
        return None
    with job.result.open("rb") as handle:
        data: bytes = handle.read()
    return data


def prepared_job(*, report: Report, user: User) -> Job:
    """The job making (or that made) the PDF/A of this version of the report: found, or started for
    ``user``. Finding one is a query; starting one an insert: fit for a page view."""
    key = signing_key(report)
    ready = Job.objects.ready_result(KIND_SIGNING_PDF, key)
    if ready is not None:
        return ready
    job = Job.objects.unfinished().filter(kind=KIND_SIGNING_PDF, key=key).order_by("-pk").first()
    if job is not None:
        return job
    failed = Job.objects.filter(kind=KIND_SIGNING_PDF, key=key, owner=user).order_by("-pk").first()
    if failed is not None:
        return failed  # its failure is shown with "Thử lại"; not started again on every page view
    label = LABEL.format(unit=report.unit.full_name, round=report.round.code)
    return enqueue(
        task=prepare_pdf,
        owner=user,
        kind=KIND_SIGNING_PDF,
        label=label,
        key=key,
        params={"report": report.pk},
    )


@task()
def prepare_pdf(job_id: int) -> None:
    run_job(job_id, _render)


def _render(job: Job, progress: Progress) -> None:
    report = job_report(job, MSG_GONE)
    progress(done=0, total=1, step=STEP)
    with conversion_failures():
        data = render_as_sent(report)
    progress.save_result(
        f"{report.unit.code}-{report.round.code}-v{report.version}-pdfa.pdf", data, "application/pdf"
    )
