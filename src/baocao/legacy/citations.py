"""Document references in the prose: "Quyết định số 283/2021/QĐ-UBND ngày 24/8/2023".

A reference is wrong when the year in its number is not the year of its date, when the same number is cited
with two different dates (for a number without a year: two dates of the same year, since numbering restarts
each year), or when the same number and date are cited with two different years in the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from baocao.legacy.prose import ProseCoverage, ProseFinding

__all__ = ["check_citations"]

MSG_YEAR = "Văn bản số {number} mang năm {year_number} nhưng ghi ngày ban hành {date} (năm {year_date})"
MSG_TWO_DATES = "Văn bản số {number} được dẫn với hai ngày ban hành khác nhau: {first} và {second}"
MSG_SUBJECT_YEARS = (
    "Văn bản số {number} ngày {date} được dẫn là của năm {first} ở một chỗ và năm {second} ở chỗ khác"
)
MSG_TWO_YEARS = (
    "Cùng một văn bản (cùng số, cùng trích yếu) được dẫn với hai năm khác nhau: {first} và {second}"
)

_DOC_RE = re.compile(
    r"(?<![\d/])(?P<number>(?P<n>\d{1,5})(?:/(?P<year>\d{4}))?/(?P<code>[A-ZĐ][\wĐđ]*(?:\s?[-–]\s?[A-ZĐ][\wĐđ]*)*))"
    r"(?P<gap>(?:(?!\bsố\b)[^.;/]){0,80}?)\bngày\s+(?P<date>(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*"
    r"(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))"
)


_SUBJECT_YEAR = re.compile(r"(?:(?!\bsố\b|\bngày\b)[^.;]){0,160}?\bnăm\s+(?P<year>(?:19|20)\d\d)\b")


@dataclass(frozen=True, slots=True)
class _Reference:
    number: str
    n: int
    year: int | None
    code: str
    date: tuple[int, int, int]
    date_text: str
    paragraph: int
    spans: tuple[tuple[int, int], ...]
    amending: bool  # the clause names an amending act ("Luật sửa đổi … số 77/2015/QH13 ngày 22/11/2019")
    subject_year: str  # "năm 2024" in the words that follow the reference


def _references(paragraphs: list[str], first: int) -> list[_Reference]:
    found = []
    for index, paragraph in enumerate(paragraphs):
        for match in _DOC_RE.finditer(paragraph):
            day = int(match["d"] or match["d2"])
            month = int(match["m"] or match["m2"])
            year_date = int(match["y"] or match["y2"])
            code = re.sub(r"\s", "", match["code"]).replace("–", "-").upper()
            year_number = int(match["year"]) if match["year"] else None
            spans = ((match.start("number"), match.end("number")), match.span("date"))
            clause_start = max(
                paragraph.rfind(";", 0, match.start()), paragraph.rfind(". ", 0, match.start())
            )
            amending = "sửa đổi" in paragraph[clause_start + 1 : match.start()].lower()
            subject = _SUBJECT_YEAR.match(paragraph, match.end())
            found.append(
                _Reference(
                    match["number"],
                    int(match["n"]),
                    year_number,
                    code,
                    (day, month, year_date),
                    match["date"],
                    first + index,
                    spans,
                    amending,
                    subject["year"] if subject else "",
                )
            )
    return found


def check_citations(paragraphs: list[str], coverage: ProseCoverage, first: int = 0) -> list[ProseFinding]:
    references = _references(paragraphs, first)
    findings = []
    for reference in references:
        coverage.relations += 1
        year_date = reference.date[2]
        if reference.year is None or reference.year == year_date or not 1945 <= reference.year <= 2100:
            continue
        if reference.amending:  # the date may be the amending act's own
            continue
        message = MSG_YEAR.format(
            number=reference.number, year_number=reference.year, date=reference.date_text, year_date=year_date
        )
        findings.append(
            ProseFinding(
                "narrative.document_year",
                "error",
                message,
                str(year_date),
                str(reference.year),
                reference.paragraph,
                reference.spans,
            )
        )
    findings += _repeated(references)
    findings += _two_years(paragraphs, first)
    return findings


_NUMBER_RE = re.compile(
    r"(?<![\d/])(?P<number>(?P<n>\d{1,5})/(?P<year>\d{4})/(?P<code>[A-ZĐ][\wĐđ]*(?:\s?[-–]\s?[A-ZĐ][\wĐđ]*)*))"
    r"[^.;]{0,60}?\bvề(?:\s+việc)?\s+(?P<subject>(?:[^\W\d_]+\s*){4})"
)


def _two_years(paragraphs: list[str], first: int) -> list[ProseFinding]:
    """The same number, code and subject cited with two different years in the number."""
    findings = []
    seen: dict[tuple[str, str, str], tuple[str, str]] = {}
    for index, paragraph in enumerate(paragraphs):
        for match in _NUMBER_RE.finditer(paragraph):
            code = re.sub(r"\s", "", match["code"]).replace("–", "-").upper()
            subject = " ".join(match["subject"].lower().split())
            year, earlier = (
                match["year"],
                seen.setdefault((match["n"], code, subject), (match["year"], match["number"])),
            )
            if earlier[0] != year:
                message = MSG_TWO_YEARS.format(first=earlier[1], second=match["number"])
                findings.append(
                    ProseFinding(
                        "narrative.document_year",
                        "error",
                        message,
                        earlier[1],
                        match["number"],
                        first + index,
                        (match.span("number"),),
                    )
                )
    return findings


def _repeated(references: list[_Reference]) -> list[ProseFinding]:
    findings = []
    seen: dict[tuple[int, int | None, str], _Reference] = {}
    subjects: dict[tuple[int, str, tuple[int, int, int]], _Reference] = {}
    for reference in references:
        key = (reference.n, reference.year, reference.code)
        earlier = seen.setdefault(key, reference)
        same_year = reference.year is not None or earlier.date[2] == reference.date[2]
        if earlier.date != reference.date and same_year:
            message = MSG_TWO_DATES.format(
                number=reference.number, first=earlier.date_text, second=reference.date_text
            )
            findings.append(
                ProseFinding(
                    "narrative.document_date",
                    "error",
                    message,
                    earlier.date_text,
                    reference.date_text,
                    reference.paragraph,
                    reference.spans,
                )
            )
        if reference.subject_year:
            twin = subjects.setdefault((reference.n, reference.code, reference.date), reference)
            if twin.subject_year != reference.subject_year:
                message = MSG_SUBJECT_YEARS.format(
                    number=reference.number,
                    date=reference.date_text,
                    first=twin.subject_year,
                    second=reference.subject_year,
                )
                findings.append(
                    ProseFinding(
                        "narrative.document_year",
                        "error",
                        message,
                        twin.subject_year,
                        reference.subject_year,
                        reference.paragraph,
                        reference.spans,
                    )
                )
    return findings
