"""Rollup and period arithmetic against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal

from baocao.core.definition import parse_definition
from baocao.core.formula import NOT_APPLICABLE
from baocao.core.rollup import (
    Tally,
    add_tallies,
    combine_periods,
    raw_text,
    rollup_from_tallies,
    rollup_reports,
    tally_report,
)
from tests.core.test_definition import definition

ITEMS = """
- {code: "1", label: Hồ sơ, type: group}
- {code: "1.1", label: Tỷ lệ đúng hạn, unit: "%", type: ratio, decimals: 2,
   formula: "{1.1.b} / {1.1.a} * 100"}
- {code: "1.1.a", label: Tổng số hồ sơ, unit: Hồ sơ, type: count, over_time: flow}
- {code: "1.1.b", label: Đúng hạn, unit: Hồ sơ, type: count, over_time: flow}
- {code: "2", label: Có đối thoại, unit: Có/không, type: yesno, over_time: stock}
- {code: "3", label: Kinh phí, unit: Triệu đồng, type: decimal, over_time: flow}
- {code: "4.1", label: Có mặt, unit: Người, type: count, over_time: stock}
- {code: "4.2", label: Đạt chuẩn, unit: Người, type: count_share, share_of: "4.1", over_time: stock}
- {code: "5", label: Tỷ lệ DVC, unit: "%", type: percent, over_time: stock}
- {code: "6", label: Ghi chú, type: text, over_time: ytd}
- {code: "7", label: Nhiệm vụ lũy kế, unit: Nhiệm vụ, type: count, over_time: ytd}
"""
DEFINITION = parse_definition(definition(ITEMS))


def test_counts_add_and_ratio_is_recomputed_from_summed_parts_never_averaged() -> None:
    # 9/10 = 90 % and 1/30 = 3,33 %: the average of the ratios would be 46,67 %; the true ratio is 10/40.
    result = rollup_reports(
        DEFINITION,
        {"A": {"1.1.a": "10", "1.1.b": "9"}, "B": {"1.1.a": "30", "1.1.b": "1"}},
    )
    assert result.by_code["1.1.a"].value == Decimal(40)
    assert result.by_code["1.1.b"].display == "10"
    assert result.by_code["1.1"].value == Decimal(25)
    assert result.by_code["1.1"].display == "25"
    assert result.reports == 2


def test_ratio_over_a_summed_zero_is_not_applicable() -> None:
    result = rollup_reports(DEFINITION, {"A": {"1.1.a": "0", "1.1.b": "0"}, "B": {"1.1.a": "0"}})
    assert result.by_code["1.1.a"].value == Decimal(0)
    assert result.by_code["1.1"].value is NOT_APPLICABLE
    assert result.by_code["1.1"].display == "không phát sinh"


def test_blank_is_not_zero_and_each_item_says_how_many_reported() -> None:
    result = rollup_reports(DEFINITION, {"A": {"1.1.a": "5"}, "B": {"1.1.a": ""}, "C": {}})
    assert result.by_code["1.1.a"].reported == 1
    assert result.by_code["1.1.a"].value == Decimal(5)
    # Nobody reported 1.1.b: the total stays blank rather than becoming 0, and so does the ratio.
    assert result.by_code["1.1.b"].value is None
    assert result.by_code["1.1.b"].display == ""
    assert result.by_code["1.1.b"].reported == 0
    assert result.by_code["1.1"].value is None
    assert result.reports == 3


def test_partial_reporting_of_a_ratios_parts_is_flagged() -> None:
    # A reported both parts, B only the denominator: 4 / (10 + 10) = 20 %, and the note says 1 vs 2 units.
    result = rollup_reports(DEFINITION, {"A": {"1.1.a": "10", "1.1.b": "4"}, "B": {"1.1.a": "10"}})
    row = result.by_code["1.1"]
    assert row.value == Decimal(20)
    assert row.reported == 1
    assert "1, 2" in row.note


def test_yes_no_becomes_n_of_m_units() -> None:
    result = rollup_reports(
        DEFINITION, {"A": {"2": "Có"}, "B": {"2": "Không"}, "C": {"2": "có"}, "D": {"2": ""}}
    )
    assert result.by_code["2"].display == "2/3 đơn vị: Có"
    assert result.by_code["2"].reported == 3


def test_decimals_sum_exactly_and_count_share_is_recomputed() -> None:
    result = rollup_reports(
        DEFINITION,
        {"A": {"3": "1,25", "4.1": "18", "4.2": "16"}, "B": {"3": "0,5", "4.1": "2", "4.2": "1"}},
    )
    assert result.by_code["3"].value == Decimal("1.75")
    assert result.by_code["3"].display == "1,75"
    # 17 of 20 = 85 %, not the mean of 88,9 % and 50 %.
    assert result.by_code["4.2"].display == "17 (85%)"


def test_typed_percentages_are_not_compiled_and_text_is_listed_per_unit() -> None:
    result = rollup_reports(DEFINITION, {"A": {"5": "90", "6": "tốt"}, "B": {"5": "10", "6": "khá"}})
    assert result.by_code["5"].display == "không tổng hợp"
    assert result.by_code["5"].value is None
    assert result.by_code["6"].display == "A: tốt; B: khá"


def test_tallies_subtract_back_to_nothing() -> None:
    a = tally_report(DEFINITION, {"1.1.a": "10", "1.1.b": "9", "2": "Có"})
    b = tally_report(DEFINITION, {"1.1.a": "30", "2": "Không"})
    total: dict[str, Tally] = {}
    add_tallies(total, a)
    add_tallies(total, b)
    add_tallies(total, a, sign=-1)
    assert total["1.1.a"] == Tally(Decimal(30), 1, 0)
    assert total["1.1.b"] == Tally(Decimal(0), 0, 0)
    assert total["2"] == Tally(Decimal(0), 1, 0)
    result = rollup_from_tallies(DEFINITION, total, reports=1)
    assert result.by_code["1.1.b"].value is None  # reported by nobody any more: blank again
    assert result.by_code["2"].display == "0/1 đơn vị: Có"


def test_real_definition_rollup_of_the_seed_twice_doubles_counts_and_keeps_ratios() -> None:
    from baocao.core.definition import load_definition
    from baocao.core.values import load_demo_values

    cchc = load_definition("cchc-xa-quy")
    seed = {code: raw for code, raw in load_demo_values().items() if code in cchc.by_code}
    result = rollup_reports(cchc, {"A": seed, "B": seed})
    assert result.by_code["7.2.4.a"].display == "58"  # 29 + 29
    assert result.by_code["7.2.4"].display == "24,14"  # 14/58, as 7/29
    assert result.by_code["1.4"].display == "0/2 đơn vị: Có"  # the seed answered Không


def test_periods_add_flows_and_take_the_latest_stock_and_ytd() -> None:
    quarters = [
        ("Quý I", {"1.1.a": "10", "4.1": "18", "7": "3", "2": "Không"}),
        ("Quý II", {"1.1.a": "12", "4.1": "19", "7": "5"}),
        ("Quý III", {"1.1.a": "", "4.1": "", "7": "8", "2": "Có"}),
    ]
    result = combine_periods(DEFINITION, quarters)
    assert result.values["1.1.a"] == Decimal(22)
    assert result.derived["1.1.a"] == "cộng 2/3 kỳ (thiếu: Quý III)"
    assert result.values["4.1"] == Decimal(19)  # stock: latest quarter that has a value
    assert result.derived["4.1"] == "lấy kỳ gần nhất có số liệu (Quý II)"
    assert result.values["7"] == Decimal(8)  # year to date: the latest
    assert result.values["2"] is True
    assert "1.1.b" not in result.values  # blank in every quarter stays blank


def test_raw_text_reads_back_as_the_same_value() -> None:
    item = DEFINITION.by_code["3"]
    assert raw_text(item, Decimal("1234.5")) == "1.234,5"
    assert raw_text(DEFINITION.by_code["1.1.a"], Decimal(1234)) == "1.234"
    assert raw_text(DEFINITION.by_code["2"], True) == "Có"
