"""HTML reports (a page saved from a portal, Word's "Web Page" export) read with lxml's HTML parser: the
text of each block in reading order, tables with an appendix header as appendix rows, scripts and styles
dropped."""

from __future__ import annotations

import re
from typing import Any

from baocao.legacy.model import ReadDocument, ReadError
from baocao.legacy.read import Columns, clean_cell, join_paragraphs, rows_from_cells

__all__ = ["looks_like_html", "read_html"]

MSG_HTML = "tệp HTML “{name}” bị hỏng, không đọc được"
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "blockquote", "pre", "dd", "dt"})
_DROP = ("script", "style", "noscript", "head", "template", "svg")
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|p|div|table)\b", re.I | re.S
)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:2048]))


def read_html(text: str, name: str) -> ReadDocument:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise ReadError(MSG_HTML.format(name=name)) from None
    for element in root.iter(*_DROP):
        element.drop_tree()
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    paragraphs: list[str] = []
    cells: list[tuple[list[str], str]] = []
    tables = 0
    for element in root.iter():
        if element.tag == "table" and not _inside_table(element):
            tables += 1
            _read_table(element, tables, paragraphs, cells)
        elif element.tag in _BLOCKS and not _inside_table(element) and _is_leaf_block(element):
            paragraphs.append(element.text_content())
    return ReadDocument("html", join_paragraphs(paragraphs), rows_from_cells(cells))


def _read_table(table: Any, number: int, paragraphs: list[str], cells: list[tuple[list[str], str]]) -> None:
    """An appendix table (a header row names its columns) gives rows; another table gives its cells' text."""
    rows = [[clean_cell(cell.text_content()) for cell in row.iter("td", "th")] for row in table.iter("tr")]
    if any(Columns().learn(row) for row in rows[:4]):
        cells += [(row, f"bảng {number}, hàng {index}") for index, row in enumerate(rows, 1)]
    else:
        paragraphs += [cell for row in rows for cell in row if cell]


def _is_leaf_block(element: Any) -> bool:
    return not any(child.tag in _BLOCKS or child.tag == "table" for child in element.iterdescendants())


def _inside_table(element: object) -> bool:
    return any(ancestor.tag == "table" for ancestor in element.iterancestors())  # type: ignore[attr-defined]
