"""The audit trail as people read it: Vietnamese labels, row names instead of codes, figures instead of
placeholders. Used by the history page and by the review page's "what changed since it was returned"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from baocao.core.definition import CLOSING, OPENING, Definition
from baocao.core.evaluate import BUILTIN_RULES, Evaluation
from baocao.core.narrative import resolver
from baocao.core.templates import render
from baocao.reports.models import AuditEvent, Report, Status
from baocao.reports.presenters import CLOSING_TITLE, OPENING_TITLE, report_context, row_name
from baocao.reports.services import HEADER_FIELDS, definition_of, latest_return, report_evaluation

__all__ = ["EventView", "changes_since_return", "event_views"]

BLANK = "(trống)"
STATUS_TARGET = "Trạng thái"
BUILTIN_TARGET = "Kiểm tra tự động"
REASON = "{status} — lý do: {reason}"
CONTENT_ACTIONS = (
    AuditEvent.Action.VALUE,
    AuditEvent.Action.NOTE,
    AuditEvent.Action.NARRATIVE,
    AuditEvent.Action.HEADER,
    AuditEvent.Action.EXPLAIN,
    AuditEvent.Action.IMPORT,
)
STATUS_LABELS = dict(Status.choices)
HEADER_LABELS = {
    field.name: str(field.verbose_name).capitalize()
    for field in Report._meta.concrete_fields
    if field.name in HEADER_FIELDS
}


@dataclass(frozen=True)
class EventView:
    at: datetime
    who: str
    action: str
    target: str
    old: str
    new: str


class _Reader:
    """Names and texts of one report's audit events; the definition and evaluation are read once."""

    def __init__(self, report: Report) -> None:
        self.definition: Definition = definition_of(report.round)
        self.evaluation: Evaluation = report_evaluation(report)
        self.resolve = resolver(self.evaluation, report_context(report))
        self.sections = {section.code: section.title for section in self.definition.sections()}
        self.sections |= {OPENING: OPENING_TITLE, CLOSING: CLOSING_TITLE}
        self.rules = {rule.spec.code: rule for rule in self.definition.rules}

    def target(self, event: AuditEvent) -> str:
        action, target = event.action, event.target
        if target == "status":
            return STATUS_TARGET
        if action == AuditEvent.Action.HEADER:
            return HEADER_LABELS.get(target, target)
        if action == AuditEvent.Action.NARRATIVE:
            return self.sections.get(target, target)
        if action == AuditEvent.Action.EXPLAIN:
            return self._rule(target)
        if action in (AuditEvent.Action.VALUE, AuditEvent.Action.NOTE, AuditEvent.Action.COMMENT):
            return row_name(self.definition, target)
        return target

    def _rule(self, code: str) -> str:
        if code in BUILTIN_RULES:
            return BUILTIN_TARGET
        rule = self.rules.get(code)
        if rule is None:
            return code
        return "; ".join(row_name(self.definition, item) for item in rule.items)

    def text(self, event: AuditEvent, text: str) -> str:
        if event.target == "status":
            return self._status(text)
        if event.action == AuditEvent.Action.NARRATIVE:
            return render(text, self.resolve)
        if event.action == AuditEvent.Action.IMPORT:
            return self._import_summary(text)
        return text

    def _status(self, text: str) -> str:
        status, _, reason = text.partition(": ")
        label = STATUS_LABELS.get(status, status)
        return REASON.format(status=label, reason=reason) if reason else label

    def _import_summary(self, text: str) -> str:
        parts = []
        for part in text.split("; "):
            code, separator, change = part.partition(": ")
            if separator and code in self.definition.by_code:
                part = f"{row_name(self.definition, code)}: {change}"
            parts.append(part)
        return "; ".join(parts)

    def view(self, event: AuditEvent) -> EventView:
        return EventView(
            at=event.at,
            who=str(event.user) if event.user else "—",
            action=event.get_action_display(),
            target=self.target(event),
            old=self.text(event, event.old) or BLANK,
            new=self.text(event, event.new) or BLANK,
        )


def event_views(report: Report, events: QuerySet[AuditEvent]) -> list[EventView]:
    reader = _Reader(report)
    return [reader.view(event) for event in events.select_related("user")]


def changes_since_return(report: Report) -> tuple[AuditEvent | None, list[EventView]]:
    """The report's last return (or reopening), and every change of its content made after it, oldest
    first: what the leader and the reviewer look at before sending or accepting it again."""
    last = latest_return(report)
    if last is None:
        return None, []
    events = report.audit.filter(action__in=CONTENT_ACTIONS, pk__gt=last.pk).order_by("at", "pk")
    return last, event_views(report, events)
