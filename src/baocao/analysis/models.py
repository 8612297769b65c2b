"""Rollups kept up to date as reports are accepted: one row per (round, unit, bucket, item).

A row holds the item's sum over every report of the unit's subtree (the unit's own included), how many of
those reports gave it, and, for yes/no items, how many answered Có. The row coded ``@reports`` counts the
reports themselves. ``unit_key`` is the unit's primary key, or 0 for the whole country (the provinces have
no parent unit). Rows change only in ``analysis.rollups``, inside the transaction that changes the report.
"""

from __future__ import annotations

from django.db import models

REPORTS_CODE = "@reports"
NATION = 0


class Bucket(models.IntegerChoices):
    ACCEPTED = 1, "Đã tiếp nhận"
    SENT = 2, "Đã gửi, chưa tiếp nhận"


class RollupCell(models.Model):
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="+")
    unit_key = models.BigIntegerField(help_text="khóa của đơn vị; 0 là cả nước")
    bucket = models.PositiveSmallIntegerField(choices=Bucket.choices)
    code = models.CharField(max_length=60)
    total = models.DecimalField(max_digits=24, decimal_places=6, default=0)
    reported = models.IntegerField(default=0)
    yes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "unit_key", "bucket", "code"], name="rollup_cell_unique")
        ]
