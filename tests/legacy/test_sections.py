"""Relations across the paragraphs of a section: a share against a total stated earlier, and a list by level
against the total before it. What they flag, and where they must stay quiet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.numbers import format_number, round_half_up
from baocao.legacy.prose import check_paragraphs


def errors(paragraphs: list[str]) -> list[str]:
    return [f.message for f in check_paragraphs(paragraphs) if f.severity == "error"]


def test_a_share_against_a_total_stated_in_an_earlier_paragraph() -> None:
    found = errors(
        ["Tổng số hồ sơ tiếp nhận 1.598 hồ sơ.", "Trong kỳ, giải quyết đúng hạn 1.500 hồ sơ, đạt 95%."]
    )
    assert found == [
        "Phần lời ghi 1.500 hồ sơ đạt 95%, nhưng trên tổng số 1.598 nêu trước đó (Tổng số hồ sơ tiếp nhận "
        "1.598) thì 1.500/1.598 = 93,9%; không số nào nêu trước trong mục cho ra 95%"
    ]


def test_a_share_against_the_count_it_is_linked_to_in_its_sentence() -> None:
    text = "Cấp huyện tiếp nhận 6.776 hồ sơ, với 2.521 hồ sơ trực tuyến (đạt tỷ lệ {}%)."
    assert errors([text.format("37,2")]) == [] and errors([text.format("37,20")]) == []
    assert errors([text.format("37,76")]) == [
        "Phần lời ghi 2.521 hồ sơ trực tuyến đạt 37,76%, nhưng trên tổng số 6.776 nêu trước đó "
        "(Cấp huyện tiếp nhận 6.776) thì 2.521/6.776 = 37,2%; không số nào nêu trước trong mục cho ra 37,76%"
    ]


@pytest.mark.parametrize(
    "paragraphs",
    [
        # Cut digits, as clerks do: 3.399/26.030 = 13,058%.
        ["Cấp xã tiếp nhận 26.030 hồ sơ, với 3.399 hồ sơ trực tuyến (đạt tỷ lệ 13,05%)."],
        # The share is of another count stated before it (the files resolved, not those received).
        ["Tổng số hồ sơ tiếp nhận 1.598 hồ sơ.", "Đã giải quyết 1.580 hồ sơ; đúng hạn 1.500 hồ sơ, đạt 95%."],
        ["Tổng số hồ sơ tiếp nhận: 1.598.", "Giải quyết đúng hạn 1.500 hồ sơ (đạt tỷ lệ 93,9%)."],
        # Compared with a plan or a year before, not with a count.
        ["Tổng số hồ sơ tiếp nhận 1.598 hồ sơ.", "Giải quyết đúng hạn 1.500 hồ sơ, đạt 95% kế hoạch."],
        # The percentage names its own base.
        [
            "Tổng số hồ sơ tiếp nhận 1.598 hồ sơ.",
            "Giải quyết đúng hạn 1.500 hồ sơ, đạt 95% số hồ sơ đến hạn.",
        ],
        [
            "Tổng số hồ sơ tiếp nhận 1.598 hồ sơ.",
            "Giải quyết đúng hạn 1.500 hồ sơ, đạt 95% trên số đã giải quyết.",
        ],
        # Another kind of thing counted.
        ["Tổng số cán bộ 1.598 người.", "Giải quyết đúng hạn 1.500 hồ sơ, đạt 95%."],
        # A new section: the total before the heading is not this section's.
        ["Tổng số hồ sơ tiếp nhận 1.598 hồ sơ.", "2. Kết quả giải quyết", "Đúng hạn 1.500 hồ sơ, đạt 95%."],
        # Shares agreeing on one base not written (24 people), not on the total stated earlier.
        [
            "Tổng số cán bộ, công chức xã hiện nay là 26 người.",
            "Cao học 02 người, chiếm 8,3%; Đại học 17 người, chiếm 70,8%; trung cấp 01 người, chiếm 4,2%.",
        ],
        # No total stated at all.
        ["Giải quyết đúng hạn 1.500 hồ sơ, đạt 95%."],
        # An approximate total is never compared.
        ["Tổng số hồ sơ tiếp nhận hơn 1.598 hồ sơ.", "Giải quyết đúng hạn 1.500 hồ sơ, đạt 95%."],
    ],
)
def test_quiet_where_the_base_may_be_another(paragraphs: list[str]) -> None:
    assert errors(paragraphs) == []


def test_a_list_by_level_against_the_total_stated_before_it() -> None:
    lines = ["- Cấp tỉnh: 120 hồ sơ;", "- Cấp huyện: 300 hồ sơ;", "- Cấp xã: 800 hồ sơ."]
    assert errors(["Tổng số hồ sơ tiếp nhận 1.220 hồ sơ, cụ thể:", *lines]) == []
    assert errors(["Tổng số hồ sơ tiếp nhận 1.230 hồ sơ.", *lines]) == [
        "Phần lời ghi tổng số 1.230 (Tổng số hồ sơ tiếp nhận 1.230), nhưng cấp tỉnh 120, cấp huyện 300, "
        "cấp xã 800 cộng lại 1.220: khác tổng"
    ]
    one_line = "Cấp tỉnh 120 hồ sơ; cấp huyện 300 hồ sơ; cấp xã 830 hồ sơ."
    assert "lớn hơn tổng" in errors(["Tổng số hồ sơ tiếp nhận 1.230 hồ sơ.", one_line])[0]


@pytest.mark.parametrize(
    "paragraphs",
    [
        # Two levels of three: the rest may be elsewhere (a warning at most).
        ["Tổng số hồ sơ tiếp nhận 1.230 hồ sơ.", "- Cấp huyện: 300 hồ sơ;", "- Cấp xã: 800 hồ sơ."],
        # The sum is a count stated before: the list details that one.
        [
            "Tổng số hồ sơ tiếp nhận 1.300 hồ sơ, đã giải quyết 1.220 hồ sơ.",
            "- Cấp tỉnh: 120 hồ sơ;",
            "- Cấp huyện: 300 hồ sơ;",
            "- Cấp xã: 800 hồ sơ.",
        ],
        # Levels that count other things than the total.
        [
            "Tổng số hồ sơ tiếp nhận 1.230 hồ sơ.",
            "- Cấp tỉnh: 12 cuộc;",
            "- Cấp huyện: 30 cuộc;",
            "- Cấp xã: 8 cuộc.",
        ],
        # A level item whose first figure is not its count ("12 huyện").
        [
            "Tổng số hồ sơ tiếp nhận 1.230 hồ sơ.",
            "Với cấp huyện, 12 huyện tiếp nhận 300 hồ sơ; cấp xã 800 hồ sơ.",
        ],
    ],
)
def test_level_lists_stay_quiet_where_they_may_be_right(paragraphs: list[str]) -> None:
    assert errors(paragraphs) == []


@given(
    total=st.integers(min_value=1, max_value=10**6),
    fraction=st.fractions(min_value=0, max_value=1),
    places=st.integers(min_value=0, max_value=2),
)
def test_a_share_rounded_from_the_earlier_total_is_never_an_error(
    total: int, fraction: object, places: int
) -> None:
    count = int(total * fraction)  # type: ignore[operator]
    share = round_half_up(Decimal(count) / Decimal(total) * 100, places)
    paragraphs = [
        f"Tổng số hồ sơ tiếp nhận {format_number(Decimal(total), 0)} hồ sơ.",
        f"Giải quyết đúng hạn {format_number(Decimal(count), 0)} hồ sơ, đạt {format_number(share, places)}%.",
    ]
    assert errors(paragraphs) == []


@given(total=st.integers(min_value=200, max_value=10**6), count=st.integers(min_value=1, max_value=10**6))
def test_a_share_off_by_more_than_its_rounding_is_an_error(total: int, count: int) -> None:
    count = min(count, total)
    wrong = round_half_up(Decimal(count) / Decimal(total) * 100, 1) + Decimal("2.5")
    if wrong > 100:
        wrong -= 5
    paragraphs = [
        f"Tổng số hồ sơ tiếp nhận {format_number(Decimal(total), 0)} hồ sơ.",
        f"Giải quyết đúng hạn {format_number(Decimal(count), 0)} hồ sơ, đạt {format_number(wrong, 1)}%.",
    ]
    assert len(errors(paragraphs)) == 1


def test_a_count_its_parts_follow_is_a_total_and_every_total_tried_is_named() -> None:
    text = (
        "Trung tâm đã tiếp nhận 2.265 hồ sơ; trong đó 2.007 hồ sơ trực tuyến; 258 hồ sơ trực tiếp. "
        "Đã giải quyết 2.051 hồ sơ; trong đó 2.041 hồ sơ trước hạn; "
        "đang giải quyết 214 hồ sơ trong thời hạn, chiếm {}%."
    )
    assert errors([text.format("9,45")]) == [] and errors([text.format("10,4")]) == []
    found = errors([text.format("9,48")])
    assert len(found) == 1
    assert found[0].startswith("Phần lời ghi 214 hồ sơ trong thời hạn chiếm 9,48%, nhưng trên tổng số 2.051")
    assert "214/2.051 = 10,43%, trên 2.265" in found[0] and "thì 9,45%;" in found[0]
