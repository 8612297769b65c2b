"""A form owner's path on the web: upload a workbook, see every error, preview, download a sample, publish."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from baocao.accounts.models import Role, User
from baocao.core.definition import load_definition
from baocao.core.form_workbook import write_workbook
from baocao.forms.models import FormStatus, FormVersion
from tests.web.conftest import World, _user, make_world

CODE = "bc-backan"


def province_workbook(*, broken: bool = False) -> bytes:
    spec = load_definition("cchc-xa-quy").spec.model_copy(
        update={"code": CODE, "title": "Biểu CCHC xã của tỉnh"}
    )
    workbook = load_workbook(io.BytesIO(write_workbook(spec)))
    if broken:
        workbook["Chỉ tiêu"]["F4"] = "{1.2.2} / {1.2.9} * 100"
        workbook["Chỉ tiêu"]["E5"] = "bảng"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def world(db: None) -> World:
    return make_world(values=False)


@pytest.fixture
def owner(world: World) -> User:
    return _user("sonoivu.backan", world.province, Role.FORM_OWNER)


def upload(client, data: bytes, issuer: str):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("bieu.xlsx", data)
    return client.post(reverse("forms:upload"), {"issuer": issuer, "file": file})


def test_an_upload_with_errors_lists_every_one_and_stores_nothing(world: World, owner: User) -> None:
    response = upload(world.client(owner), province_workbook(broken=True), str(world.province.pk))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp “bieu.xlsx” có 2 lỗi; chưa lưu gì." in page
    assert "<td>E “Kiểu”</td><td>“bảng” không phải là một trong" in page
    assert "<td>F “Công thức”</td><td>công thức tham chiếu mã “1.2.9” không có trong biểu mẫu</td>" in page
    assert not FormVersion.objects.filter(code=CODE).exists()


def test_upload_preview_sample_and_publish(world: World, owner: User) -> None:
    client = world.client(owner)
    response = upload(client, province_workbook(), str(world.province.pk))
    detail = reverse("forms:detail", args=[CODE, 1])
    assert response.status_code == 302 and response["Location"] == detail
    form = FormVersion.objects.get(code=CODE)
    assert (form.status, form.owner, form.created_by) == (FormStatus.DRAFT, world.province, owner)
    page = client.get(detail).content.decode()
    assert 'data-code="1.2.1" data-previous="12" value="12"' in page  # the entry page with sample figures
    assert "Ban hành phiên bản 1" in page
    assert "Tổng số nhiệm vụ đề ra trong kế hoạch: 12 nhiệm vụ" in page  # the narrative, placeholders filled
    docx = client.get(reverse("forms:sample_docx", args=[CODE, 1]))
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        assert "Số nhiệm vụ đề ra trong kế hoạch" in archive.read("word/document.xml").decode()
    assert FormVersion.objects.get(pk=form.pk).status == FormStatus.DRAFT  # the sample left nothing behind
    response = client.post(reverse("forms:publish", args=[CODE, 1]))
    assert response.status_code == 302
    assert FormVersion.objects.get(pk=form.pk).status == FormStatus.PUBLISHED
    assert "Ban hành phiên bản" not in client.get(detail).content.decode()


def test_who_may_see_and_publish(world: World, owner: User) -> None:
    upload(world.client(owner), province_workbook(), str(world.province.pk))
    detail = reverse("forms:detail", args=[CODE, 1])
    publish = reverse("forms:publish", args=[CODE, 1])
    assert world.client(world.clerk).get(detail).status_code == 404  # a draft: its authors only
    assert world.client(world.province_reviewer).post(publish).status_code == 404
    assert upload(world.client(world.clerk), province_workbook(), str(world.province.pk)).status_code == 403
    assert upload(world.client(owner), province_workbook(), "").status_code == 403  # not the ministry
    world.client(owner).post(publish)
    assert world.client(world.clerk).get(detail).status_code == 200  # offered to the province's communes
    assert world.client(world.stranger_reviewer).get(detail).status_code == 404  # another province
    assert world.client(world.clerk).post(publish).status_code == 403
    listed = world.client(world.stranger_reviewer).get(reverse("forms:list")).content.decode()
    assert CODE not in listed and "cchc-xa-quy" in listed
    assert world.client(None).get(reverse("forms:list")).status_code == 302
