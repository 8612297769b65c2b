"""Asking for reports through the API: the forms a client may ask with, and a round's request read from JSON.

Who may ask in whose name is ``baocao.access``'s, which forms a unit is offered and every check of the request
are ``rounds.services``' (as for the page "Yêu cầu báo cáo" and ``baocao round create``); this module only
turns unit codes into units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from baocao import access
from baocao.api import present
from baocao.api.common import ERRORS
from baocao.api.schemas import FormOut, RoundIn
from baocao.forms.models import FormVersion, path_ids
from baocao.rounds.services import MSG_FORBIDDEN, RoundError, RoundForbidden, RoundRequest, offered_forms
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

MSG_NO_ASKER = "không có đơn vị mã “{code}” (cấp tỉnh hoặc huyện)"
MSG_NO_RESPONDENT = "{asker} không có đơn vị trực thuộc mã “{code}”"

router = Router(tags=["Yêu cầu báo cáo"])


class FormsQuery(Schema):
    unit: str | None = NinjaField(
        None, max_length=10, description="chỉ các biểu mẫu dùng được khi yêu cầu nhân danh đơn vị mã này"
    )


@router.get(
    "/forms/",
    response={200: list[FormOut], **ERRORS},
    summary="Biểu mẫu đã ban hành bạn dùng được để yêu cầu báo cáo",
)
def forms(request: HttpRequest, query: Query[FormsQuery]) -> Any:
    """For each unit the user may ask in the name of, the forms offered to it (the page's list); a form
    offered to several of them is listed once, with their codes."""
    askers = access.round_requesters(request.user).order_by("path")
    if query.unit is not None:
        askers = askers.filter(code=query.unit)
    # A unit is offered the ministry's forms and those of the owners above it, so askers with the same owners
    # above them are offered the same forms: one lookup per such group, not per asker (a superuser asks for
    # every province and district).
    owners = set(FormVersion.objects.published().exclude(owner=None).values_list("owner_id", flat=True))
    groups: dict[frozenset[int], list[OrgUnit]] = {}
    for asker in askers:
        groups.setdefault(frozenset(path_ids(asker) & owners), []).append(asker)
    found: dict[int, tuple[FormVersion, list[str]]] = {}
    for group in groups.values():
        for form in offered_forms(group[0]):
            found.setdefault(form.pk, (form, []))[1].extend(asker.code for asker in group)
    chosen = sorted(found.values(), key=lambda pair: (pair[0].code, -pair[0].version))
    return [present.form_out(form, sorted(set(codes))) for form, codes in chosen]


def round_request(body: RoundIn, user: User) -> RoundRequest:
    """The request with its units found by code; an asker the user may not use is ``RoundForbidden`` before
    anything else (as on the page), units that do not exist are a ``RoundError`` listing them all."""
    asker = _asker(body.requested_by, user)
    problems: list[str] = []
    respondents = _respondents(asker, body.respondents, problems)
    if problems:
        raise RoundError(problems)
    return RoundRequest(
        requested_by=asker,
        definition_code=body.definition,
        definition_version=body.definition_version,
        period_type=body.period_type,
        year=body.year,
        period_number=body.period_number,
        window_start=body.window_start,
        window_end=body.window_end,
        due_date=body.due_date,
        lock_date=body.lock_date,
        topic=body.topic,
        basis=body.basis,
        delivery=body.delivery,
        title=body.title,
        code=body.code,
        respondents=respondents,
    )


def _newest_first(units: Any) -> Any:
    return units.order_by(F("valid_from").desc(nulls_last=True), "pk")


def _asker(code: str, user: User) -> OrgUnit:
    """Of the units with that code, one the user may ask for; else the refusal names the unit."""
    mine = _newest_first(access.round_requesters(user).filter(code=code)).first()
    if mine is not None:
        return mine  # type: ignore[no-any-return]
    other = _newest_first(OrgUnit.objects.filter(code=code).exclude(level=OrgUnit.Level.COMMUNE)).first()
    if other is None:
        raise RoundError([MSG_NO_ASKER.format(code=code)])
    raise RoundForbidden([MSG_FORBIDDEN.format(unit=other.full_name)])


def _respondents(asker: OrgUnit, codes: list[str], problems: list[str]) -> list[OrgUnit]:
    below = OrgUnit.objects.filter(parent=asker)
    found: list[OrgUnit] = []
    for code in dict.fromkeys(code.strip() for code in codes):
        unit = _newest_first(below.filter(code=code)).first()
        if unit is None:
            problems.append(MSG_NO_RESPONDENT.format(asker=asker.full_name, code=code))
        elif unit not in found:
            found.append(unit)
    return found
