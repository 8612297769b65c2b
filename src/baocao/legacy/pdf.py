"""PDF reader (pdfplumber): ruled tables become appendix rows, the text around them the narrative.

Only PDFs with a text layer can be read; a scanned page has no text and is refused with a clear message.
"""

from __future__ import annotations

import io
import re
import zlib
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
            for number, page in enumerate(pdf.pages, 1):
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


def _read_page(page: Any, number: int, lines: list[str], table_cells: list[tuple[list[str], str]]) -> None:
    tables = page.find_tables()
    appendix = []
    for table in tables:
        rows = [[clean_cell(cell) for cell in row] for row in table.extract()]
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
