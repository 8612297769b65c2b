"""The report as an official document, built once from a Report and rendered by every exporter alike.

Nothing here knows Word or Excel: the builder reads the report, its round and unit, evaluates the values with
the one evaluator and renders the narrative's placeholders with the live figures.
"""

from __future__ import annotations

import re
from decimal import Decimal

from baocao.core.definition import CLOSING, OPENING, Definition
from baocao.core.evaluate import Evaluation, item_decimals
from baocao.core.narrative import resolver
from baocao.core.numbers import format_document_date, format_short_date
from baocao.core.templates import render
from baocao.documents.document import AppendixRow, BuiltReport, Paragraph, slug
from baocao.reports.models import Report, Status
from baocao.reports.presenters import report_context, stt_of
from baocao.reports.services import definition_of, report_evaluation

__all__ = ["AppendixRow", "BuiltReport", "Paragraph", "build_report", "slug"]
MSG_DRAFT_NOTE = "Dự thảo, chưa gửi: {status}"
PLACE_DATE = "{place}, {date}"
PLACE_NO_DATE = "{place}, ngày      tháng      năm {year}"
REFERENCE = "(Kèm theo Báo cáo số {number} ngày {date} của {council})"
AS_ABOVE = "- Như trên;"
AS_ABOVE_RE = re.compile(r"^[-–•]?\s*như\s+trên\b", re.IGNORECASE)
# Statuses in which the report has left the unit: anything before is a draft and says so on every page.
FINAL_STATUSES = frozenset({Status.SENT, Status.ACCEPTED})


def build_report(report: Report, evaluation: Evaluation | None = None) -> BuiltReport:
    """``evaluation``: the report's, when the caller has just made it (not made a second time here)."""
    definition = definition_of(report.round)
    if evaluation is None:
        evaluation = report_evaluation(report)
    unit, round_ = report.unit, report.round
    draft = report.status not in FINAL_STATUSES
    return BuiltReport(
        definition_code=definition.code,
        definition_version=definition.version,
        round_code=round_.code,
        unit_code=unit.code,
        unit_name=unit.full_name,
        agency_lines=("ỦY BAN NHÂN DÂN", unit.full_name.upper()),
        number=f"Số: {report.document_number}",
        place_date=_place_date(report),
        addressee=report.addressee.strip(),
        heading=round_.document_heading,
        subject=round_.document_subject(definition.spec.subject),
        paragraphs=tuple(_paragraphs(report, definition, evaluation)),
        recipients=_recipients(report),
        signer_authority=report.signer_authority.upper(),
        signer_title=report.signer_title.upper(),
        signer_name=report.signer_name,
        appendix_name=definition.spec.appendix_name,
        appendix_title=definition.spec.appendix_title,
        appendix_reference=_reference(report),
        appendix_landscape=definition.spec.appendix_landscape,
        rows=tuple(_rows(report, evaluation)),
        draft=draft,
        draft_note=MSG_DRAFT_NOTE.format(status=report.get_status_display().lower()) if draft else "",
        status=report.status,
        version=report.version,
        created=report.created_at,
        modified=report.updated_at,
    )


def _place_date(report: Report) -> str:
    place = report.place or report.unit.name
    day = report.document_date
    if day is None:
        return PLACE_NO_DATE.format(place=place, year=report.round.year)
    return PLACE_DATE.format(place=place, date=format_document_date(day))


def _recipients(report: Report) -> tuple[str, ...]:
    """Nơi nhận as typed; a report with a Kính gửi opens it with "- Như trên;" (Phụ lục I, II.9.b)."""
    lines = [line.strip() for line in report.recipients.splitlines() if line.strip()]
    if report.addressee.strip() and not (lines and AS_ABOVE_RE.match(lines[0])):
        lines.insert(0, AS_ABOVE)
    return tuple(lines)


def _reference(report: Report) -> str:
    day = format_short_date(report.document_date) if report.document_date else "…"
    return REFERENCE.format(number=report.document_number, date=day, council=report.unit.council_name)


def _paragraphs(report: Report, definition: Definition, evaluation: Evaluation) -> list[Paragraph]:
    stored = dict(report.narrative.values_list("section", "text"))
    resolve = resolver(evaluation, report_context(report))
    paragraphs: list[Paragraph] = []

    def body(code: str, defaults: list[str]) -> None:
        text = stored.get(code, "\n".join(defaults))
        paragraphs.extend(
            Paragraph("body", render(line, resolve)) for line in text.split("\n") if line.strip()
        )

    body(OPENING, definition.spec.opening)
    for section in definition.sections():
        depth = section.code.count(".")
        number = section.code.rsplit(".", 1)[-1]
        if depth == 0:
            paragraphs.append(Paragraph("part", f"{number}. {section.title.upper()}"))
        else:
            paragraphs.append(Paragraph("section", f"{number}. {section.title}"))
        body(section.code, section.paragraphs)
    body(CLOSING, definition.spec.closing)
    return paragraphs


def _rows(report: Report, evaluation: Evaluation) -> list[AppendixRow]:
    notes = dict(report.values.exclude(note="").values_list("code", "note"))
    raws = report.raw_values()
    rows = []
    for row in evaluation.rows:
        item = row.item
        if not item.in_appendix:
            continue
        rows.append(
            AppendixRow(
                code=item.code,
                stt=stt_of(item),
                label=item.label,
                unit=item.unit,
                type=item.type,
                value=row.value,
                display=row.display,
                note=notes.get(item.code, item.note),
                bold=item.style.bold or item.type == "group",
                italic=item.style.italic,
                indent=item.style.indent,
                is_input=item.is_input,
                formula=item.formula,
                decimals=item_decimals(item),
                share=row.share if isinstance(row.share, Decimal) else None,
                share_decimals=item.share_decimals,
                share_of=item.share_of,
                raw=raws.get(item.code, "") if item.is_input else "",
            )
        )
    return rows
