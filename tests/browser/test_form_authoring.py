"""A Sở Nội vụ officer writes a form in the browser: errors listed, draft previewed, published."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from baocao.accounts.models import Role
from baocao.forms.models import FormStatus, FormVersion
from tests.browser.conftest import screenshot, signed_in
from tests.forms.test_web import CODE, province_workbook
from tests.web.conftest import World, _user

pytestmark = pytest.mark.browser


def test_form_owner_uploads_fixes_previews_and_publishes(page: Page, world: World, tmp_path: Path) -> None:
    _user("sonoivu.backan", world.province, Role.FORM_OWNER)
    broken, good = tmp_path / "bieu-loi.xlsx", tmp_path / "bieu.xlsx"
    broken.write_bytes(province_workbook(broken=True))
    good.write_bytes(province_workbook())
    signed_in(page, "sonoivu.backan")
    page.get_by_role("link", name="Biểu mẫu").click()
    page.get_by_label("Tệp biểu mẫu").set_input_files(str(broken))
    page.get_by_role("button", name="Kiểm tra và lưu bản nháp").click()
    problems = page.locator("table.problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("Chỉ tiêu")
    expect(problems.nth(0)).to_contain_text("“bảng” không phải là một trong")
    expect(problems.nth(1)).to_contain_text("“1.2.9” không có trong biểu mẫu")
    screenshot(page, "form-errors.png")
    assert not FormVersion.objects.filter(code=CODE).exists()

    page.get_by_label("Tệp biểu mẫu").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra và lưu bản nháp").click()
    page.wait_for_url(f"**/bieu-mau/{CODE}/v1/")
    expect(page.locator(".flash.success")).to_contain_text("đã lưu bản nháp phiên bản 1")
    expect(page.locator('input.cell[data-code="1.2.1"]')).to_have_value("12")
    expect(page.locator('output[data-display="1.2"]')).to_have_text("100")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải văn bản Word mẫu (điền số liệu mẫu)").click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as docx:
        assert "Số nhiệm vụ đề ra trong kế hoạch" in docx.read("word/document.xml").decode()
    page.get_by_role("button", name="Ban hành phiên bản 1").click()
    expect(page.locator(".flash.success")).to_contain_text(f"Đã ban hành biểu mẫu “{CODE}” phiên bản 1.")
    assert FormVersion.objects.get(code=CODE).status == FormStatus.PUBLISHED
    screenshot(page, "form-published.png")
