"""Rounds, units and reports: reading them, and changing a report through ``reports.services`` only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from baocao import access
from baocao.api import asking, present
from baocao.api.common import ERRORS, Page, started, target, user_of, visible_round
from baocao.api.schemas import (
    ActionIn,
    EventOut,
    ReportOut,
    ReportSummary,
    RoundIn,
    RoundOut,
    ValueIn,
    ValueSaved,
)
from baocao.reports import services
from baocao.reports.models import Report
from baocao.rounds.services import round_create

if TYPE_CHECKING:
    from baocao.accounts.models import User

WorkflowAction = Literal["mark_ready", "send", "return", "accept", "reopen"]
Perform = Callable[[Report, "User", str], Report]

router = Router(tags=["Kỳ báo cáo, đơn vị, báo cáo"])

ACTIONS: dict[str, Perform] = {
    "mark_ready": lambda r, u, why: services.report_mark_ready(report=r, user=u),
    "send": lambda r, u, why: services.report_send(report=r, user=u),
    "return": lambda r, u, why: services.report_return(report=r, user=u, reason=why),
    "accept": lambda r, u, why: services.report_accept(report=r, user=u),
    "reopen": lambda r, u, why: services.report_reopen(report=r, user=u, reason=why),
}


@router.get("/rounds/", response={200: list[RoundOut], **ERRORS}, summary="Các kỳ báo cáo bạn được xem")
def rounds(request: HttpRequest) -> Any:
    chosen = (
        access.visible_rounds(request.user).select_related("requested_by").prefetch_related("respondents")
    )
    return [present.round_out(round_) for round_ in chosen.order_by("-window_end", "code")]


@router.post(
    "/rounds/",
    response={201: RoundOut, **ERRORS},
    summary="Yêu cầu báo cáo: tạo kỳ báo cáo nhân danh đơn vị bạn được yêu cầu (như trang Yêu cầu báo cáo)",
)
def round_new(request: HttpRequest, body: RoundIn) -> Any:
    """Every check and the audit are ``rounds.services.round_create``'s; problems are a 422 listing them all,
    an asking unit that is not yours a 403."""
    round_ = round_create(request=asking.round_request(body, user_of(request)), user=user_of(request))
    return Status(201, present.round_out(round_))


@router.get("/rounds/{round_code}/", response={200: RoundOut, **ERRORS}, summary="Một kỳ báo cáo")
def round_detail(request: HttpRequest, round_code: str) -> Any:
    return present.round_out(visible_round(request, round_code))


@router.get("/units/", response={200: present.UnitPage, **ERRORS}, summary="Các đơn vị bạn được xem")
def units(request: HttpRequest, page: Query[Page]) -> Any:
    chosen = access.visible_units(request.user).select_related("parent").order_by("path")
    return present.page(chosen, page, present.unit_out)


@router.get(
    "/rounds/{round_code}/reports/",
    response={200: present.ReportPage, **ERRORS},
    summary="Báo cáo của các đơn vị trong kỳ (kể cả đơn vị chưa bắt đầu)",
)
def round_reports(request: HttpRequest, round_code: str, page: Query[Page]) -> Any:
    round_ = visible_round(request, round_code)
    units_ = round_.respondents.filter(pk__in=access.visible_units(request.user)).order_by("code")
    chosen = present.page(units_, page, lambda unit: unit)
    reports = {r.unit_id: r for r in Report.objects.filter(round=round_, unit__in=chosen["items"])}
    chosen["items"] = [present.summary(unit, reports.get(unit.pk)) for unit in chosen["items"]]
    return chosen


@router.get(
    "/rounds/{round_code}/reports/{unit_code}/",
    response={200: ReportOut, **ERRORS},
    summary="Một báo cáo: trạng thái, số liệu, phát hiện",
)
def report_detail(request: HttpRequest, round_code: str, unit_code: str) -> Any:
    return present.report_out(started(request, round_code, unit_code))


@router.post(
    "/rounds/{round_code}/reports/{unit_code}/",
    response={200: ReportOut, **ERRORS},
    summary="Bắt đầu báo cáo của đơn vị (như nút Bắt đầu trên trang)",
)
def report_start(request: HttpRequest, round_code: str, unit_code: str) -> Any:
    found = target(request, round_code, unit_code)
    report = services.report_open(round_=found.round, unit=found.unit, user=user_of(request))
    return present.report_out(report)


@router.get(
    "/rounds/{round_code}/reports/{unit_code}/history/",
    response={200: list[EventOut], **ERRORS},
    summary="Lịch sử thay đổi của báo cáo",
)
def report_history(request: HttpRequest, round_code: str, unit_code: str) -> Any:
    report = started(request, round_code, unit_code)
    return [present.event_out(event) for event in report.audit.select_related("user").order_by("at", "pk")]


@router.put(
    "/rounds/{round_code}/reports/{unit_code}/values/{code}/",
    response={200: ValueSaved, **ERRORS},
    summary="Lưu một số liệu (như khi gõ vào ô trên trang)",
)
def value_put(request: HttpRequest, round_code: str, unit_code: str, code: str, body: ValueIn) -> Any:
    report = started(request, round_code, unit_code)
    result = services.report_set_value(
        report=report, user=user_of(request), code=code, raw=body.raw, previous=body.previous
    )
    return present.value_saved(result)


@router.post(
    "/rounds/{round_code}/reports/{unit_code}/actions/{action}/",
    response={200: ReportSummary, **ERRORS},
    summary="Trình ký (mark_ready), gửi (send), trả lại (return), tiếp nhận (accept), mở lại (reopen)",
)
def report_action(
    request: HttpRequest, round_code: str, unit_code: str, action: WorkflowAction, body: ActionIn
) -> Any:
    report = started(request, round_code, unit_code)
    report = ACTIONS[action](report, user_of(request), body.reason)
    return present.summary(report.unit, report)
