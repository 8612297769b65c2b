"""Every change to a report, one function per change: atomic, access-checked, audited.

The web views, the API and the CLI call these and nothing else to change a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from baocao.access import Action, Target, require
from baocao.analysis import rollups
from baocao.core.definition import Definition, load_definition
from baocao.core.evaluate import Evaluation, Finding, evaluate, parse_input
from baocao.core.numbers import NumberFormatError
from baocao.reports.models import AuditEvent, Explanation, NarrativeText, Report, Status, Value
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "HEADER_FIELDS",
    "ConflictError",
    "SaveResult",
    "WorkflowError",
    "definition_of",
    "header_text",
    "import_preview",
    "parse_for_item",
    "previous_report",
    "report_accept",
    "report_evaluation",
    "report_explain",
    "report_import",
    "report_mark_ready",
    "report_open",
    "report_reopen",
    "report_return",
    "report_send",
    "report_set_header",
    "report_set_narrative",
    "report_set_note",
    "report_set_value",
    "sending_blockers",
]

MSG_NOT_INPUT = "Chỉ tiêu {code} được tính tự động, không nhập được."
MSG_UNKNOWN = "Không có chỉ tiêu mã {code} trong biểu mẫu."
MSG_REASON = "Cần ghi lý do."
MSG_EXPLANATION = "Cần ghi nội dung giải trình."
MSG_BLOCKED = "Chưa gửi được: {count} lỗi cần sửa và {unexplained} cảnh báo chưa giải trình."
MSG_NOT_READY = "Chưa trình ký được: còn {count} lỗi cần sửa."
MSG_CONFLICT = "Người khác vừa sửa ô này."
MSG_NOTE_CONFLICT = "Người khác vừa sửa ghi chú này; ghi chú bạn gõ chưa được lưu."
MSG_EXPLAIN_CONFLICT = "Người khác vừa sửa giải trình này; nội dung bạn gõ chưa được lưu."
MSG_HEADER_CONFLICT = "Thông tin văn bản vừa được người khác sửa; hãy tải lại trang để xem rồi sửa tiếp."
HEADER_FIELDS = (
    "number",
    "number_suffix",
    "document_date",
    "place",
    "addressee",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)


class WorkflowError(ValueError):
    """A change the report's state or content does not allow; ``str(error)`` is Vietnamese."""


class ConflictError(WorkflowError):
    """Someone else changed the same thing since the user last saw it; nothing was overwritten."""

    def __init__(self, message: str, *, theirs: str, yours: str) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.yours = yours


@dataclass
class SaveResult:
    report: Report
    value: Value
    evaluation: Evaluation
    changed: bool = True
    notes: list[str] = field(default_factory=list)


def definition_of(round_: Round) -> Definition:
    return load_definition(round_.definition_code)


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
    (a draft of an earlier period is no basis for comparison or copying)."""
    round_ = report.round
    earlier = Report.objects.filter(
        unit_id=report.unit_id,
        round__definition_code=round_.definition_code,
        round__period_type=round_.period_type,
        round__window_start__lt=round_.window_start,
        status__in=(Status.SENT, Status.ACCEPTED),
    )
    return earlier.order_by("-round__window_start").first()


def _audit(
    report: Report, user: User | None, action: str, target: str = "", old: str = "", new: str = ""
) -> None:
    AuditEvent.objects.create(report=report, user=user, action=action, target=target, old=old, new=new)


def _bump(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())
    report.refresh_from_db(fields=["version", "updated_at"])


def _default_recipients(unit: OrgUnit) -> str:
    parent = unit.parent
    lines = []
    if parent is not None:
        lines.append(
            f"- {'Phòng Nội vụ ' + parent.kind.lower() if parent.level == 'district' else 'Sở Nội vụ'};"
        )
    lines += ["- TT Đảng ủy, HĐND xã;", "- CT, PCT UBND xã;", "- Lưu: VT."]
    return "\n".join(lines)


@transaction.atomic
def report_open(*, round_: Round, unit: OrgUnit, user: User) -> Report:
    """The unit's report in the round, created with header defaults the first time an author opens it."""
    existing = Report.objects.filter(round=round_, unit=unit).first()
    if existing is not None:
        require(user, Action.VIEW, Target.of(existing))
        return existing
    require(user, Action.EDIT, Target(round_, unit))
    if not round_.respondents.filter(pk=unit.pk).exists():
        raise WorkflowError(f"{unit.full_name} không thuộc danh sách phải báo cáo của kỳ này.")
    report = Report.objects.create(
        round=round_,
        unit=unit,
        place=unit.name,
        recipients=_default_recipients(unit),
        addressee=f"UBND {unit.parent.kind.lower()} {unit.parent.name}" if unit.parent else "",
    )
    _audit(report, user, AuditEvent.Action.CREATE, new=str(report))
    return report


def parse_for_item(definition: Definition, code: str, raw: str) -> Decimal | None:
    """Read one typed value with the core's rules; raise WorkflowError with the Vietnamese reason."""
    item = definition.by_code.get(code)
    if item is None:
        raise WorkflowError(MSG_UNKNOWN.format(code=code))
    if not item.is_input:
        raise WorkflowError(MSG_NOT_INPUT.format(code=code))
    try:
        value, _ = parse_input(item, raw)
    except NumberFormatError as error:
        raise WorkflowError(str(error)) from None
    if isinstance(value, bool):
        return Decimal(int(value))
    return value if isinstance(value, Decimal) else None


@transaction.atomic
def report_set_value(
    *, report: Report, user: User, code: str, raw: str, previous: str | None = None
) -> SaveResult:
    """Save one typed value. ``previous`` is what the user's page showed; if the stored value has changed
    since, nothing is written and ConflictError carries both values."""
    report = Report.objects.select_for_update().select_related("round", "unit").get(pk=report.pk)
    require(user, Action.EDIT, Target.of(report))
    definition = definition_of(report.round)
    raw = raw.strip()
    number = parse_for_item(definition, code, raw)
    stored = Value.objects.filter(report=report, code=code).first()
    old_raw = stored.raw if stored else ""
    _refuse_if_changed(MSG_CONFLICT, old_raw, raw, previous)
    if stored is not None and stored.raw == raw:
        if stored.source == Value.Source.COPIED:  # typed again as it was copied: the clerk confirms it
            _confirm(report, user, [stored])
        return SaveResult(report, stored, report_evaluation(report), changed=False)
    if stored is None:
        stored = Value(report=report, code=code)
    stored.raw, stored.number, stored.updated_by = raw, number, user
    stored.source = Value.Source.TYPED
    stored.save()
    _audit(report, user, AuditEvent.Action.VALUE, target=code, old=old_raw, new=raw)
    _bump(report)
    return SaveResult(report, stored, report_evaluation(report))


@transaction.atomic
def report_set_note(
    *, report: Report, user: User, code: str, note: str, previous: str | None = None
) -> Value:
    """Save a row's note; ``previous`` (the note the page showed) guards against overwriting another's."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(user, Action.EDIT, Target.of(report))
    if code not in definition_of(report.round).by_code:
        raise WorkflowError(MSG_UNKNOWN.format(code=code))
    note = note.strip()
    stored, _ = Value.objects.get_or_create(report=report, code=code)
    _refuse_if_changed(MSG_NOTE_CONFLICT, stored.note, note, previous)
    if stored.note != note:
        _audit(report, user, AuditEvent.Action.NOTE, target=code, old=stored.note, new=note)
        stored.note = note
        stored.save(update_fields=["note", "updated_at"])
        _bump(report)
    return stored


def _refuse_if_changed(message: str, stored: str, typed: str, previous: str | None) -> None:
    """The one check of a concurrent edit: the user saw ``previous``, the database holds ``stored``. When
    they differ and the user typed something else again, saving would silently discard the other edit."""
    if previous is not None and previous.strip() != stored and typed != stored:
        raise ConflictError(message, theirs=stored, yours=typed)


@transaction.atomic
def report_set_narrative(
    *, report: Report, user: User, section: str, text: str, previous: str | None = None
) -> NarrativeText:
    """Save one narrative section as text with ``{code}`` placeholders (numbers stay bound to the table)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(user, Action.EDIT, Target.of(report))
    definition = definition_of(report.round)
    if section not in definition.narrative_codes():
        raise WorkflowError(f"Không có mục {section} trong phần thuyết minh.")
    # A part nobody has edited yet holds the definition's default paragraphs: that is what the page showed.
    stored, _ = NarrativeText.objects.get_or_create(
        report=report, section=section, defaults={"text": definition.narrative_default(section)}
    )
    _refuse_if_changed("Người khác vừa sửa đoạn này.", stored.text, text, previous)
    if stored.text != text:
        _audit(report, user, AuditEvent.Action.NARRATIVE, target=section, old=stored.text, new=text)
        stored.text = text
        stored.save(update_fields=["text", "updated_at"])
        _bump(report)
    return stored


@transaction.atomic
def report_set_header(
    *, report: Report, user: User, fields: dict[str, Any], originals: dict[str, str] | None = None
) -> Report:
    """Save the document's header. ``originals`` are the fields as the user's form showed them (as text): a
    field someone else changed meanwhile is not overwritten; the whole save is refused with both values."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(user, Action.EDIT, Target.of(report))
    changes = {
        name: fields[name]
        for name in HEADER_FIELDS
        if name in fields and getattr(report, name) != fields[name]
    }
    for name, new in changes.items():
        current = _text(getattr(report, name))
        if (
            originals is not None
            and name in originals
            and originals[name] != current
            and _text(new) != current
        ):
            raise ConflictError(MSG_HEADER_CONFLICT, theirs=current, yours=_text(new))
    if not changes:
        return report
    for name, new in changes.items():
        _audit(
            report,
            user,
            AuditEvent.Action.HEADER,
            target=name,
            old=_text(getattr(report, name)),
            new=_text(new),
        )
        setattr(report, name, new)
    report.save()
    _bump(report)
    return report


def header_text(report: Report, name: str) -> str:
    """A header field as its form shows it, for detecting concurrent edits."""
    return _text(getattr(report, name))


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


@transaction.atomic
def report_explain(
    *, report: Report, user: User, rule: str, text: str, previous: str | None = None
) -> Explanation:
    """Explain a warning; ``previous`` (the text the page showed, blank if none) guards as for notes."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(user, Action.EDIT, Target.of(report))
    text = text.strip()
    if not text:
        raise WorkflowError(MSG_EXPLANATION)
    stored = Explanation.objects.filter(report=report, rule=rule).first()
    old = stored.text if stored else ""
    _refuse_if_changed(MSG_EXPLAIN_CONFLICT, old, text, previous)
    if stored is not None and stored.text == text:
        return stored
    if stored is None:
        stored = Explanation(report=report, rule=rule)
    stored.text, stored.author = text, user
    stored.save()
    _audit(report, user, AuditEvent.Action.EXPLAIN, target=rule, old=old, new=text)
    _bump(report)
    return stored


def _confirm(report: Report, user: User, values: list[Value]) -> None:
    for value in values:
        value.source, value.updated_by = Value.Source.TYPED, user
        value.save(update_fields=["source", "updated_by", "updated_at"])
    summary = "; ".join(f"{value.code}: {value.raw}" for value in values)
    _audit(report, user, AuditEvent.Action.CONFIRM, target=f"{len(values)} ô", new=summary)
    _bump(report)


@dataclass
class ImportChange:
    code: str
    old: str
    new: str


@dataclass
class ImportPreview:
    """What importing ``values`` would change, cell by cell, and the findings the result would raise."""

    changes: list[ImportChange]
    evaluation: Evaluation
    problems: list[str]  # cells that cannot be read, as Vietnamese sentences


def import_preview(report: Report, values: dict[str, str]) -> ImportPreview:
    """Nothing is written: the basis of a dry run (CLI) or of the page asking to confirm (web)."""
    definition = definition_of(report.round)
    stored = report.raw_values()
    changes: list[ImportChange] = []
    problems: list[str] = []
    for code, raw in values.items():
        raw = raw.strip()
        try:
            parse_for_item(definition, code, raw)
        except WorkflowError as error:
            problems.append(f"{code}: {error}")
            continue
        if stored.get(code, "") != raw:
            changes.append(ImportChange(code, stored.get(code, ""), raw))
    merged = {**stored, **{change.code: change.new for change in changes}}
    return ImportPreview(changes, report_evaluation(report, merged), problems)


@transaction.atomic
def report_import(
    *, report: Report, user: User, values: dict[str, str], origin: str, source: str = Value.Source.IMPORTED
) -> ImportPreview:
    """Write imported values as one audited change; refused whole when any cell cannot be read."""
    report = Report.objects.select_for_update().select_related("round", "unit").get(pk=report.pk)
    require(user, Action.EDIT, Target.of(report))
    preview = import_preview(report, values)
    if preview.problems:
        raise WorkflowError("Không nhập được: " + "; ".join(preview.problems))
    if not preview.changes:
        return preview
    definition = definition_of(report.round)
    existing = {value.code: value for value in Value.objects.filter(report=report)}
    for change in preview.changes:
        value = existing.get(change.code) or Value(report=report, code=change.code)
        value.raw, value.number = change.new, parse_for_item(definition, change.code, change.new)
        value.source, value.updated_by = source, user
        value.save()
    summary = "; ".join(f"{c.code}: {c.old or '(trống)'} → {c.new or '(trống)'}" for c in preview.changes)
    _audit(report, user, AuditEvent.Action.IMPORT, target=origin[:80], old="", new=summary)
    _bump(report)
    return preview


def sending_blockers(
    report: Report, evaluation: Evaluation | None = None
) -> tuple[list[Finding], list[Finding]]:
    """Errors, and warnings without an explanation: what stops the report from being sent."""
    evaluation = evaluation or report_evaluation(report)
    explained = set(report.explanations.values_list("rule", flat=True))
    unexplained = [f for f in evaluation.warnings if f.rule not in explained]
    return list(evaluation.errors), unexplained


def _transition(report: Report, user: User, action: Action) -> Report:
    report = Report.objects.select_for_update().select_related("round", "unit").get(pk=report.pk)
    require(user, action, Target.of(report))
    return report


@transaction.atomic
def report_mark_ready(*, report: Report, user: User) -> Report:
    report = _transition(report, user, Action.MARK_READY)
    errors, _ = sending_blockers(report)
    if errors:
        raise WorkflowError(MSG_NOT_READY.format(count=len(errors)))
    return _set_status(report, user, Status.READY, AuditEvent.Action.READY, ready_at=timezone.now())


@transaction.atomic
def report_send(*, report: Report, user: User) -> Report:
    report = _transition(report, user, Action.SEND)
    errors, unexplained = sending_blockers(report)
    if errors or unexplained:
        raise WorkflowError(MSG_BLOCKED.format(count=len(errors), unexplained=len(unexplained)))
    return _set_status(
        report, user, Status.SENT, AuditEvent.Action.SEND, sent_at=timezone.now(), sent_by=user
    )


@transaction.atomic
def report_return(*, report: Report, user: User, reason: str) -> Report:
    report = _transition(report, user, Action.RETURN)
    return _give_back(report, user, AuditEvent.Action.RETURN, reason, decided_at=timezone.now())


@transaction.atomic
def report_accept(*, report: Report, user: User) -> Report:
    report = _transition(report, user, Action.ACCEPT)
    return _set_status(report, user, Status.ACCEPTED, AuditEvent.Action.ACCEPT, decided_at=timezone.now())


@transaction.atomic
def report_reopen(*, report: Report, user: User, reason: str) -> Report:
    """A reviewer gives a report back for correction: a sent or accepted one, or any once locked."""
    report = _transition(report, user, Action.REOPEN)
    return _give_back(report, user, AuditEvent.Action.REOPEN, reason)


def _give_back(report: Report, user: User, action: str, reason: str, **changes: Any) -> Report:
    """Return or reopen: the commune corrects the report. Done past the lock date, a reviewer means the
    report to be corrected all the same, so it becomes editable again."""
    if not reason.strip():
        raise WorkflowError(MSG_REASON)
    locked = report.round.is_locked_on(timezone.localdate())
    return _set_status(
        report,
        user,
        Status.RETURNED,
        action,
        note=reason.strip(),
        return_reason=reason.strip(),
        editable_after_lock=locked or report.editable_after_lock,
        **changes,
    )


def _set_status(
    report: Report, user: User, status: str, action: str, note: str = "", **changes: Any
) -> Report:
    old = report.status
    report.status = status
    for name, value in changes.items():
        setattr(report, name, value)
    report.save()
    # Rollups of every unit above follow in this same transaction (sent and accepted reports are counted).
    rollups.status_changed(report, old, status)
    _audit(report, user, action, target="status", old=old, new=status + (f": {note}" if note else ""))
    _bump(report)
    return report
