"""Users and their roles, each role held at one org unit (and, for reviewers, over its subtree)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    job_title = models.CharField("chức vụ", max_length=150, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    CLERK = "clerk", "Công chức nhập liệu"
    LEADER = "leader", "Lãnh đạo (ký, gửi)"
    REVIEWER = "reviewer", "Cán bộ thẩm định cấp trên"
    ADMIN = "admin", "Quản trị"
    # Held at a province (its Sở Nội vụ) or, by a superuser, for the ministry: writes and publishes forms.
    FORM_OWNER = "form_owner", "Người soạn biểu mẫu"


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="người dùng"
    )
    unit = models.ForeignKey(
        "units.OrgUnit", on_delete=models.PROTECT, related_name="memberships", verbose_name="đơn vị"
    )
    role = models.CharField("vai trò", max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class AdminChange(models.Model):
    """Append-only: an administrator's change to a round, a unit or a role, field by field, old → new."""

    class Action(models.TextChoices):
        ADD = "add", "Thêm"
        CHANGE = "change", "Sửa"
        DELETE = "delete", "Xóa"

    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="người thực hiện"
    )
    action = models.CharField("việc", max_length=10, choices=Action.choices)
    model = models.CharField("loại", max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField("đối tượng", max_length=200)
    field = models.CharField("mục", max_length=100)
    old = models.TextField("giá trị cũ", blank=True)
    new = models.TextField("giá trị mới", blank=True)

    class Meta:
        verbose_name = "nhật ký quản trị"
        verbose_name_plural = "nhật ký quản trị"
        ordering = ["-at", "-pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Nhật ký quản trị chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Nhật ký quản trị không được xóa.")
