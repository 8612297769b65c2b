"""The one registry of output formats: each exporter takes the same built report and returns bytes.

The heavy libraries (python-docx, openpyxl, LibreOffice) are imported inside their exporter's own module, and
only when that format is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baocao.documents.document import BuiltReport

__all__ = ["EXPORTERS", "Exporter", "NotMade", "export", "render_each"]


@dataclass(frozen=True)
class Exporter:
    label: str  # as the download button says it
    extension: str
    content_type: str
    render: Callable[[BuiltReport], bytes]


def _docx(report: BuiltReport) -> bytes:
    from baocao.documents.docx_export import export_docx

    return export_docx(report)


def _xlsx(report: BuiltReport) -> bytes:
    from baocao.documents.xlsx_export import export_xlsx

    return export_xlsx(report)


def _pdf(report: BuiltReport) -> bytes:
    from baocao.documents.pdf_export import export_pdf

    return export_pdf(report)


EXPORTERS: dict[str, Exporter] = {
    "docx": Exporter(
        "Word",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _docx,
    ),
    "xlsx": Exporter(
        "Excel (phụ lục)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _xlsx,
    ),
    "pdf": Exporter("PDF", "pdf", "application/pdf", _pdf),
}


def export(report: BuiltReport, format_name: str) -> tuple[str, bytes]:
    """The file name and content of ``report`` in ``format_name`` (a key of EXPORTERS)."""
    exporter = EXPORTERS[format_name]
    return f"{report.file_stem}.{exporter.extension}", exporter.render(report)


@dataclass(frozen=True)
class NotMade:
    """A file LibreOffice could not make: why, in Vietnamese, and whether another try may pass."""

    reason: str
    retryable: bool


def render_each(job: tuple[BuiltReport, tuple[str, ...]]) -> list[tuple[str, bytes | NotMade]]:
    """One report in several formats; module-level and Django-free, so a spawned worker process can run it.
    A PDF that LibreOffice fails to make is its reason, not an exception: a round's zip goes on with the
    other reports. Any other failure (a bug) still raises."""
    from baocao.documents.pdf_export import PdfUnavailable

    built, formats = job
    files: list[tuple[str, bytes | NotMade]] = []
    for format_name in formats:
        try:
            files.append((format_name, EXPORTERS[format_name].render(built)))
        except PdfUnavailable as error:
            files.append((format_name, NotMade(str(error), error.retryable)))
    return files
