"""Org units (đơn vị hành chính): provinces, districts, communes, each valid over a span of dates.

A unit is keyed by its GSO code *and* its validity: after 01/07/2025 code 02008 names a different, larger
Cẩm Giàng. Units form a tree through ``parent``; ``path`` (the primary keys from the root, "/12/345/6789/")
makes "this unit and everything below it" one indexed prefix query.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """``unit`` and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def valid_on(self, day: date) -> OrgUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class OrgUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "Cấp tỉnh"
        DISTRICT = "district", "Cấp huyện"
        COMMUNE = "commune", "Cấp xã"

    code = models.CharField("mã", max_length=10, db_index=True)
    name = models.CharField("tên", max_length=200)
    kind = models.CharField(
        "loại", max_length=40, help_text="Tỉnh, Thành phố, Huyện, Quận, Xã, Phường, Thị trấn…"
    )
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField(
        "hết hiệu lực từ", null=True, blank=True, help_text="ngày đầu tiên không còn hiệu lực"
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lt=models.F("valid_to")),
                name="unit_valid_from_before_valid_to",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """ "Xã Cẩm Giàng", "Huyện Bạch Thông"."""
        return f"{self.kind} {self.name}"

    @property
    def council_name(self) -> str:
        """The agency line of a document: "UBND xã Cẩm Giàng"."""
        return f"UBND {self.kind.lower()} {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def ancestors(self) -> list[OrgUnit]:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


class Succession(models.Model):
    """An old unit that went, fully or partly, into a new one on a date (the 2025 reorganisation)."""

    class Kind(models.TextChoices):
        FULL = "full", "Toàn bộ"
        PARTIAL = "partial", "Một phần"

    new = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="predecessors", verbose_name="đơn vị mới"
    )
    old = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="successors", verbose_name="đơn vị cũ"
    )
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices)
    on = models.DateField("từ ngày")

    class Meta:
        verbose_name = "sắp xếp đơn vị"
        verbose_name_plural = "sắp xếp đơn vị"
        constraints = [models.UniqueConstraint(fields=["new", "old"], name="succession_unique")]
