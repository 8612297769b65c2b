"""What every change to a report shares: errors, definition and evaluation, the audit row, the version.

``services`` (content) and ``workflow`` (states) build on these; callers use ``services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from baocao.core.definition import Definition
from baocao.core.evaluate import Evaluation, evaluate
from baocao.forms.registry import definition_for_round, share_round_form
from baocao.reports.models import AuditEvent, Report, Status
from baocao.rounds.models import Round

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "ConflictError",
    "WorkflowError",
    "audit",
    "bump",
    "definition_of",
    "locked",
    "previous_report",
    "report_evaluation",
]


class WorkflowError(ValueError):
    """A change the report's state or content does not allow; ``str(error)`` is Vietnamese."""


class ConflictError(WorkflowError):
    """Someone else changed the same thing since the user last saw it; nothing was overwritten."""

    def __init__(self, message: str, *, theirs: str, yours: str) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.yours = yours


def definition_of(round_: Round) -> Definition:
    return definition_for_round(round_)


def locked(report: Report) -> Report:
    """``report`` read again and locked for a change, with its round and unit (each change checks access on
    both); the round keeps the form already found for the caller's copy, not read again."""
    fresh = Report.objects.select_for_update().select_related("round", "unit").get(pk=report.pk)
    if Report.round.is_cached(report):
        share_round_form(fresh.round, report.round)
    return fresh


def report_evaluation(
    report: Report, raw_values: dict[str, str] | None = None, *, previous: Report | bool | None = True
) -> Evaluation:
    """The core evaluation of the report's values as stored: the only place its figures are computed.

    A report at the definition's own level is also checked for plausibility: each item's bounds, and the
    distance from the unit's ``previous`` report (looked up unless given; a level above's sum: neither).
    """
    definition = definition_of(report.round)
    values = report.raw_values() if raw_values is None else raw_values
    own_level = report.unit.level == definition.spec.level
    if previous is True:  # not looked up by the caller yet
        previous = previous_report(report) if own_level and definition.compared else None
    before = previous.raw_values() if isinstance(previous, Report) and own_level else None
    return evaluate(definition, values, previous=before, plausibility=own_level)


def previous_report(report: Report) -> Report | None:
    """The unit's report of the period before, on the same definition and kind of period, as it was sent
    (a draft of an earlier period is no basis for comparison or copying). An ad hoc round (chuyên đề, đột
    xuất) has none: the request before it asked about something else."""
    round_ = report.round
    if round_.is_ad_hoc:
        return None
    return (
        Report.objects.filter(
            unit_id=report.unit_id,
            round__definition_code=round_.definition_code,
            round__period_type=round_.period_type,
            round__window_start__lt=round_.window_start,
            status__in=(Status.SENT, Status.ACCEPTED),
        )
        .order_by("-round__window_start")
        .first()
    )


def audit(
    report: Report, user: User | None, action: str, target: str = "", old: str = "", new: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(report=report, user=user, action=action, target=target, old=old, new=new)


def bump(report: Report, by: int = 1) -> None:
    """One more version of the report (``by``: as many as the changes it records)."""
    Report.objects.filter(pk=report.pk).update(version=F("version") + by, updated_at=timezone.now())
    report.refresh_from_db(fields=["version", "updated_at"])
