"""Asking for reports: who may create a round, for whom, on which form, for which period (rounds.services)."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.accounts.models import AdminChange, Membership, Role, User
from baocao.core.definition import load_definition
from baocao.core.form_workbook import write_workbook
from baocao.forms.services import import_form
from baocao.rounds.models import Round
from baocao.rounds.services import RoundError, RoundForbidden, RoundRequest, round_create
from baocao.units.models import OrgUnit
from tests.web.conftest import World


def quarter_request(world: World, **changes: object) -> RoundRequest:
    fields: dict[str, object] = {
        "requested_by": world.district,
        "definition_code": "cchc-xa-quy",
        "definition_version": load_definition("cchc-xa-quy").version,
        "period_type": "quarter",
        "year": 2025,
        "period_number": 2,
        "due_date": date(2025, 6, 20),
        "respondents": [world.cam_giang, world.quan_ha],
    }
    return RoundRequest(**(fields | changes))  # type: ignore[arg-type]


def test_a_district_reviewer_asks_its_communes_with_the_windows_of_decree_09(world: World) -> None:
    round_ = round_create(request=quarter_request(world), user=world.district_reviewer)
    assert (round_.window_start, round_.window_end) == (date(2025, 3, 15), date(2025, 6, 14))
    assert round_.lock_date == round_.due_date == date(2025, 6, 20)
    assert round_.code == "cchc-xa-quy-quarter-2025-2-063"
    assert round_.title == "Báo cáo kết quả thực hiện công tác cải cách hành chính quý II năm 2025"
    assert round_.delivery == Round.Delivery.SYSTEM
    assert set(round_.respondents.all()) == {world.cam_giang, world.quan_ha}
    logged = AdminChange.objects.filter(object_id=str(round_.pk), action=AdminChange.Action.ADD)
    assert logged.filter(user=world.district_reviewer).count() == logged.count() > 5
    assert logged.get(field="đơn vị phải báo cáo").new == "Xã Cẩm Giàng, Xã Quân Hà"


def test_a_reviewer_of_another_district_cannot_ask_for_your_communes(
    world: World, cho_moi: tuple[OrgUnit, User]
) -> None:
    district, reviewer = cho_moi
    # In your district's name: not theirs to ask.
    with pytest.raises(RoundForbidden) as refused:
        round_create(request=quarter_request(world), user=reviewer)
    assert refused.value.problems == ["Không được yêu cầu báo cáo nhân danh Huyện Bạch Thông."]
    # In their own district's name, addressed to your communes: they are not below it.
    with pytest.raises(RoundError) as wrong_units:
        round_create(request=quarter_request(world, requested_by=district), user=reviewer)
    assert wrong_units.value.problems == [
        "Xã Cẩm Giàng không trực thuộc Huyện Chợ Mới",
        "Xã Quân Hà không trực thuộc Huyện Chợ Mới",
    ]
    assert not Round.objects.exclude(pk=world.round.pk).exists()
    assert not AdminChange.objects.filter(model="kỳ báo cáo").exists()


def test_only_reviewers_and_admins_of_the_asking_unit_may_ask(world: World) -> None:
    for user in (world.clerk, world.leader, world.province_reviewer, world.stranger_reviewer):
        with pytest.raises(RoundForbidden):
            round_create(request=quarter_request(world), user=user)
    admin = User.objects.create_user(username="qt.backan", password="x")
    Membership.objects.create(user=admin, unit=world.province, role=Role.ADMIN)
    assert round_create(request=quarter_request(world), user=admin).requested_by == world.district
    assert not Round.objects.filter(requested_by=world.province).exists()


def test_a_province_form_is_offered_to_that_province_only(world: World) -> None:
    spec = load_definition("cchc-xa-quy").spec.model_copy(update={"code": "bc-tinh-19", "title": "Biểu TN"})
    other = OrgUnit.objects.get(code="19")
    import_form(data=write_workbook(spec), owner=other, user=None, source_name="t.xlsx", publish=True)
    request = quarter_request(world, definition_code="bc-tinh-19", definition_version=1)
    with pytest.raises(RoundError) as refused:
        round_create(request=request, user=world.district_reviewer)
    assert refused.value.problems == [
        "biểu mẫu “bc-tinh-19” do Tỉnh Thái Nguyên ban hành, chỉ dùng cho các đơn vị của tỉnh đó"
    ]


def test_the_form_must_fit_the_period_and_the_level(world: World) -> None:
    request = quarter_request(world, definition_code="cchc-huyen", period_type="thematic")
    with pytest.raises(RoundError) as refused:
        round_create(request=request, user=world.district_reviewer)
    assert refused.value.problems == [
        "biểu mẫu “cchc-huyen” phiên bản 1 không dùng cho kỳ chuyên đề"
        " (dùng cho: quý, 6 tháng, 9 tháng, năm)",
        "báo cáo chuyên đề cần ghi nội dung yêu cầu báo cáo",
        "báo cáo chuyên đề cần ngày bắt đầu và ngày kết thúc chốt số liệu",
        "Xã Cẩm Giàng không phải cấp huyện, cấp của biểu mẫu “cchc-huyen”",
        "Xã Quân Hà không phải cấp huyện, cấp của biểu mẫu “cchc-huyen”",
    ]


def test_dates_in_the_wrong_order_are_named(world: World) -> None:
    request = quarter_request(
        world, window_start=date(2025, 6, 1), window_end=date(2025, 5, 1), due_date=date(2025, 4, 1)
    )
    with pytest.raises(RoundError) as refused:
        round_create(request=request, user=world.district_reviewer)
    assert refused.value.problems == [
        "ngày bắt đầu chốt số liệu phải trước ngày kết thúc",
        "hạn gửi không được trước ngày chốt số liệu (01/05/2025)",
    ]


def test_no_respondents_no_round(world: World) -> None:
    with pytest.raises(RoundError) as refused:
        round_create(request=quarter_request(world, respondents=[]), user=world.district_reviewer)
    assert refused.value.problems == ["chưa chọn đơn vị phải báo cáo"]


@pytest.mark.parametrize("year", [0, 1999, 2100, 99999])
def test_a_year_out_of_range_is_named_not_a_traceback(world: World, year: int) -> None:
    request = quarter_request(world, year=year, delivery="fax")
    with pytest.raises(RoundError) as refused:
        round_create(request=request, user=world.district_reviewer)
    assert refused.value.problems == [
        "năm phải từ 2000 đến 2099",
        "phương thức gửi, nhận “fax” không có; chọn một trong: "
        + ", ".join(label.lower() for label in Round.Delivery.labels),
    ]
    assert not Round.objects.filter(year=year).exists()
