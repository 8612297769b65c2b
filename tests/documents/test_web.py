"""Download buttons, the Excel import with its confirmation page, a round zip: each through access checks."""

from __future__ import annotations

import io
import zipfile

from django.test import Client
from openpyxl import load_workbook

from baocao.documents import pdf_export
from baocao.documents.jobs import round_zip_task
from baocao.documents.sheet import CODE_COLUMN, FIRST_ROW, VALUE_COLUMN
from baocao.jobs.models import Job
from baocao.reports.models import AuditEvent
from tests.web.conftest import World

BASE = "/reports/cchc-2024-q1/02008/"


def test_report_page_offers_word_excel_and_pdf(doc_world) -> None:
    page = doc_world.client(doc_world.clerk).get(BASE).content.decode()
    for url in ("tai-ve/docx/", "tai-ve/xlsx/", "tai-ve/pdf/", "nhap-excel/"):
        assert BASE + url in page
    reviewer_page = doc_world.client(doc_world.district_reviewer).get(BASE).content.decode()
    assert BASE + "tai-ve/docx/" in reviewer_page and BASE + "nhap-excel/" not in reviewer_page


def test_downloads_for_those_who_may_see_the_report(doc_world) -> None:
    for user in (doc_world.clerk, doc_world.leader, doc_world.district_reviewer, doc_world.province_reviewer):
        response = doc_world.client(user).get(BASE + "tai-ve/docx/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.word")
        assert 'filename="02008-xa-cam-giang-cchc-2024-q1.docx"' in response["Content-Disposition"]
    xlsx = doc_world.client(doc_world.clerk).get(BASE + "tai-ve/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    for user in (doc_world.other_clerk, doc_world.stranger_reviewer):
        assert doc_world.client(user).get(BASE + "tai-ve/docx/").status_code == 404
    assert doc_world.client(None).get(BASE + "tai-ve/docx/").status_code == 302
    assert doc_world.client(doc_world.clerk).get(BASE + "tai-ve/odt/").status_code == 404


def test_pdf_without_libreoffice_returns_to_the_report_with_a_message(doc_world, monkeypatch) -> None:
    monkeypatch.setattr(pdf_export, "soffice_path", lambda: None)
    response = doc_world.client(doc_world.clerk).get(BASE + "tai-ve/pdf/", follow=True)
    assert "chưa cài LibreOffice" in response.content.decode()


def _filled_sheet(client) -> bytes:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(client.get(BASE + "tai-ve/xlsx/").content))
    sheet = workbook.active
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, CODE_COLUMN).value == "1.3.1":
            sheet.cell(row, VALUE_COLUMN).value = 12
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_upload_shows_the_changes_then_confirming_writes_them(doc_world) -> None:
    client = doc_world.client(doc_world.clerk)
    data = _filled_sheet(client)
    upload = io.BytesIO(data)
    upload.name = "phu-luc.xlsx"
    preview = client.post(BASE + "nhap-excel/", {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "1 ô thay đổi" in page and "Tổng số nhiệm vụ được giao" in page and "<strong>12</strong>" in page
    assert "Sau khi nhập, báo cáo có" in page
    assert doc_world.report.raw_values().get("1.3.1", "") == ""
    done = client.post(BASE + "nhap-excel/", {"confirm": "1"}, follow=True)
    assert "Đã nhập 1 ô từ tệp Excel" in done.content.decode()
    assert doc_world.report.raw_values()["1.3.1"] == "12"
    imports = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, user=doc_world.clerk)
    assert imports.exclude(target="seed").count() == 1


def test_upload_of_a_bad_file_says_why_and_changes_nothing(doc_world) -> None:
    client = doc_world.client(doc_world.clerk)
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "bang.xlsx"
    response = client.post(BASE + "nhap-excel/", {"file": upload})
    assert response.status_code == 422
    assert "Tệp không phải là tệp Excel (.xlsx)." in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exclude(target="seed").exists()


def test_only_authors_may_import(doc_world) -> None:
    # The reviewer sees the report but may not change it; the other commune's clerk may not even see it.
    assert doc_world.client(doc_world.district_reviewer).get(BASE + "nhap-excel/").status_code == 403
    assert doc_world.client(doc_world.other_clerk).get(BASE + "nhap-excel/").status_code == 404


def _zip_by_job(client: Client) -> bytes:
    """The round's zip as its job makes it: the request queues the job, its task runs here (the worker's
    loop is tested in tests/jobs), the job's page offers the file."""
    queued = client.get("/rounds/cchc-2024-q1/tai-ve.zip")
    assert queued.status_code == 302 and queued["Location"].startswith("/viec/")
    job = Job.objects.get(pk=int(queued["Location"].split("/")[2]))
    round_zip_task.call(job.pk)
    response = client.get(f"/viec/{job.pk}/tep/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def test_round_zip_for_a_reviewer_names_each_unit(doc_world) -> None:
    names = zipfile.ZipFile(io.BytesIO(_zip_by_job(doc_world.client(doc_world.district_reviewer)))).namelist()
    assert "02008-xa-cam-giang-cchc-2024-q1.docx" in names
    assert "02008-xa-cam-giang-cchc-2024-q1.xlsx" in names
    for user in (doc_world.clerk, doc_world.stranger_reviewer):
        assert doc_world.client(user).get("/rounds/cchc-2024-q1/tai-ve.zip").status_code == 404
    page = doc_world.client(doc_world.district_reviewer).get("/rounds/cchc-2024-q1/").content.decode()
    assert "/rounds/cchc-2024-q1/tai-ve.zip" in page


def test_round_zip_renders_in_worker_processes_when_many(doc_world, monkeypatch) -> None:
    from baocao.documents import bundle

    monkeypatch.setattr(bundle, "PARALLEL_FROM", 1)
    reports = bundle.round_reports(doc_world.district_reviewer, doc_world.round)
    archive = zipfile.ZipFile(io.BytesIO(bundle.round_zip(reports)))
    docx = archive.read("02008-xa-cam-giang-cchc-2024-q1.docx")
    listing = archive.read("DANH SACH.txt").decode()
    assert (
        docx[:2] == b"PK"
        and "02008\tXã Cẩm Giàng\tĐang soạn\t02008-xa-cam-giang-cchc-2024-q1.docx" in listing
    )


def test_round_zip_lists_every_unit_and_names_files_as_single_downloads(doc_world) -> None:
    client = doc_world.client(doc_world.district_reviewer)
    archive = zipfile.ZipFile(io.BytesIO(_zip_by_job(client)))
    for format_name in ("docx", "xlsx"):
        single = client.get(BASE + f"tai-ve/{format_name}/")
        single_name = single["Content-Disposition"].split("filename=")[-1].strip('"')
        assert single_name == f"02008-xa-cam-giang-cchc-2024-q1.{format_name}"
        assert single_name in archive.namelist()
        assert archive.read(single_name)[:2] == b"PK"
    lines = archive.read("DANH SACH.txt").decode().splitlines()
    respondents = sorted(doc_world.round.respondents.all(), key=lambda unit: unit.code)
    assert [line.split("\t")[0] for line in lines[1:]] == [unit.code for unit in respondents]
    without = [line for line in lines if "Chưa bắt đầu" in line]
    assert without and all(line.endswith("\t") for line in without)
    reported = {name.split("-", 1)[0] for name in archive.namelist() if name.endswith(".docx")}
    assert all(line.split("\t")[0] not in reported for line in without)


def test_entry_page_shows_and_saves_the_opening_and_closing(doc_world) -> None:
    client = doc_world.client(doc_world.clerk)
    page = client.get(BASE).content.decode()
    assert "Đoạn mở đầu (trước mục I)" in page and "Đoạn kết (sau mục cuối)" in page
    assert page.index("Thực hiện Văn bản số 294/UBND-NV") < page.index("CÔNG TÁC CHỈ ĐẠO")
    assert page.index("Trên đây là Báo cáo") > page.index("KIẾN NGHỊ, ĐỀ XUẤT")
    text = "Trên đây là Báo cáo của UBND {@unit_name} {@period_label}./."
    response = client.post(BASE + "narrative/", {"section": "closing", "text": text})
    assert response.status_code == 200
    assert doc_world.report.narrative.get(section="closing").text == text


def test_upload_with_an_unreadable_cell_lists_it_and_offers_no_confirmation(doc_world) -> None:
    client = doc_world.client(doc_world.clerk)
    workbook = load_workbook(io.BytesIO(client.get(BASE + "tai-ve/xlsx/").content))
    sheet = workbook.active
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, CODE_COLUMN).value == "2.1":
            sheet.cell(row, VALUE_COLUMN).value = "không"
            bad_row = row
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "phu-luc.xlsx"
    page = client.post(BASE + "nhap-excel/", {"file": out}).content.decode()
    assert f"Ô D{bad_row} (dòng {bad_row}, cột D “Số liệu”, chỉ tiêu 2.1)" in page
    assert 'name="confirm"' not in page


def test_confirming_after_someone_else_changed_the_report_asks_to_preview_again(doc_world) -> None:
    from baocao.reports import services

    client = doc_world.client(doc_world.clerk)
    upload = io.BytesIO(_filled_sheet(client))
    upload.name = "phu-luc.xlsx"
    client.post(BASE + "nhap-excel/", {"file": upload})
    services.report_set_value(report=doc_world.report, user=doc_world.leader, code="1.1", raw="3")
    done = client.post(BASE + "nhap-excel/", {"confirm": "1"}, follow=True)
    assert "Báo cáo vừa được sửa sau khi xem trước" in done.content.decode()
    assert doc_world.report.raw_values().get("1.3.1", "") == ""


def test_print_view_shows_the_document_with_live_figures_and_no_fields(doc_world: World) -> None:
    html = doc_world.client(doc_world.leader).get("/reports/cchc-2024-q1/02008/ban-in/").content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "BÁO CÁO" in html
    assert "Tiếp nhận 29 hồ sơ" in html  # the narrative's bound figures, resolved
    assert '<td class="value">24,14</td>' in html  # the appendix's computed ratio
    assert "DỰ THẢO" in html  # a draft says so
    assert "<input" not in html.split("<article", 1)[1]
    assert (
        'href="/reports/cchc-2024-q1/02008/ban-in/"'
        in doc_world.client(doc_world.clerk).get("/reports/cchc-2024-q1/02008/").content.decode()
    )


def test_print_view_of_another_communes_report_is_not_found(doc_world: World) -> None:
    assert (
        doc_world.client(doc_world.other_clerk).get("/reports/cchc-2024-q1/02008/ban-in/").status_code == 404
    )


def _upload(client, data: bytes, name: str = "phu-luc.xlsx") -> str:  # type: ignore[no-untyped-def]
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(BASE + "nhap-excel/", {"file": upload}).content.decode()


def test_an_older_sheet_shows_what_changed_on_the_server_and_keeps_it(doc_world) -> None:
    from baocao.reports import services

    client = doc_world.client(doc_world.clerk)
    sheet = _filled_sheet(client)  # 1.3.1 typed as 12 in a sheet downloaded now
    services.report_set_value(report=doc_world.report, user=doc_world.leader, code="1.2.1", raw="40")
    page = _upload(client, sheet)
    assert "1 ô đã được sửa trên hệ thống sau khi tải tệp này" in page
    table = page[page.index('id="sua-tren-he-thong"') :]
    assert "<strong>40</strong>" in table and ">33<" in table
    client.post(BASE + "nhap-excel/", {"confirm": "1"})
    values = doc_world.report.raw_values()
    assert values["1.2.1"] == "40" and values["1.3.1"] == "12"


def test_an_oversized_upload_names_its_real_size_and_the_limit(doc_world) -> None:
    client = doc_world.client(doc_world.clerk)
    page = _upload(client, b"PK" + b"\0" * (7 * 1024 * 1024))
    assert "Tệp quá lớn (7 MB); tệp phụ lục chỉ vài chục KB, giới hạn là 5 MB." in page


def test_round_zip_keeps_a_note_that_looks_like_a_formula_as_text(doc_world) -> None:
    from baocao.documents import bundle
    from baocao.reports import services

    note = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'
    services.report_set_note(report=doc_world.report, user=doc_world.clerk, code="1.2.1", note=note)
    services.report_set_note(report=doc_world.report, user=doc_world.clerk, code="1.2.2", note="@SUM(1,1)")
    reports = bundle.round_reports(doc_world.district_reviewer, doc_world.round)
    archive = zipfile.ZipFile(io.BytesIO(bundle.round_zip(reports)))
    sheet = load_workbook(io.BytesIO(archive.read("02008-xa-cam-giang-cchc-2024-q1.xlsx"))).active
    rows = {sheet.cell(r, CODE_COLUMN).value: r for r in range(FIRST_ROW, sheet.max_row + 1)}
    cells = [sheet.cell(rows[code], 5) for code in ("1.2.1", "1.2.2")]
    assert [(cell.value, cell.data_type) for cell in cells] == [(note, "s"), ("@SUM(1,1)", "s")]
