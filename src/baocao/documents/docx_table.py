"""The appendix table of the Word document, written as one XML fragment and parsed once.

Building it cell by cell through python-docx's API costs seconds for a table of a hundred rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from docx.oxml.ns import nsdecls

from baocao.core.labels import Segment, segments
from baocao.documents.document import AppendixRow
from baocao.documents.sheet import HEAD_QUALIFIER

__all__ = ["table_xml", "twips"]

HEAD_TOP = ("STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "Ghi chú")
HEAD_BOTTOM = ("Đơn vị tính", "Số liệu")
NUMBER_TYPES = frozenset({"count", "decimal", "percent", "ratio", "count_share"})
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
HEADER_PROPS = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _runs(parts: Iterable[Segment], bold: bool, italic: bool) -> str:
    runs = []
    for part in parts:
        props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic or part.italic else "")
        runs.append(f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(part.text)}</w:t></w:r>')
    return "".join(runs)


def _cell(
    parts: Iterable[Segment],
    style: str,
    width: int,
    *,
    bold: bool = False,
    italic: bool = False,
    extra: str = "",
    indent: int = 0,
    keep: bool = False,
) -> str:
    # pPr children in the schema's order: pStyle, keepNext, ind.
    keep_next = "<w:keepNext/>" if keep else ""
    ind = f'<w:ind w:left="{indent * 170}"/>' if indent else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_next}{ind}</w:pPr>'
        f"{_runs(parts, bold, italic)}</w:p></w:tc>"
    )


def _text(text: str) -> tuple[Segment, ...]:
    return (Segment(text, False),) if text else ()


def _head(ids: dict[str, str], widths: list[int]) -> str:
    head = ids["BC Cell Head"]
    label = (Segment(HEAD_TOP[1], False), Segment(f" {HEAD_QUALIFIER}", False))
    top = (
        _cell(_text(HEAD_TOP[0]), head, widths[0], extra='<w:vMerge w:val="restart"/>')
        + _cell(label, head, widths[1], extra='<w:vMerge w:val="restart"/>')
        + _cell(_text(HEAD_TOP[2]), head, widths[2] + widths[3], extra='<w:gridSpan w:val="2"/>')
        + _cell(_text(HEAD_TOP[3]), head, widths[4], extra='<w:vMerge w:val="restart"/>')
    )
    bottom = (
        _cell((), head, widths[0], extra="<w:vMerge/>")
        + _cell((), head, widths[1], extra="<w:vMerge/>")
        + _cell(_text(HEAD_BOTTOM[0]), head, widths[2])
        + _cell(_text(HEAD_BOTTOM[1]), head, widths[3])
        + _cell((), head, widths[4], extra="<w:vMerge/>")
    )
    # Two header rows, as on the paper form ("Kết quả thống kê" over unit and value), repeated on every page.
    return f"<w:tr>{HEADER_PROPS}{top}</w:tr><w:tr>{HEADER_PROPS}{bottom}</w:tr>"


def _row(row: AppendixRow, ids: dict[str, str], widths: list[int]) -> str:
    bold, italic = row.bold, row.italic
    # A group row heads the rows under it: it never ends a page alone.
    keep = row.type == "group"
    center, number = ids["BC Cell Center"], ids["BC Cell Number"]
    value_style = number if row.type in NUMBER_TYPES else center
    return (
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + _cell(_text(row.stt), center, widths[0], bold=bold, italic=italic, keep=keep)
        + _cell(segments(row.label), ids["BC Cell"], widths[1], bold=bold, italic=italic, keep=keep)
        + _cell(_text(row.unit), center, widths[2], bold=bold, italic=italic, keep=keep)
        + _cell(_text(row.display), value_style, widths[3], bold=bold, italic=italic, keep=keep)
        + _cell(_text(row.note), ids["BC Cell"], widths[4], italic=italic, keep=keep)
        + "</w:tr>"
    )


def table_xml(rows: tuple[AppendixRow, ...], ids: dict[str, str], widths_mm: tuple[int, ...]) -> str:
    widths = [twips(mm) for mm in widths_mm]
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
        _head(ids, widths),
        *(_row(row, ids, widths) for row in rows),
        "</w:tbl>",
    ]
    return "".join(parts)
