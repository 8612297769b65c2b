"""A unit's report in a round: its header, values as typed, narrative, explanations and audit trail.

Every change goes through ``reports.services``; models only hold fields, one-row facts and named queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    READY = "ready", "Đã trình ký"
    SENT = "sent", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã tiếp nhận"


EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.READY, Status.RETURNED})


class Report(models.Model):
    round = models.ForeignKey(
        "rounds.Round", on_delete=models.PROTECT, related_name="reports", verbose_name="kỳ"
    )
    unit = models.ForeignKey(
        "units.OrgUnit", on_delete=models.PROTECT, related_name="reports", verbose_name="đơn vị"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Header of the official document (Nghị định 30/2020).
    number = models.CharField("số", max_length=20, blank=True, help_text="chỉ phần số, ví dụ 15")
    number_suffix = models.CharField("ký hiệu", max_length=40, default="BC-UBND")
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    addressee = models.CharField("kính gửi", max_length=300, blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=100, default="TM. ỦY BAN NHÂN DÂN")
    signer_title = models.CharField("chức vụ người ký", max_length=100, default="CHỦ TỊCH")
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="mỗi dòng một nơi nhận")
    # Workflow.
    version = models.PositiveIntegerField(
        default=1, help_text="tăng ở mỗi thay đổi; dùng để phát hiện sửa đồng thời"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    editable_after_lock = models.BooleanField(default=False)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="report_one_per_unit_and_round")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.round}"

    @property
    def document_number(self) -> str:
        """ "15/BC-UBND"; numbers below 10 get a leading zero; blank number → "…/BC-UBND"."""
        number = self.number.strip()
        if number.isdigit() and len(number) == 1:
            number = f"0{number}"
        return f"{number or '…'}/{self.number_suffix}"

    @property
    def is_late(self) -> bool:
        return self.sent_at is not None and timezone.localdate(self.sent_at) > self.round.due_date

    def is_locked_on(self, day: date) -> bool:
        return self.round.is_locked_on(day) and not self.editable_after_lock

    def raw_values(self) -> dict[str, str]:
        return dict(self.values.values_list("code", "raw"))


class Value(models.Model):
    class Source(models.TextChoices):
        TYPED = "typed", "Nhập tay"
        IMPORTED = "imported", "Nhập từ tệp, cần rà soát"
        COMPILED = "compiled", "Tổng hợp từ đơn vị cấp dưới"
        COPIED = "copied", "Sao chép từ kỳ trước, cần xác nhận"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    code = models.CharField("mã chỉ tiêu", max_length=60)
    raw = models.TextField("giá trị như đã nhập", blank=True)
    number = models.DecimalField("giá trị số", max_digits=24, decimal_places=6, null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.TYPED)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="value_one_per_report_and_code")
        ]


class NarrativeText(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narrative")
    section = models.CharField("mục", max_length=20)
    text = models.TextField("nội dung", blank=True, help_text="các số viết dạng {mã} để gắn với bảng số liệu")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="narrative_one_per_section")
        ]


class Explanation(models.Model):
    """Why a warning is not a mistake; a report with an unexplained warning cannot be sent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="explanations")
    rule = models.CharField("quy tắc", max_length=60)
    text = models.TextField("giải trình")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "rule"], name="explanation_one_per_rule")]


class AuditEvent(models.Model):
    """Append-only: who changed what, when, from what to what."""

    class Action(models.TextChoices):
        CREATE = "create", "Tạo báo cáo"
        VALUE = "value", "Sửa số liệu"
        NOTE = "note", "Sửa ghi chú"
        NARRATIVE = "narrative", "Sửa phần thuyết minh"
        HEADER = "header", "Sửa thông tin văn bản"
        EXPLAIN = "explain", "Giải trình cảnh báo"
        READY = "ready", "Trình ký"
        SEND = "send", "Gửi"
        RETURN = "return", "Trả lại"
        ACCEPT = "accept", "Tiếp nhận"
        REOPEN = "reopen", "Mở lại"
        IMPORT = "import", "Nhập số liệu từ tệp"
        GIVE_BACK = "give_back", "Lãnh đạo trả lại để sửa"
        COMMENT = "comment", "Nhận xét theo dòng"
        COPY = "copy", "Sao chép số liệu kỳ trước"
        CONFIRM = "confirm", "Xác nhận số liệu sao chép"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    target = models.CharField("đối tượng", max_length=80, blank=True)
    old = models.TextField("giá trị cũ", blank=True)
    new = models.TextField("giá trị mới", blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Nhật ký thay đổi chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Nhật ký thay đổi không được xóa.")


class RowComment(models.Model):
    """A reviewer's remark on one row, made when returning the report: the clerk sees it beside the row until
    the report is accepted or returned again with new remarks."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="row_comments")
    code = models.CharField("mã chỉ tiêu", max_length=60)
    text = models.TextField("nhận xét")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_in = models.ForeignKey(
        AuditEvent,
        on_delete=models.PROTECT,
        related_name="row_comments",
        help_text="lần trả lại kèm nhận xét này",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "nhận xét theo dòng"
        verbose_name_plural = "nhận xét theo dòng"
        ordering = ["pk"]
