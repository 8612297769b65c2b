"""Download buttons, the Excel import with its confirmation page, a round zip: each through access checks."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from baocao.documents import pdf_export
from baocao.documents.sheet import CODE_COLUMN, FIRST_ROW, VALUE_COLUMN
from baocao.reports.models import AuditEvent

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


def test_round_zip_for_a_reviewer_names_each_unit(doc_world) -> None:
    response = doc_world.client(doc_world.district_reviewer).get("/rounds/cchc-2024-q1/tai-ve.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "02008 - Xã Cẩm Giàng/02008 - Xã Cẩm Giàng.docx" in names
    assert "02008 - Xã Cẩm Giàng/02008 - Xã Cẩm Giàng.xlsx" in names
    for user in (doc_world.clerk, doc_world.stranger_reviewer):
        assert doc_world.client(user).get("/rounds/cchc-2024-q1/tai-ve.zip").status_code == 404
    page = doc_world.client(doc_world.district_reviewer).get("/rounds/cchc-2024-q1/").content.decode()
    assert "/rounds/cchc-2024-q1/tai-ve.zip" in page


def test_round_zip_renders_in_worker_processes_when_many(doc_world, monkeypatch) -> None:
    from baocao.documents import bundle

    monkeypatch.setattr(bundle, "PARALLEL_FROM", 1)
    reports = bundle.round_reports(doc_world.district_reviewer, doc_world.round)
    archive = zipfile.ZipFile(io.BytesIO(bundle.round_zip(reports)))
    docx = archive.read("02008 - Xã Cẩm Giàng/02008 - Xã Cẩm Giàng.docx")
    assert docx[:2] == b"PK" and "02008\tXã Cẩm Giàng\tĐang soạn" in archive.read("DANH SACH.txt").decode()


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
