"""Trends compare like with like: periods say how many reports they count, and a district that heard from
fewer communes is not drawn as if it had shrunk."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.trends import ALL_REPORTS, PER_REPORT, SAME_UNITS, chart, period_label, unit_trend
from baocao.core.definition import load_definition
from baocao.rounds.models import Round
from tests.web.conftest import World

RECEIVED = {"02008": {3: "30", 4: "40"}, "02005": {3: "10", 4: "12"}}


@pytest.fixture
def history(world: World) -> World:
    """Q3/2023: both communes accepted; Q4/2023: only Cẩm Giàng (Quân Hà is late)."""
    both = [world.cam_giang.pk, world.quan_ha.pk]
    for quarter, units in ((3, [world.cam_giang, world.quan_ha]), (4, [world.cam_giang])):
        round_ = quarter_round(year=2023, quarter=quarter, requested_by=world.district, respondents=both)
        bulk_accepted_reports(round_, lambda unit, q=quarter: {"7.2.4.a": RECEIVED[unit.code][q]}, units)
    return world


def points(world: World, mode: str) -> list[tuple[str, str, str, bool]]:
    series = unit_trend(world.district, load_definition("cchc-xa-quy"), "7.2.4.a", mode)
    return [(p.label, p.display, p.coverage, p.complete) for p in series.points]


def test_all_reports_mark_the_period_that_counts_fewer_reports(history: World) -> None:
    assert points(history, ALL_REPORTS) == [
        ("Quý III/2023", "40", "2/2 báo cáo", True),
        ("Quý IV/2023", "40", "1/2 báo cáo", False),
    ]


def test_same_units_compares_only_the_communes_that_reported_every_time(history: World) -> None:
    assert points(history, SAME_UNITS) == [
        ("Quý III/2023", "30", "1/1 báo cáo", True),
        ("Quý IV/2023", "40", "1/1 báo cáo", True),
    ]
    series = unit_trend(history.district, load_definition("cchc-xa-quy"), "7.2.4.a", SAME_UNITS)
    assert series.units == 1


def test_per_report_divides_sums_but_leaves_ratios_alone(history: World) -> None:
    assert points(history, PER_REPORT) == [
        ("Quý III/2023", "20", "2/2 báo cáo", True),
        ("Quý IV/2023", "40", "1/2 báo cáo", False),
    ]
    ratio = unit_trend(history.district, load_definition("cchc-xa-quy"), "7.2.4", PER_REPORT)
    assert [p.display for p in ratio.points] == ["", ""]  # no online figures: nothing divided into a ratio


def test_the_trend_page_names_periods_in_vietnamese_and_marks_the_incomplete_one(history: World) -> None:
    client = history.client(history.district_reviewer)
    html = client.get("/phan-tich/xu-huong/063/?item=7.2.4.a&so-sanh=tat-ca").content.decode()
    assert "<td>Quý IV/2023</td>" in html and "Q4/2023" not in html
    assert '<tr class="incomplete"><td>Quý IV/2023</td>' in html and "<strong>Thiếu báo cáo.</strong>" in html
    assert '<td class="num">1/2 báo cáo</td>' in html
    assert "so-sanh=tat-ca" in html  # the chart is drawn the same way as the table
    svg = client.get("/phan-tich/xu-huong/063/7.2.4.a.svg?so-sanh=tat-ca").content.decode()
    assert "1/2 báo cáo" in svg and "thiếu báo cáo" in svg


def test_the_default_compares_the_same_units(history: World) -> None:
    html = history.client(history.district_reviewer).get("/phan-tich/xu-huong/063/?item=7.2.4.a").content
    assert '<option value="cung-don-vi" selected>' in html.decode()
    assert "(1 đơn vị có báo cáo ở mọi kỳ)" in html.decode()


def test_chart_of_an_incomplete_period_is_drawn(history: World) -> None:
    series = unit_trend(history.district, load_definition("cchc-xa-quy"), "7.2.4.a", ALL_REPORTS)
    assert chart(series, "png").startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("period_type", "number", "expected"),
    [
        ("quarter", 4, "Quý IV/2023"),
        ("half_year", 1, "6 tháng/2023"),
        ("nine_months", 1, "9 tháng/2023"),
        ("year", 1, "Năm 2023"),
    ],
)
def test_period_labels_read_as_vietnamese(period_type: str, number: int, expected: str) -> None:
    round_ = Round(period_type=period_type, period_number=number, year=2023, window_end=date(2023, 12, 14))
    assert period_label(round_) == expected


def test_each_trend_is_titled_by_stt_and_label(history: World) -> None:
    html = (
        history.client(history.district_reviewer).get("/phan-tich/xu-huong/063/?item=7.2.4").content.decode()
    )
    assert '<h2 class="trend-title">7.2.4 Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến' in html
