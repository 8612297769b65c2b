"""The inbox (what concerns me, what is due) and the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from baocao import access
from baocao.access import Action
from baocao.accounts.models import Role
from baocao.analysis.reminders import unit_reminders
from baocao.analysis.services import completeness
from baocao.reports.models import Status
from baocao.reports.presenters import NEXT_STEP


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    own_units = [m.unit for m in access.memberships(request.user) if m.role in (Role.CLERK, Role.LEADER)]
    tasks: list[dict[str, Any]] = []
    rounds = list(access.visible_rounds(request.user).filter(respondents__in=own_units).distinct())
    reminders = unit_reminders(own_units, rounds)
    for target in access.targets_of(rounds, own_units):
        round_, unit, report = target.round, target.unit, target.report
        tasks.append(
            {
                "round": round_,
                "unit": unit,
                "report": report,
                "status": report.get_status_display() if report else "Chưa bắt đầu",
                "status_code": report.status if report else "not_started",
                "days_left": round_.days_left(today),
                "next_step": NEXT_STEP[report.status if report else None],  # type: ignore[index]
                "can_edit": access.can(request.user, Action.EDIT, target),
                "done": report is not None and report.status in (Status.SENT, Status.ACCEPTED),
                "reminder": reminders.get((round_.pk, unit.pk)),
            }
        )
    overseen = []
    for round_ in access.visible_rounds(request.user).select_related("requested_by"):
        if not access.can_oversee_round(request.user, round_):
            continue
        done = completeness(round_, None, remind=False)
        overseen.append(
            {
                "round": round_,
                "expected": done.expected,
                "sent": done.sent,
                "to_review": done.sent - done.accepted,  # sent, not yet accepted
                "days_left": round_.days_left(today),
            }
        )
    context = {
        "tasks": tasks,
        "overseen": overseen,
        "today": today,
        "can_request": access.round_requesters(request.user).exists(),
    }
    return render(request, "web/inbox.html", context)
