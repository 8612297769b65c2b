"""Asking for reports: the one function that creates a round, called alike by the web page and the CLI.

A round and its form together hold what Nghị định 09/2019/NĐ-CP, Điều 7, says a reporting regime specifies:
the form holds the name, content, level, periods, outline (mẫu đề cương) and figures with their guidance; the
round holds who must report (its respondents), who receives (the asking unit), how it is sent (phương thức
gửi, nhận), the deadline (thời hạn gửi), the period (tần suất) and the data window (thời gian chốt số liệu).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from baocao import access
from baocao.accounts.audit import record, snapshot
from baocao.accounts.models import AdminChange
from baocao.core.periods import AD_HOC_KINDS, KIND_NAMES, default_window, period_label
from baocao.forms.models import FormStatus, FormVersion
from baocao.forms.services import round_form_problem
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from baocao.accounts.models import User

__all__ = ["RoundError", "RoundForbidden", "RoundRequest", "offered_forms", "round_create"]

MSG_FORBIDDEN = "Không được yêu cầu báo cáo nhân danh {unit}."
MSG_KIND = "loại kỳ “{kind}” không có; chọn một trong: {known}"
MSG_KIND_NOT_IN_FORM = "biểu mẫu “{code}” phiên bản {version} không dùng cho kỳ {kind} (dùng cho: {known})"
MSG_NUMBER = "quý phải từ 1 đến 4"
MSG_YEAR = "năm phải từ {low} đến {high}"
MSG_DELIVERY = "phương thức gửi, nhận “{value}” không có; chọn một trong: {known}"
YEAR_MIN, YEAR_MAX = 2000, 2099  # the years a round may be about (the API's schema takes these)
MSG_TOPIC = "báo cáo {kind} cần ghi nội dung yêu cầu báo cáo"
MSG_WINDOW = "báo cáo {kind} cần ngày bắt đầu và ngày kết thúc chốt số liệu"
MSG_WINDOW_ORDER = "ngày bắt đầu chốt số liệu phải trước ngày kết thúc"
MSG_DUE = "hạn gửi không được trước ngày chốt số liệu ({day})"
MSG_LOCK = "ngày khóa sửa không được trước hạn gửi"
MSG_NO_RESPONDENTS = "chưa chọn đơn vị phải báo cáo"
MSG_NOT_CHILD = "{unit} không trực thuộc {asker}"
MSG_LEVEL = "{unit} không phải cấp {level}, cấp của biểu mẫu “{code}”"
MSG_GONE = "{unit} không còn hiệu lực vào ngày {day}"
MSG_CODE_TAKEN = "đã có kỳ báo cáo mã “{code}”"
LEVEL_WORDS = {"commune": "xã", "district": "huyện", "province": "tỉnh"}


class RoundError(ValueError):
    """A round that cannot be created; ``problems`` lists every reason, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class RoundForbidden(RoundError):
    """The user may not ask in the name of that unit."""


@dataclass
class RoundRequest:
    """What the asking level chooses. Periodic rounds may leave the window empty: Điều 12's is taken."""

    requested_by: OrgUnit
    definition_code: str
    definition_version: int
    period_type: str
    year: int
    due_date: date
    respondents: list[OrgUnit] = field(default_factory=list)
    period_number: int = 1
    window_start: date | None = None
    window_end: date | None = None
    lock_date: date | None = None
    topic: str = ""
    basis: str = ""
    delivery: str = Round.Delivery.SYSTEM
    title: str = ""
    code: str = ""


def offered_forms(unit: OrgUnit) -> list[FormVersion]:
    """Published form versions ``unit`` may ask its units to fill in: the ministry's and its province's;
    without their content (``spec``, ≈ 90 KB of JSON to parse each), which no caller reads."""
    forms = FormVersion.objects.published().offered_to(unit).select_related("owner").defer("spec")
    return list(forms.order_by("code", "-version"))


@transaction.atomic
def round_create(*, request: RoundRequest, user: User | AnonymousUser) -> Round:
    """Check everything, then store the round with its respondents and one audit row per field."""
    asker = request.requested_by
    if not access.can_request_round(user, asker):
        raise RoundForbidden([MSG_FORBIDDEN.format(unit=asker.full_name)])
    problems = _problems(request)
    if problems:
        raise RoundError(problems)
    window_start, window_end = _window(request)
    round_ = Round(
        code=request.code or _code(request),
        title=request.title.strip() or _title(request, window_start, window_end),
        definition_code=request.definition_code,
        definition_version=request.definition_version,
        period_type=request.period_type,
        year=request.year,
        period_number=request.period_number if request.period_type == Round.PeriodType.QUARTER else 1,
        window_start=window_start,
        window_end=window_end,
        due_date=request.due_date,
        lock_date=request.lock_date or request.due_date,
        requested_by=asker,
        topic=request.topic.strip(),
        basis=request.basis.strip(),
        delivery=request.delivery,
    )
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError:
        raise RoundError([MSG_CODE_TAKEN.format(code=round_.code)]) from None
    round_.respondents.set(request.respondents)
    after = snapshot(round_) | {"respondents": ", ".join(sorted(str(u) for u in request.respondents))}
    record(user, round_, AdminChange.Action.ADD, {}, after)
    return round_


def _problems(request: RoundRequest) -> list[str]:
    kind = request.period_type
    if kind not in KIND_NAMES:
        return [MSG_KIND.format(kind=kind, known=", ".join(KIND_NAMES.values()).lower())]
    problem = round_form_problem(request.definition_code, request.definition_version, request.requested_by)
    if problem:
        return [problem]
    # The form's fields, not its content (``spec``, ≈ 90 KB of JSON: ≈ 1 ms a request to parse).
    form = FormVersion.objects.defer("spec").get(
        code=request.definition_code, version=request.definition_version, status=FormStatus.PUBLISHED
    )
    problems = _period_problems(request, form)
    if request.code and Round.objects.filter(code=request.code).exists():
        problems.append(MSG_CODE_TAKEN.format(code=request.code))
    return problems + _respondent_problems(request, form)


def _period_problems(request: RoundRequest, form: FormVersion) -> list[str]:
    kind, word = request.period_type, KIND_NAMES[request.period_type].lower()
    problems = []
    if not YEAR_MIN <= request.year <= YEAR_MAX:
        problems.append(MSG_YEAR.format(low=YEAR_MIN, high=YEAR_MAX))
    if request.delivery not in Round.Delivery.values:
        known = ", ".join(label.lower() for label in Round.Delivery.labels)
        problems.append(MSG_DELIVERY.format(value=request.delivery, known=known))
    if kind not in form.periods:
        known = ", ".join(KIND_NAMES[p].lower() for p in form.periods)
        problems.append(
            MSG_KIND_NOT_IN_FORM.format(code=form.code, version=form.version, kind=word, known=known)
        )
    if kind == Round.PeriodType.QUARTER and not 1 <= request.period_number <= 4:
        problems.append(MSG_NUMBER)
    if kind in AD_HOC_KINDS and not request.topic.strip():
        problems.append(MSG_TOPIC.format(kind=word))
    if kind in AD_HOC_KINDS and (request.window_start is None or request.window_end is None):
        problems.append(MSG_WINDOW.format(kind=word))
        return problems
    if problems:
        return problems
    start, end = _window(request)
    if start >= end:
        problems.append(MSG_WINDOW_ORDER)
    if request.due_date < end:
        problems.append(MSG_DUE.format(day=f"{end:%d/%m/%Y}"))
    if request.lock_date is not None and request.lock_date < request.due_date:
        problems.append(MSG_LOCK)
    return problems


def _respondent_problems(request: RoundRequest, form: FormVersion) -> list[str]:
    if not request.respondents:
        return [MSG_NO_RESPONDENTS]
    asker = request.requested_by
    problems = []
    day = request.window_end or request.due_date
    for unit in request.respondents:
        if unit.parent_id != asker.pk:
            problems.append(MSG_NOT_CHILD.format(unit=unit.full_name, asker=asker.full_name))
        elif unit.level != form.level:
            level = LEVEL_WORDS.get(form.level, form.level)
            problems.append(MSG_LEVEL.format(unit=unit.full_name, level=level, code=form.code))
        elif not OrgUnit.objects.filter(pk=unit.pk).valid_on(day).exists():
            problems.append(MSG_GONE.format(unit=unit.full_name, day=f"{day:%d/%m/%Y}"))
    return problems


def _window(request: RoundRequest) -> tuple[date, date]:
    """The requester's window, or for a periodic round left empty the one Điều 12 sets."""
    default = default_window(request.period_type, request.year, request.period_number)
    start = request.window_start or (default[0] if default else None)
    end = request.window_end or (default[1] if default else None)
    assert start is not None and end is not None  # ad hoc rounds without a window were refused above
    return start, end


def _code(request: RoundRequest) -> str:
    """ "cchc-xa-quy-2025-quarter-2-063"; an ad hoc round by its window's end ("…-thematic-20250531-063")."""
    kind = request.period_type
    if kind in AD_HOC_KINDS and request.window_end is not None:
        when = f"{request.window_end:%Y%m%d}"
    elif kind == Round.PeriodType.QUARTER:
        when = f"{request.year}-{request.period_number}"
    else:
        when = str(request.year)
    base = f"{request.definition_code}-{kind.replace('_', '-')}-{when}-{request.requested_by.code}"[:56]
    code, number = base, 2
    while Round.objects.filter(code=code).exists():
        code, number = f"{base}-{number}", number + 1
    return code


def _title(request: RoundRequest, start: date, end: date) -> str:
    """ "Báo cáo kết quả thực hiện công tác cải cách hành chính quý II năm 2025", "Báo cáo chuyên đề: …"."""
    kind = request.period_type
    if kind in AD_HOC_KINDS:
        return f"Báo cáo {KIND_NAMES[kind].lower()}: {request.topic.strip()}"[:200]
    form = FormVersion.objects.get(code=request.definition_code, version=request.definition_version)
    subject = str(form.spec.get("subject", form.title))
    label = period_label(kind, request.year, request.period_number, start, end)
    return f"Báo cáo {subject[:1].lower()}{subject[1:]} {label}"[:200]
