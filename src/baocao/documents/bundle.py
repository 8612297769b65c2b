"""A whole round for a reviewer: one zip with every visible unit's documents, named as single downloads are,
and a list of every unit asked to report, those without a report included."""

from __future__ import annotations

import contextlib
import io
import itertools
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from baocao.access import visible_reports, visible_units
from baocao.documents.builder import BuiltReport, build_report
from baocao.documents.exporters import EXPORTERS, NotMade, render_each
from baocao.reports.models import Report
from baocao.soffice import BATCH_SIZE

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from baocao.accounts.models import User
    from baocao.rounds.models import Round
    from baocao.units.models import OrgUnit

__all__ = [
    "MISSING",
    "ROUND_FORMATS",
    "Missing",
    "RoundZip",
    "build_round_zip",
    "round_reports",
    "round_units",
    "round_zip",
    "zip_name",
]

# Word and Excel by default: PDF takes LibreOffice about a second a report (the zip "with PDF" is a job).
ROUND_FORMATS = ("docx", "xlsx")
README = "DANH SACH.txt"
README_HEAD = "Mã\tĐơn vị\tTrạng thái\tTệp"
NO_REPORT = "Chưa bắt đầu (chưa có báo cáo)"
MISSING = "PDF KHONG TAO DUOC.txt"
MISSING_HEAD = "Mã\tĐơn vị\tLý do không tạo được PDF"
NOT_MADE = "PDF: không tạo được (xem PDF KHONG TAO DUOC.txt)"
PARALLEL_FROM = 30  # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4


def round_reports(user: User | AnonymousUser, round_: Round) -> list[Report]:
    """The round's reports the user may see, by unit code."""
    reports = visible_reports(user).filter(round=round_).select_related("round", "unit__parent")
    return sorted(reports, key=lambda report: report.unit.code)


def round_units(user: User | AnonymousUser, round_: Round) -> list[OrgUnit]:
    """The units asked to report in the round that the user may see, by code: the zip's list names each."""
    units = round_.respondents.filter(pk__in=visible_units(user).values("pk"))
    return sorted(units, key=lambda unit: unit.code)


def zip_name(built: BuiltReport, extension: str) -> str:
    """The same name as the single download: "02008-xa-cam-giang-cchc-2024-q1.docx"."""
    return f"{built.file_stem}.{extension}"


@dataclass(frozen=True)
class Missing:
    """A unit's file that could not be made (its PDF: LibreOffice failed), named in the zip's own list."""

    code: str
    unit: str
    reason: str
    retryable: bool


@dataclass(frozen=True)
class RoundZip:
    data: bytes
    missing: list[Missing]  # by unit code; empty when every file was made
    pdfs: int  # PDFs in the zip (signed copies included)


def round_zip(
    reports: Iterable[Report],
    formats: tuple[str, ...] = ROUND_FORMATS,
    progress: Callable[[int], None] | None = None,
    units: Iterable[OrgUnit] | None = None,
) -> bytes:
    """The zip of ``reports`` (see ``build_round_zip``)."""
    return build_round_zip(reports, formats, progress, units).data


def build_round_zip(
    reports: Iterable[Report],
    formats: tuple[str, ...] = ROUND_FORMATS,
    progress: Callable[[int], None] | None = None,
    units: Iterable[OrgUnit] | None = None,
) -> RoundZip:
    """The zip of ``reports``: each built here (database, evaluation), rendered by worker processes when
    there are many; a built report is plain data, and rendering is nearly all of the time. The PDFs are
    LibreOffice's, a chunk of Word files per start (``_with_pdfs``). The list inside
    names every unit of ``units`` (default: those of the reports), with "no report yet" where it applies.
    A PDF LibreOffice fails to make leaves the others be: the zip holds every file made, and a second list
    (``MISSING``) names each unit whose PDF is missing and why."""
    reports = list(reports)
    # The PDFs are made apart from the other formats: from the Word files, a chunk of reports per start of
    # LibreOffice (``_with_pdfs``).
    others = tuple(format_name for format_name in formats if format_name != "pdf")
    rendering = tuple(dict.fromkeys(("docx", *others))) if "pdf" in formats else others
    jobs = [(build_report(report), rendering) for report in reports]
    out = io.BytesIO()
    lines: dict[str, str] = {}
    missing: list[Missing] = []
    # The documents are zip files already: stored, not compressed again.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive, _pool(len(jobs)) as pool:
        rendered = pool.map(render_each, jobs, chunksize=8) if pool else map(render_each, jobs)
        made = _with_pdfs(zip(rendered, map(_signed_copy, reports), strict=True), formats)
        for report, (built, _), (files, signed) in zip(reports, jobs, made, strict=True):
            unit = report.unit
            names = []
            for format_name, data in files:
                if isinstance(data, NotMade):
                    missing.append(Missing(unit.code, unit.full_name, data.reason, data.retryable))
                    continue
                names.append(zip_name(built, EXPORTERS[format_name].extension))
                archive.writestr(names[-1], data)
            if signed is not None:
                names.append(zip_name(built, "pdf"))
                archive.writestr(names[-1], signed)
            if missing and missing[-1].code == unit.code:
                names.append(NOT_MADE)
            lines[unit.code] = (
                f"{unit.code}\t{unit.full_name}\t{report.get_status_display()}\t{', '.join(names)}"
            )
            if progress is not None:
                progress(1)
        for unit in units if units is not None else ():
            lines.setdefault(unit.code, f"{unit.code}\t{unit.full_name}\t{NO_REPORT}\t")
        listing = [lines[code] for code in sorted(lines)]
        archive.writestr(README, "\n".join([README_HEAD, *listing]) + "\n")
        if missing:
            rows = [f"{m.code}\t{m.unit}\t{m.reason}" for m in sorted(missing, key=lambda m: m.code)]
            archive.writestr(MISSING, "\n".join([MISSING_HEAD, *rows]) + "\n")
    pdfs = sum(name.endswith(".pdf") for name in archive.namelist())
    return RoundZip(out.getvalue(), sorted(missing, key=lambda m: m.code), pdfs)


Rendered = list[tuple[str, "bytes | NotMade"]]


def _with_pdfs(
    reports: Iterable[tuple[Rendered, bytes | None]], formats: tuple[str, ...]
) -> Iterator[tuple[Rendered, bytes | None]]:
    """Each report's files (rendered with its Word file when PDFs are asked) in ``formats``, its PDF among
    them, with its signed copy; the PDFs converted from the Word files ``soffice.BATCH_SIZE`` reports at a
    time, each chunk in one start of LibreOffice (a start costs about as much as a report's conversion). A
    report with a signed copy gets no rendered PDF: the signed official copy is its PDF, a rendered one
    beside it would only confuse."""
    reports = iter(reports)
    if "pdf" not in formats:
        yield from reports
        return
    while chunk := list(itertools.islice(reports, BATCH_SIZE)):
        wanted = [index for index, (_, signed) in enumerate(chunk) if signed is None]
        pdfs = dict(zip(wanted, _pdfs([_docx(chunk[index][0]) for index in wanted]), strict=True))
        for index, (files, signed) in enumerate(chunk):
            by_format = dict(files)
            if index in pdfs:
                by_format["pdf"] = pdfs[index]
            yield [(name, by_format[name]) for name in formats if name in by_format], signed


def _docx(files: Rendered) -> bytes:
    data = dict(files)["docx"]
    assert isinstance(data, bytes)  # only a PDF is ever NotMade
    return data


def _pdfs(documents: list[bytes]) -> list[bytes | NotMade]:
    """The PDFs of Word ``documents`` (one start of LibreOffice for all), each its reason when not made."""
    from baocao.documents.pdf_export import PdfUnavailable, convert_many

    if not documents:
        return []
    try:
        made = convert_many([(data, ".docx") for data in documents])
    except PdfUnavailable as error:  # no LibreOffice at all
        return [NotMade(str(error), error.retryable)] * len(documents)
    return [NotMade(str(pdf), pdf.retryable) if isinstance(pdf, PdfUnavailable) else pdf for pdf in made]


def _signed_copy(report: Report) -> bytes | None:
    """Hook (baocao.signing): a sent report's signed official copy ("bản chính") goes beside its Word file,
    named as its PDF."""
    from baocao.signing.services import official_copy

    copy = official_copy(report)
    return None if copy is None else copy.read()


def _pool(jobs: int) -> contextlib.AbstractContextManager[ProcessPoolExecutor | None]:
    """Worker processes (spawned: safe beside a threaded server) for a large round; none for a few reports."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if jobs < PARALLEL_FROM or workers < 2:
        return contextlib.nullcontext()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
