"""Old and open office formats (.doc, .xls, .odt, .ods) converted to .docx/.xlsx by headless LibreOffice, in a
throw-away profile and folder, with a time limit; the converted file is then read like any other."""

from __future__ import annotations

from baocao import soffice
from baocao.legacy.model import ReadError

__all__ = ["CONVERT_TIMEOUT", "convert", "ole_kind"]

CONVERT_TIMEOUT = 90  # seconds for LibreOffice to open and save one report
MSG_NO_SOFFICE = (
    "tệp “{name}” là định dạng {kind}; máy chủ chưa cài LibreOffice để chuyển đổi, "
    "hãy lưu lại thành .docx/.xlsx"
)
MSG_CONVERT = "không chuyển được tệp “{name}” ({kind}) bằng LibreOffice: tệp hỏng hoặc có mật khẩu"
MSG_TIMEOUT = "tệp “{name}” ({kind}) chuyển đổi quá {seconds} giây, đã dừng"

_STREAMS = {
    "EncryptedPackage".encode("utf-16-le"): "encrypted",
    "WordDocument".encode("utf-16-le"): "doc",
    "Workbook".encode("utf-16-le"): "xls",
    "Book".encode("utf-16-le"): "xls",
}
_TARGETS = {"doc": "docx", "odt": "docx", "xls": "xlsx", "ods": "xlsx"}


def ole_kind(data: bytes) -> str | None:
    """What an OLE compound file holds: "doc", "xls", "encrypted" (a password-protected .docx/.xlsx), or
    None."""
    for marker, kind in _STREAMS.items():
        if marker in data[: 1 << 20] or marker in data[-(1 << 20) :]:
            return kind
    return None


def convert(data: bytes, kind: str, name: str) -> bytes:
    """The bytes of the .docx or .xlsx LibreOffice makes from ``data`` (a ``kind`` file)."""
    path = soffice.soffice_path()  # the same setting (BAOCAO_SOFFICE) and runner as the PDF export
    if path is None:
        raise ReadError(MSG_NO_SOFFICE.format(name=name, kind=f".{kind}"))
    try:
        return soffice.convert(path, data, f".{kind}", _TARGETS[kind], CONVERT_TIMEOUT)
    except soffice.ConversionTimeout:
        raise ReadError(MSG_TIMEOUT.format(name=name, kind=f".{kind}", seconds=CONVERT_TIMEOUT)) from None
    except soffice.ConversionFailed:
        raise ReadError(MSG_CONVERT.format(name=name, kind=f".{kind}")) from None
