"""The clerk at work on a report: figures, their checks and explanations, the document's details; another
commune's clerk sees nothing of it; an expired session loses nothing typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from baocao.reports.models import Report, Value
from tests.browser.conftest import screenshot, sign_in, signed_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser

REPORT = "/reports/cchc-2024-q1/02008/"
ROUND = "/rounds/cchc-2024-q1/"


def stored(world: World, code: str) -> str | None:
    value = Value.objects.filter(report=world.report, code=code).first()
    return value.raw if value else None


def cell(page: Page, code: str) -> Locator:
    return page.locator(f'input.cell[data-code="{code}"]')


def computed(page: Page, code: str) -> Locator:
    return page.locator(f'output[data-cell="{code}"]')


def type_value(page: Page, code: str, raw: str) -> None:
    """Type into a cell and press Enter, as the clerk does, then wait for the save to finish."""
    field = cell(page, code)
    field.fill(raw)
    field.press("Enter")
    expect(page.locator("#save-status")).not_to_have_text(re.compile("Đang lưu|^Chưa lưu$"))


def clerk_enters_corrects_and_explains(page: Page, world: World) -> None:
    sign_in(page, "xa.camgiang", then=REPORT)
    expect(computed(page, "7.2.4")).to_have_text("24,14")
    expect(computed(page, "2.2.1")).to_have_text("không phát sinh")
    findings = page.locator("#findings")
    expect(findings).to_contain_text("Có 8 TTHC phát sinh hồ sơ trực tuyến")
    chip = page.locator('.narrative span.bound[data-code="7.2.4.b"]')
    expect(chip).to_have_text("07")
    screenshot(page, "entry.png", full_page=True, clip={"x": 0, "y": 0, "width": 1400, "height": 1600})

    # A figure typed in the table changes the computed rate and the number bound in the narrative.
    type_value(page, "7.2.4.b", "29")
    expect(computed(page, "7.2.4")).to_have_text("100")
    expect(chip).to_have_text("29")
    expect(page.locator("#save-status")).to_contain_text("Đã lưu lúc")
    expect(findings).not_to_contain_text("Có 8 TTHC")
    assert stored(world, "7.2.4.b") == "29"

    # Text in a count cell: the reason is shown, the text stays in the field, nothing is saved.
    before = stored(world, "1.1")
    type_value(page, "1.1", "abc")
    row = page.locator('tr[data-row="1.1"]')
    expect(row.locator(".cell-message")).to_contain_text("không phải là số")
    expect(cell(page, "1.1")).to_have_value("abc")
    expect(page.locator("#save-status")).to_contain_text("Chưa lưu")
    assert stored(world, "1.1") == before

    # Correct it, and the received-in-person count so that online + in person = received.
    type_value(page, "1.1", "3")
    expect(row.locator(".cell-message")).to_have_text("")
    type_value(page, "N.received_in_person", "0")
    expect(findings).to_contain_text("Không phát hiện sai lệch nào.")
    assert (stored(world, "1.1"), stored(world, "N.received_in_person")) == ("3", "0")

    # A warning: more documents to handle than were checked. Explained through the findings panel.
    type_value(page, "2.2.1.a", "3")
    warning = findings.locator("li.finding.warning", has_text="lớn hơn số VBQPPL đã kiểm tra")
    expect(warning).to_contain_text("Chưa giải trình")
    page.evaluate("window.samePage = true")  # gone if the form reloaded the page instead of htmx
    warning.get_by_label("Giải trình").fill("Gồm 1 văn bản kiểm tra từ quý IV năm 2023.")
    warning.get_by_role("button", name="Lưu giải trình").click()
    expect(findings.locator("li.finding.warning")).to_contain_text("Đã giải trình")
    assert page.evaluate("window.samePage === true")
    assert world.report.explanations.get(rule="R-2.2.1-kiem-tra").text.startswith("Gồm 1 văn bản")


def fill_document_details(page: Page) -> None:
    """Thông tin văn bản: what the official document needs before it can be sent."""
    form = page.locator("#thong-tin-van-ban")
    form.get_by_label("Số", exact=True).fill("15")
    form.get_by_label("Ngày văn bản").fill("28/02/2024")
    form.get_by_label("Người ký", exact=True).fill("Vũ Văn Thành")
    form.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator(".flash.success")).to_have_text("Đã lưu thông tin văn bản.")


def test_clerk_enters_corrects_explains_and_fills_the_document_details(page: Page, world: World) -> None:
    """Signed in through the form, which leads back to the report. Sending, returning and the fix after a
    return, each person in a browser of their own: tests/browser/test_whole_cycle.py."""
    clerk_enters_corrects_and_explains(page, world)
    fill_document_details(page)
    assert Report.objects.get(pk=world.report.pk).number == "15"


def test_another_communes_clerk_gets_not_found(page: Page) -> None:
    signed_in(page, "xa.quanha", then=None)
    response = page.goto(REPORT)
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("Cẩm Giàng")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Không tìm thấy")


def test_expired_session_keeps_the_typed_value_and_offers_sign_in(page: Page, world: World) -> None:
    signed_in(page, "xa.camgiang", then=REPORT)
    expect(cell(page, "1.1")).to_be_editable()
    before = stored(world, "1.1")
    page.context.clear_cookies()
    cell(page, "1.1").fill("5")
    cell(page, "1.1").press("Enter")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Phiên làm việc đã hết hạn")
    link = status.get_by_role("link", name="Đăng nhập lại")
    expect(link).to_have_attribute("href", re.compile(r"^/dang-nhap/\?next="))
    expect(cell(page, "1.1")).to_have_value("5")
    assert stored(world, "1.1") == before
