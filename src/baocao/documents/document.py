"""The report as an official document: plain data, built once by ``builder`` and rendered by every exporter.

Nothing here imports Django or the compiled definition, so exporters can run anywhere (a worker process too).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from baocao.core.formula import NotApplicable

__all__ = [
    "APPLICATION",
    "APP_XML",
    "LANGUAGE",
    "MSG_DRAFT",
    "AppendixRow",
    "BuiltReport",
    "Paragraph",
    "naive_utc",
    "slug",
]

MSG_DRAFT = "DỰ THẢO"
LANGUAGE = "vi-VN"  # of every file's text, for spelling and grammar
# docProps/app.xml of every file: the program that made it is baocao, not the library's template.
APPLICATION = "baocao"
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

ParagraphKind = Literal["part", "section", "body"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: ParagraphKind  # "part": "I. CÔNG TÁC …"; "section": "1. Cải cách thể chế"; "body": prose
    text: str


@dataclass(frozen=True, slots=True)
class AppendixRow:
    code: str
    stt: str
    label: str
    unit: str
    type: str
    value: Decimal | bool | str | NotApplicable | None
    display: str
    note: str
    bold: bool
    italic: bool
    indent: int
    is_input: bool
    formula: str | None
    decimals: int  # as the definition displays the value (web, Word, Excel alike)
    share: Decimal | None = None  # a count's share in percent, "16 (88,9%)"
    share_decimals: int = 1
    share_of: str | None = None  # the code whose value a count's share is taken of
    raw: str = ""  # the stored input as typed ("02", "6,06"): an Excel sheet keeps it as its base


@dataclass(frozen=True)
class BuiltReport:
    """Plain data (picklable): exporters need neither Django nor the compiled definition."""

    definition_code: str
    definition_version: int
    round_code: str
    unit_code: str
    unit_name: str  # "Xã Cẩm Giàng"
    agency_lines: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ CẨM GIÀNG")
    number: str  # "Số: 15/BC-UBND"
    place_date: str
    addressee: str
    heading: str  # "BÁO CÁO", "BÁO CÁO CHUYÊN ĐỀ", "BÁO CÁO ĐỘT XUẤT"
    subject: str
    paragraphs: tuple[Paragraph, ...]
    recipients: tuple[str, ...]
    signer_authority: str
    signer_title: str
    signer_name: str
    appendix_name: str
    appendix_title: str
    appendix_reference: str
    appendix_landscape: bool
    rows: tuple[AppendixRow, ...]
    draft: bool
    draft_note: str
    status: str
    version: int  # the report's version when built: an Excel sheet records it for its import
    created: datetime | None = None  # the report's creation and last change (aware), the files' dates
    modified: datetime | None = None

    @property
    def file_stem(self) -> str:
        """ "02008-xa-cam-giang-cchc-2024-q1": the unit's code and name, then the round."""
        return f"{self.unit_code}-{slug(self.unit_name)}-{self.round_code}"


_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def slug(text: str) -> str:
    """ASCII file-name form of a Vietnamese name: "Xã Cẩm Giàng" → "xa-cam-giang"."""
    plain = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_text = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_text).split())


def naive_utc(moment: datetime | None) -> datetime:
    """``moment`` (now when None) in UTC, without a zone, to the second: as the Office libraries write it."""
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)
