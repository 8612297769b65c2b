"""A PDF download in Chromium: the click goes to the job's page, which shows its progress while LibreOffice
works, then offers the file; another commune's clerk who has the link sees nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from baocao.jobs.models import Job, JobStatus
from tests.browser.conftest import screenshot, sign_in, sign_out, work
from tests.web.conftest import World

pytestmark = pytest.mark.browser

REPORT = "/reports/cchc-2024-q1/02008/"


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice (soffice) chưa cài")
def test_pdf_download_shows_progress_then_offers_the_file(page: Page, world: World) -> None:
    sign_in(page, "xa.camgiang")
    page.goto(REPORT + "tai-ve/pdf/")
    page.wait_for_url("**/viec/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo PDF báo cáo Xã Cẩm Giàng, cchc-2024-q1")
    # While queued or converting, the page shows a progress bar and asks again every second.
    expect(page.locator("#job-status progress")).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Đang")
    screenshot(page, "job-progress.png")
    work()
    # The page, still asking every second, now offers the file without a reload.
    link = page.get_by_role("link", name="Tải về 02008-xa-cam-giang-cchc-2024-q1.pdf")
    expect(link).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Xong")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path.read_bytes()[:5] == b"%PDF-"
    job = Job.objects.get()
    assert (job.status, job.owner) == (JobStatus.DONE, world.clerk)
    screenshot(page, "job-done.png")
    url = page.url
    sign_out(page)

    sign_in(page, "xa.quanha")
    response = page.goto(url)
    assert response is not None and response.status == 404
