from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from baocao.core.labels import html_label, plain_label
from baocao.core.numbers import format_document_date
from baocao.reports.presenters import row_name

if TYPE_CHECKING:
    from datetime import date

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
