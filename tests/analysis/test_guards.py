"""What the analysis pages and services must refuse: file paths as definitions, other districts' rounds,
an empty draft before a refusal, half a compile."""

from __future__ import annotations

from unittest import mock

import pytest

from baocao.accounts.models import Membership, Role, User
from baocao.analysis import compile
from baocao.reports import services
from baocao.reports.models import AuditEvent, Report
from baocao.units.models import OrgUnit
from tests.analysis.test_compile import accept
from tests.web.conftest import World, make_round


@pytest.mark.parametrize(
    "definition",
    ["khong-co", "/etc/passwd", "src/baocao/core/definitions/cchc-xa-quy.yaml", "../cchc-xa-quy"],
)
def test_trend_pages_take_definition_codes_only(world: World, definition: str) -> None:
    client = world.client(world.district_reviewer)
    assert client.get("/phan-tich/xu-huong/02008/", {"definition": definition}).status_code == 404
    assert client.get("/phan-tich/xu-huong/02008/7.2.4.a.svg", {"definition": definition}).status_code == 404


def test_trend_page_with_a_known_definition_code(world: World) -> None:
    client = world.client(world.district_reviewer)
    assert client.get("/phan-tich/xu-huong/02008/", {"definition": "cchc-xa-quy"}).status_code == 200


def test_the_round_picker_lists_only_rounds_the_user_may_see(world: World) -> None:
    other_district = OrgUnit.objects.create(
        code="064", name="Ba Bể", kind="Huyện", level="district", parent=world.province
    )
    make_round("ba-be-2024-q1", "Báo cáo CCHC quý I năm 2024 huyện Ba Bể", other_district)
    district = world.client(world.district_reviewer).get("/phan-tich/tien-do/cchc-2024-q1/").content.decode()
    assert 'value="cchc-2024-q1"' in district and "ba-be-2024-q1" not in district
    province = world.client(world.province_reviewer).get("/phan-tich/tien-do/cchc-2024-q1/").content.decode()
    assert "ba-be-2024-q1" in province


def test_filling_a_quarterly_round_from_quarters_creates_nothing(world: World) -> None:
    before = (Report.objects.count(), AuditEvent.objects.count())
    response = world.client(world.other_clerk).post("/phan-tich/dien-tu-quy/cchc-2024-q1/02005/")
    assert response.status_code == 302
    assert not Report.objects.filter(unit=world.quan_ha).exists()
    assert (Report.objects.count(), AuditEvent.objects.count()) == before
    with pytest.raises(services.WorkflowError, match="kỳ quý"):
        compile.report_start_period(round_=world.round, unit=world.quan_ha, user=world.other_clerk)


def test_a_compile_that_fails_half_way_leaves_no_report(world: World) -> None:
    accept(world)
    world.round.respondents.add(world.district)
    compiler = User.objects.create_user(username="huyen.vanthu", password="x")
    Membership.objects.create(user=compiler, unit=world.district, role=Role.CLERK)
    with (
        mock.patch.object(services, "report_import", side_effect=services.WorkflowError("hỏng")),
        pytest.raises(services.WorkflowError),
    ):
        compile.report_compile(round_=world.round, unit=world.district, user=compiler)
    assert not Report.objects.filter(unit=world.district).exists()
    assert not AuditEvent.objects.filter(report__unit=world.district).exists()


def test_units_a_round_asked_stay_on_its_pages_after_they_ceased(world: World) -> None:
    """The demo's round runs after 01/07/2025, when its district and communes ceased: the pages listing the
    district's communes still show the ones the round asked, and never a ceased unit it did not ask."""
    from datetime import timedelta

    ceased = world.round.window_end - timedelta(days=1)
    OrgUnit.objects.create(
        code="01978", name="Sĩ Bình", kind="Xã", level="commune", parent=world.district, valid_to=ceased
    )
    OrgUnit.objects.filter(pk__in=[world.district.pk, world.cam_giang.pk, world.quan_ha.pk]).update(
        valid_to=ceased
    )
    client = world.client(world.province_reviewer)
    for page in ("so-sanh", "tien-do"):
        communes = client.get(f"/phan-tich/{page}/cchc-2024-q1/", {"unit": "063"}).content.decode()
        assert "Cẩm Giàng" in communes and "Quân Hà" in communes, page
        assert "Sĩ Bình" not in communes, page
    province = client.get("/phan-tich/tien-do/cchc-2024-q1/", {"unit": "06"}).content.decode()
    assert "Bạch Thông" in province
