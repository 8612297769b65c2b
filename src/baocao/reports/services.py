"""Every change to a report, one function per change: atomic, access-checked, audited.

The web views, the API and the CLI call these and nothing else to change a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from baocao.access import Action, Target, require
from baocao.core.definition import Definition
from baocao.core.evaluate import BOUNDS_RULE, BUILTIN_RULES, CHANGE_RULE, Evaluation, parse_input
from baocao.core.numbers import NumberFormatError
from baocao.reports.common import (
    ConflictError,
    WorkflowError,
    audit,
    bump,
    definition_of,
    locked,
    previous_report,
    report_evaluation,
)
from baocao.reports.models import AuditEvent, Explanation, NarrativeText, Report, Value
from baocao.reports.workflow import (
    Blockers,
    MissingField,
    latest_return,
    report_accept,
    report_give_back,
    report_mark_ready,
    report_reopen,
    report_return,
    report_send,
    row_comments,
    sending_blockers,
    unexplained_warnings,
)
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = [
    "HEADER_FIELDS",
    "Blockers",
    "ConflictError",
    "MissingField",
    "SaveResult",
    "WorkflowError",
    "default_recipients",
    "definition_of",
    "header_text",
    "import_preview",
    "latest_return",
    "parse_for_item",
    "previous_report",
    "report_accept",
    "report_evaluation",
    "report_explain",
    "report_give_back",
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
    "report_set_values",
    "row_comments",
    "sending_blockers",
    "unexplained_warnings",
]

MSG_NOT_INPUT = "Chỉ tiêu {code} được tính tự động, không nhập được."
MSG_UNKNOWN = "Không có chỉ tiêu mã {code} trong biểu mẫu."
MSG_EXPLANATION = "Cần ghi nội dung giải trình."
MSG_UNKNOWN_RULE = "Không có quy tắc kiểm tra “{rule}” trong biểu mẫu."
MSG_CONFLICT = "Người khác vừa sửa ô này."
MSG_HEADER_CONFLICT = (
    "Thông tin văn bản vừa được người khác sửa nên chưa lưu. Những gì bạn nhập vẫn còn trong biểu mẫu; "
    "hãy xem giá trị đang lưu rồi bấm lưu lại."
)
MSG_NOTE_CONFLICT = "Người khác vừa sửa ghi chú này; ghi chú bạn gõ chưa được lưu."
MSG_EXPLAIN_CONFLICT = "Người khác vừa sửa giải trình này; nội dung bạn gõ chưa được lưu."
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


@dataclass
class SaveResult:
    report: Report
    value: Value
    evaluation: Evaluation
    changed: bool = True
    notes: list[str] = field(default_factory=list)


def default_recipients(unit: OrgUnit) -> str:
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
    try:
        # A savepoint: the clerk and the leader may start the same report at the same moment; the database's
        # one-report-per-unit constraint lets one create it and the other gets the report just created.
        with transaction.atomic():
            report = Report.objects.create(
                round=round_,
                unit=unit,
                place=unit.name,
                recipients=default_recipients(unit),
                addressee=f"UBND {unit.parent.kind.lower()} {unit.parent.name}" if unit.parent else "",
            )
    except IntegrityError:
        return Report.objects.get(round=round_, unit=unit)
    audit(report, user, AuditEvent.Action.CREATE, new=str(report))
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
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    definition = definition_of(report.round)
    stored = Value.objects.filter(report=report, code=code).first()
    value, changed = _type_value(report, user, definition, code, raw, previous, stored)
    if changed:
        bump(report)
    return SaveResult(report, value, report_evaluation(report), changed=changed)


@transaction.atomic
def report_set_values(
    *, report: Report, user: User, values: dict[str, str], previous: dict[str, str] | None = None
) -> Evaluation:
    """Save several typed values, in ``values``' order, exactly as ``report_set_value`` would one after the
    other (the same checks, conflict rule, audit rows and version), in one transaction and with one
    evaluation of the result instead of one per value. ``previous``: what the user's page showed, by code."""
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    definition = definition_of(report.round)
    existing = {value.code: value for value in Value.objects.filter(report=report, code__in=list(values))}
    changed = 0
    for code, raw in values.items():
        before = None if previous is None else previous.get(code)
        changed += _type_value(report, user, definition, code, raw, before, existing.get(code))[1]
    if changed:
        bump(report, by=changed)  # one version per value, as when they are typed one by one
    return report_evaluation(report)


def _type_value(
    report: Report,
    user: User,
    definition: Definition,
    code: str,
    raw: str,
    previous: str | None,
    stored: Value | None,
) -> tuple[Value, bool]:
    """Write one typed value over ``stored`` (its row, if any) on a locked report; whether it changed (the
    caller then bumps the report's version)."""
    raw = raw.strip()
    number = parse_for_item(definition, code, raw)
    old_raw = stored.raw if stored else ""
    _refuse_if_changed(MSG_CONFLICT, old_raw, raw, previous)
    if stored is not None and stored.raw == raw:
        if stored.source == Value.Source.COPIED:  # typed again as it was copied: the clerk confirms it
            _confirm(report, user, [stored])
        return stored, False
    if stored is None:
        stored = Value(report=report, code=code)
    stored.raw, stored.number, stored.updated_by = raw, number, user
    stored.source = Value.Source.TYPED
    stored.save()
    audit(report, user, AuditEvent.Action.VALUE, target=code, old=old_raw, new=raw)
    return stored, True


@transaction.atomic
def report_set_note(
    *, report: Report, user: User, code: str, note: str, previous: str | None = None
) -> Value:
    """Save a row's note; ``previous`` (the note the page showed) guards against overwriting another's."""
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    if code not in definition_of(report.round).by_code:
        raise WorkflowError(MSG_UNKNOWN.format(code=code))
    note = note.strip()
    stored, _ = Value.objects.get_or_create(report=report, code=code)
    _refuse_if_changed(MSG_NOTE_CONFLICT, stored.note, note, previous)
    if stored.note != note:
        audit(report, user, AuditEvent.Action.NOTE, target=code, old=stored.note, new=note)
        stored.note = note
        stored.save(update_fields=["note", "updated_at"])
        bump(report)
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
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    definition = definition_of(report.round)
    if section not in definition.narrative_codes():
        raise WorkflowError(f"Không có mục {section} trong phần thuyết minh.")
    stored = NarrativeText.objects.filter(report=report, section=section).first()
    # A section never saved shows the definition's default text: that is what the page's ``previous`` holds.
    current = stored.text if stored else definition.narrative_default(section)
    _refuse_if_changed("Người khác vừa sửa đoạn này.", current, text, previous)
    if stored is None:  # the text as saved is kept, even if it is the default, so it does not follow it
        stored = NarrativeText.objects.create(report=report, section=section, text=text)
    elif current != text:
        stored.text = text
        stored.save(update_fields=["text", "updated_at"])
    if current != text:
        audit(report, user, AuditEvent.Action.NARRATIVE, target=section, old=current, new=text)
        bump(report)
    return stored


@transaction.atomic
def report_set_header(
    *, report: Report, user: User, fields: dict[str, Any], originals: dict[str, str] | None = None
) -> Report:
    """Save the document's header. ``originals`` are the fields as the user's form showed them (as text): a
    field someone else changed meanwhile is not overwritten; the whole save is refused with both values."""
    report = locked(report)
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
        audit(
            report,
            user,
            AuditEvent.Action.HEADER,
            target=name,
            old=_text(getattr(report, name)),
            new=_text(new),
        )
        setattr(report, name, new)
    report.save()
    bump(report)
    return report


def header_text(report: Report, name: str) -> str:
    """A header field as its form shows it, for detecting concurrent edits."""
    return _text(getattr(report, name))


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def rule_codes(definition: Definition) -> frozenset[str]:
    """The rules a finding of this definition can name: its own, the evaluator's built-in checks and the
    plausibility warnings of each item (its bounds, its distance from the previous period)."""
    per_item = {
        template.format(code=item.code)
        for item in definition.items
        for template in (BOUNDS_RULE, CHANGE_RULE)
    }
    return frozenset(rule.spec.code for rule in definition.rules) | BUILTIN_RULES | per_item


@transaction.atomic
def report_explain(
    *, report: Report, user: User, rule: str, text: str, previous: str | None = None
) -> Explanation:
    """Explain a warning; ``previous`` (the text the page showed, blank if none) guards as for notes."""
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    text = text.strip()
    if rule not in rule_codes(definition_of(report.round)):
        raise WorkflowError(MSG_UNKNOWN_RULE.format(rule=rule[:60]))
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
    audit(report, user, AuditEvent.Action.EXPLAIN, target=rule, old=old, new=text)
    bump(report)
    return stored


def _confirm(report: Report, user: User, values: list[Value]) -> None:
    for value in values:
        value.source, value.updated_by = Value.Source.TYPED, user
        value.save(update_fields=["source", "updated_by", "updated_at"])
    summary = "; ".join(f"{value.code}: {value.raw}" for value in values)
    audit(report, user, AuditEvent.Action.CONFIRM, target=f"{len(values)} ô", new=summary)
    bump(report)


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
    report = locked(report)
    require(user, Action.EDIT, Target.of(report))
    preview = import_preview(report, values)
    if preview.problems:
        raise WorkflowError("Không nhập được: " + "; ".join(preview.problems))
    if not preview.changes:
        return preview
    definition = definition_of(report.round)
    existing = {value.code: value for value in Value.objects.filter(report=report)}
    created: list[Value] = []
    updated: list[Value] = []
    now = timezone.now()
    for change in preview.changes:
        value = existing.get(change.code)
        if value is None:
            value = Value(report=report, code=change.code)
            created.append(value)
        else:
            updated.append(value)
        value.raw, value.number = change.new, parse_for_item(definition, change.code, change.new)
        value.source, value.updated_by, value.updated_at = source, user, now
    # Written in two statements, not one per cell (an import holds some seventy).
    Value.objects.bulk_create(created)
    Value.objects.bulk_update(updated, ["raw", "number", "source", "updated_by", "updated_at"])
    summary = "; ".join(f"{c.code}: {c.old or '(trống)'} → {c.new or '(trống)'}" for c in preview.changes)
    audit(report, user, AuditEvent.Action.IMPORT, target=origin[:80], old="", new=summary)
    bump(report)
    return preview
