"""The data of the report pages, built once and rendered as HTML (templates) or JSON (autosave answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from baocao.access import Action, Target, can
from baocao.core.definition import CLOSING, OPENING, Definition
from baocao.core.evaluate import BUILTIN_RULES, Evaluation, Finding
from baocao.core.kept import Kept
from baocao.core.labels import plain_label
from baocao.core.narrative import resolver
from baocao.core.numbers import format_count, format_short_date
from baocao.core.schema import ItemSpec
from baocao.core.templates import Segment, split
from baocao.reports import services
from baocao.reports.models import Report, RowComment, Status, Value
from baocao.reports.services import definition_of, report_evaluation, unexplained_warnings
from baocao.reports.workflow import given_back, missing_header

if TYPE_CHECKING:
    from django.http import HttpRequest

    from baocao.accounts.models import User

NEXT_STEP = {
    None: "Bắt đầu soạn báo cáo",
    Status.DRAFT: "Nhập số liệu, viết thuyết minh, trình ký",
    Status.READY: "Lãnh đạo xem và gửi",
    Status.RETURNED: "Sửa theo yêu cầu và gửi lại",
    Status.SENT: "Chờ cấp trên tiếp nhận",
    Status.ACCEPTED: "Đã hoàn thành",
}


OPENING_TITLE = "Đoạn mở đầu (trước mục I)"
CLOSING_TITLE = "Đoạn kết (sau mục cuối)"


def format_day(day: date | None) -> str:
    """A date in the document's prose, with Nghị định 30/2020's zeros ("14/3/2024", "15/12/2023")."""
    return format_short_date(day) if day else ""


def report_context(report: Report) -> dict[str, str]:
    """Values of ``{@…}`` placeholders: the report's unit and round."""
    round_ = report.round
    unit = report.unit
    return {
        "@unit_name": f"{unit.kind.lower()} {unit.name}",
        "@unit_full_name": unit.full_name,
        "@period_label": round_.period_label,
        "@window_start": format_day(round_.window_start),
        "@window_end": format_day(round_.window_end),
        "@year": str(round_.year),
        "@parent_name": unit.parent.council_name if unit.parent else "",
    }


@dataclass
class EntryRow:
    item: ItemSpec
    stt: str
    raw: str
    display: str
    note: str
    findings: list[Finding]
    is_input: bool
    imported: bool = False  # read from an old report's file: to be reviewed
    copied: bool = False  # copied from the previous period: to be confirmed
    comments: list[RowComment] = field(default_factory=list)  # the reviewer's, from the last return


@dataclass
class NarrativeSectionView:
    code: str
    title: str
    depth: int
    text: str
    has_body: bool  # a heading-only section (I, II…) has no prose of its own unless the clerk wrote some
    paragraphs: list[list[Segment]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """ "I. CÔNG TÁC CHỈ ĐẠO…" for a part, "1. Cải cách thể chế" for a section within it."""
        if self.code in (OPENING, CLOSING):
            return self.title
        number = self.code.rsplit(".", 1)[-1]
        return f"{number}. {self.title.upper() if self.depth == 0 else self.title}"


def stt_of(item: ItemSpec) -> str:
    if item.stt is not None:
        return item.stt
    return "" if item.code[-1].isalpha() or item.code.startswith("N.") else item.code


def findings_by_code(evaluation: Evaluation) -> dict[str, list[Finding]]:
    """Each finding beside one row: a built-in check's subject, or the last row a rule compares."""
    by_code: dict[str, list[Finding]] = {}
    for finding in evaluation.findings:
        if finding.items:
            code = finding.items[0] if finding.rule in BUILTIN_RULES else finding.items[-1]
            by_code.setdefault(code, []).append(finding)
    return by_code


def entry_rows(
    report: Report,
    evaluation: Evaluation,
    comments: dict[str, list[RowComment]] | None = None,
    values: list[Value] | None = None,
) -> list[EntryRow]:
    """Every row of the form, with its stored value, findings and (given ``comments``) remarks beside it;
    ``values``: the report's stored values when the caller has read them already."""
    stored = {v.code: v for v in (report.values.all() if values is None else values)}
    flagged = findings_by_code(evaluation)
    comments = comments or {}
    rows = []
    for row in evaluation.rows:
        item = row.item
        value = stored.get(item.code)
        rows.append(
            EntryRow(
                item=item,
                stt=stt_of(item),
                raw=value.raw if value else "",
                display=row.display,
                note=value.note if value else "",
                findings=flagged.get(item.code, []),
                is_input=item.is_input,
                imported=value is not None and value.source == Value.Source.IMPORTED,
                copied=value is not None and value.source == Value.Source.COPIED,
                comments=comments.get(item.code, []),
            )
        )
    return rows


def appendix_rows(rows: list[EntryRow], in_appendix: bool = True) -> list[EntryRow]:
    """The rows of one of the entry page's two tables: the appendix's, or those the prose only mentions."""
    return [row for row in rows if row.item.in_appendix == in_appendix]


def narrative_sections(
    report: Report, definition: Definition, evaluation: Evaluation
) -> list[NarrativeSectionView]:
    stored = dict(report.narrative.values_list("section", "text"))
    resolve = resolver(evaluation, report_context(report))

    def view(code: str, title: str, depth: int, defaults: list[str], has_body: bool) -> NarrativeSectionView:
        text = stored.get(code, "\n".join(defaults))
        paragraphs = [split(paragraph, resolve) for paragraph in text.split("\n")] if text else []
        return NarrativeSectionView(code, title, depth, text, has_body or bool(text), paragraphs)

    spec = definition.spec
    views = [view(OPENING, OPENING_TITLE, 0, spec.opening, True)]
    for section in definition.sections():
        has_body = bool(section.paragraphs or not section.sections)
        views.append(view(section.code, section.title, section.code.count("."), section.paragraphs, has_body))
    views.append(view(CLOSING, CLOSING_TITLE, 0, spec.closing, True))
    return views


def displays(evaluation: Evaluation) -> dict[str, dict[str, str]]:
    """Every row's display, and counts also as prose writes them ("07"), for the page to refresh."""
    plain = {row.code: row.display for row in evaluation.rows}
    padded = {
        row.code: format_count(row.value, 2)
        for row in evaluation.rows
        if row.item.type in ("count", "count_share")
        and row.value is not None
        and not isinstance(row.value, bool)
    }
    return {"plain": plain, "padded": padded}


def actions_for(user: User, target: Target) -> dict[str, bool]:
    return {action.value: can(user, action, target) for action in Action}


def row_name(definition: Definition, code: str) -> str:
    """How a reader of the report names a row: "7.2.4 Tỷ lệ …", a sub-row by its label and its row's STT."""
    item = definition.by_code.get(code)
    if item is None:
        return code
    label = plain_label(item.label).strip()
    stt = stt_of(item)
    if stt:
        return f"{stt} {label}"
    parent = definition.parents.get(code)
    parent_stt = stt_of(definition.by_code[parent]) if parent and parent in definition.by_code else ""
    return f"{label} (dòng {parent_stt})" if parent_stt else label


def findings_panel(
    request: HttpRequest, report: Report, evaluation: Evaluation, typed: dict[str, str] | None = None
) -> str:
    """The findings with their explanations; ``typed`` keeps on screen an explanation that was not saved."""
    # The panel shows errors and warnings only: the rest of ``sending_blockers`` (header, copied figures) is
    # not read here, and the explanations are read once for both what is explained and what it says.
    saved = dict(report.explanations.values_list("rule", "text"))
    errors, unexplained = list(evaluation.errors), unexplained_warnings(evaluation, saved)
    target = Target.of(report)
    return render_to_string(
        "reports/_findings.html",
        {
            "report": report,
            "definition": evaluation.definition,
            "errors": errors,
            "warnings": evaluation.warnings,
            "explanations": saved,
            "typed": {**saved, **(typed or {})},
            "unexplained": {f.rule for f in unexplained},
            "can_edit": can(request.user, Action.EDIT, target),
        },
        request=request,
    )


def cell_state(report: Report) -> dict[str, Any]:
    """Every stored cell's text and note as saved: the page refreshes the cells someone else changed."""
    values: dict[str, str] = {}
    notes: dict[str, str] = {}
    copied: list[str] = []
    for code, raw, note, source in report.values.values_list("code", "raw", "note", "source"):
        values[code], notes[code] = raw, note
        if source == Value.Source.COPIED:
            copied.append(code)
    return {"values": values, "notes": notes, "copied": copied}


def value_answer(request: HttpRequest, report: Report, evaluation: Evaluation) -> dict[str, Any]:
    """What the entry page needs after a save: every display and stored cell, the findings, the save time."""
    flagged = findings_by_code(evaluation)
    return {
        "ok": True,
        "saved_at": timezone.localtime().strftime("%H:%M:%S"),
        "version": report.version,
        "displays": displays(evaluation),
        **cell_state(report),
        "row_findings": {
            code: [{"severity": f.severity, "message": f.message} for f in findings]
            for code, findings in flagged.items()
        },
        "findings_html": findings_panel(request, report, evaluation),
    }


def header_values(report: Report, typed: dict[str, str] | None = None) -> dict[str, str]:
    """The header form's fields as text: what the user typed (a refused save) or what is stored."""
    stored = {name: services.header_text(report, name) for name in services.HEADER_FIELDS}
    return {**stored, **(typed or {})}


def state_answer(request: HttpRequest, report: Report, seen_version: int | None) -> dict[str, Any]:
    """The report as it is now, for a page left open: only the version when the page is up to date."""
    if seen_version == report.version:
        return {"ok": True, "version": report.version, "changed": False}
    definition = definition_of(report.round)
    evaluation = report_evaluation(report)
    answer = value_answer(request, report, evaluation)
    answer["changed"] = True
    labels = item_labels(definition)
    answer["narrative"] = {
        section.code: {
            "text": section.text,
            "html": render_to_string("reports/_narrative_body.html", {"section": section, "labels": labels}),
        }
        for section in narrative_sections(report, definition, evaluation)
        if section.has_body
    }
    return answer


def item_labels(definition: Definition) -> dict[str, str]:
    """What a reader sees for an item code: its STT and label, never the code alone. A sub-row without an
    STT of its own (the italic numerator under a ratio) names its parent row's: "7.2.4 › Tổng số hồ sơ…"."""
    labels = {}
    for item in definition.items:
        stt = stt_of(item)
        parent = definition.parents.get(item.code)
        if not stt and parent:
            stt = f"{stt_of(definition.by_code[parent])} ›"
        labels[item.code] = f"{stt} {plain_label(item.label)}".strip()
    return labels


INSERT_LABEL_CHARS = 90  # an option of the "Chèn số liệu" list is one line of the narrow list box
# The list of each compiled form, by the form object's identity: forms are compiled once per process (kept by
# baocao.forms.registry) and the list (≈ 1 ms to cut each label) depends on nothing else.
_insertable: Kept[int, tuple[Definition, tuple[tuple[str, str, str], ...]]] = Kept(16)


def insertable_items(definition: Definition) -> tuple[tuple[str, str, str], ...]:
    """The "Chèn số liệu" list: code (the option's value), and what a clerk reads: STT and label, cut as
    Django's ``truncatechars`` cuts it."""
    kept = _insertable.get(id(definition))
    if kept is not None and kept[0] is definition:  # the same object, not one that took a freed one's id
        return kept[1]
    items = tuple(
        (item.code, stt_of(item), Truncator(plain_label(item.label)).chars(INSERT_LABEL_CHARS))
        for item in definition.items
        if item.type != "group"
    )
    _insertable.put(id(definition), (definition, items))
    return items


def entry_page(
    request: HttpRequest, report: Report, typed_header: dict[str, str] | None = None
) -> dict[str, Any]:
    definition = definition_of(report.round)
    previous = services.previous_report(report)
    values = list(report.values.all())  # read once: for the evaluation and for the rows' cells
    evaluation = report_evaluation(report, {v.code: v.raw for v in values}, previous=previous)
    target = Target.of(report)
    user: User = request.user  # type: ignore[assignment]
    comments = services.row_comments(report)
    rows = entry_rows(report, evaluation, comments, values)
    actions = actions_for(user, target)
    return {
        "previous": previous,
        "copied_count": sum(row.copied for row in rows),
        "report": report,
        "round": report.round,
        "unit": report.unit,
        "definition": definition,
        "appendix_rows": appendix_rows(rows),
        "narrative_rows": appendix_rows(rows, in_appendix=False),
        "narrative": narrative_sections(report, definition, evaluation),
        "findings_html": findings_panel(request, report, evaluation),
        "displays": displays(evaluation),
        "actions": actions,
        "insertable": insertable_items(definition) if actions[Action.EDIT] else (),  # shown to editors only
        "labels": item_labels(definition),
        "header": header_values(report, typed_header),
        "header_originals": {name: services.header_text(report, name) for name in services.HEADER_FIELDS},
        "missing_header": missing_header(report),
        "row_comments": comments,
        "given_back": given_back(report),
        "today": timezone.localdate(),
        "locked": report.is_locked_on(timezone.localdate()),
    }
