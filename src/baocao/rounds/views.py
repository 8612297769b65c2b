"""The page where a province's or district's reviewer (or the ministry) asks its units for a report.

Who may ask in whose name is ``baocao.access``'s; the checks and the creation are ``rounds.services``'.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from baocao import access
from baocao.core.periods import KIND_NAMES, parse_day
from baocao.forms.models import FormVersion
from baocao.rounds.models import Round
from baocao.rounds.services import RoundError, RoundForbidden, RoundRequest, offered_forms, round_create
from baocao.units.models import OrgUnit

MSG_CREATED = "Đã tạo kỳ báo cáo “{title}”; {count} đơn vị phải báo cáo, hạn gửi {due}."
MSG_DATE = "{field}: “{text}” không phải ngày (ngày/tháng/năm)"
MSG_NUMBER = "{field}: “{text}” không phải số"
MSG_FORM = "chưa chọn biểu mẫu"
FIELD_NAMES = {
    "window_start": "Chốt số liệu từ ngày",
    "window_end": "Chốt số liệu đến ngày",
    "due_date": "Thời hạn gửi",
    "lock_date": "Khóa sửa sau ngày",
    "year": "Năm",
    "period_number": "Quý",
}


def _asker(request: HttpRequest, askers: list[OrgUnit]) -> OrgUnit:
    """The unit chosen in the form (or the page's address), among those the user may ask for."""
    chosen = request.POST.get("unit") or request.GET.get("unit")
    if chosen is None:
        return askers[0]
    for unit in askers:
        if str(unit.pk) == chosen:
            return unit
    raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    askers = list(access.round_requesters(request.user).order_by("path"))
    if not askers:
        raise PermissionDenied
    asker = _asker(request, askers)
    if request.method == "GET":
        return _page(request, askers, asker, _initial())
    problems: list[str] = []
    round_request = _read(request, asker, problems)
    if round_request is not None and not problems:
        try:
            round_ = round_create(request=round_request, user=request.user)
        except RoundForbidden:
            raise PermissionDenied from None
        except RoundError as error:
            problems = error.problems
        else:
            due = f"{round_.due_date:%d/%m/%Y}"
            count = len(round_request.respondents)
            messages.success(request, MSG_CREATED.format(title=round_.title, count=count, due=due))
            return redirect("reports:round", round_code=round_.code)
    return _page(request, askers, asker, request.POST.dict(), problems, status=422)


def _initial() -> dict[str, Any]:
    """This quarter, its window left empty: the service takes Điều 12's window for whichever periodic kind is
    chosen (a window filled in for the quarter would stay wrong when the kind is changed to 6 months)."""
    today = timezone.localdate()
    return {
        "period_type": "quarter",
        "year": str(today.year),
        "period_number": str((today.month - 1) // 3 + 1),
    }


def _page(
    request: HttpRequest,
    askers: list[OrgUnit],
    asker: OrgUnit,
    values: dict[str, Any],
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = set(request.POST.getlist("respondents")) if request.method == "POST" else None
    children = list(OrgUnit.objects.filter(parent=asker).valid_on(timezone.localdate()).order_by("code"))
    context = {
        "askers": askers,
        "asker": asker,
        "forms": [(f"{form.code}:{form.version}", form) for form in offered_forms(asker)],
        "kinds": list(KIND_NAMES.items()),
        "deliveries": Round.Delivery.choices,
        "children": [(unit, chosen is None or str(unit.pk) in chosen) for unit in children],
        "values": values,
        "problems": problems or [],
    }
    return render(request, "rounds/create.html", context, status=status)


def _read(request: HttpRequest, asker: OrgUnit, problems: list[str]) -> RoundRequest | None:
    """The form's fields as a request; what cannot even be read goes to ``problems``."""
    data = request.POST
    form = _form(data.get("form", ""), asker)
    if form is None:
        problems.append(MSG_FORM)
    picked = set(data.getlist("respondents"))
    respondents = [unit for unit in OrgUnit.objects.filter(parent=asker) if str(unit.pk) in picked]
    due = _date(data, "due_date", problems)
    year = _int(data, "year", problems)
    number = _int(data, "period_number", problems) if data.get("period_type") == "quarter" else 1
    if form is None or due is None or year is None or number is None:
        return None
    return RoundRequest(
        requested_by=asker,
        definition_code=form.code,
        definition_version=form.version,
        period_type=data.get("period_type", ""),
        year=year,
        period_number=number,
        window_start=_date(data, "window_start", problems),
        window_end=_date(data, "window_end", problems),
        due_date=due,
        lock_date=_date(data, "lock_date", problems),
        topic=data.get("topic", ""),
        basis=data.get("basis", ""),
        delivery=data.get("delivery", Round.Delivery.SYSTEM),
        title=data.get("title", ""),
        respondents=respondents,
    )


def _form(value: str, asker: OrgUnit) -> FormVersion | None:
    code, _, version = value.partition(":")
    return next((f for f in offered_forms(asker) if f.code == code and str(f.version) == version), None)


def _date(data: Any, name: str, problems: list[str]) -> date | None:
    text = (data.get(name) or "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        problems.append(MSG_DATE.format(field=FIELD_NAMES[name], text=text))
    return day


def _int(data: Any, name: str, problems: list[str]) -> int | None:
    text = (data.get(name) or "").strip()
    if text.isdigit():
        return int(text)
    problems.append(MSG_NUMBER.format(field=FIELD_NAMES[name], text=text))
    return None
