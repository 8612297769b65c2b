"""Scanned PDFs (pages without a text layer) read by OCR: poppler's pdftoppm renders each page, Tesseract
with its Vietnamese data (Debian: tesseract-ocr, tesseract-ocr-vie) reads it through pytesseract. What is
read this way is marked: its figures are shown as OCR'd and are never imported without the user's tick."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from baocao.legacy.model import ReadError

__all__ = ["MAX_OCR_PAGES", "ocr_available", "ocr_pdf_lines"]

MAX_OCR_PAGES = 20
RESOLUTION = 300
MSG_OCR_FAILED = "không nhận dạng được chữ trong tệp PDF bản quét “{name}” ({reason})"
MSG_TOO_MANY = "tệp PDF bản quét “{name}” có {pages} trang; chỉ nhận dạng chữ (OCR) tối đa {limit} trang"


def ocr_available() -> bool:
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        return False
    try:
        import pytesseract  # type: ignore[import-untyped]

        return "vie" in pytesseract.get_languages(config="")
    except Exception:  # a broken Tesseract install is as good as none
        return False


def ocr_pdf_lines(data: bytes, name: str, pages: int, seconds: int = 120) -> list[str]:
    """The text lines of every page, in reading order."""
    import pytesseract
    from PIL import Image

    if pages > MAX_OCR_PAGES:
        raise ReadError(MSG_TOO_MANY.format(name=name, pages=pages, limit=MAX_OCR_PAGES))
    with tempfile.TemporaryDirectory(prefix="baocao-ocr-") as folder:
        work = Path(folder)
        (work / "scan.pdf").write_bytes(data)
        command = [
            "pdftoppm",
            "-r",
            str(RESOLUTION),
            "-gray",
            "-png",
            str(work / "scan.pdf"),
            str(work / "page"),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=seconds, check=True)
            lines: list[str] = []
            for image in sorted(work.glob("page-*.png")):
                with Image.open(image) as page:
                    # A report page is one column: "--psm 4" keeps a long line whole instead of reading its
                    # end as a second column.
                    text = pytesseract.image_to_string(page, lang="vie", config="--psm 4", timeout=seconds)
                lines += text.splitlines()
        except (subprocess.SubprocessError, RuntimeError, OSError) as error:
            raise ReadError(MSG_OCR_FAILED.format(name=name, reason=type(error).__name__)) from None
    return lines
