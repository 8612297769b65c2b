"""The whole cycle in Chromium, as its four people play it, down to the Word file the district receives.

The clerk fills figures, loses the connection while typing and sees the figures saved once it returns, writes
prose and the document's details (a multi-line Nơi nhận, saved twice), marks the report ready; the leader
reviews and sends; the district finds it sent on time on the round's page and returns it with a remark on one
row; the clerk sees the reason and the remark beside that row and fixes the figure; the leader sends again;
the district accepts; the Word file carries the number, date, signer and Nơi nhận typed in the browser.

Each person has a browser of their own (signed in once, through the form). The first round (the clerk
preparing, the leader sending, the district returning) is played on a phone, 390 px wide; the second (the
clerk's fix, the second sending, the acceptance, the Word file) on a desktop. Every page of the cycle is also
looked at in the other width: none scrolls sideways, on the phone or on the desktop.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from baocao.reports.models import AuditEvent, Report, RowComment
from tests.browser.conftest import screenshot, screenshots_wanted, sign_in
from tests.browser.test_report_cycle import REPORT, ROUND, cell, stored, type_value
from tests.web.conftest import World

pytestmark = pytest.mark.browser

REVIEW = REPORT + "xem-xet/"
RECIPIENTS = ["- Phòng Nội vụ huyện Bạch Thông;", "- TT Đảng ủy, HĐND xã;", "- Lưu: VT."]
REMARK = "Số hồ sơ trực tuyến chưa khớp sổ theo dõi, kiểm tra lại."
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


def fits(page: Page) -> None:
    """Nothing on the page scrolls sideways, neither at the width it is played at nor at the other one (the
    page is resized, then given its width back)."""
    played = page.viewport_size
    assert played is not None
    other = DESKTOP if played == PHONE else PHONE
    for size in (played, other):
        if size is other:
            page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], (page.url, size)
    page.set_viewport_size(played)


def report_of(world: World) -> Report:
    return Report.objects.get(pk=world.report.pk)


def clerk_prepares(page: Page, world: World) -> None:
    page.goto(REPORT)
    fits(page)
    # The seed's two impossible figures, corrected in the table: the first typed while the connection is lost.
    status = page.locator("#save-status")
    page.context.set_offline(True)
    field = cell(page, "7.2.1.c")
    field.fill("2")
    field.press("Enter")
    expect(status).to_contain_text("Mất kết nối: 1 ô chưa lưu")
    expect(status).not_to_contain_text("Đã lưu")
    assert stored(world, "7.2.1.c") == "03"  # the seed's figure, still
    page.context.set_offline(False)
    expect(status).to_contain_text(re.compile(r"^Đã lưu lúc \d\d:\d\d:\d\d$"))
    assert stored(world, "7.2.1.c") == "2"
    type_value(page, "N.received_in_person", "22")
    expect(page.locator("#findings")).to_contain_text("Không phát hiện sai lệch nào.")
    # Prose: a sentence added to section I.1, saved when the clerk leaves the paragraph.
    editor = page.locator('.narrative.editable[data-section="I.1"]')
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Đã ban hành kế hoạch kiểm tra CCHC năm 2024.")
    page.locator("#thong-tin-van-ban").get_by_label("Số", exact=True).click()
    expect(page.locator("#save-status")).to_contain_text("Đã lưu lúc")
    assert "kế hoạch kiểm tra CCHC năm 2024" in world.report.narrative.get(section="I.1").text

    form = page.locator("#thong-tin-van-ban")
    form.get_by_label("Số", exact=True).fill("15")
    form.get_by_label("Ngày văn bản").fill("28/02/2024")
    form.get_by_label("Người ký", exact=True).fill("Vũ Văn Thành")
    form.get_by_label(re.compile("Nơi nhận")).fill("\n".join(RECIPIENTS))
    form.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator(".flash.success")).to_have_text("Đã lưu thông tin văn bản.")
    assert report_of(world).recipients == "\n".join(RECIPIENTS)
    # Saved a second time, the multi-line Nơi nhận the page shows is not taken for someone else's edit.
    form = page.locator("#thong-tin-van-ban")
    expect(form.get_by_label(re.compile("Nơi nhận"))).to_have_value("\n".join(RECIPIENTS))
    form.get_by_label("Địa danh").fill("Cẩm Giàng")
    form.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator(".flash.success")).to_have_text("Đã lưu thông tin văn bản.")
    expect(page.locator(".flash.error")).to_have_count(0)

    page.get_by_role("button", name="Trình ký").click()
    expect(page.locator("#report-status")).to_have_text("Đã trình ký")
    expect(page.locator("input.cell")).to_have_count(0)  # the clerk can no longer edit


def leader_reviews_and_sends(page: Page, *, changed: str | None = None) -> None:
    page.goto(REPORT)
    page.get_by_role("link", name="Xem lại và gửi…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xem xét báo cáo")
    preview = page.locator("#van-ban")
    expect(preview).to_contain_text("Số: 15/BC-UBND")
    expect(preview).to_contain_text("Cẩm Giàng, ngày 28 tháng 02 năm 2024")
    expect(preview).to_contain_text("Vũ Văn Thành")
    expect(preview).to_contain_text(RECIPIENTS[0])
    if changed is not None:
        expect(page.locator("#thay-doi")).to_contain_text(changed)
        screenshot(page, "review.png", clip={"x": 0, "y": 0, "width": 1400, "height": 900})
    # The review page does not scroll sideways on a phone: wide tables scroll inside their card.
    fits(page)
    send = page.get_by_role("button", name="Gửi", exact=True)
    send.click()  # not confirmed yet: the browser refuses the form
    expect(page.locator("#report-status")).not_to_have_text("Đã gửi")
    page.get_by_label(re.compile("đồng ý gửi báo cáo")).check()
    send.click()
    expect(page.locator(".flash.success")).to_have_text("Đã gửi báo cáo lên cấp trên.")
    expect(page.locator("#report-status")).to_have_text("Đã gửi")
    expect(page.locator("input.cell")).to_have_count(0)  # back on the report, sent: read-only


def district_decides(page: Page, *, remark: bool) -> None:
    if remark:
        # The first time from the round's page: the report is listed as sent on time, the other commune's
        # as not started; its page links to the review.
        page.goto(ROUND)
        line = page.locator("tr", has_text="Cẩm Giàng")
        expect(line).to_contain_text("Đã gửi")
        expect(line).to_contain_text("Đúng hạn")
        expect(page.locator("tr", has_text="Quân Hà")).to_contain_text("Chưa bắt đầu")
        if screenshots_wanted():  # as the docs show it: on a desktop, the whole page, no empty space below
            page.set_viewport_size({"width": 1400, "height": 400})
            screenshot(page, "round.png", full_page=True)
            page.set_viewport_size(PHONE)
        line.get_by_role("link", name=re.compile("Cẩm Giàng")).click()
        page.get_by_role("link", name="Xem xét: tiếp nhận hoặc trả lại…").click()
        page.wait_for_url(f"**{REVIEW}")
    else:
        page.goto(REVIEW)
    fits(page)
    if remark:
        row = page.locator('tr[data-row="7.2.4.b"]')
        row.get_by_text("Nhận xét dòng này").click()
        row.get_by_role("textbox").fill(REMARK)
        page.get_by_label("Lý do trả lại").fill("Kiểm tra lại số hồ sơ trực tuyến.")
        page.get_by_role("button", name="Trả lại", exact=True).click()
        expect(page.locator("#report-status")).to_have_text("Bị trả lại")
    else:
        expect(page.locator("#ly-do-tra-lai")).to_contain_text("Kiểm tra lại số hồ sơ trực tuyến.")
        page.get_by_role("button", name="Tiếp nhận").click()
        expect(page.locator("#report-status")).to_have_text("Đã tiếp nhận")


def test_the_whole_cycle_down_to_the_word_file(new_page: Callable[[], Page], world: World) -> None:
    clerk, leader, district = new_page(), new_page(), new_page()
    for page, username in ((clerk, "xa.camgiang"), (leader, "ct.camgiang"), (district, "huyen.bachthong")):
        page.set_viewport_size(PHONE)
        sign_in(page, username)

    # The first round, on phones.
    clerk_prepares(clerk, world)
    leader_reviews_and_sends(leader)
    district_decides(district, remark=True)
    assert RowComment.objects.get(report=world.report).text == REMARK

    # The second round, on desktops.
    for page in (clerk, leader, district):
        page.set_viewport_size(DESKTOP)
    clerk.goto(REPORT)
    fits(clerk)
    expect(clerk.locator(".return-reason")).to_contain_text("Kiểm tra lại số hồ sơ trực tuyến.")
    row = clerk.locator('tr[data-row="7.2.4.b"]')
    expect(row.locator(".row-comment")).to_contain_text(REMARK)
    expect(cell(clerk, "7.2.4.b")).to_be_editable()
    type_value(clerk, "7.2.4.b", "08")
    type_value(clerk, "7.2.4.a", "30")  # 8 online + 22 in person
    expect(clerk.locator("#findings")).to_contain_text("Không phát hiện sai lệch nào.")
    assert stored(world, "7.2.4.b") == "08"

    leader_reviews_and_sends(leader, changed="08")
    district_decides(district, remark=False)
    assert report_of(world).status == "accepted"
    assert list(
        AuditEvent.objects.filter(report=world.report, target="status").values_list("action", flat=True)
    ) == [
        "ready",
        "send",
        "return",
        "send",
        "accept",
    ]

    clerk.goto(REPORT)
    fits(clerk)
    expect(clerk.locator(".return-reason")).to_have_count(0)  # accepted: the reason is done with
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="Tải Word (.docx)").click()
    text = "\n".join(p.text for p in docx_paragraphs(download.value.path().read_bytes()))
    assert "Số: 15/BC-UBND" in text
    assert "Cẩm Giàng, ngày 28 tháng 02 năm 2024" in text
    assert "Vũ Văn Thành" in text
    for line in RECIPIENTS:
        assert line in text
    assert "DỰ THẢO" not in text


def docx_paragraphs(data: bytes) -> list:  # type: ignore[type-arg]
    """Every paragraph of the document, in the body and in its tables (the header block is a table)."""
    document = Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for table_cell in row.cells:
                paragraphs.extend(table_cell.paragraphs)
    return paragraphs
