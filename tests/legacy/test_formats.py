"""More real formats: text in UTF-16, Windows-1258 and TCVN3; HTML; .doc and .odt through LibreOffice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from baocao import soffice
from baocao.core.definition import load_definition
from baocao.legacy.check import check_document, check_file
from baocao.legacy.read import read_bytes

COLLECTION = Path(__file__).parents[1] / "fixtures" / "legacy"
SENTENCE = "Ủy ban nhân dân xã tiếp nhận 29 hồ sơ, đạt tỷ lệ 100%."
# The same sentence as glibc's iconv writes it in the two 8-bit encodings of Vietnamese offices.
TCVN3 = b"\x9ey ban nh\xa9n d\xa9n x\xb7 ti\xd5p nh\xcbn 29 h\xe5 s\xac, \xae\xb9t t\xfb l\xd6 100%."
CP1258 = (
    b"U\xd2y ban nh\xe2n d\xe2n xa\xde ti\xea\xecp nh\xe2\xf2n 29 h\xf4\xcc s\xf5, "
    b"\xf0a\xf2t ty\xd2 l\xea\xf2 100%."
)
TRONG_DO = "Tiếp nhận 29 hồ sơ, trong đó: trực tuyến 07 hồ sơ, trực tiếp 07 hồ sơ."


@pytest.mark.parametrize(
    "data",
    [
        TCVN3,
        CP1258,
        SENTENCE.encode("utf-16"),  # with a byte-order mark
        SENTENCE.encode("utf-16-le"),  # without one
        SENTENCE.encode("utf-8-sig"),
    ],
    ids=["tcvn3", "windows-1258", "utf-16-bom", "utf-16-le", "utf-8-bom"],
)
def test_text_in_the_encodings_offices_use_is_read(data: bytes) -> None:
    assert read_bytes(data, "bao-cao.txt").paragraphs == [SENTENCE]


def test_a_conflict_in_a_tcvn3_file_is_found() -> None:
    from baocao.legacy.encodings import TCVN3_HIGH

    encode = {c: bytes([0x80 + i]) for i, c in enumerate(TCVN3_HIGH) if c not in "\u00a0"}
    data = b"".join(encode.get(c, c.encode("ascii", "ignore")) for c in TRONG_DO)
    result = check_document(read_bytes(data, "tcvn3.txt"), load_definition("cchc-xa-quy"))
    assert [f.rule for f in result.errors] == ["narrative.parts"]
    assert "29" in result.errors[0].message and "07, 07" in result.errors[0].message


def test_binary_is_still_refused() -> None:
    from baocao.legacy.model import ReadError

    with pytest.raises(ReadError, match="không phải là văn bản"):
        read_bytes(bytes(range(256)) * 40, "anh.txt")


def test_html_is_read_with_its_paragraphs_and_table(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Báo cáo</title><style>p{color:red}</style><script>var x = 1/2;</script></head>"
        "<body><h2>II. KẾT QUẢ</h2>"
        "<p>Tiếp nhận 29 hồ sơ, trong đó: trực tuyến 07 hồ sơ,<br>trực tiếp 07 hồ sơ.</p>"
        "<table><tr><th>STT</th><th>Chỉ tiêu</th><th>Đơn vị tính</th><th>Số liệu</th></tr>"
        "<tr><td>7.2.4</td><td>Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến</td><td>%</td><td>93,3</td></tr>"
        "</table></body></html>"
    )
    document = read_bytes(page.encode("utf-8"), "bao-cao.html")
    assert document.kind == "html"
    assert document.paragraphs == [
        "II. KẾT QUẢ",
        "Tiếp nhận 29 hồ sơ, trong đó: trực tuyến 07 hồ sơ, trực tiếp 07 hồ sơ.",
    ]
    assert [(row.stt, row.value) for row in document.rows] == [("7.2.4", "93,3")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_doc_and_odt_are_read_through_libreoffice() -> None:
    source = COLLECTION / "v0-loi-nam-van-ban.docx"
    original = check_file(source).coverage.rows_mapped
    assert soffice.soffice_path() is not None
    for target in ("doc", "odt"):
        # LibreOffice's own .doc and .odt of the .docx (make_fixtures.py), kept beside it: made once, not at
        # each run (two starts of LibreOffice); reading them converts each back through the runner.
        converted = COLLECTION / f"{source.stem}.{target}"
        result = check_file(converted)
        assert [f.rule for f in result.errors] == ["narrative.document_year"]
        # LibreOffice's own .doc export merges the rows after a page break into one cell: fewer rows map.
        assert (
            result.coverage.rows_mapped == original if target == "odt" else result.coverage.rows_mapped >= 30
        )


def test_password_protected_office_file_is_refused_with_a_reason() -> None:
    from baocao.legacy.model import ReadError

    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(ReadError, match="mật khẩu"):
        read_bytes(ole, "bao-cao.docx")


def test_the_pdf_readers_pages_and_tables_are_pdfplumbers_own() -> None:
    """The PDF reader's leaner Page and table text (pinned to pdfplumber 0.11.10) give what pdfplumber gives,
    object for object and cell for cell, but the marked-content ids the reader does not read: two pages of a
    fixture, with merged cells. Fails on a pdfplumber upgrade that changes what they copy."""
    import pdfplumber

    from baocao.legacy.pdf import _page_class, _table_text

    with pdfplumber.open(COLLECTION / "v0-dung.pdf") as pdf:
        for page in (pdf.pages[1], pdf.pages[5]):
            lean = _page_class()(pdf, page.page_obj, page.page_number, page.initial_doctop)
            unmarked = {
                kind: [{key: obj[key] for key in obj if key not in ("mcid", "tag")} for obj in objects]
                for kind, objects in page.objects.items()
            }
            assert repr(lean.objects) == repr(unmarked)
            tables = page.find_tables()
            extracted = [table.extract() for table in tables]
            assert any(None in row for rows in extracted for row in rows)
            assert [_table_text(table) for table in tables] == extracted


def _scanned_pdf(path: Path, lines: list[str]) -> None:
    """A PDF of page images only, as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    page = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((120, 120 + index * 90), line, font=font, fill=0)
    page.save(path, "PDF", resolution=300)


@pytest.mark.skipif(
    shutil.which("tesseract") is None or not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(),
    reason="Tesseract (tesseract-ocr, tesseract-ocr-vie) or the DejaVu font is not installed",
)
def test_scanned_pdf_is_read_by_ocr_and_its_figures_are_marked(tmp_path: Path) -> None:
    from baocao.legacy.ocr import ocr_available

    if not ocr_available():
        pytest.skip("Tesseract has no Vietnamese data (tesseract-ocr-vie)")
    path = tmp_path / "ban-quet.pdf"
    _scanned_pdf(path, ["Tiếp nhận 29 hồ sơ, trong đó: trực tuyến 07 hồ sơ,", "trực tiếp 07 hồ sơ."])
    result = check_file(path)
    assert result.document.ocr is True
    assert [f.rule for f in result.errors] == ["narrative.parts"]
    assert "OCR" in result.errors[0].message and "OCR" in result.verdict.text
