"""LibreOffice opens what we produce and converts it; page 1 and the first appendix page become PNGs.

The PNGs go to build/documents/ (git-ignored) on every run; ``BAOCAO_SCREENSHOTS=1`` also refreshes the
README's copies in docs/screenshots/.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from csv import reader
from pathlib import Path

import pytest

from baocao.documents.docx_export import export_docx
from baocao.documents.pdf_export import PdfUnavailable, convert, export_pdf
from baocao.documents.xlsx_export import export_xlsx
from tests.documents.conftest import needs_soffice

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "documents"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    return text.decode().split("\f")


def _png(pdf: Path, page: int, name: str) -> Path:
    target = BUILD / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )
    return target.with_suffix(".png")


@needs_soffice
@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm chưa cài: apt-get install poppler-utils"
)
def test_libreoffice_converts_the_docx_and_the_pages_render(demo_built) -> None:
    BUILD.mkdir(parents=True, exist_ok=True)
    pdf = BUILD / "bao-cao-cam-giang.pdf"
    pdf.write_bytes(convert(export_docx(demo_built), ".docx"))
    pages = _pages_text(pdf)
    assert "BÁO CÁO" in pages[0] and "Số: 15/BC-UBND" in pages[0] and "DỰ THẢO" in pages[0]
    appendix = next(number for number, text in enumerate(pages, start=1) if "Phụ lục I" in text)
    assert appendix > 2
    assert "6,06" in pages[appendix - 1] and "Kết quả thống kê" in pages[appendix - 1]
    # The repeated header row: the appendix's next page starts with the table's heading again.
    assert "Chỉ tiêu thống kê" in pages[appendix]
    first = _png(pdf, 1, "docx-page1")
    table = _png(pdf, appendix, "docx-appendix")
    assert first.stat().st_size > 10_000 and table.stat().st_size > 10_000
    if os.environ.get("BAOCAO_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(first, SCREENSHOTS / first.name)
        shutil.copy(table, SCREENSHOTS / table.name)


@needs_soffice
def test_libreoffice_opens_and_converts_the_xlsx_with_live_formulas(demo_built) -> None:
    BUILD.mkdir(parents=True, exist_ok=True)
    csv = convert(export_xlsx(demo_built), ".xlsx", target="csv:Text - txt - csv (StarCalc):44,34,76")
    rows = {row[5]: row for row in reader(io.StringIO(csv.decode())) if len(row) > 5}
    # LibreOffice recalculated the ratio formulas: 2/33 → 6,06 (the cell's Vietnamese format, whatever
    # LibreOffice's own locale), 0/0 → "không phát sinh".
    assert rows["1.2"][2:5] == ["%", "6,06", ""]
    assert rows["2.2.1"][2:5] == ["%", "không phát sinh", ""]
    # The decimals are the definition's: 7.1.b's 90,4 % and a count's 16 (88,9 %) stay as the web shows them.
    assert rows["3.3.1"][3] == "100"
    assert "<i>" not in csv.decode()
    (BUILD / "phu-luc-cam-giang.csv").write_bytes(csv)


def test_pdf_without_libreoffice_says_so_in_vietnamese(demo_built, monkeypatch) -> None:
    from baocao.documents import pdf_export

    monkeypatch.setattr(pdf_export, "soffice_path", lambda: None)
    with pytest.raises(PdfUnavailable, match="chưa cài LibreOffice"):
        export_pdf(demo_built)
