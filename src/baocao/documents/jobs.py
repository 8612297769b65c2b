"""The documents' slow work as background jobs: a report's PDF (LibreOffice) and a round's zip (every visible
report's Word and Excel, with their PDFs when asked), each with its progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django_tasks import task

from baocao.documents.builder import build_report, slug
from baocao.documents.bundle import MISSING, build_round_zip, round_reports, round_units
from baocao.documents.exporters import EXPORTERS, export
from baocao.documents.pdf_export import PdfUnavailable
from baocao.jobs.models import Job
from baocao.jobs.services import JobError, Progress, enqueue, run_job
from baocao.reports.models import Report
from baocao.rounds.models import Round

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "KIND_REPORT_PDF",
    "KIND_ROUND_ZIP",
    "ZIP_FORMATS_WITH_PDF",
    "conversion_failures",
    "job_report",
    "pdf_key",
    "ready_pdf",
    "report_pdf",
    "round_zip_task",
    "start_report_pdf",
    "start_round_zip",
]

KIND_REPORT_PDF = "report_pdf"
KIND_ROUND_ZIP = "round_zip"
ZIP_FORMATS_WITH_PDF = ("docx", "xlsx", "pdf")
LABEL_PDF = "Tạo PDF báo cáo {unit}, {round}"
LABEL_ZIP = "Tệp nén các báo cáo kỳ {round}"
LABEL_ZIP_PDF = "Tệp nén các báo cáo kỳ {round} (kèm PDF)"
STEP_CONVERTING = "LibreOffice đang chuyển báo cáo sang PDF…"
STEP_REPORTS = "{done}/{total} báo cáo"
MSG_GONE = "Báo cáo hoặc kỳ báo cáo không còn nữa."
MSG_NO_REPORTS = "Kỳ này chưa có báo cáo nào để tải."
MSG_MISSING = (
    "Tệp nén có mọi tệp đã tạo được, nhưng thiếu PDF của {count}/{total} báo cáo (danh sách và lý do ở tệp "
    "“{name}” trong tệp nén):"
)
MSG_MISSING_LINE = "{code} {unit}: {reason}"


def job_report(job: Job, gone: str = MSG_GONE) -> Report:
    """The report a job was started for, or the job's failure (``gone``) when it no longer exists."""
    report = Report.objects.select_related("round", "unit").filter(pk=job.params["report"]).first()
    if report is None:
        raise JobError(gone)
    return report


@contextmanager
def conversion_failures() -> Iterator[None]:
    """LibreOffice's failure becomes the job's, retried when it may pass by itself (a timeout, a crash)."""
    try:
        yield
    except PdfUnavailable as error:
        raise JobError(str(error), retryable=error.retryable) from None


def pdf_key(report: Report) -> str:
    """What a report's PDF is made from: the report at this version, in this status (the draft mark)."""
    return f"report-pdf:{report.pk}:v{report.version}:{report.status}:{report.updated_at.timestamp():.6f}"


def ready_pdf(report: Report) -> Job | None:
    """A PDF of exactly this version of the report, already made (by anyone allowed to see it)."""
    return Job.objects.ready_result(KIND_REPORT_PDF, pdf_key(report))


def start_report_pdf(*, report: Report, user: User, back: str = "") -> Job:
    """The user's job making the report's PDF: the one already under way for this version, or a new one."""
    key = pdf_key(report)
    running = Job.objects.unfinished().filter(kind=KIND_REPORT_PDF, key=key, owner=user).first()
    if running is not None:
        return running
    label = LABEL_PDF.format(unit=report.unit.full_name, round=report.round.code)
    return enqueue(
        task=report_pdf,
        owner=user,
        kind=KIND_REPORT_PDF,
        label=label,
        key=key,
        params={"report": report.pk, "back": back},
        total=1,
    )


@task()
def report_pdf(job_id: int) -> None:
    run_job(job_id, _make_pdf)


def _make_pdf(job: Job, progress: Progress) -> None:
    report = job_report(job)
    progress(done=0, total=1, step=STEP_CONVERTING)
    with conversion_failures():
        name, data = export(build_report(report), "pdf")
    progress.save_result(name, data, EXPORTERS["pdf"].content_type)


def start_round_zip(*, round_: Round, user: User, with_pdf: bool, back: str = "") -> Job:
    """The user's job making the round's zip of every report they may see (PDFs too when ``with_pdf``)."""
    label = (LABEL_ZIP_PDF if with_pdf else LABEL_ZIP).format(round=round_.code)
    return enqueue(
        task=round_zip_task,
        owner=user,
        kind=KIND_ROUND_ZIP,
        label=label,
        params={"round": round_.pk, "pdf": with_pdf, "back": back},
    )


@task()
def round_zip_task(job_id: int) -> None:
    run_job(job_id, _make_zip)


def _make_zip(job: Job, progress: Progress) -> None:
    round_ = Round.objects.filter(pk=job.params["round"]).first()
    if round_ is None:
        raise JobError(MSG_GONE)
    # Made from what the owner may see now (a membership ended since the click is honoured).
    reports = round_reports(job.owner, round_)
    if not reports:
        raise JobError(MSG_NO_REPORTS)
    total = len(reports)
    done = 0
    progress(done=0, total=total, step=STEP_REPORTS.format(done=0, total=total))

    def one_more(count: int) -> None:
        nonlocal done
        done += count
        progress(done=done, step=STEP_REPORTS.format(done=done, total=total))

    formats = ZIP_FORMATS_WITH_PDF if job.params.get("pdf") else ("docx", "xlsx")
    made = build_round_zip(reports, formats=formats, progress=one_more, units=round_units(job.owner, round_))
    if made.missing and not made.pdfs:  # LibreOffice made none: its reason is the job's (tried again)
        first = made.missing[0]
        raise JobError(first.reason, retryable=any(m.retryable for m in made.missing))
    progress.save_result(f"{slug(round_.code)}.zip", made.data, "application/zip")
    if made.missing:
        details = [MSG_MISSING_LINE.format(code=m.code, unit=m.unit, reason=m.reason) for m in made.missing]
        summary = MSG_MISSING.format(count=len(made.missing), total=total, name=MISSING)
        progress.message(summary, details=details)
