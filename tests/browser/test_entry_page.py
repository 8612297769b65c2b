"""The entry page as a clerk works it with the keyboard, and as a page left open while others save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.reports import services
from baocao.reports.models import NarrativeText, Value
from tests.browser.conftest import signed_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser

REPORT = "/reports/cchc-2024-q1/02008/"
FOCUSED = "() => { const el = document.activeElement; return el.dataset.code || el.id || el.tagName; }"


def focused(page: Page) -> str:
    return str(page.evaluate(FOCUSED))


def test_tab_goes_from_cell_to_cell_and_notes_are_reached_through_a_visible_toggle(
    page: Page, world: World
) -> None:
    services.report_set_note(report=world.report, user=world.clerk, code="1.1", note="Theo sổ công văn")
    signed_in(page, "xa.camgiang", then=REPORT)
    expect(page.locator('tr[data-row="1.1"] td.note')).to_have_text("Theo sổ công văn")  # notes are visible
    page.locator('input.cell[data-code="1.1"]').focus()
    page.keyboard.press("Tab")
    assert focused(page) == "1.2.1"  # not an invisible note box between them
    page.keyboard.press("Tab")
    assert focused(page) == "1.2.2"
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "1.2.1"

    toggle = page.get_by_role("button", name="Sửa ghi chú")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#tab-hint")).to_contain_text("ô ghi chú")
    note = page.locator('input.note-input[data-code="1.1"]')
    expect(note).to_be_visible()
    expect(note).to_have_value("Theo sổ công văn")
    page.locator('input.cell[data-code="1.1"]').focus()
    page.keyboard.press("Tab")
    assert focused(page) == "1.1" and page.evaluate("document.activeElement.className").startswith(
        "note-input"
    )


def test_a_note_saved_over_someone_elses_keeps_the_typed_text_and_says_so(page: Page, world: World) -> None:
    signed_in(page, "xa.camgiang", then=REPORT)
    services.report_set_note(report=world.report, user=world.leader, code="1.1", note="Ghi của lãnh đạo")
    page.get_by_role("button", name="Sửa ghi chú").click()
    note = page.locator('input.note-input[data-code="1.1"]')
    note.fill("Ghi của văn thư")
    note.press("Enter")
    message = page.locator('tr[data-row="1.1"] .note-message')
    expect(message).to_contain_text("Người khác vừa lưu “Ghi của lãnh đạo”")
    expect(note).to_have_value("Ghi của văn thư")
    assert Value.objects.get(report=world.report, code="1.1").note == "Ghi của lãnh đạo"
    message.get_by_role("button", name="Giữ ghi chú của tôi").click()
    expect(page.locator("#save-status")).to_contain_text("Đã lưu lúc")
    assert Value.objects.get(report=world.report, code="1.1").note == "Ghi của văn thư"


def test_a_page_left_open_shows_what_others_saved_beside_ratios_computed_from_it(
    page: Page, world: World
) -> None:
    signed_in(page, "xa.camgiang", then=REPORT)
    ratio = page.locator('output[data-cell="1.2"]')
    expect(ratio).to_have_text("6,06")  # 2 of 33 tasks
    services.report_set_value(report=world.report, user=world.leader, code="1.2.1", raw="40")
    # The clerk saves another cell: the answer brings the leader's figure and the ratio computed from it.
    other = page.locator('input.cell[data-code="1.1"]')
    other.fill("4")
    other.press("Enter")
    expect(page.locator('input.cell[data-code="1.2.1"]')).to_have_value("40")
    expect(ratio).to_have_text("5")
    expect(page.locator('.narrative span.bound[data-code="1.2.1"]').first).to_have_text("40")

    # Without saving anything: coming back to the window asks the server.
    services.report_set_value(report=world.report, user=world.leader, code="1.2.2", raw="10")
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page.locator('input.cell[data-code="1.2.2"]')).to_have_value("10")
    expect(ratio).to_have_text("25")
    # A cell the clerk is typing in is not overwritten; its save meets the conflict check instead.
    mine = page.locator('input.cell[data-code="1.3.1"]')
    mine.fill("9")
    services.report_set_value(report=world.report, user=world.leader, code="1.3.1", raw="12")
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page.locator('input.cell[data-code="1.2.2"]')).to_have_value("10")
    expect(mine).to_have_value("9")
    mine.press("Enter")
    expect(page.locator('tr[data-row="1.3.1"] .cell-message')).to_contain_text("Người khác vừa lưu “12”")


def test_a_figure_inserted_with_the_keyboard_lands_where_the_cursor_was(page: Page, world: World) -> None:
    signed_in(page, "xa.camgiang", then=REPORT)
    options = page.locator("#insert-code option").all_inner_texts()
    assert options and not [text for text in options if re.search(r"\bN\.[a-z]", text)]
    assert "Số lượt tuyên truyền CCHC trên hệ thống Đài truyền thanh" in [text.strip() for text in options]
    editor = page.locator('.narrative[data-section="I.4"]')
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Tiếp nhận tổng cộng ")
    # Back to "Chèn số liệu" with Shift+Tab, across the other paragraphs of the narrative.
    for _ in range(20):
        if focused(page) == "insert-code":
            break
        page.keyboard.press("Shift+Tab")
    assert focused(page) == "insert-code"
    page.locator("#insert-code").select_option("7.2.4.a")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "insert-button"
    page.keyboard.press("Enter")
    chip = editor.locator('span.bound[data-code="7.2.4.a"]')
    expect(chip).to_have_text("29")
    expect(page.locator("#save-status")).to_contain_text("Đã lưu lúc")
    text = NarrativeText.objects.get(report=world.report, section="I.4").text
    assert text.endswith("Tiếp nhận tổng cộng {7.2.4.a}")
    for section in ("I.1", "I.2", "I.3"):
        assert not NarrativeText.objects.filter(report=world.report, section=section).exists()


def test_figures_copied_from_the_previous_period_stay_marked_until_confirmed(
    page: Page, world: World
) -> None:
    older = quarter_round(year=2023, quarter=4, requested_by=world.district, respondents=[world.quan_ha.pk])
    bulk_accepted_reports(older, lambda unit: {"1.1": "2", "1.2.1": "33"}, [world.quan_ha])
    report = services.report_open(round_=world.round, unit=world.quan_ha, user=world.other_clerk)
    signed_in(page, "xa.quanha", then="/reports/cchc-2024-q1/02005/")
    page.get_by_role("button", name="Lấy số liệu quý IV năm 2023 làm điểm xuất phát").click()
    count = page.locator("#copied-count")
    expect(count).to_have_text("2")
    marked = page.locator("td.value.copied")
    expect(marked).to_have_count(2)
    expect(page.locator('input.cell[data-code="1.2.1"]')).to_have_value("33")
    field = page.locator('input.cell[data-code="1.1"]')
    field.fill("3")
    field.press("Enter")
    expect(marked).to_have_count(1)  # edited: confirmed
    expect(count).to_have_text("1")
    page.get_by_role("button", name="Xác nhận các số còn lại").click()
    expect(page.locator(".copied-banner")).to_be_hidden()
    expect(marked).to_have_count(0)
    assert not Value.objects.filter(report=report, source=Value.Source.COPIED).exists()
