"""Evaluate a report: raw values in, every row's typed value and Vietnamese display out, with findings.

This is the only place where a definition's formulas and rules are run. The web page, the CLI, the
document exporters, the checker of old reports and the rollups all call ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from baocao.core.definition import CompiledRule, Definition
from baocao.core.formula import COMPARISONS, NOT_APPLICABLE, Compiled, NotApplicable, Value
from baocao.core.labels import plain_label
from baocao.core.numbers import (
    NumberFormatError,
    format_count,
    format_number,
    format_share,
    format_yesno,
    parse_count,
    parse_number,
    parse_percent,
    parse_share,
    parse_yesno,
    round_half_up,
)
from baocao.core.schema import ItemSpec
from baocao.core.templates import Placeholder, render

__all__ = [
    "BOUNDS_RULE",
    "BUILTIN_RULES",
    "CHANGE_RULE",
    "Evaluation",
    "Finding",
    "Raw",
    "Row",
    "Severity",
    "display_value",
    "evaluate",
    "item_decimals",
    "parse_input",
]

Raw = str | int | float | Decimal | bool | None
Severity = Literal["error", "warning"]

NOT_APPLICABLE_TEXT = "không phát sinh"

# Built-in checks, beside the definition's own rules.
MSG_INVALID = "{label} ({code}): {reason}"
MSG_UNKNOWN = "Mã “{code}” không có trong biểu mẫu {definition}; giá trị “{raw}” bị bỏ qua"
MSG_GROUP_VALUE = "{code} là dòng tiêu đề nhóm, không nhận số liệu; giá trị “{raw}” bị bỏ qua"
MSG_REQUIRED = "{label} ({code}) chưa có số liệu"
MSG_RATIO_MISMATCH = "{code}: ghi {given}% nhưng tính từ {parts} là {computed}%"
MSG_RATIO_ZERO_BASE = "{code}: ghi {given}% nhưng mẫu số bằng 0 ({parts}), phải ghi “không phát sinh”"
MSG_RATIO_BLANK = "{code}: để trống nhưng tính được từ {parts} là {computed}%"
MSG_SHARE_MISMATCH = "{code}: ghi {given} nhưng {count}/{base} là {computed}%"
MSG_TOO_HIGH = (
    "{name}: {value} lớn bất thường (thường không quá {bound}); kiểm tra lại, nếu đúng thì giải trình"
)
MSG_TOO_LOW = (
    "{name}: {value} nhỏ bất thường (thường từ {bound} trở lên); kiểm tra lại, nếu đúng thì giải trình"
)
MSG_FAR_FROM_PREVIOUS = (
    "{name}: {value}, kỳ trước {previous} ({change}); kiểm tra lại, nếu đúng thì giải trình"
)
MSG_UP = "tăng gấp {times} lần"
MSG_DOWN = "giảm {times} lần"
# Rule codes of the plausibility warnings, one per item so that each is explained on its own.
BOUNDS_RULE = "plausible:{code}"
CHANGE_RULE = "change:{code}"

# Codes of the checks evaluation always makes; their findings name their subject item first.
BUILTIN_RULES = frozenset(
    {
        "value.invalid",
        "value.unknown_code",
        "value.group",
        "value.required",
        "ratio.mismatch",
        "ratio.zero_base",
        "ratio.blank",
        "share.mismatch",
    }
)

_DEFAULT_DECIMALS = {"ratio": 2, "percent": 2, "decimal": 3}


# Rows and findings are plain (not frozen) slotted classes: a province compiles thousands of reports, and a
# frozen dataclass's __init__ costs several times more.
@dataclass(slots=True)
class Row:
    item: ItemSpec
    value: Value  # for a count with share, the count
    display: str
    share: Decimal | NotApplicable | None = None

    @property
    def code(self) -> str:
        return self.item.code


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    items: tuple[str, ...]
    left: Value = None
    right: Value = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    definition: Definition
    rows: tuple[Row, ...]
    by_code: Mapping[str, Row]
    values: Mapping[str, Value]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def display(self, code: str, pad: int = 0) -> str:
        """An item's value as prose writes it; ``pad=2`` gives "02"."""
        row = self.by_code[code]
        if pad and row.item.type in ("count", "count_share") and isinstance(row.value, Decimal):
            return format_count(row.value, pad)
        return row.display


def item_decimals(item: ItemSpec) -> int:
    """The decimals a value of ``item`` is shown with (the report, the documents and JSON round alike)."""
    return item.decimals if item.decimals is not None else _DEFAULT_DECIMALS.get(item.type, 0)


def display_value(item: ItemSpec, value: Value, share: Decimal | NotApplicable | None = None) -> str:
    """The one Vietnamese display of a value of ``item``: "6,06", "không phát sinh", "16 (88,9%)", "Có"."""
    if value is None:
        return ""
    if value is NOT_APPLICABLE:
        return NOT_APPLICABLE_TEXT
    if isinstance(value, bool):
        return format_yesno(value)
    if isinstance(value, str):
        return value
    assert isinstance(value, Decimal)
    if item.type == "count":
        return format_count(value)
    if item.type == "count_share":
        return format_share(value, share if isinstance(share, Decimal) else None, item.share_decimals)
    return format_number(value, item_decimals(item))


def parse_input(item: ItemSpec, raw: Raw) -> tuple[Value, Decimal | None]:
    """Typed value of a raw input, and the share written beside a count ("16 (88,9%)")."""
    if raw is None:
        return None, None
    kind = item.type
    if kind == "count":
        return parse_count(raw), None
    if kind == "decimal":
        return parse_number(raw), None
    if kind == "percent":
        return parse_percent(raw), None
    if kind == "yesno":
        return parse_yesno(raw), None
    if kind == "count_share":
        shared = parse_share(raw)
        return shared.count, shared.share
    text = str(raw).strip()
    return (text or None), None


def _as_number(raw: Raw) -> Decimal | None:
    try:
        return parse_number(raw)  # type: ignore[arg-type]
    except NumberFormatError:
        return None


def evaluate(
    definition: Definition,
    raw_values: Mapping[str, Raw],
    *,
    previous: Mapping[str, Raw] | None = None,
    plausibility: bool = True,
) -> Evaluation:
    """Compute every row of ``definition`` from ``raw_values`` (code → text or number as typed).

    Values given for computed rows are not used: they are compared with what the rows compute, so that a
    report typed by hand (the seed's "93,3%") is caught. ``previous`` (the unit's values of the previous
    period) adds a warning where a figure is far from it; ``plausibility=False`` leaves out the per-item
    bounds, which describe one unit's report and not a sum of many (rollups).
    """
    by_code = definition.by_code
    env: dict[str, Value] = {}
    shares_given: dict[str, Decimal] = {}
    findings: list[Finding] = []
    for code, raw in raw_values.items():
        item = by_code.get(code)
        if item is None:
            findings.append(_finding("value.unknown_code", "error", (code,), MSG_UNKNOWN, definition, raw))
            continue
        if not item.is_input:
            if item.type == "group" and raw not in (None, ""):
                findings.append(_finding("value.group", "warning", (code,), MSG_GROUP_VALUE, definition, raw))
            continue
        try:
            value, share = parse_input(item, raw)
        except NumberFormatError as error:
            message = MSG_INVALID.format(label=plain_label(item.label), code=code, reason=error)
            findings.append(Finding("value.invalid", "error", message, (code,)))
            continue
        env[code] = value
        if share is not None:
            shares_given[code] = share
    for item, compiled in definition.computed:
        env[item.code] = compiled.fn(env)
    shares = _shares(definition, env)
    findings.extend(_check_given(definition, raw_values, env, shares, shares_given))
    findings.extend(_check_required(definition, env))
    findings.extend(_check_rules(definition, env))
    if plausibility:
        findings.extend(_check_bounds(definition, env))
    if previous:
        findings.extend(_check_change(definition, env, previous))
    rows = []
    for item in definition.items:
        value = env.get(item.code)
        if item.share_of is None:
            rows.append(Row(item, value, display_value(item, value)))
        else:
            row_share = shares.get(item.code)
            rows.append(Row(item, value, display_value(item, value, row_share), row_share))
    return Evaluation(definition, tuple(rows), {row.item.code: row for row in rows}, env, tuple(findings))


def _finding(
    rule: str, severity: Severity, items: tuple[str, ...], template: str, definition: Definition, raw: Raw
) -> Finding:
    message = template.format(code=items[0], definition=definition.code, raw=raw)
    return Finding(rule, severity, message, items)


def _shares(definition: Definition, env: Mapping[str, Value]) -> dict[str, Decimal | NotApplicable | None]:
    shares: dict[str, Decimal | NotApplicable | None] = {}
    for item in definition.items:
        if item.share_of is None:
            continue
        count, base = env.get(item.code), env.get(item.share_of)
        if not isinstance(count, Decimal) or not isinstance(base, Decimal):
            shares[item.code] = None
        else:
            shares[item.code] = NOT_APPLICABLE if base == 0 else count / base * 100
    return shares


def _parts_text(definition: Definition, compiled: Compiled, env: Mapping[str, Value]) -> str:
    """ "7/29": the values a ratio was computed from, in the order its formula names them."""
    return "/".join(
        display_value(definition.by_code[ref], env.get(ref)) or "(trống)" for ref in compiled.ordered_refs
    )


def _check_given(
    definition: Definition,
    raw_values: Mapping[str, Raw],
    env: Mapping[str, Value],
    shares: Mapping[str, Decimal | NotApplicable | None],
    shares_given: Mapping[str, Decimal],
) -> list[Finding]:
    findings: list[Finding] = []
    for item, compiled in definition.computed:
        code = item.code
        if code not in raw_values or item.type != "ratio":
            continue
        given, computed = _as_number(raw_values[code]), env[code]
        if given is None and isinstance(computed, Decimal):
            rule, severity, template = "ratio.blank", "warning", MSG_RATIO_BLANK
        elif given is not None and computed is NOT_APPLICABLE:
            rule, severity, template = "ratio.zero_base", "error", MSG_RATIO_ZERO_BASE
        elif given is not None and isinstance(computed, Decimal) and not _same_when_rounded(given, computed):
            rule, severity, template = "ratio.mismatch", "error", MSG_RATIO_MISMATCH
        else:
            continue
        message = template.format(
            code=code,
            given=format_number(given, 6) if given is not None else "",
            parts=_parts_text(definition, compiled, env),
            computed=display_value(item, computed),
        )
        findings.append(Finding(rule, severity, message, (code,), given, computed))  # type: ignore[arg-type]
    for code, given in shares_given.items():
        computed = shares.get(code)
        if isinstance(computed, Decimal) and _same_when_rounded(given, computed):
            continue
        item = definition.by_code[code]
        base = item.share_of or ""
        message = MSG_SHARE_MISMATCH.format(
            code=code,
            given=format_share(env[code], given, 6),  # type: ignore[arg-type]
            count=display_value(item, env.get(code)),
            base=display_value(definition.by_code[base], env.get(base)),
            computed=format_number(computed, item.share_decimals) if isinstance(computed, Decimal) else "—",
        )
        findings.append(Finding("share.mismatch", "error", message, (code, base), given, computed))
    return findings


def _same_when_rounded(given: Decimal, computed: Decimal) -> bool:
    """Equal at the precision the figure was written with: 6,06 matches 6,0606…; 93,3 does not match 24,14."""
    exponent = given.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return round_half_up(computed, places) == given


def _check_required(definition: Definition, env: Mapping[str, Value]) -> list[Finding]:
    return [
        Finding(
            "value.required",
            "error",
            MSG_REQUIRED.format(label=plain_label(item.label), code=item.code),
            (item.code,),
        )
        for item in definition.items
        if item.required and env.get(item.code) is None
    ]


def _check_rules(definition: Definition, env: Mapping[str, Value]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in definition.rules:
        left, right = rule.left.fn(env), rule.right.fn(env)
        if _rule_holds(rule, left, right):
            continue
        findings.append(
            Finding(
                rule.spec.code,
                rule.spec.severity,
                _rule_message(definition, rule, env, left, right),
                rule.items,
                left,
                right,
            )
        )
    return findings


def _rule_holds(rule: CompiledRule, left: Value, right: Value) -> bool:
    op = rule.spec.op
    if op == "requires":
        return left is None or right is not None
    if op == "excludes":
        return left is None or right is None
    # A blank or not-applicable side leaves nothing to compare (blank-as-zero was applied when compiling).
    if left is None or right is None or left is NOT_APPLICABLE or right is NOT_APPLICABLE:
        return True
    if isinstance(left, Decimal) and isinstance(right, Decimal) and rule.spec.tolerance:
        difference = left - right
        tolerance = rule.spec.tolerance
        return {
            "==": abs(difference) <= tolerance,
            "!=": abs(difference) > tolerance,
            "<": difference < tolerance,
            "<=": difference <= tolerance,
            ">": difference > -tolerance,
            ">=": difference >= -tolerance,
        }[op]
    return bool(COMPARISONS[op](left, right))


def _side_display(value: Value) -> str:
    if isinstance(value, Decimal):
        return format_number(value, 2)
    if isinstance(value, bool):
        return format_yesno(value)
    if value is NOT_APPLICABLE:
        return NOT_APPLICABLE_TEXT
    return "(trống)" if value is None else str(value)


def _rule_message(
    definition: Definition, rule: CompiledRule, env: Mapping[str, Value], left: Value, right: Value
) -> str:
    def resolve(placeholder: Placeholder) -> str:
        if placeholder.name == "left":
            return _side_display(left)
        if placeholder.name == "right":
            return _side_display(right)
        item = definition.by_code[placeholder.name]
        return display_value(item, env.get(placeholder.name)) or "(trống)"

    return render(rule.spec.message, resolve)


def _named(item: ItemSpec) -> str:
    """How a message names an item: the STT a reader of the appendix knows, and the label."""
    label = plain_label(item.label)
    if item.code.startswith("N."):
        return label
    return f"{item.stt or item.code}. {label}"


def _with_unit(item: ItemSpec, value: Decimal) -> str:
    """ "120 hồ sơ", "95,5%": a figure as a sentence writes it."""
    text = format_number(value, item_decimals(item))
    if item.unit == "%":
        return text + "%"
    return f"{text} {item.unit.lower()}" if item.unit else text


def _check_bounds(definition: Definition, env: Mapping[str, Value]) -> list[Finding]:
    findings: list[Finding] = []
    for item in definition.bounded:
        value, bounds = env.get(item.code), item.plausible
        if not isinstance(value, Decimal) or bounds is None:
            continue
        if bounds.max is not None and value > bounds.max:
            template, bound = MSG_TOO_HIGH, bounds.max
        elif bounds.min is not None and value < bounds.min:
            template, bound = MSG_TOO_LOW, bounds.min
        else:
            continue
        message = template.format(
            name=_named(item), value=_with_unit(item, value), bound=format_number(bound, 6)
        )
        rule = BOUNDS_RULE.format(code=item.code)
        findings.append(Finding(rule, "warning", message, (item.code,), value, bound))
    return findings


def _check_change(
    definition: Definition, env: Mapping[str, Value], previous: Mapping[str, Raw]
) -> list[Finding]:
    change = definition.spec.previous_period
    findings: list[Finding] = []
    if change is None:
        return findings
    for item in definition.compared:
        value = env.get(item.code)
        try:
            before, _ = parse_input(item, previous.get(item.code))
        except NumberFormatError:
            continue
        if not isinstance(value, Decimal) or not isinstance(before, Decimal):
            continue
        if abs(value - before) < change.min_difference:
            continue
        low, high = sorted((value, before))
        if high <= low * change.factor:
            continue
        times = "nhiều" if low == 0 else format_number(high / low, 1)
        message = MSG_FAR_FROM_PREVIOUS.format(
            name=_named(item),
            value=_with_unit(item, value),
            previous=_with_unit(item, before),
            change=(MSG_UP if value > before else MSG_DOWN).format(times=times),
        )
        rule = CHANGE_RULE.format(code=item.code)
        findings.append(Finding(rule, "warning", message, (item.code,), value, before))
    return findings
