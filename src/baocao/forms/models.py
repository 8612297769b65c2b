"""Stored versions of report forms (biểu mẫu): each published version is kept unchanged for ever.

A round pins a form by code and version (``Round.definition_code``, ``Round.definition_version``), and its
reports are read, checked and printed with that version only, so a form that changes next year never
changes a report already sent. Changes go through ``forms.services``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


def path_ids(unit: Any) -> set[int]:
    """The unit and every unit above it, from its path ("/12/345/6789/")."""
    return {int(pk) for pk in unit.path.strip("/").split("/") if pk}


LEVEL_NAMES = {"commune": "Xã", "district": "Huyện", "province": "Tỉnh"}


class FormStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã ban hành"


class FormVersionQuerySet(models.QuerySet["FormVersion"]):
    def published(self) -> FormVersionQuerySet:
        return self.filter(status=FormStatus.PUBLISHED)

    def offered_to(self, unit: Any) -> FormVersionQuerySet:
        """Forms a unit may be asked to use: the ministry's (no owner) and those its province issued."""
        return self.filter(Q(owner__isnull=True) | Q(owner_id__in=path_ids(unit)))


class FormVersion(models.Model):
    code = models.SlugField("mã biểu mẫu", max_length=60)
    version = models.PositiveIntegerField("phiên bản")
    title = models.CharField("tên biểu mẫu", max_length=300)
    level = models.CharField("cấp báo cáo", max_length=10)
    periods = models.JSONField("kỳ báo cáo", default=list)
    status = models.CharField("trạng thái", max_length=10, choices=FormStatus.choices)
    spec = models.JSONField("nội dung biểu mẫu")
    sha256 = models.CharField(max_length=64, editable=False)
    owner = models.ForeignKey(
        "units.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms_owned",
        verbose_name="đơn vị ban hành",
        help_text="để trống: Bộ Nội vụ (dùng cho mọi đơn vị)",
    )
    source_name = models.CharField("tệp gốc", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FormVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "phiên bản biểu mẫu"
        verbose_name_plural = "phiên bản biểu mẫu"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="form_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="form_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)

    @property
    def owner_name(self) -> str:
        return self.owner.full_name if self.owner else "Bộ Nội vụ"
