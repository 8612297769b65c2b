"""A whole round for a reviewer: one zip with every visible unit's documents, named by unit code and name."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from baocao.access import visible_reports
from baocao.documents.builder import build_report
from baocao.documents.exporters import EXPORTERS
from baocao.reports.models import Report

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from baocao.accounts.models import User
    from baocao.rounds.models import Round

__all__ = ["ROUND_FORMATS", "round_reports", "round_zip", "zip_name"]

# Word and Excel: PDF takes LibreOffice about a second a report, too slow for two hundred units at once.
ROUND_FORMATS = ("docx", "xlsx")
README = "DANH SACH.txt"


def round_reports(user: User | AnonymousUser, round_: Round) -> list[Report]:
    """The round's reports the user may see, by unit code."""
    reports = visible_reports(user).filter(round=round_).select_related("round", "unit__parent")
    return sorted(reports, key=lambda report: report.unit.code)


def zip_name(report: Report, extension: str) -> str:
    """ "02008 - Xã Cẩm Giàng/02008 - Xã Cẩm Giàng.docx": one folder per unit."""
    stem = f"{report.unit.code} - {report.unit.full_name}".replace("/", "-")
    return f"{stem}/{stem}.{extension}"


def round_zip(
    reports: Iterable[Report],
    formats: tuple[str, ...] = ROUND_FORMATS,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    out = io.BytesIO()
    lines = []
    # The documents are zip files already: stored, not compressed again.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for report in reports:
            built = build_report(report)
            for format_name in formats:
                archive.writestr(
                    zip_name(report, EXPORTERS[format_name].extension), EXPORTERS[format_name].render(built)
                )
            lines.append(f"{report.unit.code}\t{report.unit.full_name}\t{report.get_status_display()}")
            if progress is not None:
                progress(1)
        archive.writestr(README, "\n".join(["Mã\tĐơn vị\tTrạng thái", *lines]) + "\n")
    return out.getvalue()
