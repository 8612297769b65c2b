"""Downloads (Word, Excel, PDF, a round's zip) and the Excel import with its confirmation page."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from baocao import access
from baocao.access import Action
from baocao.documents import pdf_export
from baocao.documents.builder import build_report
from baocao.documents.bundle import round_reports
from baocao.documents.exporters import EXPORTERS, export
from baocao.documents.jobs import ready_pdf, start_report_pdf, start_round_zip
from baocao.documents.review import review_context
from baocao.documents.sheet import HEADINGS
from baocao.documents.xlsx_import import (
    MAX_FILE_BYTES,
    SheetRefused,
    SheetUnreadable,
    check_size,
    xlsx_apply,
    xlsx_preview,
)
from baocao.reports.models import Report
from baocao.reports.presenters import findings_by_code, stt_of
from baocao.rounds.models import Round

if TYPE_CHECKING:
    from baocao.accounts.models import User

MSG_NO_FILE = "Chưa chọn tệp Excel."
MSG_EXPIRED = "Phiên nhập đã hết hạn; hãy tải tệp lên lại."
MSG_APPLIED = "Đã nhập {count} ô từ tệp Excel; các ô này được đánh dấu “nhập từ tệp” để rà soát."
MSG_NOTHING = "Tệp không có số liệu nào khác với báo cáo; không có gì thay đổi."
MSG_CHANGED = "Báo cáo vừa được sửa sau khi xem trước; hãy tải tệp lên lại để xem những gì sẽ thay đổi."
MSG_NO_REPORTS = "Kỳ này chưa có báo cáo nào để tải."
SESSION_KEY = "baocao-xlsx-import-{pk}"


def _report_url(report: Report) -> str:
    return reverse("reports:report", args=[report.round.code, report.unit.code])


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@login_required
@require_GET
def print_view(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    """The report as the official document reads, for the browser's print (print CSS: A4, no fill colours)."""
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    context = {"report": report, "document": build_report(report), "label_heading": HEADINGS[1]}
    return render(request, "documents/print.html", context)


@login_required
@require_GET
def download(request: HttpRequest, round_code: str, unit_code: str, format_name: str) -> HttpResponseBase:
    if format_name not in EXPORTERS:
        raise Http404
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    if format_name == "pdf":
        return _pdf(request, report)
    name, data = export(build_report(report), format_name)
    return _attachment(data, name, EXPORTERS[format_name].content_type)


def _pdf(request: HttpRequest, report: Report) -> HttpResponseBase:
    """The signed official copy, or a PDF of this very version made before, at once; else a job makes it
    (LibreOffice takes seconds) and its page shows the progress, then the file."""
    if (official := _signed_pdf(report)) is not None:
        # Hook (baocao.signing): a sent report's PDF is its signed official copy ("bản chính").
        return _attachment(official[1], official[0], EXPORTERS["pdf"].content_type)
    ready = ready_pdf(report)
    if ready is not None:
        return FileResponse(
            ready.result.open("rb"),
            as_attachment=True,
            filename=ready.result_name,
            content_type=ready.result_type,
        )
    if pdf_export.soffice_path() is None:  # nothing a worker could do: said at once
        messages.error(request, pdf_export.MSG_NO_SOFFICE)
        return redirect(_report_url(report))
    user: User = request.user  # type: ignore[assignment]
    job = start_report_pdf(report=report, user=user, back=_report_url(report))
    return redirect("jobs:detail", job.pk)


def _signed_pdf(report: Report) -> tuple[str, bytes] | None:
    from baocao.signing.services import official_pdf

    return official_pdf(report)


@login_required
@require_GET
def review(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    """Xem xét: the leader's last look before "Gửi", the receiving level's before deciding."""
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    return render(request, "documents/review.html", review_context(request, report))


@login_required
@require_GET
def round_download(request: HttpRequest, round_code: str) -> HttpResponse:
    """A round's zip, made by a job (a round of 200 units takes LibreOffice minutes with PDF, Word and Excel
    alone some 15 s): the request only queues it; ``?pdf=1`` adds each report's PDF."""
    round_ = get_object_or_404(Round, code=round_code)
    if not access.can_oversee_round(request.user, round_):
        raise Http404
    if not round_reports(request.user, round_):
        messages.error(request, MSG_NO_REPORTS)
        return redirect("reports:round", round_code)
    user: User = request.user  # type: ignore[assignment]
    back = reverse("reports:round", args=[round_code])
    job = start_round_zip(round_=round_, user=user, with_pdf=request.GET.get("pdf") == "1", back=back)
    return redirect("jobs:detail", job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def xlsx_import(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.EDIT)
    key = SESSION_KEY.format(pk=report.pk)
    context: dict[str, object] = {"report": report, "round": report.round, "unit": report.unit}
    if request.method == "GET":
        return render(request, "documents/import.html", context)
    if "confirm" in request.POST:
        return _apply(request, report, key)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = MSG_NO_FILE
        return render(request, "documents/import.html", context, status=422)
    try:
        check_size(upload.size or 0)  # the real size, before reading the file
        data = upload.read(MAX_FILE_BYTES + 1)
        result = xlsx_preview(report, data)
    except (SheetUnreadable, SheetRefused) as error:
        context["error"] = str(error)
        return render(request, "documents/import.html", context, status=422)
    request.session[key] = {
        "name": upload.name or "",
        "data": base64.b64encode(data).decode(),
        "version": report.version,
    }
    context.update(_preview_context(report, result, upload.name or ""))
    return render(request, "documents/import.html", context)


def _apply(request: HttpRequest, report: Report, key: str) -> HttpResponse:
    stored = request.session.pop(key, None)
    if stored is None:
        messages.error(request, MSG_EXPIRED)
        return redirect("documents:import", report.round.code, report.unit.code)
    if stored.get("version") != report.version:
        # Someone changed the report after the preview: what was confirmed may no longer be what would change.
        messages.error(request, MSG_CHANGED)
        return redirect("documents:import", report.round.code, report.unit.code)
    user: User = request.user  # type: ignore[assignment]
    try:
        result = xlsx_apply(
            report=report, user=user, data=base64.b64decode(stored["data"]), origin=f"Excel: {stored['name']}"
        )
    except (SheetUnreadable, SheetRefused) as error:
        messages.error(request, str(error))
        return redirect("documents:import", report.round.code, report.unit.code)
    count = len(result.preview.changes)
    messages.success(request, MSG_APPLIED.format(count=count) if count else MSG_NOTHING)
    return redirect(_report_url(report))


def _preview_context(report: Report, result: object, name: str) -> dict[str, object]:
    preview = result.preview  # type: ignore[attr-defined]
    definition = preview.evaluation.definition
    changes = [
        {
            "code": change.code,
            "stt": stt_of(definition.by_code[change.code]),
            "label": definition.by_code[change.code].label,
            "old": change.old,
            "new": change.new,
        }
        for change in preview.changes
    ]
    flagged = findings_by_code(preview.evaluation)
    server_changes = [
        {
            "stt": stt_of(definition.by_code[change.code]),
            "label": definition.by_code[change.code].label,
            "downloaded": change.downloaded,
            "now": change.now,
            "sheet": change.sheet,
            "conflict": change.conflict,
        }
        for change in result.server_changes  # type: ignore[attr-defined]
    ]
    return {
        "notices": result.notices,  # type: ignore[attr-defined]
        "server_changes": server_changes,
        "previewed": True,
        "file_name": name,
        "changes": changes,
        "problems": result.problems,  # type: ignore[attr-defined]
        "errors": preview.evaluation.errors,
        "warnings": preview.evaluation.warnings,
        "flagged": flagged,
    }
