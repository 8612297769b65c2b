from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from django import template
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import default, lower, striptags
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import is_aware, localtime

from baocao.core.labels import html_label, plain_label
from baocao.core.numbers import format_document_date
from baocao.reports.presenters import EntryRow, NarrativeSectionView, row_name

if TYPE_CHECKING:
    from datetime import date, datetime

    from baocao.core.definition import Definition

register = template.Library()


@register.filter
def safe_label(label: str) -> SafeString:
    """A definition's label with its paper italics (<i>…</i>) kept and everything else escaped."""
    return mark_safe(html_label(label))


@register.filter(name="plain_label")
def plain_label_filter(label: str) -> str:
    """A definition's label as plain text (an attribute, a list option): autoescaped like any text."""
    return plain_label(label)


@register.filter
def document_date(day: date | None) -> str:
    """The document's date as it prints (Nghị định 30/2020): "ngày 05 tháng 6 năm 2024"."""
    return format_document_date(day) if day else ""


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def appendix_codes(codes: tuple[str, ...]) -> list[str]:
    """Item codes a reader of the appendix knows: narrative-only codes (N.…) are left out."""
    return [code for code in codes if not code.startswith("N.")]


@register.filter
def row_names(codes: tuple[str, ...], definition: Definition) -> list[str]:
    """The rows a finding compares as a reader names them: STT and label, never an internal code."""
    return [row_name(definition, code) for code in codes]


@register.filter
def row_label(definition: Definition, code: str) -> str:
    return row_name(definition, code)


# One row of the report's table (reports/_table.html), written here rather than as template markup: a form has
# a hundred-odd rows and the template language's lookups per row were most of the entry page's time (~35 of
# ~60 ms). The output is character for character what the markup it replaces gave (tests/reports/
# test_table_row.py renders both); attributes and classes are those the page's script and styles read.
_IMPORTED_MARK = (
    '<span class="imported-mark" title="Nhập từ tệp báo cáo cũ, cần rà soát" '
    'aria-label="Nhập từ tệp, cần rà soát">●</span>'
)
_COPIED_MARK = (
    '<span class="copied-mark" title="Sao chép từ kỳ trước, cần xác nhận" '
    'aria-label="Sao chép từ kỳ trước, cần xác nhận">◆</span>'
)


def _text(value: object, context: Context) -> str:
    """``{{ value }}``: what render_value_in_context writes, text escaped without its other checks."""
    if isinstance(value, str):
        return value if isinstance(value, SafeData) else escape(value)
    return render_value_in_context(value, context)


@register.simple_tag(takes_context=True)
def appendix_row(context: Context, row: EntryRow) -> SafeString:
    """The ``<tr>`` of ``row``, editable when the context's ``actions.edit`` says so."""

    def text(value: object) -> str:
        return _text(value, context)

    actions = context.get("actions") or {}
    edit = bool(actions.get("edit")) if isinstance(actions, dict) else bool(getattr(actions, "edit", False))
    item = row.item
    code = text(item.code)
    kind = item.type
    style = item.style
    findings = row.findings
    out: list[str] = []
    classes = text(kind) + (" bold" if style.bold else "") + (" italic" if style.italic else "")
    classes += "".join(f" has-{text(f.severity)}" for f in findings)
    out.append(f'\n    <tr class="{classes}" data-row="{code}">\n')
    out.append(f'      <td class="stt">{text(row.stt)}</td>\n')
    out.append(f'      <td class="label indent-{text(style.indent)}">\n')
    out.append(f"        {text(safe_label(item.label))}\n")
    messages = "".join(f'<p class="finding {text(f.severity)}">{text(f.message)}</p>' for f in findings)
    out.append(f'        <div class="row-findings" data-findings-for="{code}">{messages}</div>\n')
    out.append(f"        {_row_comments(context, row, code, text)}\n\n")
    out.append("      </td>\n")
    out.append(f'      <td class="unit">{text(item.unit)}</td>\n')
    value_classes = (" imported" if row.imported else "") + (" copied" if row.copied else "")
    out.append(f'      <td class="value{value_classes}">\n')
    out.append(f"        {_IMPORTED_MARK if row.imported else ''}\n")
    out.append(f"        {_COPIED_MARK if row.copied else ''}\n")
    out.append("        ")
    raw = text(row.raw)
    if kind == "group":
        out.append("\n        ")
    elif row.is_input and edit:
        out.append("\n          ")
        if kind == "yesno":
            answer = lower(row.raw)
            blank = "" if row.raw else "selected"
            yes = "selected" if answer == "có" else ""
            no = "selected" if answer == "không" else ""
            out.append(
                f'\n            <select class="cell" data-code="{code}" data-previous="{raw}" '
                f'aria-label="{code}">\n'
                f'              <option value="" {blank}></option>\n'
                f'              <option value="Có" {yes}>Có</option>\n'
                f'              <option value="Không" {no}>Không</option>\n'
                "            </select>\n          "
            )
        else:
            label = text(plain_label(item.label))
            inputmode = 'inputmode="decimal"' if kind != "text" else ""
            out.append(
                f'\n            <input class="cell{" text" if kind == "text" else ""}" data-code="{code}" '
                f'data-previous="{raw}" value="{raw}"\n'
                f"                   {inputmode} "
                f'autocomplete="off" aria-label="{code} {label}">\n            '
            )
            if kind == "count_share":
                out.append(f'<output class="share" data-display="{code}">{text(row.display)}</output>')
            out.append("\n          ")
        out.append('\n          <span class="cell-message" role="alert"></span>\n        ')
    else:
        na = " na" if row.display == "không phát sinh" else ""
        out.append(
            f'\n          <output class="computed{na}" data-display="{code}" data-cell="{code}">'
            f"{text(row.display)}</output>\n        "
        )
    out.append("\n      </td>\n")
    note = ""
    if kind != "group":
        note_text = text(row.note)
        note = f'<span class="note-text" data-note="{code}">{note_text}</span>'
        if edit:
            name = text(striptags(item.label))
            note += (
                f'<input class="note-input" data-code="{code}" data-previous="{note_text}" '
                f'value="{note_text}" aria-label="Ghi chú: {text(row.stt)} {name}">'
                '<span class="note-message" role="alert"></span>'
            )
    out.append(f'      <td class="note">{note}</td>\n')
    out.append("    </tr>\n  ")
    return mark_safe("".join(out))  # every value above went through text(), which escapes it


def _row_comments(context: Context, row: EntryRow, code: str, text: Callable[[object], str]) -> str:
    """reports/_row_comments.html, which the review page still includes."""
    comments = get_item(context.get("row_comments") or {}, row.item.code)
    if not comments:
        return ""
    parts = [
        f'<p class="row-comment"><strong>Nhận xét của cấp trên:</strong> {text(comment.text)} '
        f'<span class="by">({text(default(comment.author, "—"))}, '
        f"{text(date_filter(_local(comment.created_at), 'd/m/Y H:i'))})</span></p>"
        for comment in comments
    ]
    return f'<div class="row-comments" data-comments-for="{code}">{"".join(parts)}</div>'


def _local(moment: datetime) -> datetime:
    """As the template's ``date`` filter reads a time: in the current time zone."""
    return localtime(moment) if is_aware(moment) else moment


@register.simple_tag(takes_context=True)
def narrative_body(context: Context, section: NarrativeSectionView) -> SafeString:
    """A narrative section's paragraphs, each figure bound to its row (reports/_narrative_body.html): written
    here for the same reason as the table's rows, character for character what its markup gave."""
    labels = context.get("labels") or {}
    out: list[str] = []
    for paragraph in section.paragraphs:
        out.append("<p>")
        for segment in paragraph:
            placeholder = segment.placeholder
            if placeholder is None:
                out.append(_text(segment.text, context))
                continue
            name, pad = _text(placeholder.name, context), _text(placeholder.pad, context)
            shown = _text(segment.text, context)
            bound = f'contenteditable="false" data-code="{name}" data-pad="{pad}"'
            if placeholder.is_context:
                out.append(
                    f'<span class="bound context" {bound} title="Thông tin của báo cáo">{shown}</span>'
                )
            else:
                title = _text(default(get_item(labels, placeholder.name), ""), context)
                out.append(
                    f'<span class="bound" {bound} data-display="{name}" title="Số liệu từ bảng: {title}">'
                    f"{shown}</span>"
                )
        out.append("</p>")
    return mark_safe("".join(out))  # every value above went through _text(), which escapes it
