"""Checking an old report in the browser: upload from the inbox, read the findings, import as a draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from baocao.reports.models import Value
from tests.browser.conftest import screenshot, signed_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser

SEED = Path(__file__).parents[1] / "fixtures" / "seed" / "000_2f959b74d0f1a55a.txt"


def test_clerk_checks_the_seed_and_imports_it_as_a_draft(page: Page, world: World) -> None:
    Value.objects.filter(
        report=world.report
    ).delete()  # a report not started yet: every figure comes from the file
    signed_in(page, "xa.camgiang")
    page.get_by_role("link", name="Kiểm tra báo cáo cũ").click()
    page.locator('input[type="file"]').set_input_files(str(SEED))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("heading", name="Lỗi (9)")).to_be_visible()
    expect(page.locator("li.finding.error").first).to_contain_text("mẫu số bằng 0")
    expect(page.locator(".findings")).to_contain_text("ghi 55,6% nhưng tính từ 1/18 là 5,6%")
    screenshot(page, "legacy-check.png", full_page=True, clip={"x": 0, "y": 0, "width": 1400, "height": 1500})
    page.get_by_role("button", name="Nhập thành bản nháp").click()
    page.wait_for_url("**/reports/cchc-2024-q1/02008/")
    expect(page.locator(".flash.success")).to_contain_text("Đã nhập")
    marked = page.locator('tr[data-row="7.2.4.b"] .imported-mark')
    expect(marked).to_be_visible()
    assert Value.objects.get(report=world.report, code="7.2.4.b").source == Value.Source.IMPORTED
    page.locator('tr[data-row="7.2.4.b"]').scroll_into_view_if_needed()
    screenshot(page, "legacy-imported.png")
