from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.numbers import (
    NumberFormatError,
    format_count,
    format_number,
    format_share,
    parse_count,
    parse_number,
    parse_percent,
    parse_share,
    parse_yesno,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6,06", Decimal("6.06")),
        ("1.234", Decimal(1234)),
        ("1.234,5", Decimal("1234.5")),
        ("1.234.567", Decimal(1234567)),
        ("02", Decimal(2)),
        ("100%", Decimal(100)),
        ("93,3 %", Decimal("93.3")),
        (" 18 ", Decimal(18)),
        ("-5", Decimal(-5)),
        ("0", Decimal(0)),
    ],
)
def test_parse_number_reads_vietnamese_forms(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "-", "  ", "–", "\u00a0"])
def test_blank_is_none_not_zero(text: str) -> None:
    assert parse_number(text) is None
    assert parse_count(text) is None


@pytest.mark.parametrize("text", ["1.5", "12.34", "1.2345", "1,234.5"])
def test_dot_is_only_a_thousands_separator(text: str) -> None:
    with pytest.raises(NumberFormatError, match="dấu chấm chỉ dùng để tách hàng nghìn"):
        parse_number(text)


@pytest.mark.parametrize("text", ["abc", "1 234", "12a", "1,2,3", "(5)"])
def test_parse_number_rejects_other_text_with_a_reason(text: str) -> None:
    with pytest.raises(NumberFormatError, match="không phải là số"):
        parse_number(text)


def test_parse_count_refuses_fractions_and_negatives() -> None:
    with pytest.raises(NumberFormatError, match="số nguyên"):
        parse_count("2,5")
    with pytest.raises(NumberFormatError, match="số âm"):
        parse_count("-1")


def test_parse_percent_range() -> None:
    assert parse_percent("90,4") == Decimal("90.4")
    with pytest.raises(NumberFormatError, match="từ 0 đến 100"):
        parse_percent("100,1")


@pytest.mark.parametrize(("text", "expected"), [("Có", True), ("không", False), ("KHÔNG", False), ("", None)])
def test_parse_yesno(text: str, expected: bool | None) -> None:
    assert parse_yesno(text) is expected


def test_parse_yesno_rejects_other_words() -> None:
    with pytest.raises(NumberFormatError, match="Có"):
        parse_yesno("đúng")


def test_parse_share_reads_count_and_share() -> None:
    shared = parse_share("16 (88,9%)")
    assert (shared.count, shared.share) == (Decimal(16), Decimal("88.9"))
    assert parse_share("18").share is None
    with pytest.raises(NumberFormatError, match="16 \\(88,9%\\)"):
        parse_share("16 (88,9%")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal(100), 2, "100"),
        (Decimal("6.060606"), 2, "6,06"),
        (Decimal("88.888"), 1, "88,9"),
        (Decimal("88.85"), 1, "88,9"),  # half up, as written by hand
        (Decimal("1234.5"), 2, "1.234,5"),
        (Decimal("1234567"), 0, "1.234.567"),
        (Decimal("-0.001"), 2, "0"),
        (Decimal("24.137931"), 2, "24,14"),
    ],
)
def test_format_number(value: Decimal, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_count_pads_for_prose() -> None:
    assert format_count(Decimal(2), pad=2) == "02"
    assert format_count(Decimal(29), pad=2) == "29"
    assert format_count(Decimal(1234)) == "1.234"


def test_format_share() -> None:
    assert format_share(Decimal(16), Decimal(16) / 18 * 100) == "16 (88,9%)"
    assert format_share(Decimal(16), None) == "16"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value: Decimal) -> None:
    assert parse_number(format_number(value, 3)) == value


@given(st.integers(min_value=0, max_value=10**12))
def test_count_round_trips(value: int) -> None:
    assert parse_count(format_count(value)) == value
    assert parse_count(format_count(value, pad=2)) == value


@given(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
)
def test_share_round_trips(count: int, share: Decimal) -> None:
    parsed = parse_share(format_share(Decimal(count), share, 1))
    assert (parsed.count, parsed.share) == (count, share)


@pytest.mark.parametrize("text", ["１７", "1７", "١٧", "１.２３４"])
def test_digits_other_than_0_to_9_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(NumberFormatError, match="hãy gõ chữ số thường 0–9"):
        parse_count(text)
    with pytest.raises(NumberFormatError, match="hãy gõ chữ số thường 0–9"):
        parse_number(text)


@pytest.mark.parametrize("text", ["17 (50%)", "17(50)", "1.234 (5,5%)"])
def test_a_count_typed_with_its_share_is_refused_saying_the_share_is_computed(text: str) -> None:
    with pytest.raises(NumberFormatError, match="tỷ lệ phần trăm do hệ thống tự tính"):
        parse_count(text)


def test_a_count_with_share_item_still_reads_count_and_share() -> None:
    assert parse_share("17 (50%)").count == Decimal(17)
    with pytest.raises(NumberFormatError, match="chữ số thường"):
        parse_share("１７ (50%)")
