"""A PDF download in Chromium: the click goes to the job's page, which shows its progress while LibreOffice
works, then offers the file; another commune's clerk who has the link sees nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from baocao.jobs.models import Job, JobStatus
from tests.browser.conftest import screenshot, sign_out, signed_in, work
from tests.web.conftest import World

pytestmark = pytest.mark.browser

REPORT = "/reports/cchc-2024-q1/02008/"


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice (soffice) chưa cài")
def test_pdf_download_shows_progress_then_offers_the_file(page: Page, world: World) -> None:
    signed_in(page, "xa.camgiang", then=REPORT + "tai-ve/pdf/")
    page.wait_for_url("**/viec/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo PDF báo cáo Xã Cẩm Giàng, cchc-2024-q1")
    # While queued or converting, the page shows a progress bar and asks again (every second; 0.2 s here).
    expect(page.locator("#job-status progress")).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Đang")
    screenshot(page, "job-progress.png")
    work()
    # The page, still asking, now offers the file without a reload.
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

    signed_in(page, "xa.quanha", then=None)
    response = page.goto(url)
    assert response is not None and response.status == 404


FIXTURES = Path(__file__).parents[1] / "fixtures" / "legacy"


def test_a_failed_job_says_why_and_a_checked_file_is_its_owners_alone(
    page: Page, world: World, tmp_path: Path
) -> None:
    """A PDF on the old reports' checker is read by a job: a broken one fails with the reader's reason in
    Vietnamese and "Thử lại", never a file; a good one leads to the results page, which nobody else sees."""
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\nhong hoan toan")
    signed_in(page, "xa.camgiang", then="/bao-cao-cu/")
    page.locator('input[type="file"]').set_input_files(str(broken))
    page.get_by_role("button", name="Kiểm tra").click()
    page.wait_for_url("**/viec/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra báo cáo cũ “hong.pdf”")
    expect(page.locator("#job-status progress")).to_be_visible()
    work()
    status = page.locator("#job-status")
    expect(status).to_contain_text("Không thành công")
    expect(status.get_by_role("alert")).to_have_text(
        "Không đọc được tệp: tệp PDF “hong.pdf” bị hỏng, không đọc được (PdfminerException)"
    )
    expect(status.get_by_role("button", name="Thử lại")).to_be_visible()
    expect(status.get_by_role("link")).to_have_count(0)  # no file, no results
    screenshot(page, "job-failed.png")

    page.goto("/bao-cao-cu/")
    page.locator('input[type="file"]').set_input_files(str(FIXTURES / "v0-dung.pdf"))
    page.get_by_role("button", name="Kiểm tra").click()
    page.wait_for_url("**/viec/*/")
    job_url = page.url
    work()
    page.get_by_role("link", name="Xem kết quả").click()
    page.wait_for_url("**/bao-cao-cu/ket-qua-tep/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả kiểm tra: v0-dung.pdf")
    expect(page.get_by_role("heading", name="Nhập thành bản nháp")).to_be_visible()
    result_url = page.url
    sign_out(page)

    signed_in(page, "xa.quanha", then=None)
    for url in (job_url, result_url):
        response = page.goto(url)
        assert response is not None and response.status == 404


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice (soffice) chưa cài")
def test_a_round_zip_missing_one_pdf_is_offered_with_the_list_of_whats_missing(
    page: Page, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import zipfile

    from baocao.reports import services
    from tests.jobs.test_round_zip import CRASH, _soffice_crashing

    services.report_open(round_=world.round, unit=world.quan_ha, user=world.other_clerk)
    # The first start (both reports' PDFs at once) crashes, then Quân Hà's (the first by code), tried alone.
    _soffice_crashing(tmp_path, monkeypatch, times=2)
    signed_in(page, "huyen.bachthong", then="/rounds/cchc-2024-q1/")
    page.get_by_role("link", name="Tải tất cả, kèm PDF").click()
    page.wait_for_url("**/viec/*/")
    work()
    status = page.locator("#job-status")
    expect(status).to_contain_text("Xong")
    expect(status.locator(".job-message")).to_contain_text("thiếu PDF của 1/2 báo cáo")
    expect(status.locator(".job-details li")).to_have_text([f"02005 Xã Quân Hà: {CRASH}"])
    screenshot(page, "job-zip-missing-pdf.png")
    with page.expect_download() as download:
        status.get_by_role("link", name="Tải về cchc-2024-q1.zip").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert "PDF KHONG TAO DUOC.txt" in archive.namelist()
    assert "02008-xa-cam-giang-cchc-2024-q1.pdf" in archive.namelist()
    assert "02005-xa-quan-ha-cchc-2024-q1.pdf" not in archive.namelist()
