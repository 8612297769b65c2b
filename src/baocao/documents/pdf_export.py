"""PDF by LibreOffice: the .docx converted by ``soffice --headless``, in a private profile, with a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baocao.documents.document import BuiltReport

__all__ = ["MSG_NO_SOFFICE", "PDFA_TARGET", "PdfUnavailable", "convert", "export_pdf", "soffice_path"]

MSG_NO_SOFFICE = (
    "Chưa tạo được PDF: máy chủ chưa cài LibreOffice (lệnh soffice). Hãy tải bản Word rồi lưu thành PDF, "
    "hoặc nhờ quản trị cài gói libreoffice-writer."
)
MSG_FAILED = "LibreOffice không chuyển được tệp sang PDF: {reason}"
MSG_TIMEOUT = "LibreOffice chuyển tệp sang PDF quá {seconds} giây; hãy thử lại sau."
TIMEOUT_SECONDS = 120
# PDF/A-2b (ISO 19005-2), the archival PDF that keeps a signed report readable for decades; unlike PDF/A-1 it
# allows the transparent signature and seal images of a digital signature.
PDFA_TARGET = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


class PdfUnavailable(RuntimeError):
    """No PDF could be made; ``str(error)`` is a Vietnamese sentence for the user."""


def soffice_path() -> str | None:
    """LibreOffice's command: ``BAOCAO_SOFFICE`` when set (and runnable), else ``soffice`` on the PATH."""
    configured = os.environ.get("BAOCAO_SOFFICE")
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str = "pdf", timeout: int = TIMEOUT_SECONDS) -> bytes:
    """``data`` (a .docx or .xlsx) converted by LibreOffice to ``target``; a fresh profile per call keeps
    parallel conversions from fighting over one profile's lock."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(MSG_NO_SOFFICE)
    with tempfile.TemporaryDirectory(prefix="baocao-soffice-") as work:
        folder = Path(work)
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(MSG_TIMEOUT.format(seconds=timeout)) from None
        except OSError as error:
            raise PdfUnavailable(MSG_FAILED.format(reason=error.strerror)) from None
        produced = folder / "out" / f"document.{target.split(':')[0]}"
        if result.returncode != 0 or not produced.exists():
            reason = (result.stderr or result.stdout).decode(errors="replace").strip()[-300:]
            raise PdfUnavailable(MSG_FAILED.format(reason=reason or f"mã lỗi {result.returncode}"))
        return produced.read_bytes()


def export_pdf(report: BuiltReport, *, pdfa: bool = False) -> bytes:
    from baocao.documents.docx_export import export_docx

    return convert(export_docx(report), ".docx", PDFA_TARGET if pdfa else "pdf")
