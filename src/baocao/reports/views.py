"""Report pages: data entry and narrative, header, workflow, history, and the reviewer's round page.

Views only read the request, call ``access`` and ``services``, and render what ``presenters`` built.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST

from baocao import access
from baocao.access import Action
from baocao.analysis.services import completeness
from baocao.errors import json_error
from baocao.reports import carry, presenters, services
from baocao.reports.history import event_views
from baocao.reports.models import Report, Status, Value
from baocao.rounds.models import Round

if TYPE_CHECKING:
    from baocao.accounts.models import User

MSG_SAVED = "Đã lưu thông tin văn bản."
MSG_DONE = {
    "mark_ready": "Đã trình ký. Lãnh đạo xem lại rồi gửi, hoặc trả lại để sửa.",
    "give_back": "Đã trả lại báo cáo cho người soạn để sửa.",
    "send": "Đã gửi báo cáo lên cấp trên.",
    "return": "Đã trả lại báo cáo kèm lý do.",
    "accept": "Đã tiếp nhận báo cáo.",
    "reopen": "Đã mở lại báo cáo để đơn vị sửa.",
}
MSG_BAD_DATE = "Ngày văn bản phải viết dạng ngày/tháng/năm, ví dụ 28/02/2024."


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _report_url(report: Report) -> str:
    return reverse("reports:report", args=[report.round.code, report.unit.code])


@login_required
@require_GET
def report_page(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    target = access.find_report(request.user, round_code, unit_code)
    if target.report is None:
        context = {
            "round": target.round,
            "unit": target.unit,
            "can_start": access.can(request.user, Action.EDIT, target),
        }
        return render(request, "reports/not_started.html", context)
    return render(request, "reports/entry.html", presenters.entry_page(request, target.report))


@login_required
@require_POST
def report_start(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    target = access.find_report(request.user, round_code, unit_code)
    try:
        report = services.report_open(round_=target.round, unit=target.unit, user=_user(request))
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("web:inbox")
    return redirect(_report_url(report))


MSG_CANNOT_EDIT = "Báo cáo đang khóa hoặc bạn không có quyền sửa."
MSG_NOT_FOUND = "Không tìm thấy báo cáo, hoặc bạn không có quyền xem."
JsonView = Callable[..., JsonResponse]


def _json_endpoint(view: JsonView) -> JsonView:
    """Autosave endpoints answer in the one JSON error shape; a 404 stays a 404 whether the report does not
    exist or may not be seen (nothing is revealed)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except services.ConflictError as error:
            return json_error(str(error), 409, conflict={"theirs": error.theirs, "yours": error.yours})
        except services.WorkflowError as error:
            return json_error(str(error))
        except PermissionDenied:
            return json_error(MSG_CANNOT_EDIT, 403)
        except Http404:
            return json_error(MSG_NOT_FOUND, 404)

    return wrapper


def _saved_now(report: Report, **extra: Any) -> JsonResponse:
    """A save's answer: when it was saved and the report's version after it (the page's next ``previous``)."""
    report.refresh_from_db(fields=["version"])
    saved_at = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse({"ok": True, "saved_at": saved_at, "version": report.version, **extra})


@login_required
@require_POST
@_json_endpoint
def value_save(request: HttpRequest, round_code: str, unit_code: str) -> JsonResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    code = request.POST.get("code", "")
    result = services.report_set_value(
        report=report,
        user=_user(request),
        code=code,
        raw=request.POST.get("raw", ""),
        previous=request.POST.get("previous"),
    )
    answer = presenters.value_answer(request, result.report, result.evaluation)
    answer["value"] = {"code": code, "raw": result.value.raw}
    return JsonResponse(answer)


@login_required
@require_POST
@_json_endpoint
def note_save(request: HttpRequest, round_code: str, unit_code: str) -> JsonResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    stored = services.report_set_note(
        report=report,
        user=_user(request),
        code=request.POST.get("code", ""),
        note=request.POST.get("note", ""),
        previous=request.POST.get("previous"),
    )
    return _saved_now(report, note={"code": stored.code, "text": stored.note})


@login_required
@require_GET
def report_state(request: HttpRequest, round_code: str, unit_code: str) -> JsonResponse:
    """For a page left open: the report's figures, notes and narrative when its version moved on."""
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    seen = request.GET.get("version", "")
    answer = presenters.state_answer(request, report, int(seen) if seen.isdigit() else None)
    return JsonResponse(answer)


@login_required
@require_POST
@_json_endpoint
def narrative_save(request: HttpRequest, round_code: str, unit_code: str) -> JsonResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    services.report_set_narrative(
        report=report,
        user=_user(request),
        section=request.POST.get("section", ""),
        text=request.POST.get("text", ""),
        previous=request.POST.get("previous"),
    )
    return _saved_now(report)


def _parse_day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for separator in ("/", "-", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            day, month, year = (int(part) for part in parts)
            if len(parts[0]) == 4:  # 2024-02-28 from a date picker
                year, day = day, year
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise services.WorkflowError(MSG_BAD_DATE)


@login_required
@require_POST
def header_save(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.EDIT)
    typed = {name: request.POST[name].strip() for name in services.HEADER_FIELDS if name in request.POST}
    originals = {
        name: request.POST[f"orig_{name}"]
        for name in services.HEADER_FIELDS
        if f"orig_{name}" in request.POST
    }
    fields: dict[str, Any] = dict(typed)
    try:
        if "document_date" in fields:
            fields["document_date"] = _parse_day(fields["document_date"])
        services.report_set_header(report=report, user=_user(request), fields=fields, originals=originals)
    except services.ConflictError as error:
        message = f"{error} (đang lưu: “{error.theirs}”; bạn nhập: “{error.yours}”)"
        return _header_refused(request, report, typed, message, 409)
    except services.WorkflowError as error:
        return _header_refused(request, report, typed, str(error), 422)
    messages.success(request, MSG_SAVED)
    return redirect(_report_url(report) + "#thong-tin-van-ban")


def _header_refused(
    request: HttpRequest, report: Report, typed: dict[str, str], message: str, status: int
) -> HttpResponse:
    """A refused save shows the page again with what was typed still in the form: nothing typed is lost,
    and the form now carries the stored values as its originals, so saving again is a deliberate choice."""
    report.refresh_from_db()
    context = presenters.entry_page(request, report, typed_header=typed)
    context["header_error"] = message
    return render(request, "reports/entry.html", context, status=status)


@login_required
@require_POST
def explain(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.EDIT)
    rule, text = request.POST.get("rule", ""), request.POST.get("text", "")
    error = ""
    try:
        services.report_explain(
            report=report, user=_user(request), rule=rule, text=text, previous=request.POST.get("previous")
        )
    except services.ConflictError as conflict:
        error = f"{conflict} Giải trình đang lưu: “{conflict.theirs}”."
    except services.WorkflowError as problem:
        error = str(problem)
    if request.htmx:  # type: ignore[attr-defined]
        report.refresh_from_db()
        # What was typed stays on screen when it was not saved, so nothing is lost.
        typed = {rule: text} if error else {}
        html = presenters.findings_panel(request, report, services.report_evaluation(report), typed)
        if error:
            html = f'<p class="flash error" role="alert">{escape(error)}</p>' + html
        return HttpResponse(html)
    if error:
        messages.error(request, error)
    return redirect(_report_url(report) + "#phat-hien")


MSG_COPIED = (
    "Đã lấy {count} số liệu của kỳ trước vào các ô trống; hãy kiểm tra từng số (ô có dấu ◆) rồi xác nhận."
)
MSG_CONFIRMED = "Đã xác nhận {count} số liệu sao chép từ kỳ trước."


def _change_with_message(
    request: HttpRequest, round_code: str, unit_code: str, perform: Callable[..., Any], done: str
) -> HttpResponse:
    """An author's change of the figures from a button: done (with how many cells) or refused, then back."""
    report = access.find_started_report(request.user, round_code, unit_code, Action.EDIT)
    try:
        result = perform(report=report, user=_user(request))
        messages.success(request, done.format(count=result if isinstance(result, int) else len(result)))
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect(_report_url(report) + "#phu-luc")


@login_required
@require_POST
def copy_previous(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    return _change_with_message(request, round_code, unit_code, carry.report_copy_previous, MSG_COPIED)


@login_required
@require_POST
def confirm_copied(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    return _change_with_message(request, round_code, unit_code, carry.report_confirm_copied, MSG_CONFIRMED)


Perform = Callable[[Report, "User", Any], Report]
COMMENT_PREFIX = "comment:"
MSG_CONFIRM = "Hãy đánh dấu ô xác nhận đã xem toàn bộ báo cáo trước khi gửi."


def _comments(data: Any) -> dict[str, str]:
    """Remarks on rows typed with a return: fields named "comment:<row code>"."""
    return {
        key.removeprefix(COMMENT_PREFIX): value
        for key, value in data.items()
        if key.startswith(COMMENT_PREFIX) and value.strip()
    }


def _send(report: Report, user: User, data: Any) -> Report:
    # The leader confirms on the review page that they read the report; the form cannot skip it.
    if data.get("confirm") != "1":
        raise services.WorkflowError(MSG_CONFIRM)
    return services.report_send(report=report, user=user)


_ACTIONS: dict[str, tuple[Action, Perform]] = {
    "mark_ready": (Action.MARK_READY, lambda r, u, p: services.report_mark_ready(report=r, user=u)),
    "give_back": (
        Action.GIVE_BACK,
        lambda r, u, p: services.report_give_back(report=r, user=u, reason=p.get("reason", "")),
    ),
    "send": (Action.SEND, _send),
    "return": (
        Action.RETURN,
        lambda r, u, p: services.report_return(
            report=r, user=u, reason=p.get("reason", ""), comments=_comments(p)
        ),
    ),
    "accept": (Action.ACCEPT, lambda r, u, p: services.report_accept(report=r, user=u)),
    "reopen": (
        Action.REOPEN,
        lambda r, u, p: services.report_reopen(report=r, user=u, reason=p.get("reason", "")),
    ),
}
# Decisions are taken on the review page; a failed one returns there with what it needs.
FROM_REVIEW = frozenset({"give_back", "send", "return", "accept", "reopen"})


@login_required
@require_POST
def workflow_action(request: HttpRequest, round_code: str, unit_code: str, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    permission, perform = _ACTIONS[action]
    report = access.find_started_report(request.user, round_code, unit_code, permission)
    try:
        perform(report, _user(request), request.POST)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        if action in FROM_REVIEW:
            return redirect("documents:review", round_code, unit_code)
    else:
        messages.success(request, MSG_DONE[action])
    return redirect(_report_url(report))


@login_required
@require_GET
def history(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    events = event_views(report, report.audit.order_by("-at", "-pk"))
    return render(request, "reports/history.html", {"report": report, "events": events})


@login_required
@require_GET
def round_page(request: HttpRequest, round_code: str) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("requested_by"), code=round_code)
    if not access.can_oversee_round(request.user, round_):
        raise Http404
    reports = {r.unit_id: r for r in Report.objects.filter(round=round_).select_related("unit")}
    for started in reports.values():  # the round read above (and its form, found once), not once per report
        started.round = round_
    stored: dict[int, dict[str, str]] = {started.pk: {} for started in reports.values()}
    values = Value.objects.filter(report__round=round_).values_list("report_id", "code", "raw")
    for report_id, code, raw in values:  # every report's values in one query
        stored[report_id][code] = raw
    today = timezone.localdate()
    lines = []
    for unit in round_.respondents.order_by("code"):
        report = reports.get(unit.pk)
        evaluation = services.report_evaluation(report, stored[report.pk]) if report else None
        line = {
            "unit": unit,
            "report": report,
            "status": report.get_status_display() if report else "Chưa bắt đầu",
            "status_code": report.status if report else "not_started",
            "errors": len(evaluation.errors) if evaluation else 0,
            "warnings": len(evaluation.warnings) if evaluation else 0,
        }
        lines.append(line)
    context = {
        "round": round_,
        "lines": lines,
        # The one count of who is due, late or done, as the analysis pages and the inbox give it.
        "counts": completeness(round_, None, remind=False),
        "days_left": round_.days_left(today),
        "statuses": Status,
    }
    return render(request, "reports/round.html", context)
