"""What the reviewer's pages, the JSON endpoint and the CLI show: built once here, rendered there.

Nothing here changes a report; access is checked by the callers through ``access.can_view_rollup``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from baocao.analysis.rollups import UnitRollup, unit_rollup
from baocao.core.evaluate import item_decimals
from baocao.core.labels import plain_label
from baocao.core.rollup import Rollup, RollupRow
from baocao.core.serialize import decimal_text
from baocao.forms.models import path_ids
from baocao.reports.models import Report, Status
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit, OrgUnitQuerySet

__all__ = [
    "Completeness",
    "completeness",
    "find_unit",
    "in_round",
    "rollup_dict",
    "rollup_text",
    "year_completeness",
]

REMIND_LIMIT = 200  # units listed by name; the counts always cover every unit
SENT_STATUSES = (Status.SENT, Status.ACCEPTED)


def find_unit(code: str, round_: Round | None = None, day: date | None = None) -> OrgUnit | None:
    """The unit with ``code`` in force during the round, or on ``day``, or the newest one (codes are reused
    across the 2025 reorganisation: 02008 before and after 01/07/2025 are two units)."""
    units = OrgUnit.objects.filter(code=code)
    when = round_.window_end if round_ is not None else day
    if when is not None:
        in_force = units.valid_on(when).first()
        if in_force is not None:
            return in_force
    return units.order_by(F("valid_from").desc(nulls_last=True)).first()


def in_round(units: OrgUnitQuerySet, round_: Round) -> OrgUnitQuerySet:
    """``units`` in force at the end of the round's window, and those the round asked (with the units above
    them) even where they have ceased since: a round asks the units as they stood when it was set up, so the
    communes and districts it asked stay part of it after the 2025 reorganisation."""
    asked = set().union(*(path_ids(unit) for unit in round_.respondents.only("path")))
    return units.valid_on(round_.window_end) | units.filter(pk__in=asked)


def _subtree(queryset: QuerySet[Any], unit: OrgUnit | None, prefix: str = "") -> QuerySet[Any]:
    return queryset if unit is None else queryset.filter(**{f"{prefix}path__startswith": unit.path})


@dataclass
class Completeness:
    round: Round
    unit: OrgUnit | None
    expected: int = 0
    sent: int = 0  # sent or accepted, at least once
    on_time: int = 0
    late: int = 0
    returned: int = 0
    accepted: int = 0
    in_progress: int = 0  # started, not sent (draft or ready)
    not_started: int = 0
    to_remind: list[OrgUnit] = field(default_factory=list)  # expected, not sent (capped at REMIND_LIMIT)
    to_remind_total: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.round.code,
            "unit": self.unit.code if self.unit else None,
            "expected": self.expected,
            "sent": self.sent,
            "on_time": self.on_time,
            "late": self.late,
            "returned": self.returned,
            "accepted": self.accepted,
            "in_progress": self.in_progress,
            "not_started": self.not_started,
            "to_remind": [{"code": u.code, "name": u.full_name} for u in self.to_remind],
            "to_remind_total": self.to_remind_total,
        }


def completeness(round_: Round, unit: OrgUnit | None, *, remind: bool = True) -> Completeness:
    """Expected, sent, on time, late, returned, accepted, not started, within ``unit``'s subtree.

    Counted by the database (GROUP BY status), so that the country's 10,047 communes cost a few queries.
    """
    result = Completeness(round_, unit)
    expected = _subtree(round_.respondents.all(), unit)
    result.expected = expected.count()
    reports = _subtree(Report.objects.filter(round=round_), unit, "unit__")
    # The deadline is a day: sent on the due date (local time, as Report.is_late) is on time.
    after_due = timezone.make_aware(datetime.combine(round_.due_date + timedelta(days=1), time.min))
    sent = Q(status__in=SENT_STATUSES)
    counts = reports.aggregate(
        started=Count("pk"),
        sent=Count("pk", filter=sent),
        late=Count("pk", filter=sent & Q(sent_at__gte=after_due)),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        in_progress=Count("pk", filter=Q(status__in=(Status.DRAFT, Status.READY))),
    )
    result.sent, result.late = counts["sent"], counts["late"]
    result.on_time = result.sent - result.late
    result.accepted, result.returned = counts["accepted"], counts["returned"]
    result.in_progress = counts["in_progress"]
    result.not_started = result.expected - counts["started"]
    result.to_remind_total = result.expected - result.sent
    if remind:
        waiting = expected.exclude(pk__in=reports.filter(status__in=SENT_STATUSES).values("unit_id"))
        result.to_remind = list(waiting.select_related("parent").order_by("path")[:REMIND_LIMIT])
    return result


def year_completeness(year: int, unit: OrgUnit | None, rounds: Iterable[Round]) -> list[Completeness]:
    return [completeness(r, unit, remind=False) for r in rounds if r.year == year]


def _row_dict(row: RollupRow) -> dict[str, Any]:
    value = row.value
    # Decimals by the one JSON rule (core.serialize); a list item's text and yes/no counts are not values.
    number = decimal_text(value, item_decimals(row.item)) if isinstance(value, Decimal) else None
    return {
        "code": row.item.code,
        "label": plain_label(row.item.label),
        "unit": row.item.unit,
        "rule": row.rule,
        "display": row.display,
        "value": number,
        "reported": row.reported,
        "note": row.note,
    }


def _rollup_rows(rollup: Rollup | None) -> list[dict[str, Any]] | None:
    return None if rollup is None else [_row_dict(row) for row in rollup.rows]


def rollup_dict(rollup: UnitRollup, done: Completeness) -> dict[str, Any]:
    """The JSON shape of a rollup (the endpoint and ``baocao rollup --format json``)."""
    return {
        "round": {"code": rollup.round.code, "title": rollup.round.title},
        "unit": (
            {"code": rollup.unit.code, "name": rollup.unit.full_name, "level": rollup.unit.level}
            if rollup.unit
            else {"code": None, "name": "Cả nước", "level": "nation"}
        ),
        "included": "accepted_and_sent" if rollup.include_sent else "accepted",
        "reports_included": rollup.reports,
        "completeness": done.as_dict(),
        "items": _rollup_rows(rollup.total),
        "own": _rollup_rows(rollup.own),
        "children": _rollup_rows(rollup.children),
    }


def rollup_text(rollup: UnitRollup, done: Completeness) -> str:
    name = rollup.unit.full_name if rollup.unit else "Cả nước"
    which = "đã tiếp nhận và đã gửi" if rollup.include_sent else "đã tiếp nhận"
    lines = [
        f"{rollup.round.title} — tổng hợp {name}",
        f"Gồm {rollup.reports}/{done.expected} báo cáo ({which}); chưa gửi: {done.to_remind_total}.",
        "",
    ]
    for row in rollup.total.rows:
        if not row.item.in_appendix:
            continue
        label = plain_label(row.item.label)
        note = f" [{row.note}]" if row.note else ""
        lines.append(f"{row.item.code:<10} {label[:70]:<70} {row.display:>20}  ({row.reported} đv){note}")
    return "\n".join(lines)


def scope_filter(units: list[OrgUnit]) -> Q:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(path__startswith=unit.path)
    return condition


def analyse(round_: Round, unit: OrgUnit | None, include_sent: bool) -> tuple[UnitRollup, Completeness]:
    return unit_rollup(round_, unit, include_sent=include_sent), completeness(round_, unit)


def sum_completeness(rounds: list[Completeness]) -> dict[str, int]:
    """The year's totals over its rounds (each report counted once per round)."""
    names = ("expected", "sent", "on_time", "late", "returned", "accepted", "in_progress", "not_started")
    return {name: sum(getattr(c, name) for c in rounds) for name in names}
