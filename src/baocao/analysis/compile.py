"""Reports prefilled from other reports: a level's own report compiled from its children's rollup, and a
six-month, nine-month or annual report derived from the quarters. Both write through
``services.report_import`` (one audited change, values marked as compiled) and can then be edited and sent
like any report; the narrative's bound numbers follow the values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from baocao.access import Action, Target, require
from baocao.analysis.rollups import BUCKET_OF_STATUS, unit_rollup
from baocao.core.definition import Definition
from baocao.core.rollup import PeriodValues, Rollup, Tally, combine_periods, raw_text, rollup_from_tallies
from baocao.core.versions import translate_tallies
from baocao.forms.registry import definition_for_round, version_chain
from baocao.reports import services
from baocao.reports.models import Report, Value
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from baocao.accounts.models import User

__all__ = ["quarters_of", "report_compile", "report_prefill_period", "report_start_period", "rollup_values"]

MSG_ORIGIN = "Tổng hợp từ {count} báo cáo của đơn vị trực thuộc ({round})"
MSG_PERIOD_ORIGIN = "Suy ra từ các quý: {rounds}"
MSG_DERIVED = "Suy ra từ các quý: {how}"
MSG_NOT_PERIOD = "Kỳ {round} là kỳ quý, không cần suy ra từ các quý."
QUARTERS_IN = {"half_year": 2, "nine_months": 3, "year": 4}


def rollup_values(rollup: Rollup) -> dict[str, str]:
    """The summed items of a rollup as a clerk would type them; ratios are computed again by the report
    itself, and yes/no, text and typed percentages are left for the compiler to write."""
    values = {}
    for row in rollup.rows:
        if row.item.is_input and row.rule == "sum" and row.value is not None:
            values[row.item.code] = raw_text(row.item, row.value)  # type: ignore[arg-type]
    return values


@transaction.atomic
def report_compile(
    *, round_: Round, unit: OrgUnit, user: User, source_round: Round | None = None, include_sent: bool = False
) -> Report:
    """Start (or refresh) ``unit``'s own report in ``round_`` with the rollup of the units below it in
    ``source_round`` (default: the same round). Access is checked by the services it calls; one
    transaction: a refused import leaves no report behind."""
    report = services.report_open(round_=round_, unit=unit, user=user)
    source = source_round or round_
    rollup = unit_rollup(source, unit, include_sent=include_sent)
    children = rollup.children if rollup.children is not None else rollup.total
    services.report_import(
        report=report,
        user=user,
        values=rollup_values(_in_version_of(definition_for_round(round_), children)),
        origin=MSG_ORIGIN.format(count=children.reports, round=source.code),
        source=Value.Source.COMPILED,
    )
    return report


def _in_version_of(target: Definition, rollup: Rollup) -> Rollup:
    """A rollup of an older version of the target's form in the target's codes (renamed rows follow their old
    code, merged rows add up, rows without a counterpart stay blank); any other rollup as it is."""
    source = rollup.definition
    if source.code != target.code or source.version >= target.version:
        return rollup
    tallies = {
        row.item.code: Tally(row.value, row.reported)
        for row in rollup.rows
        if row.item.is_input and row.rule == "sum" and isinstance(row.value, Decimal)
    }
    translated = translate_tallies(version_chain(target, source.version), tallies)
    return rollup_from_tallies(target, translated, rollup.reports)


def quarters_of(round_: Round) -> list[Round]:
    """The quarterly rounds of the same definition and year that a longer period is made of, oldest first."""
    count = QUARTERS_IN.get(round_.period_type)
    if count is None:
        raise services.WorkflowError(MSG_NOT_PERIOD.format(round=round_.code))
    return list(
        Round.objects.filter(
            definition_code=round_.definition_code,
            period_type=Round.PeriodType.QUARTER,
            year=round_.year,
            period_number__lte=count,
        ).order_by("period_number")
    )


def _quarter_values(quarter: Round, unit: OrgUnit) -> dict[str, str]:
    """The unit's own sent or accepted report of the quarter; for a level that did not report that quarter
    itself, the accepted rollup of the units below it (a district's half year from its communes' quarters)."""
    counted = Report.objects.filter(status__in=list(BUCKET_OF_STATUS))
    source = counted.filter(round=quarter, unit=unit).first()
    if source is not None:
        return source.raw_values()
    if unit.level == OrgUnit.Level.COMMUNE:
        return {}
    rollup = unit_rollup(quarter, unit)
    return rollup_values(rollup.total) if rollup.reports else {}


@transaction.atomic
def report_start_period(*, round_: Round, unit: OrgUnit, user: User) -> Report:
    """ "Điền từ các quý": open the unit's report of a longer period and fill it from the quarters. Access
    first (a user who may not edit the report is refused, 403 or 404, whatever the round); then a quarterly
    round is refused before anything is created or audited."""
    existing = Report.objects.filter(round=round_, unit=unit).first()
    require(user, Action.EDIT, Target.of(existing) if existing else Target(round_, unit))
    quarters_of(round_)
    report = services.report_open(round_=round_, unit=unit, user=user)
    report_prefill_period(report=report, user=user)
    return report


@transaction.atomic
def report_prefill_period(*, report: Report, user: User) -> PeriodValues:
    """Fill a longer period's report from the unit's quarterly reports (or, for a level above communes without
    its own, from the quarters' rollups): flows added, stocks and year-to-date items from the latest quarter;
    each derived value's note says how it was derived."""
    require(user, Action.EDIT, Target.of(report))  # before reading other rounds' figures for the user
    definition = definition_for_round(report.round)
    quarters = quarters_of(report.round)
    periods = [
        (f"quý {quarter.period_number}", _quarter_values(quarter, report.unit)) for quarter in quarters
    ]
    derived = combine_periods(definition, periods)
    values = {code: raw_text(definition.by_code[code], value) for code, value in derived.values.items()}
    services.report_import(
        report=report,
        user=user,
        values=values,
        origin=MSG_PERIOD_ORIGIN.format(rounds=", ".join(q.code for q in quarters))[:80],
        source=Value.Source.COMPILED,
    )
    for code, how in derived.derived.items():
        services.report_set_note(report=report, user=user, code=code, note=MSG_DERIVED.format(how=how))
    return derived
