"""The upload page: findings, the table as read, import as a draft for a unit and round one may edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baocao.reports.models import AuditEvent, NarrativeText, Value
from tests.web.conftest import World, world_per_module

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_2f959b74d0f1a55a.txt"
UPLOAD = "/bao-cao-cu/"
IMPORT = "/bao-cao-cu/nhap/"
TARGET = "cchc-2024-q1|02008"


module_world, world = world_per_module(values=False)


def _upload(client, path: Path):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    assert world.client(None).get(UPLOAD).status_code == 302
    assert world.client(None).post(IMPORT, {"target": TARGET}).status_code == 302


def test_inbox_links_to_the_upload_page(world: World) -> None:
    assert UPLOAD.encode() in world.client(world.clerk).get("/").content


def test_clerk_sees_findings_and_the_table_as_read(world: World) -> None:
    response = _upload(world.client(world.clerk), SEED)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lỗi (9)" in page and "Cảnh báo (2)" in page
    assert "ghi 93,3% nhưng tính từ 7/29 là 24,14%" in page
    assert "<code>7.2.4.b</code>" in page and "Dòng không khớp biểu mẫu (0)" in page
    assert f'value="{TARGET}"' in page


def test_reviewer_sees_findings_but_has_nothing_to_import_into(world: World) -> None:
    response = _upload(world.client(world.district_reviewer), FIXTURES / "legacy" / "v0-dung.docx")
    page = response.content.decode()
    assert response.status_code == 200 and "Không phát hiện lỗi trong phần đã kiểm tra" in page
    assert TARGET not in page


def test_unreadable_file_gets_a_message(world: World, tmp_path: Path) -> None:
    path = tmp_path / "rong.docx"
    path.write_bytes(b"")
    response = _upload(world.client(world.clerk), path)
    assert response.status_code == 400
    assert "rỗng" in response.content.decode()


def test_import_as_draft_marks_values_and_fills_the_narrative(world: World) -> None:
    client = world.client(world.clerk)
    _upload(client, SEED)
    response = client.post(IMPORT, {"target": TARGET})
    assert response.status_code == 302 and response["Location"] == "/reports/cchc-2024-q1/02008/"
    values = {v.code: v for v in Value.objects.filter(report=world.report)}
    assert values["7.2.4.a"].raw == "29" and values["7.2.4.b"].raw == "07"
    # A figure only the prose gives, but one that breaks a rule (7 + 7 ≠ 29): it waits for a tick.
    assert "N.received_in_person" not in values
    assert "7.2.4" not in values  # a printed ratio is computed, never imported
    assert {v.source for v in values.values()} == {Value.Source.IMPORTED}
    narrative = dict(NarrativeText.objects.filter(report=world.report).values_list("section", "text"))
    assert "Tổng số cán bộ, công chức xã hiện nay là 20 người" in narrative["II.3"]
    assert "Tiếp nhận 29 hồ sơ" in narrative["II.2"]
    assert AuditEvent.objects.filter(report=world.report, action=AuditEvent.Action.IMPORT).exists()
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="imported-mark"') >= len(values) - 5
    assert "cần rà soát" in page


def test_a_clerk_of_another_commune_may_not_import_into_cam_giang(world: World) -> None:
    client = world.client(world.other_clerk)
    _upload(client, SEED)
    assert client.post(IMPORT, {"target": TARGET}).status_code == 404
    assert not Value.objects.filter(report=world.report).exists()


def test_a_reviewer_may_see_but_not_import(world: World) -> None:
    client = world.client(world.district_reviewer)
    _upload(client, SEED)
    assert client.post(IMPORT, {"target": TARGET}).status_code == 403


def test_import_without_an_upload_asks_for_the_file_again(world: World) -> None:
    response = world.client(world.clerk).post(IMPORT, {"target": TARGET})
    assert response.status_code == 302 and response["Location"] == UPLOAD


@pytest.mark.parametrize(
    ("name", "upload_status", "import_status"),
    [
        ("clerk", 200, 302),
        ("leader", 200, 302),
        ("other_clerk", 200, 404),
        ("district_reviewer", 200, 403),
        ("province_reviewer", 200, 403),
        ("stranger_reviewer", 200, 404),
    ],
)
def test_every_persona_on_both_urls(world: World, name: str, upload_status: int, import_status: int) -> None:
    client = world.client(getattr(world, name))
    assert client.get(UPLOAD).status_code == 200
    assert _upload(client, FIXTURES / "legacy" / "v1-dung.xlsx").status_code == upload_status
    assert client.post(IMPORT, {"target": TARGET}).status_code == import_status


def test_import_finds_the_rounds_unit_when_unit_codes_repeat(world: World) -> None:
    """After the 2025 unit list is loaded, 02008 also names the new, larger Cẩm Giàng."""
    from datetime import date

    from baocao.units.models import OrgUnit

    OrgUnit.objects.create(
        code="02008", name="Cẩm Giàng", kind="Xã", level="commune", valid_from=date(2025, 7, 1)
    )
    client = world.client(world.clerk)
    _upload(client, SEED)
    response = client.post(IMPORT, {"target": TARGET})
    assert response.status_code == 302 and response["Location"] == "/reports/cchc-2024-q1/02008/"
    assert Value.objects.get(report=world.report, code="7.2.4.a").raw == "29"


def test_file_without_figures_is_not_called_clean(world: World, tmp_path: Path) -> None:
    path = tmp_path / "thu-moi.txt"
    path.write_text("Kính mời đồng chí dự họp giao ban tại hội trường UBND xã.\n", encoding="utf-8")
    page = _upload(world.client(world.clerk), path).content.decode()
    assert "Không kiểm tra được" in page and "Không phát hiện lỗi" not in page
    assert "Tệp không có bảng số liệu." in page


def test_doubtful_prose_figures_wait_for_a_tick(world: World, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "Tiếp nhận 29 hồ sơ, trong đó: Tiếp nhận trực tuyến 07 hồ sơ, trực tiếp 07 hồ sơ.",
        "Tiếp nhận 29 hồ sơ, trong đó: Tiếp nhận trực tuyến 07 hồ sơ, trực tiếp 35 hồ sơ.",
    )
    path = tmp_path / "bao-cao.txt"
    path.write_text(text, encoding="utf-8")
    client = world.client(world.clerk)
    page = _upload(client, path).content.decode()
    # 7 + 35 > 29 breaks a rule of the form: the figure waits for the user's tick, shown with its excerpt.
    assert 'name="confirm" value="N.received_in_person"' in page and "trực tiếp 35 hồ sơ" in page
    client.post(IMPORT, {"target": TARGET})
    assert not Value.objects.filter(report=world.report, code="N.received_in_person").exists()
    _upload(client, path)
    client.post(IMPORT, {"target": TARGET, "confirm": ["N.received_in_person"]})
    assert Value.objects.get(report=world.report, code="N.received_in_person").raw == "35"


def test_the_page_offers_every_published_form_and_checks_against_the_one_chosen(world: World) -> None:
    client = world.client(world.clerk)
    page = client.get(UPLOAD).content.decode()
    assert 'value="">Tự chọn theo tiêu đề và phụ lục của tệp</option>' in page
    assert all(f'<option value="{code}"' in page for code in ("cchc-xa-quy", "cchc-huyen", "cchc-tinh"))
    auto = _upload(client, SEED).content.decode()
    assert "Đối chiếu với biểu mẫu cchc-xa-quy v1: báo cáo cấp xã" in auto
    data = {"file": SimpleUploadedFile(SEED.name, SEED.read_bytes()), "definition": "cchc-huyen"}
    forced = client.post(UPLOAD, data).content.decode()
    assert "Đối chiếu với biểu mẫu cchc-huyen v1 do người dùng chọn." in forced
    data = {"file": SimpleUploadedFile(SEED.name, SEED.read_bytes()), "definition": "khong-co"}
    refused = client.post(UPLOAD, data)
    assert refused.status_code == 400
    assert "Không có biểu mẫu “khong-co” đã ban hành" in refused.content.decode()


def test_an_import_refused_half_way_leaves_the_report_as_it_was(world: World) -> None:
    """The figures are written first, then the narrative: a section refused after the figures were written
    takes them back with it (legacy_import is one transaction), and the page says why."""
    from unittest import mock

    from baocao.reports import services

    client = world.client(world.clerk)
    _upload(client, SEED)
    before = AuditEvent.objects.filter(report=world.report).count()
    refused = services.WorkflowError("Phần này không được sửa.")
    with mock.patch.object(services, "report_set_narrative", side_effect=refused):
        response = client.post(IMPORT, {"target": TARGET}, follow=True)
    assert "Phần này không được sửa." in response.content.decode()
    assert not Value.objects.filter(report=world.report).exists()
    assert not NarrativeText.objects.filter(report=world.report).exists()
    assert AuditEvent.objects.filter(report=world.report).count() == before
