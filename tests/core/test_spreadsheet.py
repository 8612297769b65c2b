"""The one formula language translated for a spreadsheet, from its syntax tree."""

from __future__ import annotations

import pytest

from baocao.core.definition import load_definition
from baocao.core.spreadsheet import spreadsheet_formula

CELLS = {"a": "D1", "b": "D2", "c": "D3"}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("{b} / {a} * 100", ("D2/D1*100", ("D2", "D1"))),
        ("{a} - ({b} - {c})", ("D1-(D2-D3)", ("D1", "D2", "D3"))),
        ("({a} + {b}) * {c}", ("(D1+D2)*D3", ("D1", "D2", "D3"))),
        ("{a} / ({b} * {c})", ("D1/(D2*D3)", ("D1", "D2", "D3"))),
        ("{a} - {b} - {c}", ("D1-D2-D3", ("D1", "D2", "D3"))),
        ("-({a} + {b})", ("-(D1+D2)", ("D1", "D2"))),
        ("round({a} / {b} * 100, 1)", ("ROUND(D1/D2*100,1)", ("D1", "D2"))),
        ("max({a}, {b}) - min({a}, {c})", ("MAX(D1,D2)-MIN(D1,D3)", ("D1", "D2", "D3"))),
    ],
)
def test_arithmetic_keeps_its_grouping(formula: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert spreadsheet_formula(formula, CELLS.get) == expected


@pytest.mark.parametrize(
    "formula",
    ['band({a}, "qd766")', "{a} > 1", "{a} + {missing}", "coalesce({a}, 0)", "{a} +", "if({a} > 0, 1, 2)"],
)
def test_what_a_sheet_cannot_state_alike_is_not_translated(formula: str) -> None:
    assert spreadsheet_formula(formula, CELLS.get) is None


def test_every_ratio_of_the_cchc_definition_translates() -> None:
    definition = load_definition("cchc-xa-quy")
    codes = {item.code for item in definition.appendix_items}
    ratios = [item for item in definition.appendix_items if item.formula and "band(" not in item.formula]
    translated = [
        spreadsheet_formula(item.formula or "", lambda code: code if code in codes else None)
        for item in ratios
    ]
    assert ratios and all(result is not None for result in translated)
