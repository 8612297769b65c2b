"""Administrators' changes to rounds, units and roles are recorded old → new, like changes to reports."""

from __future__ import annotations

import re

import pytest

from baocao.accounts.models import AdminChange, Membership, Role, User
from tests.web.conftest import World


@pytest.fixture
def admin_client(world: World):  # type: ignore[no-untyped-def]
    return world.client(User.objects.create_superuser("quantri", password="x"))


def changes() -> list[tuple[str, str, str, str, str]]:
    return list(AdminChange.objects.order_by("pk").values_list("action", "model", "field", "old", "new"))


def test_changing_a_rounds_deadline_and_respondents_is_recorded(world: World, admin_client) -> None:  # type: ignore[no-untyped-def]
    round_ = world.round
    data = {
        "code": round_.code,
        "title": round_.title,
        "definition_code": round_.definition_code,
        "definition_version": round_.definition_version,
        "period_type": round_.period_type,
        "year": round_.year,
        "period_number": round_.period_number,
        "window_start": "2023-11-25",
        "window_end": "2024-02-24",
        "due_date": "2024-03-05",
        "lock_date": "2099-12-31",
        "delivery": "system",
        "requested_by": world.district.pk,
        "respondents": [world.cam_giang.pk],
    }
    response = admin_client.post(f"/quan-tri/rounds/round/{round_.pk}/change/", data)
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())
    assert changes() == [
        ("change", "kỳ báo cáo", "hạn gửi", "2024-02-28", "2024-03-05"),
        ("change", "kỳ báo cáo", "đơn vị phải báo cáo", "Xã Cẩm Giàng, Xã Quân Hà", "Xã Cẩm Giàng"),
    ]
    assert AdminChange.objects.first().user.username == "quantri"  # type: ignore[union-attr]


def test_renaming_a_unit_is_recorded(world: World, admin_client) -> None:  # type: ignore[no-untyped-def]
    unit = world.quan_ha
    data = {
        "code": unit.code,
        "name": "Quân Hà mới",
        "kind": unit.kind,
        "level": unit.level,
        "parent": world.district.pk,
        "valid_from": "",
        "valid_to": "",
    }
    assert admin_client.post(f"/quan-tri/units/orgunit/{unit.pk}/change/", data).status_code == 302
    assert changes() == [("change", "đơn vị", "tên", "Quân Hà", "Quân Hà mới")]


def test_giving_and_removing_a_role_is_recorded(world: World, admin_client) -> None:  # type: ignore[no-untyped-def]
    data = {"user": world.other_clerk.pk, "unit": world.cam_giang.pk, "role": Role.LEADER}
    assert admin_client.post("/quan-tri/accounts/membership/add/", data).status_code == 302
    membership = Membership.objects.get(user=world.other_clerk, unit=world.cam_giang)
    assert ("add", "vai trò", "vai trò", "", "leader") in changes()
    response = admin_client.post(f"/quan-tri/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert ("delete", "vai trò", "đơn vị", "Xã Cẩm Giàng", "") in changes()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_record_cannot_be_edited(world: World) -> None:
    change = AdminChange.objects.create(
        action="change", model="đơn vị", object_id="1", object_repr="x", field="tên"
    )
    change.new = "sửa lén"
    with pytest.raises(ValueError, match="chỉ được ghi thêm"):
        change.save()
