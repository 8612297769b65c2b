"""Evaluation semantics on a small definition; the real CCHC appendix is covered in test_cchc_xa_quy.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.core.definition import parse_definition
from baocao.core.evaluate import evaluate
from baocao.core.formula import NOT_APPLICABLE
from baocao.core.narrative import paragraph_segments, paragraph_text
from tests.core.test_definition import definition

ITEMS = """
- {code: "1", label: Hồ sơ, type: group, style: {bold: true}}
- {code: "1.1", label: Tỷ lệ đúng hạn, unit: "%", type: ratio, decimals: 2,
   formula: "{1.1.b} / {1.1.a} * 100"}
- {code: "1.1.a", label: Tổng số hồ sơ, unit: Hồ sơ, type: count, over_time: flow, required: true}
- {code: "1.1.b", label: Đúng hạn, unit: Hồ sơ, type: count, over_time: flow}
- {code: "2", label: Có đối thoại, unit: Có/không, type: yesno, over_time: stock}
- {code: "3", label: Kinh phí, unit: Triệu đồng, type: decimal, over_time: flow}
- {code: "4.1", label: Có mặt, unit: Người, type: count, over_time: stock}
- {code: "4.2", label: Đạt chuẩn, unit: Người, type: count_share, share_of: "4.1", over_time: stock}
- {code: "N.in_person", label: Trực tiếp, unit: Hồ sơ, type: count, over_time: flow, in_appendix: false}
"""
RULES = """
- {code: R-part, left: "{1.1.b}", op: "<=", right: "{1.1.a}", severity: error,
   message: "Đúng hạn ({left}) nhiều hơn tổng ({right}) hồ sơ"}
- {code: R-zero, left: "{N.in_person}", op: "<=", right: "{1.1.a}", severity: warning, blank: zero,
   message: "Trực tiếp {N.in_person} > tổng {1.1.a}"}
- {code: R-req, left: "{3}", op: requires, right: "{2}", severity: warning,
   message: "Có kinh phí thì ghi đối thoại"}
- {code: R-exc, left: "{2}", op: excludes, right: "{3}", severity: warning, message: "Không ghi cả hai"}
- {code: R-tol, left: "{3}", op: "==", right: "10", severity: warning, tolerance: 0.5, message: "Khác 10"}
"""
DEFINITION = parse_definition(definition(ITEMS, RULES))


def rules_of(values: dict[str, object]) -> set[str]:
    return {finding.rule for finding in evaluate(DEFINITION, values).findings}  # type: ignore[arg-type]


def test_ratio_is_computed_and_displayed_in_vietnamese() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "33", "1.1.b": "02"})
    row = result.by_code["1.1"]
    assert row.display == "6,06"
    assert row.value == Decimal(2) / Decimal(33) * 100
    assert result.by_code["1.1.b"].display == "2"


def test_ratio_over_zero_is_not_applicable() -> None:
    row = evaluate(DEFINITION, {"1.1.a": "0", "1.1.b": "0"}).by_code["1.1"]
    assert row.value is NOT_APPLICABLE
    assert row.display == "không phát sinh"


def test_blank_is_not_zero() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "10"})
    assert result.by_code["1.1.b"].value is None
    assert result.by_code["1.1"].value is None
    assert result.by_code["1.1"].display == ""


def test_required_blank_is_an_error() -> None:
    result = evaluate(DEFINITION, {})
    assert [(f.rule, f.severity, f.items) for f in result.errors] == [("value.required", "error", ("1.1.a",))]


def test_invalid_value_names_the_row_and_keeps_the_rest() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "hai", "1.1.b": "2,5", "3": "1.234,5"})
    invalid = [f for f in result.findings if f.rule == "value.invalid"]
    assert {f.items for f in invalid} == {("1.1.a",), ("1.1.b",)}
    assert "“hai” không phải là số" in invalid[0].message
    assert result.by_code["3"].display == "1.234,5"


def test_unknown_code_is_reported() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "1", "9.9": "5"})
    assert [f.items for f in result.errors] == [("9.9",)]


def test_rule_message_shows_the_values() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "7", "1.1.b": "8"})
    (finding,) = [f for f in result.findings if f.rule == "R-part"]
    assert finding.message == "Đúng hạn (8) nhiều hơn tổng (7) hồ sơ"
    assert (finding.left, finding.right) == (8, 7)
    assert finding.items == ("1.1.a", "1.1.b")


def test_blank_policy_skip_and_zero() -> None:
    assert "R-part" not in rules_of({"1.1.b": "8"})  # skip: the whole is blank, nothing to compare
    assert "R-zero" in rules_of({"N.in_person": "3"})  # zero: a blank total reads as 0
    assert "R-zero" not in rules_of({"N.in_person": "3", "1.1.a": "5"})


def test_requires_and_excludes() -> None:
    assert "R-req" in rules_of({"1.1.a": "1", "3": "5"})
    assert "R-req" not in rules_of({"1.1.a": "1", "3": "5", "2": "Không"})
    assert "R-exc" in rules_of({"1.1.a": "1", "3": "5", "2": "Có"})


def test_tolerance() -> None:
    assert "R-tol" not in rules_of({"1.1.a": "1", "3": "10,4"})
    assert "R-tol" in rules_of({"1.1.a": "1", "3": "10,6"})


@pytest.mark.parametrize(
    ("given", "rule"),
    [("6,06", None), ("6,1", None), ("6", None), ("7", "ratio.mismatch"), ("", "ratio.blank")],
)
def test_printed_ratio_is_checked_against_its_parts(given: str, rule: str | None) -> None:
    rules = rules_of({"1.1.a": "33", "1.1.b": "2", "1.1": given})
    assert {r for r in rules if r.startswith("ratio.")} == ({rule} if rule else set())


def test_printed_zero_over_zero_base_is_an_error() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "0", "1.1.b": "0", "1.1": "0"})
    (finding,) = result.errors
    assert finding.rule == "ratio.zero_base"
    assert "không phát sinh" in finding.message


def test_count_with_share() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "1", "4.1": "18", "4.2": "16 (88,9%)"})
    assert result.by_code["4.2"].display == "16 (88,9%)"
    assert result.by_code["4.2"].value == 16
    assert not result.findings
    wrong = evaluate(DEFINITION, {"1.1.a": "1", "4.1": "18", "4.2": "16 (55,6%)"})
    assert [f.rule for f in wrong.findings] == ["share.mismatch"]
    assert "88,9%" in wrong.findings[0].message


def test_narrative_binds_numbers_to_the_table() -> None:
    result = evaluate(DEFINITION, {"1.1.a": "29", "1.1.b": "7"})
    text = (
        "Tiếp nhận {1.1.a} hồ sơ, đúng hạn {1.1.b:02} hồ sơ ({1.1}%), tại {@unit_name}; "
        "trực tiếp {N.in_person}."
    )
    context = {"@unit_name": "xã Cẩm Giàng"}
    assert paragraph_text(text, result, context) == (
        "Tiếp nhận 29 hồ sơ, đúng hạn 07 hồ sơ (24,14%), tại xã Cẩm Giàng; trực tiếp …."
    )
    bound = [s.placeholder.name for s in paragraph_segments(text, result, context) if s.placeholder]
    assert bound == ["1.1.a", "1.1.b", "1.1", "@unit_name", "N.in_person"]
