"""A round's zip with PDFs when LibreOffice fails for some reports: the zip still comes, with every file that
could be made and a list of the missing PDFs with their reasons; only when no PDF at all could be made does
the job fail, with LibreOffice's reason."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from baocao.jobs.models import Job, JobStatus
from baocao.reports import services
from tests.documents.conftest import needs_soffice
from tests.jobs.conftest import work
from tests.web.conftest import World

ZIP = "/rounds/cchc-2024-q1/tai-ve.zip?pdf=1"
CG, QH = "02008-xa-cam-giang-cchc-2024-q1", "02005-xa-quan-ha-cchc-2024-q1"
CRASH = "LibreOffice không chuyển được tệp sang PDF: soffice crashed"


def _soffice_crashing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    """A LibreOffice that crashes on its first ``times`` starts, then is the real one."""
    real = shutil.which("soffice")
    count = tmp_path / "soffice-calls"
    script = tmp_path / "soffice-flaky"
    script.write_text(
        "#!/bin/sh\n"
        f'n=$(cat "{count}" 2>/dev/null || echo 0); echo $((n + 1)) > "{count}"\n'
        f'if [ "$n" -lt {times} ]; then echo "soffice crashed" >&2; exit 81; fi\n'
        f'exec "{real}" "$@"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("BAOCAO_SOFFICE", str(script))


def _job(world: World) -> tuple[Job, object]:
    services.report_open(round_=world.round, unit=world.quan_ha, user=world.other_clerk)
    client = world.client(world.district_reviewer)
    response = client.get(ZIP)
    assert response.status_code == 302
    return Job.objects.get(pk=int(response["Location"].split("/")[2])), client


@needs_soffice
def test_one_failed_pdf_leaves_the_others_and_is_listed_in_the_zip_and_on_the_page(
    jobs_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The two PDFs' one start of LibreOffice crashes, then the start that tries Quân Hà's again alone (02005,
    # the first): its PDF fails, Cẩm Giàng's is made.
    _soffice_crashing(tmp_path, monkeypatch, times=2)
    job, client = _job(jobs_world)
    work()
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (JobStatus.DONE, "", 1)

    data = b"".join(client.get(f"/viec/{job.pk}/tep/").streaming_content)  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == [
        f"{QH}.docx",
        f"{QH}.xlsx",
        f"{CG}.docx",
        f"{CG}.pdf",
        f"{CG}.xlsx",
        "DANH SACH.txt",
        "PDF KHONG TAO DUOC.txt",
    ]
    assert archive.read(f"{CG}.pdf")[:5] == b"%PDF-"
    assert archive.read("PDF KHONG TAO DUOC.txt").decode() == (
        f"Mã\tĐơn vị\tLý do không tạo được PDF\n02005\tXã Quân Hà\t{CRASH}\n"
    )
    listing = archive.read("DANH SACH.txt").decode().splitlines()
    assert listing[1] == (
        f"02005\tXã Quân Hà\tĐang soạn\t{QH}.docx, {QH}.xlsx, "
        "PDF: không tạo được (xem PDF KHONG TAO DUOC.txt)"
    )
    assert listing[2].endswith(f"{CG}.docx, {CG}.xlsx, {CG}.pdf")

    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Tệp nén có mọi tệp đã tạo được, nhưng thiếu PDF của 1/2 báo cáo" in page
    assert f"<li>02005 Xã Quân Hà: {CRASH}</li>" in page
    assert "Tải về cchc-2024-q1.zip" in page and "Không thành công" not in page


@needs_soffice
@pytest.mark.usefixtures("no_retry_delay")
def test_no_pdf_made_at_all_fails_the_job_with_libreoffices_reason(
    jobs_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _soffice_crashing(tmp_path, monkeypatch, times=1000)
    job, client = _job(jobs_world)
    work()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result_name) == (JobStatus.FAILED, 3, "")
    assert job.error == f"{CRASH} (đã thử 3 lần)"
    assert client.get(f"/viec/{job.pk}/tep/").status_code == 404


def test_a_zip_without_pdfs_has_no_list_of_missing_ones(jobs_world: World) -> None:
    services.report_open(round_=jobs_world.round, unit=jobs_world.quan_ha, user=jobs_world.other_clerk)
    client = jobs_world.client(jobs_world.district_reviewer)
    job = Job.objects.get(pk=int(client.get("/rounds/cchc-2024-q1/tai-ve.zip")["Location"].split("/")[2]))
    work()
    job.refresh_from_db()
    assert (job.status, job.params.get("details")) == (JobStatus.DONE, None)
    data = b"".join(client.get(f"/viec/{job.pk}/tep/").streaming_content)  # type: ignore[attr-defined]
    names = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert names == [f"{QH}.docx", f"{QH}.xlsx", f"{CG}.docx", f"{CG}.xlsx", "DANH SACH.txt"]
