"""The prose checks and the binder on single sentences: what they flag, and where they stay quiet."""

from __future__ import annotations

import pytest

from baocao.core.definition import load_definition
from baocao.legacy.bind import bind_numbers
from baocao.legacy.mapping import map_rows
from baocao.legacy.model import TableRow
from baocao.legacy.prose import check_paragraph

DEFINITION = load_definition("cchc-xa-quy")


def rules(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in check_paragraph(text, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tỷ lệ hồ sơ số hóa là 45/60, đạt tỷ lệ 75%.", []),
        ("Tỷ lệ hồ sơ số hóa là 45/60, đạt tỷ lệ 57%.", [("narrative.ratio", "error")]),
        ("Hoàn thành 7/9 nhiệm vụ (77,8%).", []),
        ("Hoàn thành 7/9 nhiệm vụ (87,8%).", [("narrative.ratio", "error")]),
        ("Kế hoạch số 17/KH-UBND ngày 06/02/2024 đạt 100%.", []),  # a date is not a ratio
        ("Tổng số đảng viên là 40 người, trong đó nữ 10 người, chiếm 25%.", []),
        ("Tổng số đảng viên là 40 người, trong đó nữ 10 người, chiếm 52%.", [("narrative.share", "error")]),
        ("Cao học 01 người chiếm 55,6%; Đại học 15 người, chiếm 83,3%.", []),  # no total stated: quiet
        (
            "UBND xã có 114 TTHC, trong đó: Tổng số DVCTT 75, DVCTT toàn trình 62, DVCTT một phần 13, "
            "dịch vụ cung cấp thông tin trực tuyến 39.",
            [],
        ),  # nested parts
        (
            "Tiếp nhận 29 hồ sơ, trong đó: trực tuyến 07 hồ sơ, trực tiếp 07 hồ sơ.",
            [("narrative.parts", "error")],
        ),
        (
            "Tiếp nhận 29 hồ sơ, trong đó: lĩnh vực hộ tịch 12 hồ sơ, đất đai 5 hồ sơ.",
            [("narrative.parts", "warning")],
        ),
        ("Tiếp nhận 29 hồ sơ, trong đó: lĩnh vực hộ tịch 31 hồ sơ.", [("narrative.part", "error")]),
        ("Tiếp nhận hơn 700 hồ sơ, trong đó: trực tuyến 07 hồ sơ, trực tiếp 07 hồ sơ.", []),  # approximate
        ("Kế hoạch CCHC năm 2024 của xã, trong đó: 19 mục tiêu, 33 nhiệm vụ.", []),  # a year, not a total
        ("Quyết định số 283/2021/QĐ-UBND ngày 24/8/2023 về quy chế.", [("narrative.document_year", "error")]),
        ("Quyết định số 283/2023/QĐ-UBND ngày 24 tháng 8 năm 2021.", [("narrative.document_year", "error")]),
        ("Nghị định số 33/2023/NĐ-CP ngày 10/6/2023 của Chính phủ.", []),
        ("Nghị định số 130/2005/NĐ-CP của Chính phủ; Kế hoạch ngày 24/8/2023.", []),  # no date of its own
        (
            "Tỷ lệ giải quyết đúng hạn trên số hồ sơ đến hạn đạt 96,4%.",
            [],
        ),  # another denominator, not written
        ("Thanh toán trực tuyến đạt 75% (45/60).", []),  # the ratio in parentheses after its percentage
        ("Thanh toán trực tuyến đạt 57% (45/60 hồ sơ).", [("narrative.ratio", "error")]),
        ("Đạt 100% (9/9 thôn), trong đó 5/9 thôn dưới 3%.", []),
        ("Đạt 90% (12/2024).", []),  # a month, not a ratio
        ("Số hóa 45 hồ sơ (chiếm 30% tổng số 150 hồ sơ).", []),  # the base written after the share
        ("Số hóa 45 hồ sơ (chiếm 40% tổng số 150 hồ sơ).", [("narrative.share", "error")]),
        ("Số hóa 45 hồ sơ, chiếm 40% trên tổng số hồ sơ của 150 thôn.", []),  # a base of another unit
        ("Tỷ lệ hài lòng đạt 91,5%, tăng 3,25% so với năm trước (88,25%).", []),  # percentage points
        ("Tỷ lệ hài lòng đạt 91,5%, tăng 3,68% so với năm trước (88,25%).", []),  # relative change
        ("Tỷ lệ hài lòng đạt 91,5%, tăng 5,25% so với năm trước (88,25%).", [("narrative.change", "error")]),
        ("Tỷ lệ trễ hạn còn 2,1%, giảm 1,9% so với quý trước (4,0%).", []),
        ("Tỷ lệ trễ hạn còn 2,1%, giảm 0,9% so với quý trước (4,0%).", [("narrative.change", "error")]),
        ("Tỷ lệ đạt 90%, tăng 5% so với năm trước (95%).", []),  # the rise says it is another measure
        ("Tỷ lệ đạt khoảng 91%, tăng 5,25% so với năm trước (88,25%).", []),  # approximate
    ],
)
def test_prose_check(text: str, expected: list[tuple[str, str]]) -> None:
    assert rules(text) == expected


def test_binder_ties_outline_wording_and_ignores_approximations() -> None:
    paragraphs = [
        "Kết quả giải quyết hồ sơ TTHC: Tiếp nhận 31 hồ sơ, trong đó: Tiếp nhận trực tuyến 12 hồ sơ, "
        "trực tiếp 19 hồ sơ.",
        "Trang thông tin điện tử đã tiếp nhận hơn 700 hồ sơ trực tuyến từ khi vận hành.",
        "Tổng số cán bộ, công chức xã hiện nay là 21 người.",
    ]
    bound = {(b.code, b.text) for b in bind_numbers(DEFINITION, paragraphs)}
    assert bound == {("7.2.4.a", "31"), ("7.2.4.b", "12"), ("N.received_in_person", "19"), ("4.2.2", "21")}


def test_binder_leaves_untied_numbers_alone() -> None:
    paragraphs = ["Năm 2024 xã trồng mới 1.200 cây xanh, tổ chức 3 hội nghị với 250 người tham dự."]
    assert bind_numbers(DEFINITION, paragraphs) == []


def _row(stt: str, label: str, value: str = "1") -> TableRow:
    return TableRow(stt=stt, label=label, unit="", value=value)


def test_mapping_by_label_when_numbering_differs_and_listing_what_fits_nothing() -> None:
    rows = [
        _row("IV", "Cải cách tổ chức bộ máy", ""),
        _row("a)", "Tổng số cán bộ, công chức được giao", "18"),
        _row("b)", "Tổng số cán bộ, công chức có mặt", "17"),
        _row("V", "Cải cách chế độ công vụ", ""),
        _row("1", "Tổng số cán bộ, công chức được giao", "18"),
        _row("", "Số cây xanh trồng mới", "1200"),
    ]
    mapping = map_rows(DEFINITION, rows)
    assert [(m.code, m.how) for m in mapping.mapped] == [
        ("4", "nhóm"),
        ("4.2.1", "nhãn"),
        ("4.2.2", "nhãn"),
        ("5", "nhóm"),
        ("5.1.1", "nhãn"),
    ]
    assert [row.label for row in mapping.unmapped] == ["Số cây xanh trồng mới"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổng số 1.598 hồ sơ, trong đó 61 hồ sơ mức độ 3 và 1.537 hồ sơ mức độ 4.", []),
        (
            "Tổng số 1.598 hồ sơ, trong đó trực tuyến 61 hồ sơ, trực tiếp 1.437 hồ sơ.",
            [("narrative.parts", "error")],
        ),
        ("Tính đến ngày 31/3, 98,5% hồ sơ được giải quyết đúng hạn.", []),
        ("Đến tháng 6/2024, 97% hồ sơ được số hóa.", []),
        ("Xem https://bacthong.backan.gov.vn/tin/12345, 72,56% hồ sơ trực tuyến.", []),
        ("Tiếp nhận 1.598 hồ sơ; trong đó: trực tuyến 61 hồ sơ, trực tiếp 1.537 hồ sơ.", []),
        (
            "Tiếp nhận 1.598 hồ sơ (trong đó trực tuyến 61, trực tiếp 1.527), đã giải quyết 1.500 hồ sơ.",
            [("narrative.parts", "error")],
        ),
        ("Tổng số 20 người, trong đó: nữ 8 người, đảng viên 15 người.", []),  # another dimension
        ("Tiếp nhận hơn 700 hồ sơ, trong đó trực tuyến 400, trực tiếp 200.", []),
        ("Tiếp nhận 700 hồ sơ, trong đó trực tuyến khoảng 400, trực tiếp 200.", []),
        ("Tổng số 18 người, trong đó: đại học 16 người (88,9%), trung cấp 2 người (11,1%).", []),
        (
            "Tổng số 18 người, trong đó: đại học 16 người (78,9%), trung cấp 2 người (11,1%).",
            [("narrative.share", "error")],
        ),
    ],
)
def test_relations_in_one_paragraph(text: str, expected: list[tuple[str, str]]) -> None:
    assert rules(text) == expected


def test_parts_on_bullet_lines_under_trong_do() -> None:
    from baocao.legacy.prose import check_paragraphs

    paragraphs = [
        "Tổng số hồ sơ tiếp nhận là 1.598 hồ sơ.",
        "Trong đó:",
        "- Lĩnh vực hộ tịch: 600 hồ sơ (trực tuyến 500 hồ sơ);",
        "+ Khai sinh: 300 hồ sơ;",
        "- Lĩnh vực đất đai: 900 hồ sơ.",
        "Đã giải quyết 1.500 hồ sơ.",
    ]
    findings = check_paragraphs(paragraphs)
    assert [(f.rule, f.severity, f.paragraph) for f in findings] == [("narrative.parts", "warning", 0)]
    assert "1.598" in findings[0].message
    assert "600, 900" in findings[0].message and "1.500" in findings[0].message
    paragraphs[4] = "- Lĩnh vực đất đai: 998 hồ sơ."
    assert check_paragraphs(paragraphs) == []


def test_same_document_cited_with_two_dates_or_years() -> None:
    from baocao.legacy.prose import check_paragraphs

    paragraphs = [
        "Thực hiện Kế hoạch số 11/KH-UBND ngày 05/01/2024 của UBND xã về CCHC năm 2024.",
        "Theo Kế hoạch số 11/KH-UBND ngày 15/01/2024, UBND xã đã hoàn thành 2 nhiệm vụ.",
        "Kế hoạch số 11/KH-UBND ngày 20/01/2023 (năm trước) đã kết thúc.",  # another year: another plan
        "Quyết định số 283/2023/QĐ-UBND ngày 24/8/2023; Quyết định số 283/2021/QĐ-UBND ngày 24/8/2023.",
        "Quyết định số 17/2022/QĐ-UBND về việc ban hành quy chế làm việc của UBND xã.",
        "Quyết định số 17/2024/QĐ-UBND về việc ban hành quy chế làm việc của UBND xã.",
        "Quyết định số 17/2023/QĐ-UBND về việc phê duyệt kế hoạch.",  # another subject: another decision
    ]
    found = [(f.rule, f.paragraph, f.found) for f in check_paragraphs(paragraphs)]
    assert found == [
        ("narrative.document_year", 3, "2021"),
        ("narrative.document_date", 1, "15/01/2024"),
        ("narrative.document_year", 5, "17/2024/QĐ-UBND"),
    ]


@pytest.mark.parametrize(
    ("wrong", "right", "code"),
    [
        (
            "Tiếp nhận 9.000 hồ sơ, trong đó: Tiếp nhận trực tuyến 8.606 hồ sơ kỳ trước chuyển qua.",
            "Tiếp nhận 9.000 hồ sơ, trong đó: Tiếp nhận trực tuyến 8.606 hồ sơ.",
            "7.2.4.b",
        ),
        (
            "Về lý luận chính trị: Đại học 15 người, chiếm 83,3%; trung cấp 401 người, chiếm 11,1%.",
            "Cụ thể: Đại học 15 người, chiếm 83,3%; trung cấp 401 người, chiếm 11,1%.",
            "N.staff_college",
        ),
    ],
)
def test_binder_needs_the_rows_own_words(wrong: str, right: str, code: str) -> None:
    assert code not in [b.code for b in bind_numbers(DEFINITION, [wrong])]
    assert code in [b.code for b in bind_numbers(DEFINITION, [right])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A funnel, not a partition: received, of which within competence, of which resolved.
        ("UBND xã tiếp nhận 12 đơn thư, trong đó 10 đơn thuộc thẩm quyền, đã giải quyết 9 đơn.", "warning"),
        # "khác" closes a partition: the parts must add up.
        ("Tổng số 125 hồ sơ, trong đó: 60 hồ sơ khai sinh, 40 hồ sơ chứng thực, 30 hồ sơ khác.", "error"),
        ("Tổng số 125 hồ sơ, trong đó: 60 hồ sơ khai sinh, 40 hồ sơ chứng thực, 25 hồ sơ khác.", None),
        (
            "Tổng kinh phí 1,2 tỷ đồng, trong đó ngân sách tỉnh 800 triệu đồng, "
            "ngân sách huyện 400 triệu đồng.",
            None,
        ),
    ],
)
def test_parts_larger_than_the_total_are_an_error_only_for_a_partition(
    text: str, expected: str | None
) -> None:
    assert [f.severity for f in check_paragraph(text, 0)] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đang giải quyết 1.321 hồ sơ (1.246 hồ sơ chưa đến hạn, 75 hồ sơ quá hạn).", []),
        (
            "Đã giải quyết 57.689 hồ sơ (57.502 hồ sơ đúng hạn, 177 hồ sơ quá hạn).",
            [("narrative.parts", "error")],
        ),
        ("Tổng số 20 người (nam 12, nữ 9).", [("narrative.parts", "error")]),
        ("Tổng số 20 đại biểu (Việt Nam 12, nước ngoài 9).", []),  # not a known partition: quiet
        ("Tiếp nhận 29 hồ sơ (trực tuyến 07, chiếm 24,1%).", []),
    ],
)
def test_a_partition_in_parentheses_must_add_up(text: str, expected: list[tuple[str, str]]) -> None:
    assert rules(text) == expected
