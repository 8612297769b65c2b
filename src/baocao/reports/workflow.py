"""A report's states, one function per change: atomic, access-checked, audited, rollups kept in step.

Trình ký (mark ready) → the leader reviews and sends (Gửi) or gives it back to the clerk; the level it is
addressed to returns it (with a reason and remarks on rows) or accepts it; an accepted report may be reopened.
Called through ``services`` by the web views, the API and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from baocao.access import Action, Target, require
from baocao.analysis import rollups
from baocao.core.evaluate import Evaluation, Finding
from baocao.reports.common import WorkflowError, audit, bump, definition_of, locked, report_evaluation
from baocao.reports.models import AuditEvent, Report, RowComment, Status, Value
from baocao.signing.models import SigningKey

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "REQUIRED_HEADER",
    "Blockers",
    "MissingField",
    "given_back",
    "latest_return",
    "report_accept",
    "report_give_back",
    "report_mark_ready",
    "report_reopen",
    "report_return",
    "report_send",
    "row_comments",
    "sending_blockers",
    "unexplained_warnings",
]

MSG_REASON = "Cần ghi lý do."
MSG_NOT_READY = "Chưa trình ký được: {what}."
MSG_BLOCKED = "Chưa gửi được: {what}."
MSG_ERRORS = "{count} lỗi cần sửa"
MSG_UNEXPLAINED = "{count} cảnh báo chưa giải trình"
MSG_MISSING = "thiếu {fields} trong Thông tin văn bản"
MSG_UNCONFIRMED = "{count} số liệu sao chép từ kỳ trước chưa được xác nhận ({codes})"
MSG_SIGN = (
    "Bạn đã được đăng ký chữ ký số: hãy gửi bằng “Ký số và gửi báo cáo” để văn bản gửi đi là bản đã ký."
)
MSG_UNKNOWN_ROW = "Không có chỉ tiêu mã {code} trong biểu mẫu để nhận xét."
# What the official document needs (Nghị định 30/2020) before it can leave the unit.
REQUIRED_HEADER = (
    ("number", "số văn bản"),
    ("number_suffix", "ký hiệu văn bản"),
    ("document_date", "ngày văn bản"),
    ("place", "địa danh"),
    ("signer_authority", "thẩm quyền ký"),
    ("signer_title", "chức vụ người ký"),
    ("signer_name", "họ và tên người ký"),
    ("recipients", "nơi nhận"),
)


@dataclass(frozen=True)
class MissingField:
    """A header field the document needs and the report lacks; ``anchor`` is the field's id on the page."""

    name: str
    label: str

    @property
    def anchor(self) -> str:
        return f"header-{self.name}"

    @property
    def message(self) -> str:
        return f"Chưa có {self.label}."


@dataclass
class Blockers:
    """What stops the report from being sent: errors, warnings without an explanation, figures copied from the
    previous period that nobody has confirmed (last quarter's numbers must not leave as this quarter's), and
    the missing header fields."""

    errors: list[Finding] = field(default_factory=list)
    unexplained: list[Finding] = field(default_factory=list)
    missing: list[MissingField] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.errors or self.unexplained or self.missing or self.unconfirmed)

    @property
    def before_signing(self) -> list[str]:
        """What the clerk must settle before Trình ký (the rest is the leader's to settle)."""
        parts = []
        if self.errors:
            parts.append(MSG_ERRORS.format(count=len(self.errors)))
        if self.unconfirmed:
            parts.append(
                MSG_UNCONFIRMED.format(count=len(self.unconfirmed), codes=", ".join(self.unconfirmed))
            )
        return parts

    @property
    def message(self) -> str:
        parts = self.before_signing
        if self.unexplained:
            parts.append(MSG_UNEXPLAINED.format(count=len(self.unexplained)))
        if self.missing:
            parts.append(MSG_MISSING.format(fields=", ".join(m.label for m in self.missing)))
        return MSG_BLOCKED.format(what="; ".join(parts))


def missing_header(report: Report) -> list[MissingField]:
    missing = []
    for name, label in REQUIRED_HEADER:
        value = getattr(report, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(MissingField(name, label))
    return missing


def sending_blockers(report: Report, evaluation: Evaluation | None = None) -> Blockers:
    evaluation = evaluation or report_evaluation(report)
    explained = set(report.explanations.values_list("rule", flat=True))
    unexplained = unexplained_warnings(evaluation, explained)
    return Blockers(list(evaluation.errors), unexplained, missing_header(report), unconfirmed_copies(report))


def unexplained_warnings(evaluation: Evaluation, explained: Collection[str]) -> list[Finding]:
    """The warnings whose rule has no explanation among ``explained`` (rule codes)."""
    return [f for f in evaluation.warnings if f.rule not in explained]


def unconfirmed_copies(report: Report) -> list[str]:
    """Codes of the cells still holding a figure copied from the previous period, in the form's order."""
    copied = set(report.values.filter(source=Value.Source.COPIED).values_list("code", flat=True))
    if not copied:
        return []
    return [code for code in definition_of(report.round).by_code if code in copied]


def _transition(report: Report, user: User, action: Action) -> Report:
    report = locked(report)
    require(user, action, Target.of(report))
    return report


@transaction.atomic
def report_mark_ready(*, report: Report, user: User) -> Report:
    """Trình ký: from now on only the leader changes the report, until they send it or give it back."""
    report = _transition(report, user, Action.MARK_READY)
    unsettled = sending_blockers(report).before_signing
    if unsettled:
        raise WorkflowError(MSG_NOT_READY.format(what="; ".join(unsettled)))
    _set_status(report, user, Status.READY, AuditEvent.Action.READY, ready_at=timezone.now())
    return report


@transaction.atomic
def report_give_back(*, report: Report, user: User, reason: str = "") -> Report:
    """The leader hands a report marked ready back to the clerk, who may edit it again."""
    report = _transition(report, user, Action.GIVE_BACK)
    _set_status(report, user, Status.DRAFT, AuditEvent.Action.GIVE_BACK, note=reason.strip(), ready_at=None)
    return report


@transaction.atomic
def report_send(*, report: Report, user: User, signed: bool = False) -> Report:
    """``signed``: the signing service has just signed the report (its official copy is stored in the same
    transaction). A leader with a registered signing key never sends unsigned, by any path."""
    report = _transition(report, user, Action.SEND)
    blockers = sending_blockers(report)
    if blockers:
        raise WorkflowError(blockers.message)
    if not signed and SigningKey.objects.leader_keys(report.unit, user).exists():
        raise WorkflowError(MSG_SIGN)
    _set_status(report, user, Status.SENT, AuditEvent.Action.SEND, sent_at=timezone.now(), sent_by=user)
    return report


@transaction.atomic
def report_return(
    *, report: Report, user: User, reason: str, comments: Mapping[str, str] | None = None
) -> Report:
    """Trả lại with a reason and, optionally, a remark on rows (code → text); each remark is audited."""
    report = _transition(report, user, Action.RETURN)
    remarks = {code: text.strip() for code, text in (comments or {}).items() if text.strip()}
    definition = definition_of(report.round)
    for code in remarks:
        if code not in definition.by_code:
            raise WorkflowError(MSG_UNKNOWN_ROW.format(code=code))
    event = _give_back(report, user, AuditEvent.Action.RETURN, reason, decided_at=timezone.now())
    for code, text in remarks.items():
        RowComment.objects.create(report=report, code=code, text=text, author=user, returned_in=event)
        audit(report, user, AuditEvent.Action.COMMENT, target=code, new=text)
    return report


@transaction.atomic
def report_accept(*, report: Report, user: User) -> Report:
    report = _transition(report, user, Action.ACCEPT)
    _set_status(report, user, Status.ACCEPTED, AuditEvent.Action.ACCEPT, decided_at=timezone.now())
    return report


@transaction.atomic
def report_reopen(*, report: Report, user: User, reason: str) -> Report:
    """The receiving level opens an accepted report (or one the lock date caught) again for correction."""
    report = _transition(report, user, Action.REOPEN)
    _give_back(report, user, AuditEvent.Action.REOPEN, reason)
    return report


def _give_back(report: Report, user: User, action: str, reason: str, **changes: Any) -> AuditEvent:
    """Return or reopen: the commune corrects the report. Done past the lock date, a reviewer means the
    report to be corrected all the same, so it becomes editable again."""
    if not reason.strip():
        raise WorkflowError(MSG_REASON)
    past_lock = report.round.is_locked_on(timezone.localdate())
    return _set_status(
        report,
        user,
        Status.RETURNED,
        action,
        note=reason.strip(),
        return_reason=reason.strip(),
        editable_after_lock=past_lock or report.editable_after_lock,
        **changes,
    )


def _set_status(
    report: Report, user: User, status: str, action: str, note: str = "", **changes: Any
) -> AuditEvent:
    old = report.status
    report.status = status
    for name, value in changes.items():
        setattr(report, name, value)
    report.save()
    # Rollups of every unit above follow in this same transaction (sent and accepted reports are counted).
    rollups.status_changed(report, old, status)
    event = audit(report, user, action, target="status", old=old, new=status + (f": {note}" if note else ""))
    bump(report)
    return event


def latest_return(report: Report) -> AuditEvent | None:
    """The last time the level above gave the report back (returned or reopened it)."""
    returns = report.audit.filter(action__in=[AuditEvent.Action.RETURN, AuditEvent.Action.REOPEN])
    return returns.order_by("-at", "-pk").first()


def given_back(report: Report) -> tuple[AuditEvent, str] | None:
    """While a draft: the leader's give-back that made it one, and what they asked to change."""
    if report.status != Status.DRAFT:
        return None
    last = report.audit.filter(target="status").order_by("-at", "-pk").first()
    if last is None or last.action != AuditEvent.Action.GIVE_BACK:
        return None
    return last, last.new.partition(": ")[2]


def row_comments(report: Report) -> dict[str, list[RowComment]]:
    """Remarks on rows from the report's last return, by row code; none once the report is accepted."""
    if report.status == Status.ACCEPTED:
        return {}
    last = latest_return(report)
    if last is None:
        return {}
    by_code: dict[str, list[RowComment]] = {}
    for comment in RowComment.objects.filter(returned_in=last).select_related("author"):
        by_code.setdefault(comment.code, []).append(comment)
    return by_code
