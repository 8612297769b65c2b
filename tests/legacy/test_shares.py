"""Shares against the other shares of their list, a bound ("hơn 59%") against its ratio, one name given two
rates, and the rounding clerks use: what is flagged and, as much, what must stay quiet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.legacy.prose import check_paragraphs, matches_rounded


def errors(*paragraphs: str) -> list[str]:
    return [f.message for f in check_paragraphs(list(paragraphs)) if f.severity == "error"]


def test_a_share_that_fits_no_base_of_its_list_is_flagged_with_the_base_the_others_use() -> None:
    found = errors(
        "Trong số 30 đại biểu trúng cử, đại biểu thuộc khối các cơ quan Đảng có 5 người, chiếm 16,67%; "
        "khối chính quyền có 8 người, chiếm 36,67%; đại biểu là người tôn giáo có 2 người, chiếm tỷ lệ 6,67% "
        "và khối các cơ quan đơn vị khác 12 người, chiếm 40%."
    )
    assert len(found) == 1
    assert "8 người 36,67%" in found[0] and "tính trên 30" in found[0] and "8/30 = 26,67%" in found[0]


def test_a_list_share_is_read_against_a_base_stated_in_an_earlier_paragraph() -> None:
    found = errors(
        "Trong số 125 Đ/c cấp uỷ viên có 78 Đ/c có trình độ đại học đạt 62 %.",
        "Về trình độ chính trị, Trung cấp có 87 Đ/c chiếm 70 % và sơ cấp chỉ còn 28 Đ/c bằng 28,4 %.",
    )
    assert len(found) == 1 and "28/125 = 22,4%" in found[0]


def test_labelled_counts_are_shares_of_their_list_too() -> None:
    found = errors(
        "Tổng số cấp ủy viên dự kiến rút lại còn 45 đồng chí giới thiệu cho đại hội.",
        "Trong đó, tái cử: 31, chiếm 68,89%; ứng cử mới: 14, chiếm 31,11%; cán bộ nữ: 11, chiếm 24,44%; "
        "cán bộ trẻ (dưới 40 tuổi): 5, chiếm 10,2%.",
    )
    assert len(found) == 1 and "5/45 = 11,1%" in found[0]


@pytest.mark.parametrize(
    "text",
    [
        # Every share fits the base: nothing to say.
        "Toàn tỉnh có 1.346 công chức cấp xã. Trong đó, 1.070 người có trình độ đại học, đạt tỷ lệ 79,5%; "
        "trình độ cao đẳng 53 người, chiếm 3,9% và trình độ trung cấp 223 người, chiếm 16,6%.",
        # Shares of another base, written in the same paragraph, agree among themselves (500 of khóa XIII).
        "Tổng số đại biểu trúng cử là 496 người. Trung ương giới thiệu 182 người (tỉ lệ 36,70%); địa phương "
        "312 người (tỉ lệ 62,90%); người ngoài Đảng 21 người (tỉ lệ 4,2%), thấp hơn khóa XIII (khóa XIII có "
        "42 người, tỉ lệ 8,4%); trẻ 71 người (tỉ lệ 14,3%), cao hơn khóa XIII (có 62 người, 12,4%); tái cử "
        "160 người (tỉ lệ 32,3%), thấp hơn khóa XIII (khóa XII tái cử có 167 người, tỉ lệ 33,4%).",
        # Shares cut off rather than rounded (2,857 → 2,85), a base not written at all (43 seats).
        "Có 35 đại biểu, số đại biểu nữ là 11 người, chiếm tỷ lệ 31,43%; đại biểu trẻ là 1 người, chiếm tỷ "
        "lệ 2,85%; 15 đại biểu tái cử, chiếm 42,85%.",
        "Dự kiến 52 đại biểu ứng cử. Chỉ tiêu nữ 17 đại biểu, tỷ lệ 39,53%; ngoài đảng 5, tỷ lệ 11,6%; trẻ "
        "dưới 40 tuổi 9, tỷ lệ 20,9%; tái cử 19 đại biểu, tỷ lệ 44,18%.",
        # Only one other share: too little to say which base the writer used.
        "Trong số 125 đồng chí, 78 đồng chí có trình độ đại học đạt 62 %; 24 đồng chí trung cấp bằng 19,8 %.",
        # "cấp 3" is a level, not a count with its share.
        "Trong số 125 Đ/c có 120 Đ/c tốt nghiệp cấp 3 chiếm 96 %; 78 Đ/c có trình độ đại học đạt 62 %; "
        "87 Đ/c trung cấp chiếm 70 %.",
        # A share of another kind (hồ sơ among people) may have a base of its own, not written.
        "Tổng số 500 người, trong đó 100 người đại học chiếm 20%; 60 người cao đẳng chiếm 12%; bộ phận một "
        "cửa tiếp nhận 120 hồ sơ trực tuyến, chiếm 40%.",
        # The base written after the share.
        "Trong số 125 đồng chí có 78 đồng chí đại học đạt 62 %; 87 đồng chí trung cấp chiếm 70 %; 24 đồng "
        "chí sơ cấp chiếm 20% trên tổng số 120 đồng chí dự đại hội.",
        # A change against an earlier period is not a share of the list's base.
        "Tổng số 200 người, trong đó 100 người đại học chiếm 50%; 60 người cao đẳng chiếm 30%; 40 người "
        "trung cấp, tăng 15% so với năm trước.",
    ],
)
def test_list_shares_stay_quiet_where_the_base_is_right_or_unknown(text: str) -> None:
    assert errors(text) == []


def test_a_ratio_above_its_stated_bound_is_flagged_and_one_inside_is_not() -> None:
    found = errors("Đại biểu nhiệm kỳ trước tái cử là 103/194 người (đạt hơn 59%).")
    assert len(found) == 1 and "103/194 đạt hơn 59%" in found[0] and "53,1%" in found[0]
    assert errors("Đại biểu nhiệm kỳ trước tái cử là 103/194 người (đạt hơn 53%).") == []
    assert errors("Số hồ sơ quá hạn là 3/194 hồ sơ (dưới 2%).") == []
    assert len(errors("Số hồ sơ quá hạn là 9/194 hồ sơ (dưới 2%).")) == 1


def test_one_name_given_two_rates_in_a_paragraph_is_flagged() -> None:
    found = errors(
        "Ở khối bộ, ngành, Ngân hàng Nhà nước dẫn đầu với 100%, Bộ Công Thương đứng thứ hai với tỷ lệ 99,7%, "
        "Bộ Tài chính đứng thứ ba với 92,4%. Các bộ có tỷ lệ thấp nhất lần lượt là: Xây dựng (16,6%), "
        "Công Thương (25%), Tài nguyên và Môi trường (36%)."
    )
    assert found == ["Phần lời ghi Công Thương hai tỷ lệ khác nhau trong cùng đoạn: 99,7% và 25%"]


@pytest.mark.parametrize(
    "text",
    [
        # The same rate twice is no conflict.
        "Hà Nam (76,2%) dẫn đầu; trong khối địa phương, Hà Nam (76,2%) cũng đứng đầu về hồ sơ toàn trình.",
        # A rate that changed, said so.
        "Huyện Sông Lô (10,85%) giảm xuống còn Sông Lô (1,31%) trong tháng 8.",
        # Two names, each once.
        "Đà Nẵng (67%) cùng các tỉnh Hòa Bình (86,5%), Nam Định (65,9%) dẫn đầu.",
        # Two different names.
        "Hòa Bình (86,5%) và Nam Định (65,9%).",
        # The second rate is of another measure, named between the two.
        "Về tỷ lệ hồ sơ trực tuyến, Hà Nam dẫn đầu với 76,2%; về tỷ lệ thanh toán trực tuyến, Hà Nam "
        "(45,1%) đứng thứ ba.",
    ],
)
def test_named_rates_stay_quiet_when_consistent_or_changed(text: str) -> None:
    assert errors(text) == []


def test_a_total_written_with_decimals_is_a_ratio_not_a_count_parts_add_up_to() -> None:
    text = "Đạt tỉ lệ 1,74 người ứng cử trên một đại biểu được bầu (trong đó có 9 người tự ứng cử)."
    assert errors(text) == []


@pytest.mark.parametrize(
    ("exact", "given", "places", "expected"),
    [
        (Decimal(182) / 496 * 100, "36.70", 2, True),  # 36,69…: rounded to 36,7 and padded with a zero
        (Decimal(133) / 496 * 100, "26.80", 2, True),
        (Decimal(86) / 496 * 100, "17.31", 2, False),  # a last digit other than 0 is read as written
        (Decimal(6) / 496 * 100, "1.3", 1, False),  # 1,21…
        (Decimal(1) / 35 * 100, "2.85", 2, True),  # cut off
        (Decimal(2) / 33 * 100, "6.06", 2, True),
    ],
)
def test_rounding_accepted(exact: Decimal, given: str, places: int, expected: bool) -> None:
    assert matches_rounded(exact, Decimal(given), places) is expected


@pytest.mark.parametrize(
    ("paragraphs", "listed"),
    [
        (
            ["Năm 2023, huyện có 05 xã đạt chuẩn nông thôn mới gồm: Cẩm Văn, Cẩm Giàng, Cẩm Sơn và Cẩm Hòa."],
            "3 đến 4 mục",
        ),
        (["Kế hoạch gồm 4 nhiệm vụ:", "- Rà soát thủ tục;", "- Số hóa hồ sơ;", "- Tuyên truyền."], "3 mục"),
        (["Đoàn kiểm tra 02 đơn vị, gồm: UBND xã Cẩm Văn, UBND xã Cẩm Sơn, UBND xã Cẩm Hòa."], "3 mục"),
    ],
)
def test_a_count_announced_for_a_list_that_names_another_number_of_items_is_flagged(
    paragraphs: list[str], listed: str
) -> None:
    found = errors(*paragraphs)
    assert len(found) == 1 and f"nêu {listed}" in found[0]


@pytest.mark.parametrize(
    "paragraphs",
    [
        # "và" may sit inside a name: two to five items, four announced.
        [
            "UBND huyện kiểm tra 4 đơn vị, gồm: Sở Tài nguyên và Môi trường, Sở Tư pháp, xã Cẩm Văn và "
            "xã Cẩm Sơn."
        ],
        [
            "Cả nước có 8 cơ quan, địa phương: Bộ Tài chính, Bộ Tư pháp, Bộ LĐTB&XH, Bảo hiểm xã hội Việt "
            "Nam, Hà Nam, Đà Nẵng, Hà Giang và Nam Định."
        ],
        # Examples, not the whole list.
        ["Có 5 xã tiêu biểu như: Cẩm Văn, Cẩm Giàng, Cẩm Sơn."],
        ["Huyện có 6 xã làm tốt, gồm: Cẩm Văn, Cẩm Giàng, Cẩm Sơn…"],
        # A list of parts with figures is checked as a total and its parts, not counted.
        ["Tiếp nhận 3 loại hồ sơ: hộ tịch 20 hồ sơ, chứng thực 15 hồ sơ."],
        # A figure ends the list: what follows is a clause, not an item.
        ["Có 3 bộ: Công Thương, Tài chính, Tư pháp - 3 bộ có tỷ lệ cao nhất trong 83 bộ, ngành, địa phương."],
        # " - " inside a name ("phổ biến - giáo dục pháp luật") does not split it.
        [
            "Có 5 tiêu chí tiếp cận pháp luật: Bảo đảm thi hành Hiến pháp và pháp luật, thực hiện thủ tục "
            "hành chính, phổ biến - giáo dục pháp luật, hòa giải ở cơ sở, thực hiện dân chủ ở cơ sở."
        ],
        # Sub-items under another mark do not count.
        ["Kế hoạch gồm 3 nhiệm vụ:", "- Rà soát thủ tục;", "- Số hóa hồ sơ;", "+ cấp xã;", "- Tuyên truyền."],
    ],
)
def test_list_counts_stay_quiet_when_the_list_agrees_or_is_not_a_whole_list(paragraphs: list[str]) -> None:
    assert errors(*paragraphs) == []


def test_parts_counting_another_noun_are_not_parts_of_the_total() -> None:
    assert errors("5 tiêu chí trên bao gồm 25 chỉ tiêu, trong đó có 24 chỉ tiêu đánh giá qua điều tra.") == []


@pytest.mark.parametrize(
    "text",
    [
        # Each rate is followed by the measure it is of.
        "Kết quả khảo sát sự hài lòng: xã An Bình (92%) về thái độ phục vụ, xã An Bình (88%) về thời gian "
        "giải quyết.",
        "Sở Tư pháp (98%) hồ sơ đúng hạn, Sở Tư pháp (61%) hồ sơ trực tuyến.",
    ],
)
def test_a_rate_followed_by_its_measure_is_not_the_names_second_rate(text: str) -> None:
    assert errors(text) == []


def test_a_name_starts_at_a_capital_letter_not_inside_a_word() -> None:
    found = errors(
        "Các xã dẫn đầu: xã Ân Phú (99%), xã Bình Minh (97%); các xã thấp nhất: xã Ân Phú (45%), "
        "xã Đông Sơn (40%)."
    )
    assert found == ["Phần lời ghi Ân Phú hai tỷ lệ khác nhau trong cùng đoạn: 99% và 45%"]
