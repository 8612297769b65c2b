"""Bulk services: many reports at once (a national dataset, a migration from another system), and rebuilding
a round's rollup cells from its reports.

The one-report services in ``reports.services`` check access and write an audit row per change, which is
right for people and far too slow for 80,000 reports. These functions write the same rows in bulk (COPY on
PostgreSQL, ``executemany`` on SQLite) and then build the rollup cells in one pass with numpy, so that the
incremental path (``rollups.status_changed``) continues from a correct state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from baocao.analysis.models import NATION, REPORTS_CODE, RollupCell
from baocao.analysis.rollups import BUCKET_OF_STATUS, report_tallies
from baocao.core.definition import Definition
from baocao.core.evaluate import parse_input
from baocao.core.numbers import NumberFormatError
from baocao.core.periods import default_window
from baocao.forms.registry import definition_for_round, load_form
from baocao.reports.models import Report, Status, Value
from baocao.reports.services import default_recipients
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

__all__ = ["bulk_accepted_reports", "quarter_round", "rollup_rebuild"]

CHUNK = 5000
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_round(*, year: int, quarter: int, requested_by: OrgUnit, respondents: Sequence[int]) -> Round:
    """A quarterly round of cchc-xa-quy with the default window of Nghị định 09/2019 (15th to 14th) and the
    Bộ Nội vụ deadline (the 20th of the last month). Many respondents at once and no user: the bulk path for
    generated datasets; people ask through ``rounds.services.round_create``."""
    window = default_window("quarter", year, quarter)
    assert window is not None
    end_month = window[1].month
    definition = load_form("cchc-xa-quy")
    round_, _ = Round.objects.get_or_create(
        code=f"cchc-{year}-q{quarter}",
        defaults={
            "title": f"Báo cáo kết quả thực hiện công tác CCHC quý {ROMAN[quarter]} năm {year}",
            "definition_code": definition.code,
            "definition_version": definition.version,
            "period_type": Round.PeriodType.QUARTER,
            "year": year,
            "period_number": quarter,
            "window_start": window[0],
            "window_end": window[1],
            "due_date": date(year, end_month, 20),
            "lock_date": date(year, end_month, 20) + timedelta(days=30),
            "requested_by": requested_by,
        },
    )
    through = Round.respondents.through
    for start in range(0, len(respondents), CHUNK):
        through.objects.bulk_create(
            [through(round_id=round_.pk, orgunit_id=pk) for pk in respondents[start : start + CHUNK]],
            ignore_conflicts=True,
        )
    return round_


def _number(definition: Definition, code: str, raw: str) -> Decimal | None:
    try:
        value, _ = parse_input(definition.by_code[code], raw)
    except NumberFormatError:
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    return value if isinstance(value, Decimal) else None


# Generated datasets stand for reports that were sent: they carry a number, a signer and Nơi nhận like any
# sent report (invented names; the figures are invented too).
BULK_SIGNERS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")


@transaction.atomic
def bulk_accepted_reports(
    round_: Round,
    values_of: Callable[[OrgUnit], Mapping[str, str]],
    units: Iterable[OrgUnit],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create accepted reports of ``units`` in ``round_`` with ``values_of(unit)``, then rebuild the round's
    rollup cells. Units that already have a report in the round are left alone. Returns the reports made."""
    definition = definition_for_round(round_)
    sent = timezone.make_aware(
        datetime.combine(round_.due_date - timedelta(days=2), time(9)), ZoneInfo("UTC")
    )
    existing = set(Report.objects.filter(round=round_).values_list("unit_id", flat=True))
    todo = [unit for unit in units if unit.pk not in existing]
    made = 0
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        reports = Report.objects.bulk_create(
            [
                Report(
                    round=round_,
                    unit=unit,
                    status=Status.ACCEPTED,
                    place=unit.name,
                    number=str(1 + unit.pk % 99),
                    signer_name=BULK_SIGNERS[unit.pk % len(BULK_SIGNERS)],
                    recipients=default_recipients(unit),
                    sent_at=sent,
                    decided_at=sent + timedelta(days=1),
                    document_date=sent.date(),
                )
                for unit in chunk
            ]
        )
        rows: list[tuple[Any, ...]] = []
        for report, unit in zip(reports, chunk, strict=True):
            for code, raw in values_of(unit).items():
                rows.append(
                    (report.pk, code, raw, _number(definition, code, raw), "", Value.Source.TYPED, sent)
                )
        _insert_values(rows)
        made += len(chunk)
        if progress is not None:
            progress(len(chunk))
    rollup_rebuild(round_)
    return made


def _insert_values(rows: list[tuple[Any, ...]]) -> None:
    _insert(
        Value._meta.db_table, ("report_id", "code", "raw", "number", "note", "source", "updated_at"), rows
    )


def _insert(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Many rows at once: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw_cursor = cursor.cursor  # psycopg's own cursor, for COPY
            with raw_cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", list(rows))


@transaction.atomic
def rollup_rebuild(round_: Round) -> int:
    """Recompute every rollup cell of the round from its sent and accepted reports; return the cells written.

    For repairs and bulk loads; day to day the cells are maintained by ``rollups.status_changed``.
    """
    definition = definition_for_round(round_)
    reports = list(
        Report.objects.filter(round=round_, status__in=list(BUCKET_OF_STATUS))
        .values_list("pk", "status", "unit__path")
        .order_by("pk")
    )
    values: dict[int, dict[str, str]] = {}
    rows = Value.objects.filter(report__round=round_, report__status__in=list(BUCKET_OF_STATUS))
    for report_id, code, raw in rows.values_list("report_id", "code", "raw").iterator(chunk_size=20000):
        values.setdefault(report_id, {})[code] = raw
    codes = [REPORTS_CODE, *(item.code for item in definition.input_items)]
    column = {code: index for index, code in enumerate(codes)}
    totals = np.zeros((len(reports), len(codes)), dtype=np.float64)
    exact: dict[tuple[int, int], Decimal] = {}  # decimal items, kept exact (money has 3 decimals)
    reported = np.zeros((len(reports), len(codes)), dtype=np.int64)
    yes = np.zeros((len(reports), len(codes)), dtype=np.int64)
    for index, (pk, _, _) in enumerate(reports):
        for code, tally in report_tallies(definition, values.get(pk, {})).items():
            j = column[code]
            reported[index, j], yes[index, j] = tally.reported, tally.yes
            if tally.total == tally.total.to_integral_value():
                totals[index, j] = int(tally.total)
            else:
                exact[(index, j)] = tally.total
    cells = _group(round_, reports, codes, totals, reported, yes, exact)
    RollupCell.objects.filter(round=round_).delete()
    columns = ("round_id", "unit_key", "bucket", "code", "total", "reported", "yes")
    _insert(RollupCell._meta.db_table, columns, cells)
    return len(cells)


def _group(
    round_: Round,
    reports: list[tuple[int, str, str]],
    codes: list[str],
    totals: np.ndarray,
    reported: np.ndarray,
    yes: np.ndarray,
    exact: dict[tuple[int, int], Decimal],
) -> list[tuple[Any, ...]]:
    """Sum the per-report matrices for every (unit above or at each report, bucket) with numpy."""
    buckets = np.array([BUCKET_OF_STATUS[status] for _, status, _ in reports], dtype=np.int64)
    paths = [[NATION, *(int(p) for p in path.strip("/").split("/") if p)] for _, _, path in reports]
    depth = max((len(path) for path in paths), default=0)
    cells: list[tuple[Any, ...]] = []
    for level in range(depth):
        present = np.array([len(path) > level for path in paths])
        keys = np.array([path[level] if len(path) > level else -1 for path in paths], dtype=np.int64)
        groups = keys * 4 + buckets  # one group per (unit, bucket); buckets are 1 and 2
        unique, inverse = np.unique(groups[present], return_inverse=True)
        sums = np.zeros((len(unique), len(codes)))
        counts = np.zeros((len(unique), len(codes)), dtype=np.int64)
        yeses = np.zeros((len(unique), len(codes)), dtype=np.int64)
        np.add.at(sums, inverse, totals[present])
        np.add.at(counts, inverse, reported[present])
        np.add.at(yeses, inverse, yes[present])
        extra: dict[tuple[int, int], Decimal] = {}
        rows_present = np.flatnonzero(present)
        position = {int(row): int(g) for row, g in zip(rows_present, inverse, strict=True)}
        for (row, j), value in exact.items():
            if row in position:
                key = (position[row], j)
                extra[key] = extra.get(key, Decimal(0)) + value
        for g, group in enumerate(unique.tolist()):
            key, bucket = divmod(group, 4)
            for j, code in enumerate(codes):
                if counts[g, j] == 0 and (g, j) not in extra:
                    continue
                total = Decimal(int(sums[g, j])) + extra.get((g, j), Decimal(0))
                cells.append((round_.pk, key, bucket, code, total, int(counts[g, j]), int(yeses[g, j])))
    return cells
