"""Pages for report forms: the list, uploading a workbook (every error shown), the preview, publishing.

Every decision on who may see or publish a form is ``baocao.access``'s; every change is ``forms.services``'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baocao import access
from baocao.core.form_import import MAX_FILE_BYTES, WorkbookError, import_workbook
from baocao.core.form_workbook import write_workbook
from baocao.core.kept import Kept
from baocao.forms.models import FormStatus, FormVersion
from baocao.forms.preview import sample_report
from baocao.forms.registry import form_definition
from baocao.forms.services import FormError, previous_version, publish_form, save_draft
from baocao.reports.presenters import appendix_rows

if TYPE_CHECKING:
    from baocao.accounts.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MSG_NO_FILE = "Chưa chọn tệp bảng tính (.xlsx)."
MSG_TOO_LARGE = "Tệp quá lớn; giới hạn là {limit} KB."
MSG_ISSUER = "Không được soạn biểu mẫu cho đơn vị này."
MSG_DRAFT = "Biểu mẫu không có lỗi; đã lưu bản nháp phiên bản {version}. Xem trước rồi bấm Ban hành."
MSG_PUBLISHED = "Đã ban hành biểu mẫu “{code}” phiên bản {version}."


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # every view here requires a signed-in user


def _forms_for(request: HttpRequest) -> list[FormVersion]:
    forms = FormVersion.objects.select_related("owner").order_by("code", "-version")
    return [form for form in forms if access.can_see_form(request.user, form)]


def _issuer_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (str(u.pk) if u else "", u.full_name if u else "Bộ Nội vụ") for u in access.form_issuers(request.user)
    ]


@login_required
@require_GET
def form_list(request: HttpRequest) -> HttpResponse:
    return _list(request, {})


def _list(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {
        "forms": _forms_for(request),
        "issuers": _issuer_choices(request),
        "limit_mb": MAX_FILE_BYTES // (1024 * 1024),
        **extra,
    }
    return render(request, "forms/list.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def upload(request: HttpRequest) -> HttpResponse:
    issuers = {str(u.pk) if u else "": u for u in access.form_issuers(request.user)}
    chosen = request.POST.get("issuer", "")
    if chosen not in issuers:
        raise PermissionDenied(MSG_ISSUER)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return _list(request, {"error": MSG_NO_FILE}, status=400)
    data = upload_file.read(MAX_FILE_BYTES + 1)
    name = upload_file.name or "bieu-mau.xlsx"
    try:
        definition = import_workbook(data, source=name, previous=previous_version)
        form = save_draft(definition=definition, owner=issuers[chosen], user=_user(request), source_name=name)
    except WorkbookError as error:
        return _list(request, {"problems": error.problems, "name": name}, status=400)
    except FormError as error:
        return _list(request, {"error": str(error), "name": name}, status=400)
    messages.success(request, MSG_DRAFT.format(version=form.version))
    return redirect("forms:detail", code=form.code, version=form.version)


def _form(request: HttpRequest, code: str, version: int) -> FormVersion:
    form = get_object_or_404(FormVersion.objects.select_related("owner"), code=code, version=version)
    if not access.can_see_form(request.user, form):
        raise Http404
    return form


@login_required
@require_GET
def detail(request: HttpRequest, code: str, version: int) -> HttpResponse:
    form = _form(request, code, version)
    sample = sample_report(form)
    context = {
        "form": form,
        "definition": sample.definition,
        "appendix_rows": appendix_rows(sample.rows),
        "actions": {"edit": True},
        "findings": sample.evaluation.findings,
        "paragraphs": sample.built.paragraphs,
        "can_publish": form.status == FormStatus.DRAFT and access.can_author_form(request.user, form),
    }
    return render(request, "forms/detail.html", context)


@login_required
@require_GET
def sample_docx(request: HttpRequest, code: str, version: int) -> HttpResponse:
    from baocao.documents.docx_export import export_docx  # python-docx and lxml: not on every process's start

    form = _form(request, code, version)
    return _attachment(export_docx(sample_report(form).built), DOCX, f"{form.code}-v{form.version}-mau.docx")


@login_required
@require_GET
def workbook(request: HttpRequest, code: str, version: int) -> HttpResponse:
    form = _form(request, code, version)
    return _attachment(_workbook(form), XLSX, f"{form.code}-v{form.version}.xlsx")


# Workbooks by content hash and version, as the compiled forms (forms.registry): a stored version's content
# never changes, and writing one takes openpyxl some 50 ms.
WORKBOOKS_KEPT = 8
_workbooks: Kept[str, bytes] = Kept(WORKBOOKS_KEPT)


def _workbook(form: FormVersion) -> bytes:
    return _workbooks.get_or_make(
        f"{form.sha256}:{form.version}", lambda: write_workbook(form_definition(form).spec)
    )


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, code: str, version: int) -> HttpResponse:
    form = _form(request, code, version)
    if not access.can_author_form(request.user, form):
        raise PermissionDenied
    try:
        publish_form(form=form, user=_user(request))
    except FormError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, MSG_PUBLISHED.format(code=form.code, version=form.version))
    return redirect("forms:detail", code=form.code, version=form.version)
