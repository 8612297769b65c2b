"""Plausibility: per-item bounds in the definition, and the distance from the unit's previous period."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.core.definition import DefinitionError, load_definition, parse_definition
from baocao.core.evaluate import evaluate
from tests.core.test_definition import HEADER, definition

ITEMS = """
- {code: "1", label: Hồ sơ đã tiếp nhận, unit: Hồ sơ, type: count, over_time: flow, plausible: {max: 1000}}
- {code: "2", label: Điểm, unit: Điểm, type: decimal, over_time: stock, plausible: {min: 0, max: 100}}
- {code: "3", label: Cán bộ, unit: Người, type: count, over_time: stock, compare_previous: false}
- {code: "N.thu", label: Lượt tuyên truyền, unit: Lượt, type: count, over_time: flow}
"""
CHANGE = "previous_period: {factor: 5, min_difference: 20}\n"


def loaded(extra: str = CHANGE) -> object:
    return parse_definition(definition(ITEMS).replace("items:\n", extra + "items:\n", 1))


def warnings(values: dict[str, str], previous: dict[str, str] | None = None) -> dict[str, str]:
    evaluation = evaluate(loaded(), values, previous=previous)  # type: ignore[arg-type]
    assert not evaluation.errors
    return {finding.rule: finding.message for finding in evaluation.warnings}


def test_a_figure_above_its_bound_is_a_warning_naming_stt_label_and_bound() -> None:
    found = warnings({"1": "99.999.999.999"})
    assert found == {
        "plausible:1": "1. Hồ sơ đã tiếp nhận: 99.999.999.999 hồ sơ lớn bất thường (thường không quá 1.000); "
        "kiểm tra lại, nếu đúng thì giải trình"
    }


def test_figures_within_bounds_and_blank_cells_raise_nothing() -> None:
    assert warnings({"1": "1000", "2": "0"}) == {}
    assert warnings({"1": "", "2": ""}) == {}


def test_a_figure_below_its_minimum_is_a_warning() -> None:
    parsed = parse_definition(definition(ITEMS.replace("min: 0, max: 100", "min: 10")))
    found = {f.rule for f in evaluate(parsed, {"2": "5"}).warnings}
    assert found == {"plausible:2"}


def test_bounds_are_left_out_for_a_sum_of_many_units() -> None:
    assert evaluate(loaded(), {"1": "5000"}, plausibility=False).warnings == ()  # type: ignore[arg-type]


def test_far_from_the_previous_period_is_a_warning_with_both_figures() -> None:
    found = warnings({"1": "300"}, previous={"1": "30"})
    assert found == {
        "change:1": "1. Hồ sơ đã tiếp nhận: 300 hồ sơ, kỳ trước 30 hồ sơ (tăng gấp 10 lần); "
        "kiểm tra lại, nếu đúng thì giải trình"
    }
    down = warnings({"N.thu": "2"}, previous={"N.thu": "40"})
    assert down == {
        "change:N.thu": "Lượt tuyên truyền: 2 lượt, kỳ trước 40 lượt (giảm 20 lần); kiểm tra lại, nếu đúng "
        "thì giải trình"
    }


@pytest.mark.parametrize(
    ("now", "before"),
    [("4", "1"), ("100", "30"), ("19", "0"), ("", "300"), ("300", ""), ("300", "không đọc được")],
)
def test_small_or_moderate_changes_and_missing_figures_are_not_flagged(now: str, before: str) -> None:
    assert warnings({"1": now}, previous={"1": before}) == {}


def test_an_item_may_opt_out_and_a_definition_without_the_setting_compares_nothing() -> None:
    assert warnings({"3": "100"}, previous={"3": "2"}) == {}
    without = parse_definition(definition(ITEMS))
    assert evaluate(without, {"1": "300"}, previous={"1": "30"}).warnings == ()


def test_bounds_on_a_computed_or_text_item_are_refused_naming_the_item() -> None:
    bad = """
    - {code: "1", label: Ghi, type: text, over_time: stock, plausible: {max: 3}}
    """
    with pytest.raises(DefinitionError, match="mục 1: plausible chỉ dùng cho chỉ tiêu số"):
        parse_definition(definition(bad))


def test_bounds_in_the_wrong_order_are_refused() -> None:
    bad = """
    - {code: "1", label: Số, unit: Hồ sơ, type: count, over_time: flow, plausible: {min: 9, max: 3}}
    """
    with pytest.raises(DefinitionError, match="min lớn hơn max"):
        parse_definition(definition(bad))
    assert HEADER  # the shared header is what every definition here starts with


def test_the_commune_definition_bounds_every_typed_figure_and_warns_about_a_slip() -> None:
    cchc = load_definition("cchc-xa-quy")
    numeric = [i for i in cchc.input_items if i.type in ("count", "decimal", "count_share")]
    assert {i.code for i in cchc.bounded} == {i.code for i in numeric}
    assert cchc.by_code["3.1.4"].plausible.max == Decimal(1000)  # type: ignore[union-attr]
    evaluation = evaluate(cchc, {"3.1.4": "99.999.999.999"})
    assert [f.rule for f in evaluation.warnings if f.rule.startswith("plausible:")] == ["plausible:3.1.4"]
