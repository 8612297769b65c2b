"""What every change to a report shares: errors, definition and evaluation, the audit row, the version.

``services`` (content) and ``workflow`` (states) build on these; callers use ``services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from baocao.core.definition import Definition
from baocao.core.evaluate import Evaluation, evaluate
from baocao.forms.registry import definition_for_round
from baocao.reports.models import AuditEvent, Report
from baocao.rounds.models import Round

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = ["ConflictError", "WorkflowError", "audit", "bump", "definition_of", "report_evaluation"]


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


def report_evaluation(report: Report, raw_values: dict[str, str] | None = None) -> Evaluation:
    """The core evaluation of the report's values as stored: the only place its figures are computed."""
    return evaluate(definition_of(report.round), report.raw_values() if raw_values is None else raw_values)


def audit(
    report: Report, user: User | None, action: str, target: str = "", old: str = "", new: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(report=report, user=user, action=action, target=target, old=old, new=new)


def bump(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())
    report.refresh_from_db(fields=["version", "updated_at"])
