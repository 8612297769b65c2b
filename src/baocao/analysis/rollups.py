"""Incremental rollups: kept up to date in the transaction that sends, accepts, returns or reopens a report,
and read back for any unit (the whole country included) in a few milliseconds.

When a report enters a bucket (sent, accepted) its tallies are added to the rows of its unit and of every
unit above it, the country included; when it leaves, they are subtracted. One ``INSERT … ON CONFLICT DO
UPDATE SET total = total + excluded.total`` per change, the same SQL on SQLite and PostgreSQL; concurrent
accepts of sibling communes each lock and increment the shared ancestor rows, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from baocao.analysis.models import NATION, REPORTS_CODE, Bucket, RollupCell
from baocao.core.definition import Definition
from baocao.core.rollup import Rollup, Tally, add_tallies, rollup_from_tallies, tally_report
from baocao.forms.registry import definition_for_round
from baocao.reports.models import Report, Status
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

__all__ = [
    "BUCKET_OF_STATUS",
    "UnitRollup",
    "buckets_for",
    "increment",
    "read_tallies",
    "report_tallies",
    "status_changed",
    "unit_keys",
    "unit_rollup",
]

BUCKET_OF_STATUS: Mapping[str, int] = {Status.ACCEPTED: Bucket.ACCEPTED, Status.SENT: Bucket.SENT}
CHUNK = 400  # rows per INSERT: 7 parameters each, well under SQLite's limit

Row = tuple[int, int, str, Decimal, int, int]  # unit_key, bucket, code, total, reported, yes


def unit_keys(unit: OrgUnit) -> list[int]:
    """The keys a report of ``unit`` counts towards: the country, every unit above, the unit itself."""
    return [NATION, *(int(part) for part in unit.path.strip("/").split("/") if part)]


def buckets_for(include_sent: bool) -> tuple[int, ...]:
    return (Bucket.ACCEPTED, Bucket.SENT) if include_sent else (Bucket.ACCEPTED,)


def report_tallies(definition: Definition, raw_values: Mapping[str, str]) -> dict[str, Tally]:
    tallies = tally_report(definition, raw_values)
    tallies[REPORTS_CODE] = Tally(reported=1)
    return tallies


def status_changed(report: Report, old: str, new: str) -> None:
    """Move the report's figures between buckets; called by ``reports.services`` inside its transaction."""
    old_bucket, new_bucket = BUCKET_OF_STATUS.get(old), BUCKET_OF_STATUS.get(new)
    if old_bucket == new_bucket:
        return
    definition = definition_for_round(report.round)
    tallies = report_tallies(definition, report.raw_values())
    keys = unit_keys(report.unit)
    rows: list[Row] = []
    for bucket, sign in ((old_bucket, -1), (new_bucket, 1)):
        if bucket is None:
            continue
        for key in keys:
            rows.extend(
                (key, bucket, code, t.total * sign, t.reported * sign, t.yes * sign)
                for code, t in tallies.items()
            )
    increment(report.round_id, rows)


def increment(round_id: int, rows: Iterable[Row]) -> None:
    """Add ``rows`` to the stored cells, creating the missing ones."""
    table = RollupCell._meta.db_table
    ordered = sorted(rows, key=lambda row: (row[0], row[1], row[2]))  # one lock order for every writer
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for row in chunk:
                params.extend((round_id, *row))
            cursor.execute(
                f"INSERT INTO {table} (round_id, unit_key, bucket, code, total, reported, yes) "
                f"VALUES {values} ON CONFLICT (round_id, unit_key, bucket, code) DO UPDATE SET "
                f"total = {table}.total + excluded.total, "
                f"reported = {table}.reported + excluded.reported, yes = {table}.yes + excluded.yes",
                params,
            )


def read_tallies(round_: Round, key: int, buckets: Sequence[int]) -> tuple[dict[str, Tally], int]:
    """Stored tallies of one unit (or the country, key 0) summed over ``buckets``, and the report count."""
    tallies: dict[str, Tally] = {}
    rows = RollupCell.objects.filter(round=round_, unit_key=key, bucket__in=buckets).values_list(
        "code", "total", "reported", "yes"
    )
    for code, total, reported, yes in rows:
        tally = tallies.setdefault(code, Tally())
        tally.total += Decimal(total)
        tally.reported += reported
        tally.yes += yes
    reports = tallies.pop(REPORTS_CODE, Tally()).reported
    return tallies, reports


@dataclass
class UnitRollup:
    round: Round
    unit: OrgUnit | None  # None: the whole country
    include_sent: bool
    total: Rollup
    own: Rollup | None  # the unit's own report, when it has one among those included
    children: Rollup | None  # the units below it (total minus own), when the unit has its own report

    @property
    def reports(self) -> int:
        return self.total.reports


def unit_rollup(round_: Round, unit: OrgUnit | None, *, include_sent: bool = False) -> UnitRollup:
    """The rollup of ``unit``'s subtree for the round, from the stored cells: no report is read, except the
    unit's own, so that a level's own figures can be shown beside its children's."""
    definition = definition_for_round(round_)
    buckets = buckets_for(include_sent)
    tallies, reports = read_tallies(round_, NATION if unit is None else unit.pk, buckets)
    total = rollup_from_tallies(definition, tallies, reports)
    own = children = None
    # A commune has no units below it: its rollup is its own report, so there is nothing to split.
    if unit is not None and unit.level != OrgUnit.Level.COMMUNE:
        statuses = [status for status, bucket in BUCKET_OF_STATUS.items() if bucket in buckets]
        report = Report.objects.filter(round=round_, unit=unit, status__in=statuses).first()
        if report is not None:
            own_tallies = tally_report(definition, report.raw_values())
            own = rollup_from_tallies(definition, own_tallies, 1)
            rest = add_tallies({code: Tally(t.total, t.reported, t.yes) for code, t in tallies.items()}, {})
            add_tallies(rest, own_tallies, sign=-1)
            children = rollup_from_tallies(definition, rest, reports - 1)
    return UnitRollup(round_, unit, include_sent, total, own, children)
