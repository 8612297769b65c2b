"""PDF by LibreOffice: the .docx converted by ``soffice --headless``, in a private profile, with a timeout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from baocao import soffice
from baocao.soffice import soffice_path

if TYPE_CHECKING:
    from baocao.documents.document import BuiltReport

__all__ = [
    "MSG_NO_SOFFICE",
    "PDFA_TARGET",
    "PdfUnavailable",
    "convert",
    "convert_many",
    "export_pdf",
    "soffice_path",
]

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
    """No PDF could be made; ``str(error)`` is a Vietnamese sentence for the user. ``retryable``: a timeout or
    a crash of LibreOffice (a background job tries again), not a missing LibreOffice."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def convert(data: bytes, suffix: str, target: str = "pdf", timeout: int = TIMEOUT_SECONDS) -> bytes:
    """``data`` (a .docx or .xlsx) converted by LibreOffice to ``target``, through the one runner
    (``baocao.soffice``, which caps the conversions running at once)."""
    path = soffice_path()
    if path is None:
        raise PdfUnavailable(MSG_NO_SOFFICE)
    try:
        return soffice.convert(path, data, suffix, target, timeout)
    except soffice.ConversionFailed as error:
        raise _unavailable(error, timeout) from None


def convert_many(
    files: Sequence[tuple[bytes, str]], target: str = "pdf", timeout: int = TIMEOUT_SECONDS
) -> list[bytes | PdfUnavailable]:
    """Each of ``files`` (data, suffix) converted to ``target``, in order, several in one start of
    LibreOffice (``soffice.convert_many``): its bytes, or why it could not be made. No LibreOffice at all
    raises PdfUnavailable."""
    path = soffice_path()
    if path is None:
        raise PdfUnavailable(MSG_NO_SOFFICE)
    return [
        _unavailable(made, timeout) if isinstance(made, soffice.ConversionFailed) else made
        for made in soffice.convert_many(path, files, target, timeout)
    ]


def _unavailable(error: soffice.ConversionFailed, timeout: int) -> PdfUnavailable:
    if isinstance(error, soffice.ConversionTimeout):
        return PdfUnavailable(MSG_TIMEOUT.format(seconds=timeout), retryable=True)
    return PdfUnavailable(MSG_FAILED.format(reason=error.reason), retryable=True)


def export_pdf(report: BuiltReport, *, pdfa: bool = False) -> bytes:
    from baocao.documents.docx_export import export_docx

    return convert(export_docx(report), ".docx", PDFA_TARGET if pdfa else "pdf")
