"""What the API sends and accepts, as typed schemas (they also make the OpenAPI document).

Numbers follow the one JSON rule of ``core.serialize``: a decimal is a string such as "36.06".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel

from baocao.rounds.services import YEAR_MAX, YEAR_MIN

DecimalText = str  # "36.06": see core.serialize
ItemValue = DecimalText | bool | None
# Round.Delivery's values (a test keeps them equal); phương thức gửi, nhận of Nghị định 09/2019/NĐ-CP.
Delivery = Literal["system", "system_signed", "system_paper"]
SLUG = r"^[-a-zA-Z0-9_]*$"
NO_NUL = r"^[^\x00]*$"  # PostgreSQL stores no NUL character in text


class Conflict(Schema):
    theirs: str = Field(description="giá trị đang lưu (người khác vừa lưu)")
    yours: str = Field(description="giá trị bạn gửi, chưa được lưu")


class Error(Schema):
    """The one error shape of the web's JSON and of the API."""

    ok: Literal[False]
    error: str = Field(description="lý do, bằng tiếng Việt")
    code: str = Field(description="bad_request, unauthorized, forbidden, not_found, conflict, invalid, …")
    conflict: Conflict | None = None


class UnitOut(Schema):
    code: str
    name: str
    full_name: str
    kind: str
    level: str
    parent: str | None = Field(description="mã đơn vị cấp trên")
    valid_from: date | None
    valid_to: date | None


class RoundOut(Schema):
    code: str
    title: str
    definition: str = Field(description="mã biểu mẫu")
    definition_version: int = Field(description="phiên bản biểu mẫu kỳ này dùng (không đổi về sau)")
    period_type: str = Field(description="quarter, half_year, nine_months, year, thematic, ad_hoc")
    period_type_label: str = Field(description='"Quý", "6 tháng", "9 tháng", "Năm", "Chuyên đề", "Đột xuất"')
    period: str = Field(description='"quý I năm 2024"')
    period_number: int = Field(description="quý (1–4) khi period_type là quarter; 1 với các loại kỳ khác")
    year: int
    window_start: date = Field(description="chốt số liệu từ ngày")
    window_end: date = Field(description="chốt số liệu đến ngày")
    due_date: date = Field(description="thời hạn gửi")
    lock_date: date = Field(description="khóa sửa từ sau ngày")
    requested_by: str = Field(description="mã đơn vị yêu cầu báo cáo (nhận và tiếp nhận báo cáo)")
    topic: str = Field(
        description="nội dung yêu cầu báo cáo (báo cáo chuyên đề, đột xuất); trống với kỳ định kỳ"
    )
    basis: str = Field(description='căn cứ yêu cầu, ví dụ "Công văn số 123/UBND-NV ngày 05/3/2025"')
    delivery: Delivery = Field(description="phương thức gửi, nhận")
    delivery_label: str
    respondents: list[str] = Field(description="mã các đơn vị phải báo cáo")


class RoundIn(Schema):
    """A request for reports, as on the page "Yêu cầu báo cáo"; checked and stored by ``rounds.services``."""

    requested_by: str = Field(
        max_length=10, description="mã đơn vị yêu cầu (cấp tỉnh hoặc huyện) mà bạn được yêu cầu nhân danh"
    )
    definition: str = Field(max_length=60, description="mã biểu mẫu (xem GET /forms/)")
    definition_version: int = Field(ge=1, le=2_147_483_647, description="phiên bản biểu mẫu đã ban hành")
    period_type: str = Field(
        max_length=12,
        description="quarter, half_year, nine_months, year, thematic (chuyên đề), ad_hoc (đột xuất)",
    )
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    period_number: int = Field(1, ge=-32768, le=32767, description="quý (1–4), khi period_type là quarter")
    window_start: date | None = Field(
        None, description="chốt số liệu từ ngày; bỏ trống với kỳ định kỳ: theo Nghị định 09/2019/NĐ-CP"
    )
    window_end: date | None = Field(
        None, description="chốt số liệu đến ngày (bắt buộc với chuyên đề, đột xuất)"
    )
    due_date: date = Field(description="thời hạn gửi")
    lock_date: date | None = Field(None, description="khóa sửa từ sau ngày; bỏ trống: bằng hạn gửi")
    topic: str = Field("", max_length=300, pattern=NO_NUL, description="nội dung yêu cầu báo cáo")
    basis: str = Field("", max_length=300, pattern=NO_NUL, description="căn cứ yêu cầu (văn bản số …)")
    delivery: Delivery = Field("system", description="phương thức gửi, nhận")
    title: str = Field(
        "", max_length=200, pattern=NO_NUL, description="tên kỳ; bỏ trống: theo biểu mẫu và kỳ"
    )
    code: str = Field("", max_length=60, pattern=SLUG, description="mã kỳ; bỏ trống: tự đặt")
    respondents: list[str] = Field(max_length=5000, description="mã các đơn vị trực thuộc phải báo cáo")


class PeriodKindOut(Schema):
    code: str = Field(description="quarter, half_year, …")
    label: str = Field(description='"Quý", "6 tháng", …')


class FormOut(Schema):
    code: str
    version: int
    title: str
    level: str = Field(description="cấp đơn vị báo cáo theo biểu mẫu: commune, district, province")
    periods: list[PeriodKindOut] = Field(description="các loại kỳ dùng biểu mẫu này")
    owner: str | None = Field(description="mã đơn vị ban hành; null: Bộ Nội vụ")
    owner_name: str
    requesters: list[str] = Field(
        description="mã các đơn vị bạn được yêu cầu báo cáo nhân danh, dùng được biểu mẫu"
    )


class ReportSummary(Schema):
    unit: str
    unit_name: str
    status: str = Field(description="not_started, draft, ready, sent, returned, accepted")
    status_label: str
    version: int | None
    sent_at: datetime | None


# A report's items and findings are many rows of plain dicts: pydantic models, not ninja Schemas (whose
# wrapping of every row for reading Django objects cost a report's JSON ≈ 1 ms of CPU, a sixth of the
# request); the OpenAPI document and the JSON are the same.
class ItemOut(BaseModel):
    code: str
    label: str
    type: str
    input: bool = Field(description="nhập tay (true) hay tính tự động (false)")
    raw: str | None = Field(description="giá trị như đã nhập (chỉ tiêu nhập tay)")
    value: ItemValue = Field(description='số dạng chuỗi "36.06", có/không, văn bản; null: trống')
    display: str = Field(description="cách hiển thị trong báo cáo")
    status: Literal["blank", "not_applicable", "value"]


class SideValues(BaseModel):
    left: ItemValue | str
    right: ItemValue | str


class FindingOut(BaseModel):
    rule: str
    severity: Literal["error", "warning"]
    message: str
    items: list[str]
    values: SideValues
    explained: bool


class ReportOut(Schema):
    round: str
    unit: UnitOut
    status: str
    status_label: str
    version: int
    document_number: str
    document_date: date | None
    sent_at: datetime | None
    return_reason: str
    items: list[ItemOut]
    findings: list[FindingOut]


class EventOut(Schema):
    at: datetime
    user: str | None
    action: str
    action_label: str
    target: str
    old: str
    new: str


class ValueIn(Schema):
    raw: str = Field(description='như khi gõ trên trang: "1.250", "88,9", "không phát sinh", "có"')
    previous: str | None = Field(
        None,
        description="giá trị bạn đã thấy trước khi sửa; nếu người khác đã đổi nó, không ghi và trả 409",
    )


class ValueSaved(Schema):
    ok: Literal[True]
    code: str
    raw: str
    changed: bool
    version: int
    findings: list[FindingOut]


class ActionIn(Schema):
    reason: str = Field("", description="lý do (bắt buộc khi trả lại hoặc mở lại)")


class RollupRowOut(Schema):
    code: str
    label: str
    unit: str | None
    rule: str
    display: str
    value: DecimalText | None
    reported: int
    note: str


class CompletenessOut(Schema):
    round: str
    unit: str | None
    expected: int
    sent: int
    on_time: int
    late: int
    returned: int
    accepted: int
    in_progress: int
    not_started: int
    to_remind: list[dict[str, str]]
    to_remind_total: int


class RollupOut(Schema):
    round: dict[str, str]
    unit: dict[str, str | None]
    included: Literal["accepted", "accepted_and_sent"]
    reports_included: int
    completeness: CompletenessOut
    items: list[RollupRowOut]
    own: list[RollupRowOut] | None
    children: list[RollupRowOut] | None


class ComparedCell(Schema):
    item: str
    display: str
    value: DecimalText | None
    flags: list[str]


class ComparedUnit(Schema):
    unit: str
    unit_name: str
    reports: int
    cells: list[ComparedCell]


class ComparisonOut(Schema):
    round: str
    unit: str | None
    items: list[str]
    units: list[ComparedUnit]
