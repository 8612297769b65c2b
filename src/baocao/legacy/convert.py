"""Old and open office formats (.doc, .xls, .odt, .ods) converted to .docx/.xlsx by headless LibreOffice, in a
throw-away profile and folder, with a time limit; the converted file is then read like any other."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

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
    configured = os.environ.get("BAOCAO_SOFFICE")  # the same setting as the PDF export
    default = shutil.which("soffice") or shutil.which("libreoffice")
    soffice = shutil.which(configured) if configured else default
    if soffice is None:
        raise ReadError(MSG_NO_SOFFICE.format(name=name, kind=f".{kind}"))
    target = _TARGETS[kind]
    with tempfile.TemporaryDirectory(prefix="baocao-convert-") as folder:
        work = Path(folder)
        source = work / f"input.{kind}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(MSG_TIMEOUT.format(name=name, kind=f".{kind}", seconds=CONVERT_TIMEOUT)) from None
        result = work / "out" / f"input.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise ReadError(MSG_CONVERT.format(name=name, kind=f".{kind}"))
        return result.read_bytes()
