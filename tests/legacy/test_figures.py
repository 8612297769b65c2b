"""The reader of figures in Vietnamese prose: what is a figure, what never is (by property and by example)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.core.figures import read_figures
from baocao.core.numbers import format_count, format_number
from tests.examples import examples

counts = st.integers(min_value=0, max_value=999_999_999)
days = st.integers(min_value=1, max_value=31)
months = st.integers(min_value=1, max_value=12)
years = st.integers(min_value=1990, max_value=2030)
units = st.sampled_from(["hồ sơ", "người", "thủ tục", "văn bản", "nhiệm vụ", "PAKN", "cuộc"])
DOC_KINDS = st.sampled_from(["Quyết định", "Kế hoạch", "Công văn", "Báo cáo", "Nghị định", "Thông tư"])
DOC_CODES = st.sampled_from(["KH-UBND", "QĐ-UBND", "NĐ-CP", "BC-UBND", "TT-BNV", "UBND-VP", "QĐ-TTg"])


def printed(figures: list) -> list[tuple[str, Decimal]]:
    return [(f.text, f.value) for f in figures]


@settings(max_examples=examples(300))
@given(counts, st.booleans(), units)
def test_any_count_as_written_round_trips(value: int, pad: bool, unit: str) -> None:
    text = format_count(value, 2 if pad else 0)
    figures = read_figures(f"Trong kỳ tiếp nhận {text} {unit}, đã giải quyết xong.")
    if 1940 <= value <= 2099 and "." not in text:
        assert figures == ()  # a bare four-digit number of that size is a year
    else:
        assert printed(figures) == [(text, Decimal(value))]


@settings(max_examples=examples(300))
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False), st.booleans())
def test_any_percentage_is_read_whole(value: Decimal, spaced: bool) -> None:
    text = format_number(value, 2)
    written = f"{text} %" if spaced else f"{text}%"
    figures = read_figures(f"Tỷ lệ hồ sơ đúng hạn đạt {written} so với cùng kỳ.")
    assert [(f.text, f.number, f.percent) for f in figures] == [(f"{text}%", value, True)]


@settings(max_examples=examples(300))
@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False))
def test_any_decimal_with_comma_and_thousands_dots_round_trips(value: Decimal) -> None:
    text = format_number(value, 3)
    figures = read_figures(f"Giải ngân {text} triệu đồng.")
    assert [(f.digits, f.number, f.scale) for f in figures] == [(text, value, 10**6)]


@settings(max_examples=examples(300))
@given(
    days,
    months,
    years,
    st.sampled_from(
        [
            "ngày {d}/{m}/{y}",
            "{d} tháng {m} năm {y}",
            "ngày {d}-{m}-{y}",
            "tháng {m}/{y}",
            "đến ngày {d}/{m}",
            "Tính đến {d}/{m}",
            "quý {m}/{y}",
            "từ {d}/{m} đến {d}/{m}/{y}",
            "năm {y}",
        ]
    ),
)
def test_dates_never_yield_figures(d: int, m: int, y: int, pattern: str) -> None:
    date = pattern.format(d=f"{d:02d}" if d < 10 and m % 2 else d, m=m, y=y)
    assert read_figures(f"{date}, đơn vị đã hoàn thành.") == ()


@settings(max_examples=examples(300))
@given(st.integers(min_value=1, max_value=9999), years, DOC_KINDS, DOC_CODES, st.booleans())
def test_document_numbers_never_yield_figures(n: int, y: int, kind: str, code: str, with_year: bool) -> None:
    number = f"{n:02d}/{y}/{code}" if with_year else f"{n:02d}/{code}"
    assert read_figures(f"Thực hiện {kind} số {number} ngày 05/6/{y} của UBND tỉnh.") == ()
    assert read_figures(f"Căn cứ {kind} {number} về việc triển khai.") == ()


@settings(max_examples=examples(200))
@given(
    st.from_regex(r"[a-z]{2,12}", fullmatch=True),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(
        [
            "https://{h}.gov.vn/tin-tuc/{n}",
            "http://www.{h}.vn/p/{n}.html",
            "www.{h}.com/{n}",
            "{h}{n}@gmail.com",
            "https://dichvucong.gov.vn/p/home/dvc-chi-tiet.html?ma={n}",
        ]
    ),
)
def test_addresses_never_yield_figures(host: str, n: int, pattern: str) -> None:
    address = pattern.format(h=host, n=n)
    assert read_figures(f"Xem chi tiết tại {address} để biết thêm.") == ()


@settings(max_examples=examples(100))
@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=4))
def test_levels_never_yield_figures(a: int, b: int) -> None:
    assert read_figures(f"Cung cấp dịch vụ công trực tuyến mức độ {a}/{b} và mức độ {a}.") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tổng số 1.598 hồ sơ, trong đó 61 hồ sơ mức độ 3 và 1.537 hồ sơ", ["1.598", "61", "1.537"]),
        ("Tính đến ngày 31/3, 98,5% hồ sơ đúng hạn", ["98,5%"]),
        ("tháng 6/2024, 97% hồ sơ được số hóa", ["97%"]),
        ("xem https://bacthong.backan.gov.vn/tin/12345 và 72,56% số hồ sơ", ["72,56%"]),
        ("Quyết định số 283/2021/QĐ-UBND ngày 24/8/2023; Kế hoạch số 11 ngày 5/1/2024", []),
        ("mục 7.2.4.b; Điều 5; khoản 2; năm 2024; giai đoạn 2021 - 2025; nhiệm kỳ 2021-2026", []),
        ("Kinh phí 1,2 tỷ đồng và 350 triệu đồng", ["1,2 tỷ", "350 triệu"]),
        ("3. Cải cách tổ chức bộ máy: 12 người", ["12"]),
        ("Tổng số 1.234.567 đồng; Chuyên viên 08 người; DVCTT một phần 13", ["1.234.567", "08", "13"]),
        ("Điện thoại 0209.3877.123, 8h30 ngày thứ 2", []),
        ("theo Điều 3 Nghị định 90/2020 và Nghị quyết số 30c/NQ-CP", []),
        # "trang" names a page, but "vũ trang" is a word of its own: the count after it is a count.
        ("xem trang 12; khối lực lượng vũ trang 2 người, chiếm 6,67%", ["2", "6,67%"]),
    ],
)
def test_figures_as_printed(text: str, expected: list[str]) -> None:
    assert [f.text for f in read_figures(text)] == expected


def test_marks_approximations_ranges_and_fractions() -> None:
    assert [f.approximate for f in read_figures("ít nhất 50% chỉ tiêu, tối đa 5 ngày")] == [True, True]
    figures = read_figures("hơn 700 hồ sơ, 50 người trở lên, từ 5 đến 10 ngày, 75/114 đạt 65,79%")
    assert [(f.text, f.approximate, f.in_range, f.fraction) for f in figures] == [
        ("700", True, False, ""),
        ("50", True, False, ""),
        ("5", False, True, ""),
        ("10", False, True, ""),
        ("75", False, False, "numerator"),
        ("114", False, False, "denominator"),
        ("65,79%", False, False, ""),
    ]
    assert read_figures("1,2 tỷ đồng")[0].value == Decimal("1200000000")


@settings(max_examples=examples(200))
@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from([("nghìn", 10**3), ("ngàn", 10**3), ("triệu", 10**6), ("tỷ", 10**9)]),
)
def test_scale_words_multiply_the_figure_as_printed(value: int, scale: tuple[str, int]) -> None:
    word, factor = scale
    figures = read_figures(f"Giải ngân {value} {word} đồng trong năm.")
    assert [(f.text, f.value) for f in figures] == [(f"{value} {word}", Decimal(value * factor))]
