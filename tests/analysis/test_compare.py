"""Comparison of units for a round: values from the stored rollups, sortable, flagged, downloadable."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from baocao.accounts.models import Membership, Role, User
from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.compare import compare
from baocao.analysis.jobs import KIND_COMPARE_XLSX, compare_xlsx_task
from baocao.jobs.models import Job
from baocao.jobs.services import JobError
from baocao.units.dvhc import load_units_2025_03
from baocao.units.models import OrgUnit


@pytest.fixture
def bach_thong(db: None) -> OrgUnit:
    load_units_2025_03(district_codes={"063"})
    district = OrgUnit.objects.get(code="063")
    communes = list(OrgUnit.objects.filter(parent=district).order_by("code"))
    for quarter in (1, 2, 3):
        round_ = quarter_round(
            year=2024, quarter=quarter, requested_by=district, respondents=[u.pk for u in communes]
        )
        # Every commune receives about 30 hồ sơ; Cẩm Giàng receives 300 in Q3.
        bulk_accepted_reports(
            round_,
            lambda unit, q=quarter: {
                "7.2.4.a": "300" if (unit.code == "02008" and q == 3) else str(28 + int(unit.code) % 5),
                "7.2.4.b": "7",
            },
            communes,
        )
    return district


def test_values_far_from_peers_and_from_history_are_flagged(bach_thong: OrgUnit) -> None:
    from baocao.rounds.models import Round

    table = compare(Round.objects.get(code="cchc-2024-q3"), bach_thong, ["7.2.4.a", "7.2.4"])
    assert len(table.lines) == 14
    flagged = {line.unit.code: line.cells[0].flags for line in table.lines if line.cells[0].flags}
    assert list(flagged) == ["02008"]
    assert any("cùng cấp" in flag for flag in flagged["02008"])
    assert any("kỳ trước" in flag for flag in flagged["02008"])
    table.sort(0, descending=True)
    assert table.lines[0].unit.code == "02008"
    assert table.lines[0].cells[1].display == "2,33"  # 7/300, the ratio of its own figures


def test_the_comparison_page_sorts_and_downloads_xlsx(bach_thong: OrgUnit) -> None:
    reviewer = User.objects.create_user(username="huyen", password="x")
    Membership.objects.create(user=reviewer, unit=bach_thong, role=Role.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    page = client.get("/phan-tich/so-sanh/cchc-2024-q3/?unit=063&item=7.2.4.a&sort=-7.2.4.a")
    assert page.status_code == 200
    text = page.content.decode()
    table = text[text.index("<tbody>") :]
    assert table.index("Xã Cẩm Giàng") < table.index("Xã Quân Hà")
    assert "Khác hẳn các đơn vị cùng cấp" in text
    assert not any(word in text for word in ("MAD", "điểm z", "z-score", "Iglewicz"))
    # Rows are picked by what a reviewer reads: STT and label, the chosen one selected.
    assert '<option value="7.2.4.a" selected>7.2.4 › Tổng số hồ sơ TTHC đã tiếp nhận' in text
    assert (
        '<option value="N.radio_broadcasts">Số lượt tuyên truyền CCHC trên hệ thống Đài truyền thanh</option>'
        in text
    )
    # The workbook is made by a job (every unit below: a province's hundreds of communes): the click goes
    # to the job's page, which offers the file once the worker has made it.
    url = "/phan-tich/so-sanh/cchc-2024-q3/?unit=063&item=7.2.4.a&sort=-7.2.4.a&format=xlsx"
    queued = client.get(url)
    assert queued.status_code == 302 and queued["Location"].startswith("/viec/")
    job = Job.objects.get(pk=int(queued["Location"].split("/")[2]))
    assert (job.kind, job.status, job.owner, job.result_name) == (KIND_COMPARE_XLSX, "queued", reviewer, "")
    assert job.label == "Bảng so sánh các đơn vị kỳ cchc-2024-q3: Huyện Bạch Thông (Excel)"
    assert job.params["back"] == "/phan-tich/so-sanh/cchc-2024-q3/?unit=063&item=7.2.4.a&sort=-7.2.4.a"
    assert client.get(url)["Location"] == queued["Location"]  # a second click: the same job
    compare_xlsx_task.call(job.pk)  # as the worker runs it (the worker's loop: tests/jobs)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == ("done", 2, 2, "")
    page = client.get(f"/viec/{job.pk}/").content.decode()
    assert "Tải về so-sanh-cchc-2024-q3.xlsx" in page
    download = client.get(f"/viec/{job.pk}/tep/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(values_only=True))
    total = "7.2.4 › Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp, bưu chính công ích và trực tuyến)"
    assert rows[1][:4] == ("Mã", "Đơn vị", "Số báo cáo", f"{total} (Hồ sơ)")
    flagged = [row[-1] for row in rows[2:] if row[-1]]
    assert flagged and all(note.startswith(f"{total}: ") for note in flagged)
    assert not any("7.2.4.a" in str(cell) for row in rows for cell in row)  # no internal code anywhere
    assert len(rows) == 2 + 14
    assert rows[2][1] == "Xã Cẩm Giàng"  # sorted as the page was: 300 hồ sơ first
    outsider = User.objects.create_user(username="xa", password="x")
    Membership.objects.create(user=outsider, unit=OrgUnit.objects.get(code="02008"), role=Role.CLERK)
    client.force_login(outsider)
    assert client.get("/phan-tich/so-sanh/cchc-2024-q3/?unit=063").status_code == 404
    assert client.get(url).status_code == 404 and Job.objects.count() == 1  # no job for them
    assert client.get(f"/viec/{job.pk}/tep/").status_code == 404


def test_a_reviewer_who_left_the_unit_gets_no_workbook(bach_thong: OrgUnit) -> None:
    reviewer = User.objects.create_user(username="huyen", password="x")
    Membership.objects.create(user=reviewer, unit=bach_thong, role=Role.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    queued = client.get("/phan-tich/so-sanh/cchc-2024-q3/?unit=063&format=xlsx")
    job = Job.objects.get(pk=int(queued["Location"].split("/")[2]))
    Membership.objects.filter(user=reviewer).delete()
    with pytest.raises(JobError, match="không còn quyền"):  # recorded on the job, raised for the task result
        compare_xlsx_task.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.result_name) == (
        "failed",
        "Bạn không còn quyền xem số liệu tổng hợp của đơn vị này.",
        "",
    )


def test_the_xlsx_never_holds_a_live_formula(bach_thong: OrgUnit) -> None:
    """A round's title (typed by whoever asked for the reports) that starts like a formula stays text."""
    from baocao.analysis.compare import to_xlsx
    from baocao.rounds.models import Round

    round_ = Round.objects.get(code="cchc-2024-q3")
    round_.title = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'
    table = compare(round_, bach_thong, ["7.2.4.a", "7.2.4"])
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == (round_.title, "s")
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []
    assert sheet["B3"].value == "Thị trấn Phủ Thông" and sheet["D3"].data_type == "n"
