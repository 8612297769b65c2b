"""Reporting rounds (kỳ báo cáo): what is asked, of whom, for which window, by when.

A round carries its own data window, deadline and lock date, set by the level that asks; they are never
derived from the period's label (the seed's "quý I" ran from 25/11/2023 to 24/02/2024).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from baocao.core.periods import AD_HOC_KINDS, document_heading, document_subject, period_label, short_label


class Round(models.Model):
    class PeriodType(models.TextChoices):
        QUARTER = "quarter", "Quý"
        HALF_YEAR = "half_year", "6 tháng"
        NINE_MONTHS = "nine_months", "9 tháng"
        YEAR = "year", "Năm"
        THEMATIC = "thematic", "Chuyên đề"
        AD_HOC = "ad_hoc", "Đột xuất"

    class Delivery(models.TextChoices):
        """Phương thức gửi, nhận (Nghị định 09/2019/NĐ-CP, Điều 7 và Điều 9)."""

        SYSTEM = "system", "Qua hệ thống báo cáo, văn bản điện tử"
        SYSTEM_SIGNED = "system_signed", "Qua hệ thống báo cáo, văn bản điện tử có chữ ký số"
        SYSTEM_AND_PAPER = "system_paper", "Qua hệ thống báo cáo và gửi kèm bản giấy"

    code = models.SlugField("mã kỳ", max_length=60, unique=True)
    title = models.CharField("tên kỳ báo cáo", max_length=200)
    definition_code = models.CharField("biểu mẫu", max_length=60)
    definition_version = models.PositiveIntegerField("phiên bản biểu mẫu")
    period_type = models.CharField("loại kỳ", max_length=12, choices=PeriodType.choices)
    year = models.PositiveSmallIntegerField("năm")
    period_number = models.PositiveSmallIntegerField("số thứ tự kỳ trong năm", default=1)
    # What an ad hoc round asks about ("Kết quả thực hiện chuyển đổi số trong giải quyết TTHC"): its
    # documents' trích yếu. Periodic rounds leave it empty: their form's subject and period say it.
    topic = models.CharField("nội dung yêu cầu báo cáo", max_length=300, blank=True)
    delivery = models.CharField(
        "phương thức gửi, nhận", max_length=14, choices=Delivery.choices, default=Delivery.SYSTEM
    )
    basis = models.CharField(
        "căn cứ yêu cầu",
        max_length=300,
        blank=True,
        help_text="văn bản yêu cầu báo cáo, ví dụ: Công văn số 123/UBND-NV ngày 05/3/2025",
    )
    window_start = models.DateField("số liệu từ ngày")
    window_end = models.DateField("số liệu đến ngày")
    due_date = models.DateField("hạn gửi")
    lock_date = models.DateField("khóa sửa từ sau ngày")
    requested_by = models.ForeignKey(
        "units.OrgUnit",
        on_delete=models.PROTECT,
        related_name="rounds_requested",
        verbose_name="đơn vị yêu cầu",
    )
    respondents = models.ManyToManyField(
        "units.OrgUnit", related_name="rounds_to_answer", verbose_name="đơn vị phải báo cáo"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["-window_end", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__lt=F("window_end")), name="round_window_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(lock_date__gte=F("due_date")), name="round_lock_not_before_due"
            ),
            models.CheckConstraint(
                condition=~Q(period_type__in=sorted(AD_HOC_KINDS)) | ~Q(topic=""),
                name="round_ad_hoc_has_topic",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        """ "quý I năm 2024", "6 tháng năm 2024", "năm 2024", "đợt báo cáo chuyên đề (số liệu từ …)"."""
        return period_label(
            self.period_type, self.year, self.period_number, self.window_start, self.window_end
        )

    @property
    def short_label(self) -> str:
        """ "Quý IV/2023", "Năm 2024", "Đột xuất 31/5/2025": in tables and on charts."""
        return short_label(self.period_type, self.year, self.period_number, self.window_end)

    @property
    def is_ad_hoc(self) -> bool:
        return self.period_type in AD_HOC_KINDS

    @property
    def document_heading(self) -> str:
        return document_heading(self.period_type)

    def document_subject(self, form_subject: str) -> str:
        return document_subject(self.period_type, form_subject, self.period_label, self.topic)

    def clean(self) -> None:
        """The pinned form version must be published and offered to the asking unit (admin, forms)."""
        from baocao.forms.services import round_form_problem

        requested_by = self.requested_by if self.requested_by_id else None
        problem = round_form_problem(self.definition_code, self.definition_version, requested_by)
        if problem:
            raise ValidationError({"definition_version": problem})

    def is_locked_on(self, day: date) -> bool:
        return day > self.lock_date

    def days_left(self, day: date) -> int:
        """Days until the deadline; negative when past it."""
        return (self.due_date - day).days


class Reminder(models.Model):
    """A reviewer's (or the scheduler's) reminder to a unit that has not yet sent its report of a round.

    One per unit, round and day: the scheduled command runs as often as it likes without repeating itself.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders", verbose_name="kỳ")
    unit = models.ForeignKey(
        "units.OrgUnit", on_delete=models.PROTECT, related_name="reminders", verbose_name="đơn vị"
    )
    day = models.DateField("ngày nhắc")
    at = models.DateTimeField("thời điểm", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người nhắc",
        help_text="trống: nhắc tự động trước hạn",
    )
    message = models.TextField("nội dung")
    emailed_to = models.TextField("đã gửi thư tới", blank=True)
    email_error = models.TextField("lỗi gửi thư", blank=True)

    class Meta:
        verbose_name = "lời nhắc"
        verbose_name_plural = "lời nhắc"
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "day"], name="reminder_one_per_unit_round_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.round} — {self.day:%d/%m/%Y}"
