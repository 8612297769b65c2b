"""Open a report file of any supported kind, with limits checked before anything is parsed.

Plain text is read here; Word and Excel in ``office``, PDF in ``pdf``. Every failure becomes a ReadError
with a Vietnamese sentence: the CLI prints it and exits with code 2, the web page shows it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from baocao.legacy.model import ReadDocument, ReadError, TableRow

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "Columns",
    "join_paragraphs",
    "read_bytes",
    "read_file",
    "rows_from_cells",
    "slow_to_read",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
QUICK_READ_BYTES = 2 * 1024 * 1024  # larger files are read by a job on the web (``slow_to_read``)
MAX_LINES = 20_000  # lines of a text file; a report has a few hundred
MAX_TABLE_ROWS = 3_000  # appendix rows of any file; a commune's appendix has about 100
MAX_PARAGRAPH_CHARS = 5_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 5000
SUPPORTED_SUFFIXES = (".txt", ".docx", ".xlsx", ".pdf", ".html", ".htm", ".doc", ".odt", ".xls", ".ods")

MSG_MISSING = "không tìm thấy tệp “{name}”"
MSG_UNREADABLE = "không mở được tệp “{name}”: {reason}"
MSG_TOO_MANY_LINES = "tệp “{name}” có {lines} dòng, quá dài cho một báo cáo (tối đa {limit} dòng)"
MSG_TOO_MANY_ROWS = "tệp “{name}” có {rows} dòng bảng, quá nhiều cho một phụ lục (tối đa {limit} dòng)"
MSG_EMPTY = "tệp “{name}” rỗng, không có nội dung để kiểm tra"
MSG_TOO_LARGE = "tệp “{name}” quá lớn ({size} MB; tối đa {limit} MB cho một báo cáo)"
MSG_BINARY = (
    "tệp “{name}” không phải là văn bản, HTML, Word (.doc, .docx, .odt), Excel (.xls, .xlsx, .ods) "
    "hay PDF đọc được"
)
MSG_OLE = "tệp “{name}” là tệp Office đã đặt mật khẩu; hãy bỏ mật khẩu và lưu lại thành .docx hoặc .xlsx"
MSG_BAD_ZIP = "tệp “{name}” bị hỏng: không phải tệp .docx/.xlsx hợp lệ"
MSG_ZIP_BOMB = (
    "tệp “{name}” bị từ chối: khi giải nén sẽ lớn bất thường ({size} MB, tỷ lệ nén {ratio}:1), "
    "có thể là tệp độc hại"
)
MSG_ZIP_MEMBERS = "tệp “{name}” bị từ chối: chứa quá nhiều thành phần ({count})"
MSG_ENTITIES = "tệp “{name}” bị từ chối: chứa khai báo thực thể XML (DOCTYPE/ENTITY), không được phép"
MSG_ZIP_KIND = "tệp “{name}” là tệp nén nhưng không phải Word (.docx) hay Excel (.xlsx)"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TAGS_RE = re.compile(r"</?(?:i|b|em|strong|u)>|\*\*")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE_END = (".", ":", ";", "!", "?", "…", "/.")


def slow_to_read(data: bytes) -> bool:
    """Whether reading ``data`` may take more than a second or two: a PDF (read by OCR, tens of seconds,
    when it has no text layer), a file LibreOffice converts first (.doc, .xls, .odt, .ods: seconds, and it
    may wait for a free conversion slot), or any file over ``QUICK_READ_BYTES``. The web reads such a file
    in a background job; a small text, HTML, .docx or .xlsx file is read in milliseconds, in the request."""
    if len(data) > QUICK_READ_BYTES or data.startswith((b"%PDF", _OLE_MAGIC)):
        return True
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _open_document_kind(archive) is not None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, OSError):
        return False  # refused at once by the reader, in the request


def read_file(path: Path) -> ReadDocument:
    """Read ``path`` (size checked before a byte is loaded)."""
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(MSG_MISSING.format(name=path)) from None
    except OSError as error:
        raise ReadError(MSG_UNREADABLE.format(name=name, reason=error.strerror)) from None
    _check_size(name, size)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(MSG_UNREADABLE.format(name=name, reason=error.strerror)) from None
    return read_bytes(data, name)


def _check_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError(
            MSG_TOO_LARGE.format(name=name, size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))
        )


def read_bytes(data: bytes, name: str) -> ReadDocument:
    """Read a file's content; the kind is taken from its first bytes, not from its name."""
    document = _read_any(data, name)
    if len(document.rows) > MAX_TABLE_ROWS:
        raise ReadError(
            MSG_TOO_MANY_ROWS.format(name=name, rows=_count(len(document.rows)), limit=_count(MAX_TABLE_ROWS))
        )
    return document


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _read_any(data: bytes, name: str) -> ReadDocument:
    _check_size(name, len(data))
    if not data.strip():
        raise ReadError(MSG_EMPTY.format(name=name))
    if data.startswith(_OLE_MAGIC):
        return _read_ole(data, name)
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data, name)
    if data.startswith(b"%PDF"):
        from baocao.legacy.pdf import read_pdf

        return read_pdf(data, name)
    return read_text(data, name)


def _read_zip(data: bytes, name: str) -> ReadDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = _check_zip(archive, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, OSError):
        raise ReadError(MSG_BAD_ZIP.format(name=name)) from None
    from baocao.legacy import office

    if "word/document.xml" in names:
        return office.read_docx(data, name)
    if "xl/workbook.xml" in names:
        return office.read_xlsx(data, name)
    if "EncryptedPackage" in names:
        raise ReadError(MSG_OLE.format(name=name))
    kind = _open_document_kind(archive)
    if kind is not None:
        from baocao.legacy.convert import convert

        return read_bytes(convert(data, kind, name), name)
    raise ReadError(MSG_ZIP_KIND.format(name=name))


def _read_ole(data: bytes, name: str) -> ReadDocument:
    """A Word 97–2003 (.doc) or Excel 97–2003 (.xls) file is converted by LibreOffice; a password-protected
    .docx/.xlsx (also an OLE file) is refused."""
    from baocao.legacy.convert import convert, ole_kind

    kind = ole_kind(data)
    if kind not in ("doc", "xls"):
        raise ReadError(MSG_OLE.format(name=name))
    return read_bytes(convert(data, kind, name), name)


def _open_document_kind(archive: zipfile.ZipFile) -> str | None:
    """ "odt" or "ods" for an OpenDocument text or spreadsheet (its "mimetype" member says which)."""
    try:
        mimetype = archive.read("mimetype")[:100]
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return None
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return "odt"
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    return None


def _check_zip(archive: zipfile.ZipFile, name: str) -> set[str]:
    """Refuse a zip bomb from its directory (declared sizes), then look for XML entity declarations while
    reading each part with a hard cap, so a lying directory cannot make us expand past the limit."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReadError(MSG_ZIP_MEMBERS.format(name=name, count=len(infos)))
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > MAX_UNZIPPED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_ZIP_RATIO):
        raise ReadError(MSG_ZIP_BOMB.format(name=name, size=total // (1024 * 1024), ratio=total // packed))
    budget = MAX_UNZIPPED_BYTES
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as member:
            head = member.read(min(budget, 4096) + 1)
            budget -= len(head)
            rest_read = 0
            while chunk := member.read(1 << 20):
                rest_read += len(chunk)
                if rest_read > budget:
                    raise ReadError(MSG_ZIP_BOMB.format(name=name, size=total // (1024 * 1024), ratio="?"))
            budget -= rest_read
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise ReadError(MSG_ENTITIES.format(name=name))
    return {info.filename for info in infos}


def clean_cell(text: object) -> str:
    if text is None:
        return ""
    return " ".join(_TAGS_RE.sub("", str(text)).replace("\u00a0", " ").split())


def read_text(data: bytes, name: str) -> ReadDocument:
    from baocao.legacy.encodings import decode_text

    decoded = decode_text(data)
    if decoded is None:
        raise ReadError(MSG_BINARY.format(name=name))
    text, _ = decoded
    from baocao.legacy.html import looks_like_html, read_html

    if looks_like_html(text):
        return read_html(text, name)
    sample = text[:20000]
    if sample and len(_CONTROL_RE.findall(sample)) > len(sample) / 100:
        raise ReadError(MSG_BINARY.format(name=name))
    lines = text.replace("\r\n", "\n").replace("\f", "\n\n").split("\n")
    if len(lines) > MAX_LINES:
        raise ReadError(
            MSG_TOO_MANY_LINES.format(name=name, lines=_count(len(lines)), limit=_count(MAX_LINES))
        )
    prose: list[str] = []
    table: list[tuple[list[str], str]] = []
    for number, line in enumerate(lines, 1):
        if "\t" in line:
            table.append(([clean_cell(cell) for cell in line.split("\t")], f"dòng {number}"))
        else:
            prose.append(line)
    return ReadDocument("txt", join_paragraphs(_blocks(prose)), rows_from_cells(table))


def _blocks(lines: Iterable[str]) -> list[str]:
    """Paragraphs of plain text: blank lines separate them; a block longer than MAX_PARAGRAPH_CHARS is cut at
    a line end, so that the checks' work grows with the file, not with the square of a block."""
    blocks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        cleaned = clean_cell(line)
        if cleaned:
            current.append(cleaned)
            size += len(cleaned) + 1
        if current and (not cleaned or size > MAX_PARAGRAPH_CHARS):
            blocks.append(" ".join(current))
            current, size = [], 0
    if current:
        blocks.append(" ".join(current))
    return blocks


def join_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """Mend paragraphs cut by a page break: one that stops mid-sentence continues in the next one when
    that starts with a lower-case letter."""
    joined: list[str] = []
    for paragraph in paragraphs:
        text = clean_cell(paragraph)
        if not text:
            continue
        if (
            joined
            and text[0].islower()
            and not joined[-1].endswith(_SENTENCE_END)
            and len(joined[-1]) + len(text) < MAX_PARAGRAPH_CHARS
        ):
            joined[-1] = f"{joined[-1]} {text}"
        else:
            joined.append(text)
    return joined


class Columns:
    """Which column holds what, learnt from the table's header rows (defaults: the seed's order)."""

    __slots__ = ("code", "label", "note", "stt", "unit", "value")

    def __init__(self) -> None:
        self.stt, self.label, self.unit, self.value, self.note = 0, 1, 2, 3, 4
        self.code: int | None = None

    def learn(self, cells: Sequence[str]) -> bool:
        """Take column positions from a header row; False when ``cells`` is not a header row."""
        lowered = [cell.lower() for cell in cells]
        if not _is_header(lowered):
            return False
        found_value = False
        for index, cell in enumerate(lowered):
            if cell == "stt":
                self.stt = index
            elif cell.startswith("chỉ tiêu") or cell.startswith("nội dung"):
                self.label = index
            elif cell.startswith("đơn vị"):
                self.unit = index
            elif cell.startswith("số liệu") or (cell.startswith("kết quả") and not found_value):
                self.value = index
                found_value = found_value or cell.startswith("số liệu")
            elif cell.startswith("ghi chú"):
                self.note = index
            elif cell in ("mã", "mã chỉ tiêu", "code"):
                self.code = index
        return True

    def row(self, cells: Sequence[str], where: str) -> TableRow:
        def cell(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        return TableRow(
            stt=cell(self.stt),
            label=cell(self.label),
            unit=cell(self.unit),
            value=cell(self.value),
            note=cell(self.note),
            where=where,
            code=cell(self.code),
        )


def _is_header(lowered: Sequence[str]) -> bool:
    return any(cell in ("stt", "đơn vị tính", "số liệu", "ghi chú") for cell in lowered)


def rows_from_cells(
    table: Iterable[tuple[list[str], str]],
    columns: Columns | None = None,
    page_starts: set[str] | None = None,
) -> list[TableRow]:
    """Appendix rows from raw table rows; header rows (repeated after each page break) are skipped.

    ``page_starts`` names the rows that open a page (PDF): there a row without STT, unit or value is the
    rest of the row the page break cut."""
    columns = columns or Columns()
    rows: list[TableRow] = []
    first_on_page = False
    for cells, where in table:
        first_on_page = first_on_page or (page_starts is not None and where in page_starts)
        if not any(cells) or columns.learn(cells):
            continue
        row = columns.row(cells, where)
        cut = first_on_page and not row.stt and not row.unit and not row.value
        first_on_page = False
        if rows and (cut or _continues(row)):
            _merge(rows[-1], row)
        elif row.label or row.stt or row.value:
            rows.append(row)
    return rows


def _continues(row: TableRow) -> bool:
    """A row cut by a page break: its second part has no STT and a label that goes on in lower case."""
    return not row.stt and bool(row.label) and row.label[0].islower()


def _merge(row: TableRow, rest: TableRow) -> None:
    row.label = f"{row.label} {rest.label}".strip()
    row.unit = row.unit or rest.unit
    row.value = row.value or rest.value
    row.note = f"{row.note} {rest.note}".strip()


def suffix_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES
