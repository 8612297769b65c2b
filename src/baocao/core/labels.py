"""The one reading of a definition's labels, which keep the paper form's inline italics as ``<i>…</i>``.

Every output renders a label from its segments: plain text (messages, CSV, charts), HTML (the web pages),
Word runs and Excel rich text (the documents). No other markup is recognised: anything else in a label,
``<b>`` or a stray ``<``, is text and is escaped where the output needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

__all__ = ["Segment", "html_label", "plain_label", "segments"]

_ITALIC = re.compile(r"<i>(.*?)</i>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    italic: bool


@lru_cache(maxsize=1024)
def segments(label: str) -> tuple[Segment, ...]:
    """ "Tỷ lệ (<i>chỉ thống kê…</i>)" → ("Tỷ lệ (", upright), ("chỉ thống kê…", italic), (")", upright).

    An unclosed ``<i>`` stays as text: a typo in a definition must show, not swallow the rest of the label.
    """
    parts: list[Segment] = []
    position = 0
    for match in _ITALIC.finditer(label):
        if match.start() > position:
            parts.append(Segment(label[position : match.start()], False))
        if match[1]:
            parts.append(Segment(match[1], True))
        position = match.end()
    if position < len(label):
        parts.append(Segment(label[position:], False))
    return tuple(parts)


def plain_label(label: str) -> str:
    """The label without its markup, for plain text."""
    return "".join(segment.text for segment in segments(label))


def html_label(label: str) -> str:
    """The label as safe HTML: its italics as ``<i>``, everything else escaped."""
    return "".join(
        f"<i>{escape(segment.text)}</i>" if segment.italic else escape(segment.text)
        for segment in segments(label)
    )
