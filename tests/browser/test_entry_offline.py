"""The clerk loses the connection while typing: nothing is lost, and it is all saved when it comes back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from baocao.reports.models import Value
from tests.browser.conftest import signed_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser

REPORT = "/reports/cchc-2024-q1/02008/"
LEAVING_WARNS = """() => {
  const event = new Event("beforeunload", { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def stored(world: World, code: str) -> str | None:
    value = Value.objects.filter(report=world.report, code=code).first()
    return value.raw if value else None


def test_values_typed_offline_are_counted_kept_and_saved_when_the_connection_returns(
    page: Page, world: World
) -> None:
    signed_in(page, "xa.camgiang", then=REPORT)
    status = page.locator("#save-status")
    assert page.evaluate(LEAVING_WARNS) is False

    page.context.set_offline(True)
    for code, raw in (("1.1", "5"), ("1.3.1", "7"), ("1.1", "6")):  # 1.1 typed twice: the latest wins
        field = page.locator(f'input.cell[data-code="{code}"]')
        field.fill(raw)
        field.press("Enter")
    expect(status).to_contain_text("Mất kết nối: 2 ô chưa lưu")
    expect(status).not_to_contain_text("Đã lưu")
    expect(page.locator('input.cell[data-code="1.1"]')).to_have_value("6")
    assert (stored(world, "1.1"), stored(world, "1.3.1")) == ("0", None)
    assert page.evaluate(LEAVING_WARNS) is True  # leaving now would lose them: the browser asks

    # A note typed offline is one more unsaved cell.
    page.get_by_role("button", name="Sửa ghi chú").click()
    note = page.locator('input.note-input[data-code="1.1"]')
    note.fill("Theo sổ công văn đi")
    note.press("Enter")
    expect(status).to_contain_text("3 ô chưa lưu")

    page.context.set_offline(False)
    expect(status).to_contain_text(re.compile(r"^Đã lưu lúc \d\d:\d\d:\d\d$"))
    assert (stored(world, "1.1"), stored(world, "1.3.1")) == ("6", "7")
    assert Value.objects.get(report=world.report, code="1.1").note == "Theo sổ công văn đi"
    assert page.locator(".dirty").count() == 0
    assert page.evaluate(LEAVING_WARNS) is False


def test_a_value_refused_by_the_server_is_not_retried_and_keeps_the_page_from_saying_saved(
    page: Page, world: World
) -> None:
    signed_in(page, "xa.camgiang", then=REPORT)
    status = page.locator("#save-status")
    good = page.locator('input.cell[data-code="1.3.1"]')
    good.fill("4")
    good.press("Enter")
    expect(status).to_contain_text("Đã lưu lúc")
    bad = page.locator('input.cell[data-code="1.1"]')
    bad.fill("１７")  # full-width digits, as a Japanese or Chinese keyboard types them
    bad.press("Enter")
    expect(status).to_contain_text("Chưa lưu: 1 ô")
    expect(page.locator('tr[data-row="1.1"] .cell-message')).to_contain_text("chữ số")
    expect(bad).to_have_value("１７")
    assert stored(world, "1.1") == "0"
    assert page.evaluate(LEAVING_WARNS) is True
