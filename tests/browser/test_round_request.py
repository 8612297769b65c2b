"""A district's reviewer asks its communes for a thematic report in the browser: refused, then created."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from baocao.core.definition import load_definition
from baocao.core.form_workbook import write_workbook
from baocao.forms.services import import_form
from baocao.rounds.models import Round
from tests.browser.conftest import screenshot, sign_out, signed_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser
TOPIC = "Kết quả thực hiện chuyển đổi số trong giải quyết thủ tục hành chính"


def test_a_district_reviewer_requests_a_thematic_report(page: Page, world: World) -> None:
    spec = load_definition("cchc-xa-quy").spec.model_copy(
        update={"code": "bc-chuyen-de", "title": "Báo cáo chuyên đề CCHC", "periods": ["thematic", "ad_hoc"]}
    )
    import_form(
        data=write_workbook(spec), owner=world.province, user=None, source_name="cd.xlsx", publish=True
    )
    signed_in(page, "huyen.bachthong")
    page.get_by_role("link", name="Yêu cầu báo cáo (tạo kỳ báo cáo mới)").click()
    page.locator("select[name=form]").select_option("bc-chuyen-de:1")
    page.get_by_label("Loại kỳ (tần suất)").select_option("thematic")
    page.get_by_label("Thời hạn gửi", exact=True).fill("10/3/2024")
    page.get_by_label("Xã Quân Hà").uncheck()
    page.get_by_role("button", name="Tạo kỳ báo cáo").click()
    problems = page.locator("ul.problems li")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_have_text("báo cáo chuyên đề cần ghi nội dung yêu cầu báo cáo")
    expect(problems.nth(1)).to_have_text("báo cáo chuyên đề cần ngày bắt đầu và ngày kết thúc chốt số liệu")
    # What was typed stays, the unchecked commune too.
    expect(page.get_by_label("Thời hạn gửi", exact=True)).to_have_value("10/3/2024")
    expect(page.get_by_label("Xã Quân Hà")).not_to_be_checked()
    screenshot(page, "round-request.png", full_page=True)
    assert Round.objects.count() == 1

    page.get_by_label("Nội dung yêu cầu báo cáo").fill(TOPIC)
    page.get_by_label("Chốt số liệu từ ngày").fill("01/01/2024")
    page.get_by_label("Chốt số liệu đến ngày").fill("29/02/2024")
    page.get_by_role("button", name="Tạo kỳ báo cáo").click()
    page.wait_for_url("**/rounds/bc-chuyen-de-thematic-20240229-063/")
    expect(page.locator(".flash.success")).to_contain_text(f"Đã tạo kỳ báo cáo “Báo cáo chuyên đề: {TOPIC}”")
    expect(page.locator("h1")).to_have_text(f"Báo cáo chuyên đề: {TOPIC}")
    screenshot(page, "round-created.png")
    round_ = Round.objects.get(code="bc-chuyen-de-thematic-20240229-063")
    assert (round_.window_start, round_.window_end, round_.due_date) == (
        date(2024, 1, 1),
        date(2024, 2, 29),
        date(2024, 3, 10),
    )
    assert [unit.code for unit in round_.respondents.all()] == ["02008"]

    # Cẩm Giàng's clerk finds it among their tasks.
    sign_out(page)
    signed_in(page, "xa.camgiang")
    expect(page.get_by_role("link", name=f"Báo cáo chuyên đề: {TOPIC}")).to_be_visible()
