"""Rollup arithmetic: many reports of one definition combined by each item's rollup rule, and quarters
combined into longer periods by each item's ``over_time`` rule. Pure Python, no Django.

Up the hierarchy (``Definition.rollup_of``):
- ``sum``: counts and money add up; a blank is "not reported", never zero, so an item nobody reported
  stays blank, and every item says how many reports gave it.
- ``ratio``: never averaged. The summed inputs go through ``core.evaluate`` like any report, so a ratio of
  a rollup is the definition's own formula on the summed numerator and denominator (0/0 → "không phát sinh").
- ``count_yes``: "n/m đơn vị: Có", n answering Có among the m that answered.
- ``list``: text is not summed; it is listed per unit when the caller passes the texts.
- ``none``: not compiled (a typed percentage cannot be added up).

The database keeps one ``Tally`` per (round, unit, item) up to date as reports are accepted, so a rollup of
any unit is ``rollup_from_tallies`` on about a hundred stored tallies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from baocao.core.definition import Definition
from baocao.core.evaluate import Evaluation, Raw, display_value, evaluate, parse_input
from baocao.core.formula import Value
from baocao.core.numbers import NumberFormatError, format_count, format_number
from baocao.core.schema import ItemSpec

__all__ = [
    "PeriodValues",
    "Rollup",
    "RollupRow",
    "Tally",
    "add_tallies",
    "combine_periods",
    "raw_text",
    "rollup_from_tallies",
    "rollup_reports",
    "tally_report",
]

ZERO = Decimal(0)
MSG_YES = "{yes}/{reported} đơn vị: Có"
MSG_NOT_COMPILED = "không tổng hợp"
MSG_LISTED = "{count} đơn vị có ghi"
MSG_PARTS_UNEVEN = "các thành phần do số đơn vị khác nhau báo cáo ({counts})"
MSG_FLOW = "cộng {count} kỳ"
MSG_FLOW_MISSING = "cộng {count}/{total} kỳ (thiếu: {missing})"
MSG_LATEST = "lấy kỳ gần nhất có số liệu ({period})"


@dataclass(slots=True)
class Tally:
    """One item summed over reports: ``total`` of the numbers, how many reports gave a value, how many Có."""

    total: Decimal = ZERO
    reported: int = 0
    yes: int = 0

    def add(self, other: Tally, sign: int = 1) -> None:
        self.total += other.total * sign
        self.reported += other.reported * sign
        self.yes += other.yes * sign


def _rolled_inputs(definition: Definition) -> Iterable[tuple[ItemSpec, str]]:
    for item in definition.input_items:
        yield item, definition.rollup_of(item)


def tally_report(definition: Definition, raw_values: Mapping[str, Raw]) -> dict[str, Tally]:
    """One report's contribution: a tally for every input item it gave a readable value for.

    Items whose rule is ``list`` or ``none`` are counted (who reported) but carry no total.
    """
    tallies: dict[str, Tally] = {}
    for item, rule in _rolled_inputs(definition):
        raw = raw_values.get(item.code)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            value, _ = parse_input(item, raw)
        except NumberFormatError:
            continue  # an unreadable cell is not a figure; accepted reports have none
        if value is None:
            continue
        tally = Tally(reported=1)
        if isinstance(value, bool):
            tally.yes = int(value)
        elif isinstance(value, Decimal) and rule == "sum":
            tally.total = value
        tallies[item.code] = tally
    return tallies


def add_tallies(into: dict[str, Tally], other: Mapping[str, Tally], sign: int = 1) -> dict[str, Tally]:
    for code, tally in other.items():
        into.setdefault(code, Tally()).add(tally, sign)
    return into


@dataclass(slots=True)
class RollupRow:
    item: ItemSpec
    rule: str
    value: Value
    display: str
    reported: int  # reports that gave the item (for a ratio: the fewest of its parts)
    note: str = ""


@dataclass
class Rollup:
    definition: Definition
    reports: int  # reports combined
    rows: tuple[RollupRow, ...]
    by_code: Mapping[str, RollupRow]
    evaluation: Evaluation  # the definition evaluated on the summed inputs
    inputs: dict[str, Raw] = field(default_factory=dict)  # the summed inputs, as evaluated

    def display(self, code: str) -> str:
        return self.by_code[code].display


def rollup_from_tallies(
    definition: Definition,
    tallies: Mapping[str, Tally],
    reports: int,
    texts: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> Rollup:
    """The rollup of ``reports`` reports whose items sum to ``tallies``.

    ``texts`` (item code → [(unit name, text)]) fills the ``list`` items; without it they give a count.
    """
    inputs: dict[str, Raw] = {}
    for item, rule in _rolled_inputs(definition):
        tally = tallies.get(item.code)
        if rule == "sum" and tally is not None and tally.reported > 0:
            inputs[item.code] = tally.total
    evaluation = evaluate(definition, inputs, plausibility=False)
    rows = []
    for item in definition.items:
        if item.type == "group":
            continue
        rows.append(_row(definition, item, tallies, evaluation, texts))
    return Rollup(definition, reports, tuple(rows), {row.item.code: row for row in rows}, evaluation, inputs)


def _row(
    definition: Definition,
    item: ItemSpec,
    tallies: Mapping[str, Tally],
    evaluation: Evaluation,
    texts: Mapping[str, Sequence[tuple[str, str]]] | None,
) -> RollupRow:
    rule = definition.rollup_of(item)
    tally = tallies.get(item.code, Tally())
    evaluated = evaluation.by_code[item.code]
    if item.is_computed:
        refs = _input_refs(definition, item)
        counts = sorted({tallies.get(ref, Tally()).reported for ref in refs})
        note = ""
        if len(counts) > 1:
            note = MSG_PARTS_UNEVEN.format(counts=", ".join(str(count) for count in counts))
        reported = counts[0] if counts else 0
        return RollupRow(item, rule, evaluated.value, evaluated.display, reported, note)
    if rule == "sum":
        return RollupRow(item, rule, evaluated.value, evaluated.display, tally.reported)
    if rule == "count_yes":
        display = MSG_YES.format(yes=tally.yes, reported=tally.reported) if tally.reported else ""
        return RollupRow(item, rule, Decimal(tally.yes) if tally.reported else None, display, tally.reported)
    if rule == "list":
        listed = list(texts.get(item.code, ())) if texts is not None else []
        if listed:
            display = "; ".join(f"{unit}: {text}" for unit, text in listed)
        else:
            display = MSG_LISTED.format(count=tally.reported) if tally.reported else ""
        return RollupRow(item, rule, None, display, tally.reported)
    return RollupRow(item, rule, None, MSG_NOT_COMPILED, tally.reported)


def _input_refs(definition: Definition, item: ItemSpec) -> list[str]:
    """The input items a computed item reads, directly or through other computed items."""
    compiled = {spec.code: result for spec, result in definition.computed}
    found: list[str] = []
    stack = [item.code]
    while stack:
        code = stack.pop()
        if code in compiled:
            stack.extend(compiled[code].ordered_refs)
        elif code not in found:
            found.append(code)
    if item.share_of is not None:
        found.append(item.share_of)
    return found


def rollup_reports(
    definition: Definition, reports: Mapping[str, Mapping[str, Raw]], *, list_texts: bool = True
) -> Rollup:
    """The rollup of whole reports (unit name → raw values): the reference the stored tallies must match."""
    tallies: dict[str, Tally] = {}
    texts: dict[str, list[tuple[str, str]]] = {}
    for unit, values in reports.items():
        add_tallies(tallies, tally_report(definition, values))
        if not list_texts:
            continue
        for item, rule in _rolled_inputs(definition):
            raw = values.get(item.code)
            if rule == "list" and isinstance(raw, str) and raw.strip():
                texts.setdefault(item.code, []).append((unit, raw.strip()))
    return rollup_from_tallies(definition, tallies, len(reports), texts)


# ------------------------------------------------------------------------------------------------ periods


@dataclass
class PeriodValues:
    """Values of a longer period derived from its quarters, and how each was derived (shown beside it)."""

    values: dict[str, Raw]
    derived: dict[str, str]


def combine_periods(definition: Definition, periods: Sequence[tuple[str, Mapping[str, Raw]]]) -> PeriodValues:
    """Six months, nine months or a year from its quarters, oldest first (label, raw values).

    ``flow`` items add up (blank only when every quarter is blank; missing quarters are named), ``stock`` and
    ``ytd`` items take the latest quarter that has a value.
    """
    values: dict[str, Raw] = {}
    derived: dict[str, str] = {}
    for item in definition.input_items:
        given = []
        for label, raw_values in periods:
            value = _typed(item, raw_values.get(item.code))
            if value is not None:
                given.append((label, value))
        if not given:
            continue
        if item.over_time == "flow" and all(isinstance(v, Decimal) for _, v in given):
            values[item.code] = sum((v for _, v in given), ZERO)
            missing = [label for label, raw_values in periods if label not in {g[0] for g in given}]
            derived[item.code] = (
                MSG_FLOW_MISSING.format(count=len(given), total=len(periods), missing=", ".join(missing))
                if missing
                else MSG_FLOW.format(count=len(given))
            )
        else:
            label, value = given[-1]
            values[item.code] = value
            derived[item.code] = MSG_LATEST.format(period=label)
    return PeriodValues(values, derived)


def _typed(item: ItemSpec, raw: Raw) -> Decimal | bool | str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value, _ = parse_input(item, raw)
    except NumberFormatError:
        return None
    return value if isinstance(value, Decimal | bool | str) else None


def raw_text(item: ItemSpec, value: Raw) -> str:
    """A typed value written back as a clerk would type it ("1.234", "6,5", "Có"), for prefilling a report."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and item.type in ("count", "count_share"):
        return format_count(value)
    if isinstance(value, Decimal):
        return format_number(value, 6)
    if isinstance(value, bool | str):
        return display_value(item, value)
    return str(value)
