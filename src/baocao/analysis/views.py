"""The reviewer's analysis pages: rollup (HTML and JSON), completeness, trends with server-drawn charts.

Every view resolves the unit, then asks ``access.can_view_rollup``; what a user may not see is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from baocao import access
from baocao.analysis import compare, compile, reminders, services, trends
from baocao.analysis.jobs import start_compare_xlsx, start_remind_unsent
from baocao.analysis.rollups import unit_rollup
from baocao.core.definition import Definition, DefinitionError
from baocao.errors import json_error
from baocao.forms.registry import definition_for_round, load_form
from baocao.reports.presenters import item_labels
from baocao.reports.services import WorkflowError
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

MSG_NO_UNIT = "Không có đơn vị mã {code}."
MSG_NO_DEFINITION = "Không có biểu mẫu này."
MSG_REMINDED = "Đã nhắc {unit}: lời nhắc hiện ở trang Việc cần làm của đơn vị và được gửi thư điện tử."
DEFAULT_DEFINITION = "cchc-xa-quy"
MSG_NOT_ALLOWED = "Không có quyền xem số liệu tổng hợp của đơn vị này."
MSG_COMPILED = "Đã điền báo cáo từ số liệu tổng hợp của các đơn vị trực thuộc; hãy rà soát, bổ sung rồi gửi."
MSG_PREFILLED = "Đã điền sẵn từ các báo cáo quý; các ô suy ra có ghi chú cách tính."


def _unit(request: HttpRequest, round_: Round | None) -> OrgUnit | None:
    """The unit asked for (?unit=CODE); blank: the user's own top unit, or the country for a superuser."""
    code = request.GET.get("unit", "").strip()
    if code:
        unit = services.find_unit(code, round_)
        if unit is None:
            raise Http404(MSG_NO_UNIT.format(code=code))
    else:
        scope = access.rollup_scope(request.user)
        unit = None if scope is None else (scope[0] if scope else None)
    if not access.can_view_rollup(request.user, unit):
        raise Http404(MSG_NOT_ALLOWED)
    return unit


def _other_round(request: HttpRequest, round_code: str) -> bool:
    chosen = request.GET.get("round", "")
    return bool(chosen) and chosen != round_code


def _switched(request: HttpRequest, name: str) -> str:
    """The same page for the round chosen in the picker (a plain form: no JavaScript)."""
    query = request.GET.copy()
    chosen = query.pop("round")[0]
    return reverse(name, args=[chosen]) + (f"?{query.urlencode()}" if query else "")


def _day(request: HttpRequest) -> date | None:
    """?ngay=2025-06-30 picks the unit in force that day (the old 02008 rather than the new one)."""
    try:
        return date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return None


def _definition(request: HttpRequest) -> Definition:
    """?definition= names a published form by its code; anything else (a path, an unknown code) is 404,
    so the web never makes the server read a file it names."""
    code = request.GET.get("definition", DEFAULT_DEFINITION)
    try:
        return load_form(code)
    except DefinitionError:
        raise Http404(MSG_NO_DEFINITION) from None


def _children(unit: OrgUnit | None, round_: Round) -> QuerySet[OrgUnit]:
    """The units directly below ``unit`` (the provinces for the country) in force during the round or asked
    by it."""
    below = OrgUnit.objects.filter(parent=unit) if unit else OrgUnit.objects.filter(parent__isnull=True)
    return services.in_round(below, round_).order_by("code")


def _choices(request: HttpRequest, unit: OrgUnit | None, round_: Round) -> dict[str, Any]:
    children = _children(unit, round_)
    return {
        "rounds": access.visible_rounds(request.user).order_by("-window_end")[:40],
        "children": children[:800],
        "parent": unit.parent if unit else None,
        "can_go_up": unit is not None and access.can_view_rollup(request.user, unit.parent),
    }


@login_required
@require_GET
def rollup_page(request: HttpRequest, round_code: str) -> HttpResponse:
    if _other_round(request, round_code):
        return redirect(_switched(request, "analysis:rollup"))
    round_ = get_object_or_404(Round, code=round_code)
    unit = _unit(request, round_)
    include_sent = request.GET.get("sent") == "1"
    rollup = unit_rollup(round_, unit, include_sent=include_sent)
    done = services.completeness(round_, unit)
    rows = []
    for index, row in enumerate(rollup.total.rows):
        rows.append(
            {
                "row": row,
                "own": rollup.own.rows[index] if rollup.own else None,
                "children": rollup.children.rows[index] if rollup.children else None,
            }
        )
    own_report = unit is not None and round_.respondents.filter(pk=unit.pk).exists()
    context = {
        "round": round_,
        "unit": unit,
        "own_report": own_report,
        "include_sent": include_sent,
        "rollup": rollup,
        "rows": rows,
        "done": done,
        **_choices(request, unit, round_),
    }
    return render(request, "analysis/rollup.html", context)


@require_GET
def rollup_json(request: HttpRequest, round_code: str) -> JsonResponse:
    round_ = Round.objects.filter(code=round_code).first()
    if round_ is None or not request.user.is_authenticated:
        return json_error(f"Không có kỳ báo cáo {round_code}.", 404)
    try:
        unit = _unit(request, round_)
    except Http404 as error:
        return json_error(str(error), 404)
    include_sent = request.GET.get("sent") == "1"
    rollup = unit_rollup(round_, unit, include_sent=include_sent)
    done = services.completeness(round_, unit, remind=request.GET.get("remind") == "1")
    return JsonResponse({"ok": True, **services.rollup_dict(rollup, done)})


@login_required
@require_GET
def completeness_page(request: HttpRequest, round_code: str) -> HttpResponse:
    if _other_round(request, round_code):
        return redirect(_switched(request, "analysis:completeness"))
    round_ = get_object_or_404(Round, code=round_code)
    unit = _unit(request, round_)
    done = services.completeness(round_, unit)
    by_child = [services.completeness(round_, child, remind=False) for child in _children(unit, round_)[:100]]
    year_rounds = access.visible_rounds(request.user).filter(
        year=round_.year, definition_code=round_.definition_code
    )
    year = services.year_completeness(round_.year, unit, year_rounds.order_by("window_end"))
    context = {
        "round": round_,
        "unit": unit,
        "done": done,
        "by_child": [c for c in by_child if c.expected],
        "year": year,
        "year_totals": services.sum_completeness(year),
        "can_remind_all": done.to_remind_total > 0 and access.can_remind(request.user, round_, unit),
        **_choices(request, unit, round_),
    }
    return render(request, "analysis/completeness.html", context)


def _trend_mode(request: HttpRequest) -> str:
    mode = request.GET.get("so-sanh", trends.SAME_UNITS)
    return mode if mode in trends.MODES else trends.SAME_UNITS


def item_choices(definition: Definition, codes: list[str]) -> list[tuple[str, str, bool]]:
    """Rows a reviewer picks by what they read (STT and label), the chosen ones first, in the chosen order."""
    labels = item_labels(definition)
    chosen = [(code, labels[code], True) for code in codes if code in labels]
    rest = [
        (item.code, labels[item.code], False)
        for item in definition.items
        if item.type != "group" and item.code not in codes
    ]
    return chosen + rest


@login_required
@require_POST
def remind(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    """ "Nhắc" beside a unit in "Đơn vị cần nhắc"; back to the completeness page it was pressed on."""
    target = access.locate(round_code, unit_code)
    if target is None or not access.can_remind(request.user, target.round, target.unit):
        raise Http404
    try:
        reminders.send_reminder(round_=target.round, unit=target.unit, user=_user(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, MSG_REMINDED.format(unit=target.unit.full_name))
    back = request.POST.get("back", "")
    query = f"?{urlencode({'unit': back})}" if back else ""
    return redirect(reverse("analysis:completeness", args=[round_code]) + query)


@login_required
@require_POST
def remind_unsent(request: HttpRequest, round_code: str) -> HttpResponse:
    """ "Nhắc các đơn vị chưa gửi" on the completeness page (?unit=CODE), as a job with its progress."""
    round_ = get_object_or_404(Round, code=round_code)
    unit = _unit(request, round_)
    if not access.can_remind(request.user, round_, unit):
        raise Http404
    back = reverse("analysis:completeness", args=[round_code]) + (
        f"?{urlencode({'unit': unit.code})}" if unit else ""
    )
    job = start_remind_unsent(user=_user(request), round_=round_, unit=unit, back=back)
    return redirect("jobs:detail", job.pk)


@login_required
@require_GET
def trend_page(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = services.find_unit(unit_code, day=_day(request))
    if unit is None or not access.can_view_rollup(request.user, unit):
        raise Http404
    definition = _definition(request)
    codes = " ".join(request.GET.getlist("item")).split() or list(trends.DEFAULT_ITEMS)
    mode = _trend_mode(request)
    series = [trends.unit_trend(unit, definition, code, mode) for code in codes if code in definition.by_code]
    dated = {"ngay": request.GET["ngay"]} if "ngay" in request.GET else {}
    context = {
        "unit": unit,
        "series": series,
        "definition": definition,
        "codes": codes,
        "mode": mode,
        "modes": trends.MODES,
        "chart_query": urlencode({"so-sanh": mode, **dated}),
        "item_choices": item_choices(definition, codes),
        "titles": item_labels(definition),
    }
    return render(request, "analysis/trend.html", context)


@login_required
@require_GET
def trend_chart(request: HttpRequest, unit_code: str, code: str, fmt: str) -> HttpResponse:
    unit = services.find_unit(unit_code, day=_day(request))
    if unit is None or not access.can_view_rollup(request.user, unit):
        raise Http404
    definition = _definition(request)
    if code not in definition.by_code or fmt not in ("png", "svg"):
        raise Http404
    series = trends.unit_trend(unit, definition, code, _trend_mode(request))
    body = trends.chart(series, fmt)
    return HttpResponse(body, content_type="image/png" if fmt == "png" else "image/svg+xml")


@login_required
@require_GET
def compare_page(request: HttpRequest, round_code: str) -> HttpResponse:
    if _other_round(request, round_code):
        return redirect(_switched(request, "analysis:compare"))
    round_ = get_object_or_404(Round, code=round_code)
    unit = _unit(request, round_)
    codes = " ".join(request.GET.getlist("item")).split() or list(compare.DEFAULT_ITEMS)
    sort = request.GET.get("sort", "")
    query = request.GET.copy()
    if query.pop("format", None) == ["xlsx"]:
        # The workbook of every unit below (the provinces, or a province's communes) is made by a job.
        back = reverse("analysis:compare", args=[round_code]) + f"?{query.urlencode()}"
        job = start_compare_xlsx(
            user=_user(request), round_=round_, unit=unit, codes=codes, sort=sort, back=back
        )
        return redirect("jobs:detail", job.pk)
    table = compare.compare(round_, unit, codes)
    table.sort_by(sort)
    query.pop("sort", None)
    context = {
        "round": round_,
        "unit": unit,
        "table": table,
        "codes": codes,
        "item_choices": item_choices(definition_for_round(round_), codes),
        "sort": sort,
        "base_query": query.urlencode(),
        **_choices(request, unit, round_),
    }
    return render(request, "analysis/compare.html", context)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _report_target(request: HttpRequest, round_code: str, unit_code: str) -> tuple[Round, OrgUnit]:
    target = access.find_report(request.user, round_code, unit_code)
    return target.round, target.unit


@login_required
@require_POST
def compile_start(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    """The level's own report, started or refreshed from its children's rollup (access: the services')."""
    round_, unit = _report_target(request, round_code, unit_code)
    try:
        compile.report_compile(
            round_=round_, unit=unit, user=_user(request), include_sent=request.POST.get("sent") == "1"
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, MSG_COMPILED)
    return redirect("reports:report", round_code, unit_code)


@login_required
@require_POST
def period_prefill(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    round_, unit = _report_target(request, round_code, unit_code)
    try:
        compile.report_start_period(round_=round_, unit=unit, user=_user(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, MSG_PREFILLED)
    return redirect("reports:report", round_code, unit_code)
