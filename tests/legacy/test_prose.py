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
