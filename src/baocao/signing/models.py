"""Signing keys, the people a unit authorises to apply its seal (văn thư), and signed copies ("bản chính").

A signed copy is written once and never changed: its row refuses updates and deletion, its file is stored
read-only under ``settings.SIGNING_DIR`` with its SHA-256 in its name, and (report, version) is unique. A
later change to the report (returned, reopened, sent again) makes a new version; the old copies stay.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone


class SigningStorage(FileSystemStorage):
    """Files under settings.SIGNING_DIR (read at each use, for tests), read-only once written."""

    @property
    def base_location(self) -> str:
        return str(settings.SIGNING_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def signing_storage() -> FileSystemStorage:
    return SigningStorage(file_permissions_mode=0o440, directory_permissions_mode=0o750)


class SigningKeyQuerySet(models.QuerySet["SigningKey"]):
    def leader_keys(self, unit: Any, user: Any) -> SigningKeyQuerySet:
        """The active personal keys of ``user`` at ``unit``: with one, the user signs what they send."""
        return self.filter(unit=unit, holder=SigningKey.Holder.PERSON, user=user, active=True)


class SigningKey(models.Model):
    """A certificate and where its private key is: a PKCS#12 file (its password is typed at every signing and
    never stored) or a PKCS#11 token (its PIN likewise)."""

    class Holder(models.TextChoices):
        PERSON = "person", "Cá nhân (người có thẩm quyền ký)"
        AGENCY = "agency", "Cơ quan (con dấu)"

    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", "Tệp chữ ký số (PKCS#12)"
        PKCS11 = "pkcs11", "Thiết bị ký số – USB token (PKCS#11)"

    objects = SigningKeyQuerySet.as_manager()

    unit = models.ForeignKey("units.OrgUnit", on_delete=models.PROTECT, related_name="signing_keys")
    holder = models.CharField("chủ thể", max_length=10, choices=Holder.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
        help_text="người giữ khóa (chỉ với chữ ký cá nhân)",
    )
    kind = models.CharField("loại khóa", max_length=10, choices=Kind.choices)
    pkcs12_file = models.FileField("tệp PKCS#12", storage=signing_storage, upload_to="keys/", blank=True)
    token_label = models.CharField("nhãn thiết bị", max_length=100, blank=True)
    key_label = models.CharField("nhãn khóa trên thiết bị", max_length=100, blank=True)
    certificate = models.BinaryField("chứng thư số (DER)")
    image = models.BinaryField("hình ảnh chữ ký hoặc con dấu (PNG nền trong suốt)")
    active = models.BooleanField("đang dùng", default=True)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "khóa ký số"
        verbose_name_plural = "khóa ký số"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(holder="person", user__isnull=False) | models.Q(holder="agency")),
                name="signingkey_person_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_holder_display()} — {self.user or self.unit}"


class SealKeeper(models.Model):
    """A person the unit authorises to apply its seal, i.e. its agency signature (văn thư). The leader signs
    personally; the agency's key is used only by a seal keeper of that unit (who may be the leader, in a
    commune where the chairman keeps the seal)."""

    unit = models.ForeignKey("units.OrgUnit", on_delete=models.PROTECT, related_name="seal_keepers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "người được giao giữ con dấu (văn thư)"
        verbose_name_plural = "người được giao giữ con dấu (văn thư)"
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="sealkeeper_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"


class SignedCopyQuerySet(models.QuerySet["SignedCopy"]):
    """Bulk updates and deletes would bypass the row's own refusal: refused here too."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError("Bản đã ký số không được sửa; thay đổi nào cũng tạo bản mới.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("Bản đã ký số không được xóa.")


class SignedCopy(models.Model):
    """One signed PDF/A of a report, as sent: the official copy ("bản chính") until a later version."""

    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="signed_copies")
    version = models.PositiveIntegerField("bản số")
    file = models.FileField(storage=signing_storage, upload_to="signed/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    level = models.CharField("mức chữ ký", max_length=5)
    signers = models.TextField("người ký", help_text="mỗi dòng một chữ ký")
    notes = models.TextField("ghi chú khi ký", blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    objects = SignedCopyQuerySet.as_manager()

    class Meta:
        verbose_name = "bản đã ký số"
        verbose_name_plural = "bản đã ký số"
        ordering = ["report", "version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="signedcopy_one_per_version"),
            models.UniqueConstraint(fields=["sha256"], name="signedcopy_unique_content"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — bản ký số {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Bản đã ký số không được sửa; thay đổi nào cũng tạo bản mới.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Bản đã ký số không được xóa.")

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return bytes(handle.read())
