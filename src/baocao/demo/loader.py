"""Load the demo: Bạch Thông's units, its personas, the round for quý I năm 2024 and its reports.

Everything a report holds is written by ``reports.services``, acting as the demo's personas at the moments the
work would have happened (``time_machine`` travels to them), so the audit trail, the timestamps and the access
checks are those of real use. Loading is idempotent: what exists already (a unit, an account, the round, a
commune's report) is left exactly as it is, so a second load changes nothing, even after someone has worked
on the demo's reports in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from django.utils import timezone

from baocao.accounts.models import Membership, Role, User
from baocao.analysis.reminders import send_reminder
from baocao.core.values import load_demo_values
from baocao.demo import cam_giang
from baocao.demo.invented import EXPLANATIONS, GENERIC_EXPLANATION, invented_header, invented_values
from baocao.demo.plan import (
    ACCOUNTS,
    COMMUNES,
    PREVIOUS_LOCK,
    PREVIOUS_ROUND,
    REMINDER,
    ROUND,
    CommunePlan,
    DemoAccount,
    RoundPlan,
    demo_rounds,
    demo_shift,
    previous_round_plans,
)
from baocao.forms.registry import load_form
from baocao.reports import services
from baocao.reports.models import AuditEvent, Report, Value
from baocao.rounds.models import Reminder, Round
from baocao.units.dvhc import load_units_2025_03
from baocao.units.models import OrgUnit

__all__ = ["DemoSummary", "load_demo"]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "demo"
INVENTED_ORIGIN = (
    "Số liệu mẫu của bản chạy thử"  # what an invented report's history says its figures came from
)
PROVINCE, DISTRICT = "06", "063"
# When the district's letter asked for the seed's report (294/UBND-NV, 08/02/2024), before the demo moves it.
LETTER = datetime(2024, 2, 8, 8, 30)


@dataclass
class AccountRow:
    username: str
    role: str  # Vietnamese label
    unit: str  # "Xã Cẩm Giàng", or "Toàn hệ thống" for the administrator


@dataclass
class DemoSummary:
    units: int
    communes: int
    users: int
    reports: int
    values: int
    audit_events: int
    by_status: dict[str, int] = field(default_factory=dict)
    accounts: list[AccountRow] = field(default_factory=list)
    password: str = PASSWORD
    period: str = ""  # the current round's, "quý IV năm 2026"


Progress = Callable[[str, int, int], None]  # (what is being done, steps done, steps in all)


def load_demo(*, today: date | None = None, progress: Progress | None = None) -> DemoSummary:
    """Load (or complete) the demo in the configured database and say what it holds.

    ``today`` sets the round's lock date when the round is first created (today + 365 days), and moves
    every date of the story (rounds' windows and deadlines, when each report was typed, signed, sent,
    returned, accepted, its document date) by the same number of days, so that the story ends the day before
    ``today`` and the current round reads as live (its deadline eight days ago, returns still being handled).
    The rounds are named after the quarters their moved dates fall in (``demo_rounds``), and Cẩm Giàng's
    narrative follows (``cam_giang.narrative_for``); its figures stay the seed's.
    """
    today = today or timezone.localdate()
    shift = demo_shift(today)
    known = _Known()
    current, previous = demo_rounds(today)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("Đơn vị hành chính", lambda: load_units_2025_03(district_codes={DISTRICT})),
        ("Tài khoản", _ensure_accounts),
        (
            "Kỳ báo cáo quý trước",
            lambda: _ensure_round(previous, PREVIOUS_LOCK + shift, datetime(2023, 11, 8, 8, 30) + shift),
        ),
        (
            "Kỳ báo cáo",
            lambda: _ensure_round(current, today + timedelta(days=365), LETTER + shift),
        ),
    ]
    steps += [
        (f"Quý trước: {plan.name}", partial(_ensure_report, PREVIOUS_ROUND, plan, shift, known))
        for plan in previous_round_plans(COMMUNES)
    ]
    steps += [
        (f"Báo cáo {plan.name}", partial(_ensure_report, ROUND, plan, shift, known))
        for plan in COMMUNES
        if plan.status is not None
    ]
    steps.append(("Lời nhắc", partial(_ensure_reminder, shift, known)))
    steps.append(("Ký số (chứng thư DEMO)", _ensure_signing))
    for done, (label, step) in enumerate(steps):
        if progress is not None:
            progress(label, done, len(steps))
        with transaction.atomic():
            step()
    if progress is not None:
        progress("Xong", len(steps), len(steps))
    return summarize()


# ---------------------------------------------------------------------------------------------- accounts


def _ensure_accounts() -> None:
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(username=account.username)
        if created:
            user.full_name = account.full_name
            user.job_title = account.job_title
            user.is_superuser = user.is_staff = account.superuser
            user.set_password(PASSWORD)
            user.save()
        if account.role is not None and account.unit_code is not None:
            Membership.objects.get_or_create(user=user, unit=_unit(account.unit_code), role=account.role)


def _unit(code: str) -> OrgUnit:
    # With its parent: a commune's report is addressed to it (``services.report_open``, ``_invented_header``).
    return OrgUnit.objects.valid_on(date(2024, 1, 1)).select_related("parent").get(code=code)


@dataclass
class _Known:
    """What a load reads once, the same objects for every step: an account (what it may do, its memberships,
    is kept on it by ``access``) and a round (its form is kept on it, ``services.definition_of``)."""

    users: dict[str, User] = field(default_factory=dict)
    rounds: dict[str, Round] = field(default_factory=dict)


def _user(known: _Known, username: str) -> User:
    if username not in known.users:
        known.users[username] = User.objects.get(username=username)
    return known.users[username]


def _round(known: _Known, code: str) -> Round:
    if code not in known.rounds:
        known.rounds[code] = Round.objects.get(code=code)
    return known.rounds[code]


# ---------------------------------------------------------------------------------------------- round


def _ensure_round(plan: RoundPlan, lock_date: date, asked_at: datetime) -> Round:
    """``lock_date`` is a local rule set by the asking level. The current round is long past its real
    deadline, yet its clerks must still be able to type in the browser: the loader locks it a year after the
    demo was first loaded, and keeps that date on later loads. ``asked_at``: when the district's letter
    asked (for the seed's quý I năm 2024, letter 294/UBND-NV of 08/02/2024). ``plan``'s dates are already
    moved to the day the demo is loaded (``demo_rounds``)."""
    round_ = Round.objects.filter(code=plan.code).first()
    if round_ is None:
        definition = load_form(plan.definition_code)
        with _at(asked_at):
            round_ = Round.objects.create(
                **asdict(plan),
                definition_version=definition.version,
                requested_by=_unit(DISTRICT),
                lock_date=lock_date,
            )
    communes = OrgUnit.objects.subtree(_unit(DISTRICT)).filter(level=OrgUnit.Level.COMMUNE)
    round_.respondents.add(*communes)
    return round_


def _at(moment: datetime) -> time_machine.travel:
    return time_machine.travel(moment.replace(tzinfo=TZ), tick=False)


# ---------------------------------------------------------------------------------------------- reports


def _ensure_report(round_plan: RoundPlan, plan: CommunePlan, shift: timedelta, known: _Known) -> None:
    round_ = _round(known, round_plan.code)
    unit = _unit(plan.code)
    if Report.objects.filter(round=round_, unit=unit).exists():
        return
    author = _user(known, plan.author)
    services.definition_of(round_)  # found once: each change finds it on the round (``common.locked``)
    with _at(plan.typed_at + shift):
        report = services.report_open(round_=round_, unit=unit, user=author)
        if plan.code == cam_giang.UNIT_CODE and round_plan.code == ROUND.code:
            _type_cam_giang(report, author, shift)
        else:
            Report.objects.filter(pk=report.pk).update(is_demo=True)
            _type_invented(report, author, plan, shift, period=0 if round_plan.code == ROUND.code else 1)
    _advance(report, plan, shift, known)


def _type_values(report: Report, user: User, values: dict[str, str]) -> None:
    """Typed cell by cell, in the form's order, each with its own audit row (the seed's report keeps its
    history as the clerk typed it); saved in one go so that the report is evaluated once, not per cell."""
    definition = services.definition_of(report.round)
    typed: dict[str, str] = {}
    for item in definition.input_items:
        raw = values.get(item.code)
        # Blank means "not reported": nothing to store. Computed rows are never typed.
        if raw is not None and str(raw).strip():
            typed[item.code] = str(raw)
    services.report_set_values(report=report, user=user, values=typed)


def _type_cam_giang(report: Report, user: User, shift: timedelta) -> None:
    seed_values = {code: str(raw) for code, raw in load_demo_values().items() if raw is not None}
    _type_values(report, user, seed_values)
    round_ = report.round
    narrative = cam_giang.narrative_for(round_.period_label, round_.year, shift)
    for section, text in narrative.items():
        if text:
            services.report_set_narrative(report=report, user=user, section=section, text=text)
    report.refresh_from_db()
    header = cam_giang.HEADER | {"document_date": cam_giang.DOCUMENT_DATE + shift}
    services.report_set_header(report=report, user=user, fields=header)


def _type_invented(report: Report, user: User, plan: CommunePlan, shift: timedelta, period: int) -> None:
    values = invented_values(plan.code, with_warning=plan.with_warning, period=period)
    for code in plan.left_blank:
        values.pop(code, None)
    # Typed in one audited change (the seed's report keeps its cell-by-cell history): saving ~70 cells one
    # by one re-evaluated the whole report each time, most of the time the demo took to load.
    typed = {code: str(raw) for code, raw in values.items() if raw is not None and str(raw).strip()}
    imported = services.report_import(
        report=report, user=user, values=typed, origin=INVENTED_ORIGIN, source=Value.Source.TYPED
    )
    if plan.ready_at is not None or plan.sent_at is not None:
        services.report_set_header(report=report, user=user, fields=_invented_header(report, plan, shift))
    # The import's own evaluation is the stored values' (the header holds no figure): not evaluated again.
    for finding in services.sending_blockers(report, imported.evaluation).unexplained:
        text = EXPLANATIONS.get(finding.rule, GENERIC_EXPLANATION)
        services.report_explain(report=report, user=user, rule=finding.rule, text=text)


def _invented_header(report: Report, plan: CommunePlan, shift: timedelta) -> dict[str, object]:
    """Number, date and signer of an invented report that its leader signs: a sent or accepted report always
    shows them, as a real one would."""
    signed = plan.ready_at or plan.sent_at
    assert signed is not None
    district = report.unit.parent
    addressee = district.council_name if district is not None else cam_giang.HEADER["addressee"]
    return {
        **cam_giang.HEADER,
        **invented_header(plan.code, report.unit.name, (signed + shift).date()),
        "addressee": addressee,
    }


def _advance(report: Report, plan: CommunePlan, shift: timedelta, known: _Known) -> None:
    """Take the report through the workflow to its planned status, each step at its planned moment."""
    if plan.ready_at is not None:
        with _at(plan.ready_at + shift):
            services.report_mark_ready(report=report, user=_user(known, plan.author))
    if plan.sent_at is not None:
        with _at(plan.sent_at + shift):
            services.report_send(report=report, user=_user(known, plan.sender))
    if plan.returned_at is not None:
        with _at(plan.returned_at + shift):
            services.report_return(report=report, user=_user(known, plan.reviewer), reason=plan.return_reason)
    if plan.accepted_at is not None:
        with _at(plan.accepted_at + shift):
            services.report_accept(report=report, user=_user(known, plan.reviewer))


def _ensure_reminder(shift: timedelta, known: _Known) -> None:
    unit_code, reviewer, moment = REMINDER
    round_, unit = _round(known, ROUND.code), _unit(unit_code)
    if Reminder.objects.filter(round=round_, unit=unit).exists():
        return
    with _at(moment + shift):
        send_reminder(round_=round_, unit=unit, user=_user(known, reviewer))


def _ensure_signing() -> None:
    """Cẩm Giàng's sent reports signed with the demo's keys (baocao.signing.demo)."""
    from baocao.signing.demo import ensure_demo_signing

    ensure_demo_signing()


# ---------------------------------------------------------------------------------------------- summary


def summarize() -> DemoSummary:
    round_ = Round.objects.filter(code=ROUND.code).first()
    reports = Report.objects.filter(round=round_)
    codes = [PROVINCE, DISTRICT, *(plan.code for plan in COMMUNES)]
    by_status: dict[str, int] = {}
    for status in reports.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    return DemoSummary(
        units=OrgUnit.objects.valid_on(date(2024, 1, 1)).filter(code__in=codes).count(),
        communes=round_.respondents.count() if round_ else 0,
        users=User.objects.filter(username__in=[a.username for a in ACCOUNTS]).count(),
        reports=reports.count(),
        values=Value.objects.filter(report__in=reports).count(),
        audit_events=AuditEvent.objects.filter(report__in=reports).count(),
        by_status=by_status,
        accounts=[_account_row(account) for account in ACCOUNTS],
        period=round_.period_label if round_ else "",
    )


def _account_row(account: DemoAccount) -> AccountRow:
    if account.role is None or account.unit_code is None:
        return AccountRow(account.username, "Quản trị hệ thống", "Toàn hệ thống")
    return AccountRow(account.username, Role(account.role).label, _unit(account.unit_code).full_name)
