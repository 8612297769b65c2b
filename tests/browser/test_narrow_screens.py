"""On a phone (390 px wide) no page scrolls sideways; printed, a report has no fill colours."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.core.values import load_demo_values
from baocao.reports import services
from tests.browser.conftest import screenshot, signed_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDEST = "() => document.scrollingElement.scrollWidth"
CLERK_PAGES = [
    "/",
    "/reports/cchc-2024-q1/02008/",
    "/reports/cchc-2024-q1/02008/history/",
    "/reports/cchc-2024-q1/02008/ban-in/",
    "/bao-cao-cu/",
]
REVIEWER_PAGES = [
    "/",
    "/rounds/cchc-2024-q1/",
    "/phan-tich/tong-hop/cchc-2024-q1/?unit=063",
    "/phan-tich/so-sanh/cchc-2024-q1/?unit=063",
    "/phan-tich/xu-huong/02008/",
    "/phan-tich/tien-do/cchc-2024-q1/?unit=063",
    "/reports/cchc-2024-q1/02008/",
]


def with_history(world: World) -> None:
    """A previous quarter accepted, and Cẩm Giàng's report sent: the analysis pages have data to show."""
    older = quarter_round(
        year=2023, quarter=4, requested_by=world.district, respondents=[world.cam_giang.pk, world.quan_ha.pk]
    )
    values = {code: str(raw) for code, raw in load_demo_values().items() if raw != ""}
    bulk_accepted_reports(older, lambda unit: values, [world.cam_giang, world.quan_ha])
    services.report_set_note(report=world.report, user=world.clerk, code="1.1", note="Ghi chú dài " * 8)


def too_wide(page: Page, paths: list[str]) -> dict[str, int]:
    widths = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        widths[path] = int(page.evaluate(WIDEST))
    return {path: width for path, width in widths.items() if width > PHONE["width"]}


def test_no_page_scrolls_sideways_at_390_px_and_the_printed_report_has_no_fill_colours(
    page: Page, world: World
) -> None:
    """The clerk's pages, then the reviewer's (one world with history for both, one after the other in the
    same browser); the report printed on the way."""
    with_history(world)
    page.set_viewport_size(PHONE)
    signed_in(page, "xa.camgiang", then=None)
    assert too_wide(page, CLERK_PAGES) == {}
    page.goto("/reports/cchc-2024-q1/02008/#phu-luc")

    page.emulate_media(media="print")
    fills = page.evaluate(
        """() => Array.from(document.querySelectorAll('tr.has-error td, td.value, .bound, .badge'))
                 .map((el) => getComputedStyle(el).backgroundColor)
                 .filter((colour) => colour !== 'rgba(0, 0, 0, 0)')"""
    )
    assert fills == []
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "none"
    page.emulate_media(media="screen")

    page.get_by_role("button", name="Sửa ghi chú").click()  # the note fields shown as well
    assert page.evaluate(WIDEST) <= PHONE["width"]
    screenshot(page, "entry-390.png")

    signed_in(page, "huyen.bachthong", then=None)
    assert too_wide(page, REVIEWER_PAGES) == {}
