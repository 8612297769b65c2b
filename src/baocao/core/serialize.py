"""Plain data (JSON-ready) views of core results, shared by the CLI, the web's JSON and the API.

The one rule for numbers in JSON: a decimal is a JSON *string* in plain notation with "." as the separator
("36.06", "1500", "-2.5"), rounded half-up to the decimals the report shows for its item (at most
``MAX_PLACES`` for a figure that belongs to no single item, such as a rule's two sides), trailing zeros
removed. Strings keep every digit exactly (a JSON number may be read as a binary float); a blank or
"không phát sinh" is ``null``; yes/no is ``true``/``false``; text stays text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from baocao.core.evaluate import Evaluation, Finding, item_decimals
from baocao.core.formula import NOT_APPLICABLE, Value
from baocao.core.labels import html_label, plain_label
from baocao.core.numbers import round_half_up

__all__ = ["MAX_PLACES", "decimal_text", "evaluation_dict", "finding_dict", "json_value"]

MAX_PLACES = 6  # the precision the database keeps (reports.Value.number)


def decimal_text(value: Decimal, places: int = MAX_PLACES) -> str:
    """ "36.06" for 36.0601001669…, "1500" for 1.5E+3; never an exponent, never "-0"."""
    rounded = round_half_up(value, places)
    if rounded.is_zero():
        return "0"
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def json_value(value: Value, places: int = MAX_PLACES) -> Any:
    """A value by the one rule above: decimal → string, blank and not applicable → null."""
    if value is None or value is NOT_APPLICABLE:
        return None
    if isinstance(value, Decimal):
        return decimal_text(value, places)
    return value


def _status(value: Value) -> str:
    if value is None:
        return "blank"
    return "not_applicable" if value is NOT_APPLICABLE else "value"


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "items": list(finding.items),
        "values": {"left": json_value(finding.left), "right": json_value(finding.right)},
    }


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    definition = evaluation.definition
    return {
        "definition": definition.code,
        "version": definition.version,
        "rows": [
            {
                "code": row.code,
                "label": plain_label(row.item.label),
                "label_html": html_label(row.item.label),
                "unit": row.item.unit,
                "type": row.item.type,
                "value": json_value(row.value, item_decimals(row.item)),
                "display": row.display,
                "status": "group" if row.item.type == "group" else _status(row.value),
            }
            for row in evaluation.rows
        ],
        "findings": [finding_dict(f) for f in evaluation.findings],
    }
