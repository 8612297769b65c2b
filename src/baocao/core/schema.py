"""The shape of a report definition file, as strict pydantic models.

This module only describes and validates the file's structure; ``definition.py`` turns a valid file into a
compiled, cross-checked ``Definition`` (codes, formulas, rules, cycles).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "BandSpec",
    "BoundsSpec",
    "ChangeSpec",
    "CodeMapping",
    "DefinitionSpec",
    "ItemSpec",
    "ItemType",
    "NarrativeSection",
    "RuleSpec",
    "Style",
]

ItemType = Literal["group", "count", "decimal", "percent", "ratio", "yesno", "text", "count_share"]
OverTime = Literal["flow", "stock", "ytd"]
Rollup = Literal["sum", "ratio", "count_yes", "list", "none"]
Operator = Literal["==", "!=", "<", "<=", ">", ">=", "requires", "excludes"]
Severity = Literal["error", "warning"]
BlankPolicy = Literal["skip", "zero"]
Level = Literal["commune", "district", "province"]
PeriodType = Literal["quarter", "half_year", "nine_months", "year", "thematic", "ad_hoc"]
MappingKind = Literal["rename", "split", "merge"]

# A code is the paper form's STT ("1.2.1"), a sub-row letter ("2.2.1.a", "6.b") or, for narrative-only
# items, "N." followed by a short English name ("N.radio_broadcasts").
CODE_RE = re.compile(r"^(?:\d+(?:\.\d+)*(?:\.[a-z])?|N\.[a-z][a-z0-9_]*)$")
SECTION_CODE_RE = re.compile(r"^[IVX]+(?:\.\d+)*$")

# Types whose values are typed in by a clerk (as opposed to computed or structural).
INPUT_TYPES: frozenset[str] = frozenset({"count", "decimal", "percent", "yesno", "text", "count_share"})
NUMERIC_INPUT_TYPES: frozenset[str] = frozenset({"count", "decimal", "percent", "count_share"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Style(_Strict):
    bold: bool = False
    italic: bool = False
    indent: int = Field(default=0, ge=0, le=4)


class BoundsSpec(_Strict):
    """Where an item's figure plausibly lies; outside it evaluation warns (to check, or to explain)."""

    min: Decimal | None = Field(default=None, strict=False)
    max: Decimal | None = Field(default=None, strict=False)

    @model_validator(mode="after")
    def _ordered(self) -> BoundsSpec:
        if self.min is None and self.max is None:
            raise ValueError("plausible cần ít nhất min hoặc max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("plausible: min lớn hơn max")
        return self


class ChangeSpec(_Strict):
    """When a figure is far from the unit's previous period: ``factor`` times more or less, and by at least
    ``min_difference`` (so that 1 → 4 is not flagged, while 30 → 300 is)."""

    factor: Decimal = Field(default=Decimal(5), gt=1, strict=False)
    min_difference: Decimal = Field(default=Decimal(20), ge=0, strict=False)


class ItemSpec(_Strict):
    code: str
    label: str = Field(min_length=1)
    unit: str = ""
    type: ItemType
    formula: str | None = None
    share_of: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)
    share_decimals: int = Field(default=1, ge=0, le=4)
    style: Style = Style()
    over_time: OverTime | None = None
    rollup: Rollup | None = None
    required: bool = False
    in_appendix: bool = True
    stt: str | None = None
    note: str = ""
    plausible: BoundsSpec | None = None
    compare_previous: bool = True  # with the definition's previous_period check, when it has one

    @field_validator("code")
    @classmethod
    def _code_shape(cls, code: str) -> str:
        if not CODE_RE.match(code):
            raise ValueError(f"mã “{code}” không đúng dạng (ví dụ: 1.2.1, 2.2.1.a, N.radio_broadcasts)")
        return code

    @model_validator(mode="after")
    def _type_fields(self) -> ItemSpec:
        computed = self.type == "ratio" or (self.type == "text" and self.formula is not None)
        if self.type == "ratio" and self.formula is None:
            raise ValueError("chỉ tiêu tỷ lệ (ratio) phải có công thức (formula)")
        if self.formula is not None and self.type not in ("ratio", "text"):
            raise ValueError(f"chỉ tiêu kiểu “{self.type}” không có công thức; chỉ ratio hoặc text mới có")
        if (self.type == "count_share") != (self.share_of is not None):
            raise ValueError("share_of dùng cho, và bắt buộc với, kiểu count_share")
        if self.type in INPUT_TYPES and not computed and self.over_time is None:
            raise ValueError("chỉ tiêu nhập liệu phải khai báo over_time (flow, stock hoặc ytd)")
        if self.type == "group" and (self.required or self.over_time or self.rollup not in (None, "none")):
            raise ValueError("dòng tiêu đề nhóm (group) không có số liệu")
        if self.plausible is not None and (self.type not in NUMERIC_INPUT_TYPES or computed):
            raise ValueError(
                "plausible chỉ dùng cho chỉ tiêu số được nhập (count, decimal, percent, count_share)"
            )
        return self

    @property
    def is_computed(self) -> bool:
        return self.formula is not None

    @property
    def is_input(self) -> bool:
        return self.type in INPUT_TYPES and self.formula is None


class RuleSpec(_Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    left: str
    op: Operator
    right: str
    severity: Severity
    message: str = Field(min_length=1)
    blank: BlankPolicy = "skip"
    tolerance: Decimal = Field(default=Decimal(0), ge=0, strict=False)


class NarrativeSection(_Strict):
    code: str
    title: str
    paragraphs: list[str] = []
    sections: list[NarrativeSection] = []

    @field_validator("code")
    @classmethod
    def _code_shape(cls, code: str) -> str:
        if not SECTION_CODE_RE.match(code):
            raise ValueError(f"mã mục “{code}” không đúng dạng (ví dụ: I, II.2, II.2.3)")
        return code


class BandSpec(_Strict):
    min: Decimal = Field(strict=False)
    label: str


class CodeMapping(_Strict):
    """How a row of the previous version continues in this one: renamed (one to one), split (one old row
    into several new ones: several entries with the same ``old``) or merged (several old rows into one)."""

    old: str
    new: str
    kind: MappingKind
    note: str = ""

    @field_validator("old", "new")
    @classmethod
    def _code_shape(cls, code: str) -> str:
        if not CODE_RE.match(code):
            raise ValueError(f"mã “{code}” không đúng dạng (ví dụ: 1.2.1, 2.2.1.a, N.radio_broadcasts)")
        return code


class DefinitionSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    title: str
    subject: str
    issuing_body: str
    level: Level
    periods: list[PeriodType] = Field(min_length=1)
    appendix_name: str = "Phụ lục I"
    appendix_title: str
    appendix_landscape: bool = False
    items: list[ItemSpec] = Field(min_length=1)
    rules: list[RuleSpec] = []
    scales: dict[str, list[BandSpec]] = {}
    narrative: list[NarrativeSection] = []
    # The default paragraphs before section I ("Thực hiện Văn bản số …, UBND xã … báo cáo … như sau:") and
    # after the last section ("Trên đây là Báo cáo …./."); stored per report as sections "opening"/"closing".
    opening: list[str] = []
    closing: list[str] = []
    # Where the form comes from (the guidance, decision or published report it follows), and how its rows
    # continue the previous version's (old code → new code), for trends and comparisons across versions.
    source: str = ""
    mapping: list[CodeMapping] = []
    # Warn when a figure is far from the unit's report of the previous period (see ChangeSpec).
    previous_period: ChangeSpec | None = None
