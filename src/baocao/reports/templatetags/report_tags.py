from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def safe_label(label: str) -> SafeString:
    """A definition's label with its paper italics (<i>…</i>) kept and everything else escaped."""
    escaped = escape(label).replace("&lt;i&gt;", "<i>").replace("&lt;/i&gt;", "</i>")
    return mark_safe(escaped)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def appendix_codes(codes: tuple[str, ...]) -> list[str]:
    """Item codes a reader of the appendix knows: narrative-only codes (N.…) are left out."""
    return [code for code in codes if not code.startswith("N.")]
