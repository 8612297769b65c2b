"""Reminders to units that have not sent their report: by a reviewer from "Đơn vị cần nhắc", or automatically
some days before the deadline (``baocao remind``, run by cron). Each one shows on the unit's inbox and goes by
email to the unit's clerks and leaders through Django's email backend. At most one per unit, round and day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from baocao import access
from baocao.accounts.models import Membership, Role
from baocao.reports.common import WorkflowError
from baocao.reports.models import Report, Status
from baocao.rounds.models import Reminder, Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = ["RemindRun", "remind_due", "remind_unsent", "send_reminder", "unit_reminders"]

SUBJECT = "Nhắc gửi báo cáo: {title}"
BODY = (
    "Kính gửi {unit},\n\n{who} nhắc: đơn vị chưa gửi {title} ({period}). Hạn gửi: {due:%d/%m/%Y} ({left}).\n"
    "Đăng nhập để hoàn thành và gửi báo cáo: {url}\n\nTin nhắn tự động từ hệ thống báo cáo CCHC."
)
MSG_ALREADY_SENT = "{unit} đã gửi báo cáo kỳ này; không cần nhắc."
MSG_TODAY = "{unit} đã được nhắc hôm nay ({day:%d/%m/%Y}); mỗi ngày nhắc một lần."
MSG_NOT_RESPONDENT = "{unit} không thuộc danh sách phải báo cáo của kỳ này."
MSG_RUN = "{rounds} kỳ sắp đến hạn: đã nhắc {reminded} đơn vị; {skipped} đơn vị đã được nhắc hôm nay."
SENT = (Status.SENT, Status.ACCEPTED)


def _left(round_: Round, today: date) -> str:
    days = round_.days_left(today)
    if days > 0:
        return f"còn {days} ngày"
    return "hôm nay là hạn cuối" if days == 0 else f"đã quá hạn {-days} ngày"


def _recipients(unit: OrgUnit) -> list[str]:
    members = Membership.objects.filter(unit=unit, role__in=(Role.CLERK, Role.LEADER), user__is_active=True)
    return sorted({m.user.email for m in members.select_related("user") if m.user.email})


def _message(round_: Round, unit: OrgUnit, user: User | None, today: date) -> str:
    url = settings.BAOCAO_SITE_URL.rstrip("/") + f"/reports/{round_.code}/{unit.code}/"
    who = f"{user} ({round_.requested_by.full_name})" if user else round_.requested_by.full_name
    return BODY.format(
        unit=unit.council_name,
        who=who,
        title=round_.title,
        period=round_.period_label,
        due=round_.due_date,
        left=_left(round_, today),
        url=url,
    )


def send_reminder(*, round_: Round, unit: OrgUnit, user: User | None, today: date | None = None) -> Reminder:
    """Remind ``unit`` about ``round_``: as ``user`` (access-checked) or, with no user, the scheduler. Raises
    WorkflowError when the unit has sent, is not asked, or was already reminded that day."""
    if user is not None and not access.can_remind(user, round_, unit):
        raise PermissionDenied
    today = today or timezone.localdate()
    if not round_.respondents.filter(pk=unit.pk).exists():
        raise WorkflowError(MSG_NOT_RESPONDENT.format(unit=unit.full_name))
    if Report.objects.filter(round=round_, unit=unit, status__in=SENT).exists():
        raise WorkflowError(MSG_ALREADY_SENT.format(unit=unit.full_name))
    message = _message(round_, unit, user, today)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                round=round_, unit=unit, day=today, sent_by=user, message=message
            )
    except IntegrityError:
        raise WorkflowError(MSG_TODAY.format(unit=unit.full_name, day=today)) from None
    _email(reminder, round_)
    return reminder


def _email(reminder: Reminder, round_: Round) -> None:
    """The reminder stands on the inbox even if the mail server is down; the failure is recorded."""
    to = _recipients(reminder.unit)
    if not to:
        return
    try:
        send_mail(SUBJECT.format(title=round_.title), reminder.message, settings.DEFAULT_FROM_EMAIL, to)
    except OSError as error:
        reminder.email_error = str(error)[:500]
    else:
        reminder.emailed_to = ", ".join(to)
    Reminder.objects.filter(pk=reminder.pk).update(
        emailed_to=reminder.emailed_to, email_error=reminder.email_error
    )


@dataclass
class RemindRun:
    rounds: int = 0
    reminded: int = 0
    skipped: int = 0  # already reminded that day

    def summary(self) -> str:
        return MSG_RUN.format(rounds=self.rounds, reminded=self.reminded, skipped=self.skipped)


def remind_due(
    *, days: int, today: date | None = None, progress: Callable[[int, int], None] | None = None
) -> RemindRun:
    """Automatic reminders: every unit that has not sent a round due within ``days`` days (and not locked).
    ``progress(done, total)`` is told after each unit (the background job's "12/40 đơn vị")."""
    today = today or timezone.localdate()
    run = RemindRun()
    due = Round.objects.filter(due_date__gte=today, due_date__lte=today + timedelta(days=days))
    pending: list[tuple[Round, OrgUnit]] = []
    for round_ in due.filter(lock_date__gte=today).select_related("requested_by"):
        run.rounds += 1
        sent = Report.objects.filter(round=round_, status__in=SENT).values("unit_id")
        pending += [(round_, unit) for unit in round_.respondents.exclude(pk__in=sent).order_by("path")]
    _send_all(run, pending, None, today, progress)
    return run


def _send_all(
    run: RemindRun,
    pending: list[tuple[Round, OrgUnit]],
    user: User | None,
    today: date,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Remind each (round, unit) in turn, counting the reminded and the skipped; progress after each."""
    if progress:
        progress(0, len(pending))
    for done, (round_, unit) in enumerate(pending, start=1):
        try:
            send_reminder(round_=round_, unit=unit, user=user, today=today)
        except WorkflowError:
            run.skipped += 1
        else:
            run.reminded += 1
        if progress:
            progress(done, len(pending))


def remind_unsent(
    *,
    round_: Round,
    unit: OrgUnit | None,
    user: User,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RemindRun:
    """A reviewer's "Nhắc các đơn vị chưa gửi": every unit of ``unit``'s subtree (None: the country) that has
    not sent ``round_``, each reminded as ``user`` by ``send_reminder`` (access-checked, once a day)."""
    if not access.can_remind(user, round_, unit):
        raise PermissionDenied
    today = today or timezone.localdate()
    run = RemindRun(rounds=1)
    sent = Report.objects.filter(round=round_, status__in=SENT).values("unit_id")
    waiting = round_.respondents.exclude(pk__in=sent)
    if unit is not None:
        waiting = waiting.filter(path__startswith=unit.path)
    _send_all(run, [(round_, each) for each in waiting.order_by("path")], user, today, progress)
    return run


def unit_reminders(units: list[OrgUnit], rounds: list[Round]) -> dict[tuple[int, int], Reminder]:
    """The latest reminder per (round, unit), for the inbox."""
    latest: dict[tuple[int, int], Reminder] = {}
    for reminder in Reminder.objects.filter(unit__in=units, round__in=rounds).select_related("sent_by"):
        latest.setdefault((reminder.round_id, reminder.unit_id), reminder)
    return latest
