"""Rollups, completeness and comparisons of a unit's subtree: for reviewers and admins at or above the unit
(``access.can_view_rollup``), as on the analysis pages; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from baocao import access
from baocao.analysis import compare, services
from baocao.analysis.rollups import unit_rollup
from baocao.api.common import ERRORS
from baocao.api.schemas import ComparisonOut, CompletenessOut, RollupOut
from baocao.core.evaluate import item_decimals
from baocao.core.serialize import json_value
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

router = Router(tags=["Tổng hợp, tiến độ, so sánh"])

MSG_NO_ROUND = "Không có kỳ báo cáo {code}."
MSG_NOT_ALLOWED = "Không có đơn vị mã {code}, hoặc bạn không có quyền xem số liệu tổng hợp của đơn vị này."
MSG_NO_SCOPE = "Bạn không có quyền xem số liệu tổng hợp."


class Scope(Schema):
    unit: str = Field("", description="mã đơn vị; để trống: đơn vị cao nhất bạn được xem (cả nước: quản trị)")


class RollupQuery(Scope):
    sent: bool = Field(False, description="tính cả báo cáo đã gửi, chưa tiếp nhận")


class CompareQuery(Scope):
    items: list[str] = Field(list(compare.DEFAULT_ITEMS), description="mã các chỉ tiêu cần so sánh")


def _round(code: str) -> Round:
    round_ = Round.objects.filter(code=code).first()
    if round_ is None:
        raise Http404(MSG_NO_ROUND.format(code=code))
    return round_


def _unit(request: HttpRequest, round_: Round, code: str) -> OrgUnit | None:
    """The unit asked for, or the user's own top unit; None is the country (superusers only)."""
    code = code.strip()
    if code:
        unit = services.find_unit(code, round_)
    else:
        scope = access.rollup_scope(request.user)
        unit = None if scope is None else (scope[0] if scope else None)
        if scope is not None and not scope:
            raise Http404(MSG_NO_SCOPE)
    if (code and unit is None) or not access.can_view_rollup(request.user, unit):
        raise Http404(MSG_NOT_ALLOWED.format(code=code))
    return unit


@router.get(
    "/rounds/{round_code}/rollup/",
    response={200: RollupOut, **ERRORS},
    summary="Số liệu tổng hợp của một đơn vị (các đơn vị trực thuộc cộng lại)",
)
def rollup(request: HttpRequest, round_code: str, query: Query[RollupQuery]) -> Any:
    round_ = _round(round_code)
    unit = _unit(request, round_, query.unit)
    done = services.completeness(round_, unit)
    return services.rollup_dict(unit_rollup(round_, unit, include_sent=query.sent), done)


@router.get(
    "/rounds/{round_code}/completeness/",
    response={200: CompletenessOut, **ERRORS},
    summary="Tiến độ: phải gửi, đã gửi, đúng hạn, trễ hạn, bị trả lại, đã tiếp nhận, chưa bắt đầu",
)
def completeness(request: HttpRequest, round_code: str, query: Query[Scope]) -> Any:
    round_ = _round(round_code)
    return services.completeness(round_, _unit(request, round_, query.unit)).as_dict()


@router.get(
    "/rounds/{round_code}/comparison/",
    response={200: ComparisonOut, **ERRORS},
    summary="So sánh các đơn vị trực thuộc theo chỉ tiêu; giá trị khác thường được đánh dấu",
)
def comparison(request: HttpRequest, round_code: str, query: Query[CompareQuery]) -> Any:
    round_ = _round(round_code)
    unit = _unit(request, round_, query.unit)
    table = compare.compare(round_, unit, query.items)
    return {
        "round": round_.code,
        "unit": unit.code if unit else None,
        "items": [item.code for item in table.items],
        "units": [
            {
                "unit": line.unit.code,
                "unit_name": line.unit.full_name,
                "reports": line.reports,
                "cells": [
                    {
                        "item": item.code,
                        "display": cell.display,
                        "value": json_value(cell.value, item_decimals(item)),
                        "flags": cell.flags,
                    }
                    for item, cell in zip(table.items, line.cells, strict=True)
                ],
            }
            for line in table.lines
        ],
    }
