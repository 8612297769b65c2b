"""PDF reader (pdfplumber): ruled tables become appendix rows, the text around them the narrative.

Only PDFs with a text layer can be read; a scanned page has no text and is refused with a clear message.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from bisect import bisect_left
from typing import Any

from baocao.legacy.model import ReadDocument, ReadError
from baocao.legacy.read import Columns, clean_cell, join_paragraphs, rows_from_cells

__all__ = ["read_pdf"]

MSG_PDF = "tệp PDF “{name}” bị hỏng, không đọc được ({reason})"
MSG_ENCRYPTED = "tệp PDF “{name}” đã đặt mật khẩu; hãy gửi bản không mật khẩu"
MSG_NO_TEXT = (
    "tệp PDF “{name}” không có lớp chữ (có thể là bản quét) và không nhận dạng được chữ (OCR); "
    "hãy gửi bản Word hoặc PDF xuất từ Word"
)
MSG_TOO_MANY_PAGES = "tệp PDF “{name}” có {pages} trang, quá dài cho một báo cáo (tối đa {limit})"
MAX_PAGES = 200
# What all of a PDF's compressed streams may inflate to; a report's PDF inflates to a few MB.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MSG_BOMB = (
    "tệp PDF “{name}” bị từ chối: các luồng nén bung ra quá {limit} MB (tệp {size} KB), có thể là tệp độc hại"
)
_STREAM = re.compile(rb"stream\r?\n")
# A line that starts a new paragraph even when the one before it did not end a sentence.
_STARTS_BLOCK = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.\s|[-+•]\s)")


def read_pdf(data: bytes, name: str) -> ReadDocument:
    _check_inflation(data, name)
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as error:  # pragma: no cover - a dependency of the project
        raise ReadError(MSG_PDF.format(name=name, reason=error)) from None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(MSG_TOO_MANY_PAGES.format(name=name, pages=len(pdf.pages), limit=MAX_PAGES))
            lines: list[str] = []
            table_cells: list[tuple[list[str], str]] = []
            page_starts: set[str] = set()
            lean_page = _page_class()
            for number, each in enumerate(pdf.pages, 1):
                page = lean_page(pdf, each.page_obj, each.page_number, each.initial_doctop)
                before = len(table_cells)
                _read_page(page, number, lines, table_cells)
                if len(table_cells) > before:
                    page_starts.add(table_cells[before][1])
    except ReadError:
        raise
    except PDFPasswordIncorrect:
        raise ReadError(MSG_ENCRYPTED.format(name=name)) from None
    except PdfminerException as error:
        if "password" in repr(error).lower() or "encrypt" in repr(error).lower():
            raise ReadError(MSG_ENCRYPTED.format(name=name)) from None
        raise ReadError(MSG_PDF.format(name=name, reason=type(error).__name__)) from None
    except Exception as error:  # pdfminer raises many kinds on a broken file
        raise ReadError(MSG_PDF.format(name=name, reason=type(error).__name__)) from None
    if not any(lines) and not table_cells:
        return _read_scanned(data, name, page_count)
    return ReadDocument(
        "pdf", join_paragraphs(_paragraphs(lines)), rows_from_cells(table_cells, page_starts=page_starts)
    )


def _read_scanned(data: bytes, name: str, pages: int) -> ReadDocument:
    """A PDF without a text layer: read by OCR when Tesseract is installed, else refused with the reason."""
    from baocao.legacy.ocr import ocr_available, ocr_pdf_lines

    if not ocr_available():
        raise ReadError(MSG_NO_TEXT.format(name=name))
    lines = ocr_pdf_lines(data, name, pages)
    if not any(line.strip() for line in lines):
        raise ReadError(MSG_NO_TEXT.format(name=name))
    return ReadDocument("pdf", join_paragraphs(_paragraphs(lines)), [], ocr=True)


def _check_inflation(data: bytes, name: str) -> None:
    """Inflate every Flate stream into nothing, counting bytes, and stop at the bound: a 784 KB PDF that
    inflates to 513 MB is refused after reading 100 MB of it, in well under a second, before pdfminer
    would hold it all in memory."""
    budget = MAX_INFLATED_BYTES
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        position = match.end()
        end = data.find(b"endstream", position)
        chunk = data[position : end if end >= 0 else len(data)]
        try:
            out = inflater.decompress(chunk, 1 << 20)
            budget -= len(out)
            while inflater.unconsumed_tail and budget > 0:
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                budget -= len(out)
                if not out:
                    break
        except zlib.error:
            continue  # not a Flate stream, or a damaged one: pdfminer will say so
        if budget <= 0:
            limit = MAX_INFLATED_BYTES // (1024 * 1024)
            raise ReadError(MSG_BOMB.format(name=name, limit=limit, size=len(data) // 1024))


@functools.cache
def _page_class() -> type:
    """pdfplumber's Page with two costs of reading a page cut, for the same text and tables.

    Pinned to pdfplumber 0.11.10 (requirements/constraints.txt): tests/legacy/test_formats.py compares this
    page's objects with pdfplumber's own on a fixture; rewrite it on an upgrade that changes them.

    - ``layout`` runs pdfminer with its plain aggregator, not pdfplumber's subclass that tags each object with
      its marked-content id (``mcid``, ``tag``, unused here): ≈ 7 % less CPU in pdfminer.
    - ``process_object`` passes every attribute of every object through ``resolve_all`` and decodes the
      colour space's name again for each character, a third of reading a report. For an ``LTChar`` this
      builds the same dict, key for key and in the same order: its numbers, strings and matrix of numbers
      are kept as they are, any other value still goes through ``resolve_all``. Other objects (lines,
      rectangles, curves, images) go through pdfplumber's method.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes
    from pdfplumber.utils.exceptions import PdfminerException
    from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

    plain = {float, int, str, bool, type(None)}
    decode_name = functools.lru_cache(maxsize=64)(resolve_and_decode)

    def resolved(value: Any) -> Any:
        if type(value) is tuple and plain.issuperset(map(type, value)):
            return value
        return resolve_all(value)

    class LeanPage(Page):
        @property
        def layout(self) -> Any:
            if hasattr(self, "_layout"):
                return self._layout
            device = PDFPageAggregator(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
            try:
                PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            except Exception as error:
                raise PdfminerException(error) from error
            self._layout = device.get_result()
            return self._layout

        def process_object(self, obj: Any) -> dict[str, Any]:
            if type(obj) is not LTChar or self.pdf.unicode_norm is not None:
                return super().process_object(obj)
            attr = {
                key: value if type(value) in plain else resolved(value)
                for key, value in obj.__dict__.items()
                if key in ALL_ATTRS
            }
            attr["object_type"] = "char"
            attr["page_number"] = self.page_number
            name = obj.ncs.name
            attr["ncs"] = decode_name(name) if type(name) is str else resolve_and_decode(name)
            attr["text"] = obj.get_text()
            state = obj.graphicstate
            attr["stroking_color"] = state.scolor if isinstance(state.scolor, tuple) else (state.scolor,)
            attr["non_stroking_color"] = state.ncolor if isinstance(state.ncolor, tuple) else (state.ncolor,)
            if isinstance(attr["fontname"], bytes):
                attr["fontname"] = fix_fontname_bytes(attr["fontname"])
            mb_x0, mb_top = self.mediabox[:2]
            attr["top"] = (self.height - attr["y1"]) + mb_top
            attr["bottom"] = (self.height - attr["y0"]) + mb_top
            attr["doctop"] = self.initial_doctop + attr["top"]
            if mb_x0 != 0:
                attr["x0"] = attr["x0"] + mb_x0
                attr["x1"] = attr["x1"] + mb_x0
            return attr

    return LeanPage


def _read_page(page: Any, number: int, lines: list[str], table_cells: list[tuple[list[str], str]]) -> None:
    tables = page.find_tables()
    appendix = []
    for table in tables:
        rows = [[clean_cell(cell) for cell in row] for row in _table_text(table)]
        if any(Columns().learn(cells) for cells in rows[:4]) or (table_cells and rows and len(rows[0]) >= 4):
            appendix.append(table)
            table_cells += [(cells, f"trang {number}, hàng {index}") for index, cells in enumerate(rows, 1)]
    boxes = [table.bbox for table in appendix]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text = (page.filter(outside) if boxes else page).extract_text() or ""
    lines += [line for line in (clean_cell(line) for line in text.split("\n")) if line]
    lines.append("")  # a page ends a line of text


def _table_text(table: Any) -> list[list[str | None]]:
    """``table.extract()`` of pdfplumber 0.11.10, with the page's characters sorted by height once.

    That method tests every character of the page against each row of the table, and each of the row's
    against each cell, computing its middle again for each test. Here a row takes the run of characters whose
    middle lies in its height (found by bisection), then makes that method's tests in the characters' order;
    a cell's text is pdfplumber's ``extract_text`` of the same characters. tests/legacy/test_formats.py
    compares both on a fixture.
    """
    from pdfplumber.utils.text import extract_text

    chars = table.page.chars
    across = [(char["x0"] + char["x1"]) / 2 for char in chars]
    down = [(char["top"] + char["bottom"]) / 2 for char in chars]
    # A NaN middle is in no cell, and would break the order bisection needs.
    by_height = sorted((middle, index) for index, middle in enumerate(down) if middle == middle)
    heights = [middle for middle, _ in by_height]
    text: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        run = sorted(
            index for _, index in by_height[bisect_left(heights, top) : bisect_left(heights, bottom)]
        )
        in_row = [i for i in run if x0 <= across[i] < x1 and top <= down[i] < bottom]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            left, upper, right, lower = cell
            found = [chars[i] for i in in_row if left <= across[i] < right and upper <= down[i] < lower]
            cells.append(extract_text(found) if found else "")
        text.append(cells)
    return text


def _paragraphs(lines: list[str]) -> list[str]:
    """PDF text comes as lines: a line continues the paragraph unless the previous one ended a sentence
    or this one starts a heading or a list item."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            continue
        if current and (current.endswith((".", ":", ";", "!", "?")) or _STARTS_BLOCK.match(line)):
            paragraphs.append(current)
            current = line
        else:
            current = f"{current} {line}".strip()
    if current:
        paragraphs.append(current)
    return paragraphs
