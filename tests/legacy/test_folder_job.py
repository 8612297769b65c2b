"""Checking an uploaded folder (several files or a zip) as a background job: the request queues it, the real
worker checks file after file with progress, a bad file is reported in Vietnamese while the others are
checked, and the results page is its owner's alone."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from baocao.jobs.models import Job, JobStatus, job_storage
from baocao.legacy import jobs as legacy_jobs
from baocao.legacy.jobs import KIND_FOLDER_CHECK
from tests.jobs.conftest import work
from tests.web.conftest import World, make_world

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_2f959b74d0f1a55a.txt"
CLEAN = FIXTURES / "legacy" / "v0-dung.docx"
UPLOAD = "/bao-cao-cu/"


@pytest.fixture
def world(transactional_db: None) -> World:
    return make_world(values=False)


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _queued(response: Any) -> Job:
    assert response.status_code == 302
    assert response["Location"].startswith("/viec/")
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def _three_files() -> list[SimpleUploadedFile]:
    return [
        _file("quy-1.txt", SEED.read_bytes()),
        _file("hong.docx", b""),
        _file("dung.docx", CLEAN.read_bytes()),
    ]


def test_several_files_are_checked_by_a_job_with_progress_and_a_results_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world.client(world.clerk)
    job = _queued(client.post(UPLOAD, {"file": _three_files()}))
    assert (job.kind, job.status, job.owner, job.label) == (
        KIND_FOLDER_CHECK,
        JobStatus.QUEUED,
        world.clerk,
        "Kiểm tra 3 tệp báo cáo cũ",
    )
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    stored = [item["path"] for item in job.params["files"]]
    assert all(job_storage().exists(path) for path in stored)

    # What the job page says before each file: the files checked so far.
    seen: list[tuple[int, int, str]] = []
    check_one = legacy_jobs._check_one

    def watching(name: str, data: bytes | str, definition: str) -> dict[str, Any]:
        now = Job.objects.get(pk=job.pk)
        seen.append((now.done, now.total, now.step))
        return check_one(name, data, definition)

    monkeypatch.setattr(legacy_jobs, "_check_one", watching)
    work()

    assert seen == [(0, 3, "0/3 tệp"), (1, 3, "1/3 tệp"), (2, 3, "2/3 tệp")]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error, job.attempts) == (JobStatus.DONE, 3, 3, "", 1)
    assert not any(job_storage().exists(path) for path in stored)  # the uploaded copies are gone
    live = client.get(f"/viec/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f'href="/bao-cao-cu/ket-qua/{job.pk}/"' in live and "Xem kết quả" in live

    page = client.get(f"/bao-cao-cu/ket-qua/{job.pk}/").content.decode()
    assert "3 tệp: 1 không đọc được, 1 tệp có lỗi; tổng cộng 9 lỗi, 2 cảnh báo." in page
    assert "ghi 93,3% nhưng tính từ 7/29 là 24,14%" in page
    assert "Không đọc được: " in page and "hong.docx" in page and "rỗng" in page
    assert "Không phát hiện lỗi trong phần đã kiểm tra" in page  # dung.docx, checked after the bad one
    download = client.get(f"/viec/{job.pk}/tep/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="ket-qua-kiem-tra.json"'


def test_a_zip_is_unpacked_and_every_member_reported(world: World) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("thu-muc/quy-1.txt", SEED.read_bytes())
        archive.writestr("thu-muc/dung.docx", CLEAN.read_bytes())
        archive.writestr("thu-muc/ghi-chu.csv", "a,b\n")
        archive.writestr("__MACOSX/._dung.docx", b"x")
    client = world.client(world.clerk)
    job = _queued(client.post(UPLOAD, {"file": _file("bao-cao-2024.zip", buffer.getvalue())}))
    assert job.label == "Kiểm tra tệp nén “bao-cao-2024.zip”"
    work()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    results = legacy_jobs.folder_results(job)
    assert results is not None
    assert [r["file"] for r in results] == ["thu-muc/quy-1.txt", "thu-muc/dung.docx", "thu-muc/ghi-chu.csv"]
    assert [r.get("verdict", {}).get("status") for r in results] == ["errors", "clean", None]
    assert results[2]["error"].startswith("không phải tệp báo cáo (.")


def test_a_file_that_is_not_a_zip_fails_the_job_in_vietnamese(world: World) -> None:
    client = world.client(world.clerk)
    job = _queued(client.post(UPLOAD, {"file": _file("thu-muc.zip", b"not a zip at all")}))
    work()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)  # not retried: it cannot pass by itself
    assert job.error == "Tệp “thu-muc.zip” không phải tệp nén .zip đọc được."
    assert client.get(f"/bao-cao-cu/ket-qua/{job.pk}/").status_code == 404


def test_another_user_cannot_see_the_job_or_its_results(world: World) -> None:
    client = world.client(world.clerk)
    job = _queued(client.post(UPLOAD, {"file": _three_files()}))
    work()
    urls = (f"/viec/{job.pk}/", f"/viec/{job.pk}/tep/", f"/bao-cao-cu/ket-qua/{job.pk}/")
    for user in (world.other_clerk, world.district_reviewer, world.leader):
        other = world.client(user)
        assert [other.get(url).status_code for url in urls] == [404, 404, 404]
    assert world.client(None).get(urls[2])["Location"].startswith("/dang-nhap/")
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_one_file_is_still_checked_in_the_request_and_limits_are_kept(world: World) -> None:
    client = world.client(world.clerk)
    single = client.post(UPLOAD, {"file": _file("quy-1.txt", SEED.read_bytes())})
    assert single.status_code == 200 and "Lỗi (9)" in single.content.decode()
    too_many = client.post(UPLOAD, {"file": [_file(f"{i}.txt", b"x") for i in range(101)]})
    assert too_many.status_code == 400  # Django's own cap on the number of files in one request
    large = _file("lon.txt", b"x" * (20 * 1024 * 1024 + 1))
    refused = client.post(UPLOAD, {"file": [_file("quy-1.txt", SEED.read_bytes()), large]})
    assert refused.status_code == 400
    assert "Tệp “lon.txt” quá lớn (tối đa 20 MB cho một báo cáo)." in refused.content.decode()
    assert Job.objects.count() == 0


def test_a_zip_of_too_many_reports_stops_before_checking_any(world: World) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(101):
            archive.writestr(f"{index}.txt", "BÁO CÁO\n")
    client = world.client(world.clerk)
    job = _queued(client.post(UPLOAD, {"file": _file("nhieu.zip", buffer.getvalue())}))
    work()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.FAILED, 0, 0)
    assert job.error == "Quá nhiều tệp báo cáo: hơn 100 tệp (tối đa 100 tệp một lần; hãy chia ra)."
