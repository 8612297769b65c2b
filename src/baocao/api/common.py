"""Lookups shared by the API's endpoints: the target of a request, as the web's views resolve it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest
from ninja import Field, Schema

from baocao import access
from baocao.access import Action, Target
from baocao.api.schemas import Error
from baocao.reports.models import Report
from baocao.rounds.models import Round

if TYPE_CHECKING:
    from baocao.accounts.models import User

# Every operation documents every error it can answer with, all in the one shape.
ERRORS: dict[int, type[Error]] = {status: Error for status in (400, 401, 403, 404, 409, 422)}

MSG_NO_ROUND = "Không có kỳ báo cáo {code}, hoặc bạn không có quyền xem."
MSG_NO_REPORT = "Không có báo cáo của đơn vị {unit} trong kỳ {round}, hoặc bạn không có quyền xem."
MSG_NOT_STARTED = "Đơn vị {unit} chưa bắt đầu báo cáo kỳ {round}."


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000, description="số dòng tối đa")
    offset: int = Field(0, ge=0, le=10_000_000, description="bỏ qua bao nhiêu dòng đầu")


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def visible_round(request: HttpRequest, code: str) -> Round:
    round_ = access.visible_rounds(request.user).filter(code=code).first()
    if round_ is None:
        raise Http404(MSG_NO_ROUND.format(code=code))
    return round_


def target(request: HttpRequest, round_code: str, unit_code: str) -> Target:
    """The unit's report in the round, once the user may see it (404 otherwise, as on the web)."""
    found = access.locate(round_code, unit_code)
    if found is None or not access.can(request.user, Action.VIEW, found):
        raise Http404(MSG_NO_REPORT.format(unit=unit_code, round=round_code))
    return found


def started(request: HttpRequest, round_code: str, unit_code: str) -> Report:
    found = target(request, round_code, unit_code)
    if found.report is None:
        raise Http404(MSG_NOT_STARTED.format(unit=unit_code, round=round_code))
    return found.report
