"""A whole round for a reviewer: one zip with every visible unit's documents, named by unit code and name."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from baocao.access import visible_reports
from baocao.documents.builder import build_report
from baocao.documents.exporters import EXPORTERS, render_formats
from baocao.reports.models import Report

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from baocao.accounts.models import User
    from baocao.rounds.models import Round

__all__ = ["ROUND_FORMATS", "round_reports", "round_zip", "zip_name"]

# Word and Excel: PDF takes LibreOffice about a second a report, too slow for two hundred units at once.
ROUND_FORMATS = ("docx", "xlsx")
README = "DANH SACH.txt"
PARALLEL_FROM = 30  # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4


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
    """The zip of ``reports``: each built here (database, evaluation), rendered by worker processes when
    there are many; a built report is plain data, and rendering is nearly all of the time."""
    reports = list(reports)
    jobs = [(build_report(report), formats) for report in reports]
    out = io.BytesIO()
    lines = []
    # The documents are zip files already: stored, not compressed again.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive, _pool(len(jobs)) as pool:
        rendered = pool.map(render_formats, jobs, chunksize=8) if pool else map(render_formats, jobs)
        for report, files in zip(reports, rendered, strict=True):
            for format_name, data in files:
                archive.writestr(zip_name(report, EXPORTERS[format_name].extension), data)
            _add_signed_copy(archive, report)
            lines.append(f"{report.unit.code}\t{report.unit.full_name}\t{report.get_status_display()}")
            if progress is not None:
                progress(1)
        archive.writestr(README, "\n".join(["Mã\tĐơn vị\tTrạng thái", *lines]) + "\n")
    return out.getvalue()


def _add_signed_copy(archive: zipfile.ZipFile, report: Report) -> None:
    """Hook (baocao.signing): a sent report's signed official copy ("bản chính") goes beside its Word file."""
    from baocao.signing.services import official_copy

    copy = official_copy(report)
    if copy is not None:
        archive.writestr(zip_name(report, "pdf"), copy.read())


def _pool(jobs: int) -> contextlib.AbstractContextManager[ProcessPoolExecutor | None]:
    """Worker processes (spawned: safe beside a threaded server) for a large round; none for a few reports."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if jobs < PARALLEL_FROM or workers < 2:
        return contextlib.nullcontext()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
