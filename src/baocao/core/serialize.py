"""Plain data (JSON-ready) views of core results, shared by the CLI and the web API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from baocao.core.evaluate import Evaluation, Finding
from baocao.core.formula import NOT_APPLICABLE, Value
from baocao.core.labels import html_label, plain_label

__all__ = ["evaluation_dict", "finding_dict", "json_value"]


def json_value(value: Value) -> Any:
    """Decimal as a JSON number (whole numbers as integers); blank and not-applicable as null."""
    if value is None or value is NOT_APPLICABLE:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
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
                "value": json_value(row.value),
                "display": row.display,
                "status": "group" if row.item.type == "group" else _status(row.value),
            }
            for row in evaluation.rows
        ],
        "findings": [finding_dict(f) for f in evaluation.findings],
    }
