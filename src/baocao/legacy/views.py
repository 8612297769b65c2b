"""Upload an old report, see what was read and what conflicts, import it as a draft for a unit and round."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baocao import access
from baocao.access import Action
from baocao.accounts.models import Role
from baocao.core.definition import DefinitionError
from baocao.jobs.models import Job
from baocao.legacy.catalogue import FormRef, form_refs
from baocao.legacy.check import CheckResult, check_chosen
from baocao.legacy.draft import DraftPlan, plan_draft
from baocao.legacy.jobs import (
    KIND_FILE_CHECK,
    KIND_FOLDER_CHECK,
    MAX_FOLDER_BYTES,
    MAX_FOLDER_FILES,
    file_read,
    folder_results,
    start_file_check,
    start_folder_check,
)
from baocao.legacy.limits import read_limited
from baocao.legacy.model import ReadDocument, ReadError
from baocao.legacy.read import MAX_FILE_BYTES, slow_to_read
from baocao.legacy.services import legacy_import
from baocao.reports import services
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

SESSION_KEY = "legacy_draft"
MSG_NO_FILE = (
    "Chọn một hay nhiều tệp báo cáo (.docx, .doc, .odt, .xlsx, .xls, .pdf, .html hoặc .txt) "
    "hoặc một tệp nén .zip để kiểm tra."
)
MSG_TOO_LARGE = "Tệp quá lớn (tối đa {limit} MB cho một báo cáo)."
MSG_NAMED_TOO_LARGE = "Tệp “{name}” quá lớn (tối đa {limit} MB cho một báo cáo)."
MSG_FOLDER_TOO_LARGE = "Các tệp tải lên quá lớn (tối đa {limit} MB một lần)."
MSG_TOO_MANY = "Quá nhiều tệp: {count} tệp (tối đa {limit} tệp một lần; nhiều hơn thì chia ra hoặc nén .zip)."
MSG_EXPIRED = "Không còn dữ liệu của tệp đã tải lên; hãy tải tệp lên lại."
MSG_NOT_TARGET = "Chọn một kỳ báo cáo và đơn vị trong danh sách."
MSG_UNKNOWN_FORM = "Không có biểu mẫu “{code}” đã ban hành; chọn một biểu mẫu trong danh sách."
MSG_IMPORTED = (
    "Đã nhập {count} số liệu và phần thuyết minh từ tệp “{name}” vào bản nháp; "
    "số liệu nhập từ tệp được đánh dấu để rà soát."
)


def _targets(request: HttpRequest, definition_code: str) -> list[tuple[Round, OrgUnit]]:
    """Rounds and units whose report the user may write, for a draft made from the uploaded file."""
    own = [
        m.unit for m in access.memberships(request.user) if m.role in (Role.CLERK, Role.LEADER, Role.ADMIN)
    ]
    pairs = []
    for round_ in (
        access.visible_rounds(request.user).filter(definition_code=definition_code).order_by("-due_date")
    ):
        for unit in round_.respondents.filter(pk__in=[u.pk for u in own]):
            if access.can(request.user, Action.EDIT, access.target_of(round_, unit)):
                pairs.append((round_, unit))
    return pairs


def _table(result: CheckResult) -> list[dict[str, Any]]:
    """Every row of the file's table in reading order, with the item it was mapped onto (or none)."""
    definition = result.evaluation.definition
    mapped = {id(m.row): m for m in result.mapping.mapped}
    lines = []
    for row in result.document.rows:
        m = mapped.get(id(row))
        label = definition.by_code[m.code].label if m else ""
        lines.append({"code": m.code if m else "", "row": row, "how": m.how if m else "", "label": label})
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    refs = form_refs()
    context: dict[str, Any] = {
        "limit_mb": MAX_FILE_BYTES // (1024 * 1024),
        "folder_files": MAX_FOLDER_FILES,
        "forms": _form_choices(refs),
    }
    if request.method == "GET":
        return render(request, "legacy/upload.html", context)
    code = request.POST.get("definition", "")
    context["chosen"] = code
    if code and not any(ref.code == code for ref in refs):
        context["error"] = MSG_UNKNOWN_FORM.format(code=code)
        return render(request, "legacy/upload.html", context, status=400)
    uploads = request.FILES.getlist("file")
    if not uploads:
        context["error"] = MSG_NO_FILE
        return render(request, "legacy/upload.html", context, status=400)
    if len(uploads) > 1 or (uploads[0].name or "").lower().endswith(".zip"):
        return _upload_folder(request, uploads, code, context)
    upload_file = uploads[0]
    if upload_file.size is None or upload_file.size > MAX_FILE_BYTES:
        context["error"] = MSG_TOO_LARGE.format(limit=context["limit_mb"])
        return render(request, "legacy/upload.html", context, status=400)
    name = upload_file.name or "bao-cao"
    data = upload_file.read()
    if slow_to_read(data):  # a PDF (OCR?), a file LibreOffice converts, a large one: read by a job
        job = start_file_check(
            user=request.user,  # type: ignore[arg-type]
            name=name,
            data=data,
            definition=code,
            back=reverse("legacy:upload"),
        )
        return redirect("jobs:detail", job.pk)
    try:
        document = read_limited(data, name)
    except ReadError as error:
        context["error"] = f"Không đọc được tệp: {error}"
        return render(request, "legacy/upload.html", context, status=400)
    return _checked(request, context, name, document, _signatures(data))


def _checked(
    request: HttpRequest, context: dict[str, Any], name: str, document: ReadDocument, signatures: object
) -> HttpResponse:
    """The results page of one file (read in the request or by a job): findings, the table as read, the
    signatures of a PDF, and the draft it would make, kept in the session for "Nhập thành bản nháp"."""
    try:
        result = check_chosen(document, name, context.get("chosen") or None, form_refs())
    except DefinitionError as error:  # a stored form that no longer compiles
        context["error"] = str(error)
        return render(request, "legacy/upload.html", context, status=400)
    plan = plan_draft(result)
    request.session[SESSION_KEY] = {"name": name, "definition": result.definition, **plan.as_session()}
    context.update(
        name=name,
        result=result,
        errors=result.errors,
        warnings=result.warnings,
        table=_table(result),
        plan=plan,
        targets=_targets(request, result.definition),
        signatures=signatures,
    )
    return render(request, "legacy/result.html", context)


def _finished_job(request: HttpRequest, pk: int, kind: str) -> Job | HttpResponse:
    """The user's own job of that kind (404 otherwise), or, while it runs, the way to its progress page."""
    job = access.require_job(request.user, pk)
    if job.kind != kind:
        raise Http404
    if not job.finished:
        return redirect("jobs:detail", job.pk)
    return job


@login_required
@require_GET
def file_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The results of one file read by a job: the same page as a file checked in the request."""
    job = _finished_job(request, pk, KIND_FILE_CHECK)
    if isinstance(job, HttpResponse):
        return job
    read = file_read(job)
    if read is None:
        raise Http404
    name, document, signatures = read
    context = {
        "limit_mb": MAX_FILE_BYTES // (1024 * 1024),
        "folder_files": MAX_FOLDER_FILES,
        "forms": _form_choices(form_refs()),
        "chosen": job.params.get("definition", ""),
    }
    return _checked(request, context, name, document, signatures)


def _upload_folder(
    request: HttpRequest, uploads: list[Any], code: str, context: dict[str, Any]
) -> HttpResponse:
    """Several files or a zip: checked by a background job, one file after another ("3/12 tệp")."""
    error = ""
    zipped = (uploads[0].name or "").lower().endswith(".zip") and len(uploads) == 1
    if len(uploads) > MAX_FOLDER_FILES:
        error = MSG_TOO_MANY.format(count=len(uploads), limit=MAX_FOLDER_FILES)
    elif sum(u.size or 0 for u in uploads) > MAX_FOLDER_BYTES:
        error = MSG_FOLDER_TOO_LARGE.format(limit=MAX_FOLDER_BYTES // (1024 * 1024))
    elif not zipped:
        too_large = [u.name for u in uploads if u.size is None or u.size > MAX_FILE_BYTES]
        if too_large:
            error = MSG_NAMED_TOO_LARGE.format(name=too_large[0], limit=context["limit_mb"])
    if error:
        context["error"] = error
        return render(request, "legacy/upload.html", context, status=400)
    files = [(u.name or f"tep-{i + 1}", u.read()) for i, u in enumerate(uploads)]
    job = start_folder_check(
        user=request.user,  # type: ignore[arg-type]
        files=files,
        definition=code,
        back=reverse("legacy:upload"),
    )
    return redirect("jobs:detail", job.pk)


@login_required
@require_GET
def folder_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The results of a folder check: a line per file, then each file's findings."""
    job = _finished_job(request, pk, KIND_FOLDER_CHECK)
    if isinstance(job, HttpResponse):
        return job
    results = folder_results(job)
    if results is None:
        raise Http404
    lines = []
    for result in results:
        findings = result.get("findings", [])
        errors = [f for f in findings if f["severity"] == "error"]
        warnings = [f for f in findings if f["severity"] != "error"]
        lines.append({**result, "errors": errors, "warnings": warnings})
    unreadable = sum("error" in line for line in lines)
    summary = {
        "files": len(lines),
        "unreadable": unreadable,
        "with_errors": sum(bool(line["errors"]) for line in lines),
        "errors": sum(len(line["errors"]) for line in lines),
        "warnings": sum(len(line["warnings"]) for line in lines),
    }
    return render(request, "legacy/folder_result.html", {"job": job, "lines": lines, "summary": summary})


def _form_choices(refs: tuple[FormRef, ...]) -> list[tuple[str, str]]:
    """(code, label) of every form a file may be checked against; the stored ones name their version."""
    names = {"commune": "cấp xã", "district": "cấp huyện", "province": "cấp tỉnh"}
    return [
        (
            ref.code,
            f"{ref.code} ({names.get(ref.level, ref.level)}"
            + (f", phiên bản {ref.version})" if ref.stored else ")"),
        )
        for ref in refs
    ]


def _signatures(data: bytes) -> object:
    """Hook (baocao.signing): the digital signatures of an uploaded PDF, None for other files."""
    from baocao.signing.services import verify_upload

    return verify_upload(data)


@login_required
@require_POST
def import_as_draft(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.error(request, MSG_EXPIRED)
        return redirect("legacy:upload")
    round_code, _, unit_code = request.POST.get("target", "").partition("|")
    if not round_code or not unit_code:
        return HttpResponseBadRequest(MSG_NOT_TARGET)
    # Unit codes repeat across the 2025 reorganisation: the unit is the round's respondent with that code.
    target = access.find_report(request.user, round_code, unit_code, Action.EDIT)
    round_, unit = target.round, target.unit
    try:
        _, count = legacy_import(
            round_=round_,
            unit=unit,
            user=request.user,  # type: ignore[arg-type]
            plan=DraftPlan.from_session(stored),
            confirmed=request.POST.getlist("confirm"),
            origin=f"tệp {stored['name']}",
        )
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("legacy:upload")
    del request.session[SESSION_KEY]
    messages.success(request, MSG_IMPORTED.format(count=count, name=stored["name"]))
    return redirect("reports:report", round_.code, unit.code)
