"""What the API sends and accepts, as typed schemas (they also make the OpenAPI document).

Numbers follow the one JSON rule of ``core.serialize``: a decimal is a string such as "36.06".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

DecimalText = str  # "36.06": see core.serialize
ItemValue = DecimalText | bool | None


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
    definition: str
    period_type: str
    period: str = Field(description='"quý I năm 2024"')
    year: int
    window_start: date
    window_end: date
    due_date: date
    lock_date: date
    requested_by: str


class ReportSummary(Schema):
    unit: str
    unit_name: str
    status: str = Field(description="not_started, draft, ready, sent, returned, accepted")
    status_label: str
    version: int | None
    sent_at: datetime | None


class ItemOut(Schema):
    code: str
    label: str
    type: str
    input: bool = Field(description="nhập tay (true) hay tính tự động (false)")
    raw: str | None = Field(description="giá trị như đã nhập (chỉ tiêu nhập tay)")
    value: ItemValue = Field(description='số dạng chuỗi "36.06", có/không, văn bản; null: trống')
    display: str = Field(description="cách hiển thị trong báo cáo")
    status: Literal["blank", "not_applicable", "value"]


class SideValues(Schema):
    left: ItemValue | str
    right: ItemValue | str


class FindingOut(Schema):
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
