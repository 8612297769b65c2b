"""Filling a report from the unit's previous period: copy its figures into blank cells, then confirm them.

Service functions in the style of ``reports.services``: atomic, access-checked, audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from baocao.access import Action, Target, require
from baocao.reports.common import audit, bump, locked
from baocao.reports.models import AuditEvent, Report, Value
from baocao.reports.services import (
    WorkflowError,
    _confirm,
    definition_of,
    parse_for_item,
    previous_report,
)

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = ["report_confirm_copied", "report_copy_previous"]

MSG_NO_PREVIOUS = "Chưa có báo cáo kỳ trước đã gửi của đơn vị để lấy số liệu."
MSG_NOTHING_TO_COPY = "Không có ô trống nào lấy được số liệu từ kỳ trước; không có gì thay đổi."
MSG_NOTHING_TO_CONFIRM = "Không còn số liệu sao chép nào cần xác nhận."


@transaction.atomic
def report_copy_previous(*, report: Report, user: User) -> list[str]:
    """Fill the report's blank cells with the unit's figures of the previous period, as a starting point.

    Nothing typed is overwritten. Copied cells stay marked as copied until the clerk confirms or edits them.
    Returns the codes copied."""
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    previous = previous_report(report)
    if previous is None:
        raise WorkflowError(MSG_NO_PREVIOUS)
    definition = definition_of(report.round)
    existing = {value.code: value for value in Value.objects.filter(report=report)}
    copied: list[Value] = []
    for code, raw in previous.raw_values().items():
        item = definition.by_code.get(code)
        current = existing.get(code)
        if item is None or not item.is_input or not raw.strip() or (current and current.raw.strip()):
            continue
        value = current or Value(report=report, code=code)
        value.raw, value.number = raw, parse_for_item(definition, code, raw)
        value.source, value.updated_by = Value.Source.COPIED, user
        copied.append(value)
    if not copied:
        raise WorkflowError(MSG_NOTHING_TO_COPY)
    for value in copied:
        value.save()
    summary = "; ".join(f"{value.code}: {value.raw}" for value in copied)
    audit(report, user, AuditEvent.Action.COPY, target=previous.round.period_label, new=summary)
    bump(report)
    return [value.code for value in copied]


@transaction.atomic
def report_confirm_copied(*, report: Report, user: User) -> int:
    """The clerk has checked every figure copied from the previous period and keeps them as they are."""
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    values = list(Value.objects.filter(report=report, source=Value.Source.COPIED))
    if not values:
        raise WorkflowError(MSG_NOTHING_TO_CONFIRM)
    _confirm(report, user, values)
    return len(values)
