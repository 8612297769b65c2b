"""One uploaded file that is slow to read (a scanned PDF read by OCR, a file LibreOffice converts, a large
file) is read by a job, never in the request; the job's page shows its progress, then the same results page
as a file checked in the request (findings, the table, the draft to import), to its owner only. A small text,
HTML, Word or Excel file is still checked in the request."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baocao.jobs.models import Job, JobStatus, job_storage
from baocao.legacy.jobs import KIND_FILE_CHECK
from baocao.legacy.read import QUICK_READ_BYTES, slow_to_read
from baocao.reports.models import Report
from tests.jobs.conftest import work
from tests.legacy.test_formats import _scanned_pdf
from tests.web.conftest import World, make_world

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_2f959b74d0f1a55a.txt"
UPLOAD = "/bao-cao-cu/"
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None or not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(),
    reason="Tesseract (tesseract-ocr, tesseract-ocr-vie) or the DejaVu font is not installed",
)


@pytest.fixture
def world(transactional_db: None) -> World:
    return make_world(values=False)


def _queued(response) -> Job:  # type: ignore[no-untyped-def]
    assert response.status_code == 302 and response["Location"].startswith("/viec/")
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def test_the_rule_is_bounded_by_kind_and_size() -> None:
    docx = (FIXTURES / "legacy" / "v0-dung.docx").read_bytes()
    assert [slow_to_read(data) for data in (b"BAO CAO\n1. abc", docx, b"<html>bao cao</html>")] == [
        False,
        False,
        False,
    ]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    big_text = b"BAO CAO " * (QUICK_READ_BYTES // 8 + 1)
    pdf = (FIXTURES / "legacy" / "v0-dung.pdf").read_bytes()
    assert [slow_to_read(data) for data in (pdf, ole, big_text)] == [True, True, True]


@needs_ocr
def test_a_scanned_pdf_is_read_by_a_job_then_shown_as_a_checked_file(world: World, tmp_path: Path) -> None:
    path = tmp_path / "ban-quet.pdf"
    _scanned_pdf(path, ["Tiếp nhận 29 hồ sơ, trong đó: trực tuyến 07 hồ sơ,", "trực tiếp 07 hồ sơ."])
    client = world.client(world.clerk)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("ban-quet.pdf", path.read_bytes())})

    job = _queued(response)  # nothing was read in the request
    assert (job.kind, job.status, job.owner, job.result_name) == (
        KIND_FILE_CHECK,
        JobStatus.QUEUED,
        world.clerk,
        "",
    )
    assert job.label == "Kiểm tra báo cáo cũ “ban-quet.pdf”"
    stored = job.params["files"][0]["path"]
    assert job_storage().exists(stored)
    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Đang chờ" in page and "<progress" in page

    work()

    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.DONE, "")
    assert not job_storage().exists(stored)  # read: the uploaded copy is gone
    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert f'href="/bao-cao-cu/ket-qua-tep/{job.pk}/"' in page and "Xem kết quả" in page
    assert "Tải về" not in page  # what was read is the results page's, not a file to offer
    result = client.get(f"/bao-cao-cu/ket-qua-tep/{job.pk}/").content.decode()
    assert "<h1>Kết quả kiểm tra: ban-quet.pdf</h1>" in result
    assert "OCR" in result and "Nhập thành bản nháp" in result
    assert "Tệp không có chữ ký số." in result  # a PDF: its signatures were looked for, by the job
    # Another user, and another kind of job, find nothing there.
    assert world.client(world.other_clerk).get(f"/bao-cao-cu/ket-qua-tep/{job.pk}/").status_code == 404


def test_a_text_pdf_imports_as_a_draft_from_the_jobs_results(world: World) -> None:
    client = world.client(world.clerk)
    data = (FIXTURES / "legacy" / "v0-dung.pdf").read_bytes()
    job = _queued(client.post(UPLOAD, {"file": SimpleUploadedFile("v0-dung.pdf", data)}))
    # Before the worker has read it, the results address goes back to the job's page.
    early = client.get(f"/bao-cao-cu/ket-qua-tep/{job.pk}/")
    assert (early.status_code, early["Location"]) == (302, f"/viec/{job.pk}/")
    work()
    listed = client.get("/viec/").content.decode()  # "Việc nền của tôi" leads to the results too
    assert f'<a href="/bao-cao-cu/ket-qua-tep/{job.pk}/">Xem kết quả</a>' in listed
    page = client.get(f"/bao-cao-cu/ket-qua-tep/{job.pk}/").content.decode()
    assert "Kết quả kiểm tra: v0-dung.pdf" in page and 'value="cchc-2024-q1|02008"' in page
    imported = client.post("/bao-cao-cu/nhap/", {"target": "cchc-2024-q1|02008"})
    assert imported.status_code == 302 and imported["Location"] == "/reports/cchc-2024-q1/02008/"
    assert Report.objects.get(unit=world.cam_giang).values.filter(source="imported").exists()


def test_an_unreadable_pdf_fails_the_job_in_vietnamese(world: World) -> None:
    client = world.client(world.clerk)
    job = _queued(client.post(UPLOAD, {"file": SimpleUploadedFile("hong.pdf", b"%PDF-1.4\nhong hoan toan")}))
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.error == "Không đọc được tệp: tệp PDF “hong.pdf” bị hỏng, không đọc được (PdfminerException)"
    assert client.get(f"/bao-cao-cu/ket-qua-tep/{job.pk}/").status_code == 404
    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Không thành công" in page and "Không đọc được tệp" in page


def test_a_small_text_file_is_still_checked_in_the_request(world: World) -> None:
    client = world.client(world.clerk)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("bao-cao.txt", SEED.read_bytes())})
    assert response.status_code == 200
    assert "Kết quả kiểm tra: bao-cao.txt" in response.content.decode()
    assert Job.objects.count() == 0
