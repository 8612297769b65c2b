"""Asking for reports through the API: POST /rounds/ calls ``rounds.services.round_create`` (same checks, same
audit as the page "Yêu cầu báo cáo"), GET /forms/ lists the forms offered as on that page."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.accounts.models import AdminChange, User
from baocao.api.schemas import Delivery
from baocao.core.definition import load_definition
from baocao.core.form_workbook import write_workbook
from baocao.forms.models import FormVersion
from baocao.forms.services import import_form, round_form_problem
from baocao.rounds.models import Round
from baocao.rounds.services import offered_forms
from baocao.units.models import OrgUnit
from tests.api.conftest import api_for
from tests.rounds.conftest import make_cho_moi
from tests.web.conftest import World, make_world, world_per_module

THEMATIC = {
    "requested_by": "063",
    "definition": "bc-chuyen-de",
    "definition_version": 1,
    "period_type": "thematic",
    "year": 2025,
    "window_start": "2025-01-01",
    "window_end": "2025-05-31",
    "due_date": "2025-06-10",
    "topic": "Kết quả thực hiện chuyển đổi số trong giải quyết thủ tục hành chính",
    "basis": "Công văn số 123/UBND-NV ngày 05/3/2025",
    "delivery": "system_signed",
    "respondents": ["02008", "02005"],
}


def _new_rounds() -> Any:
    return Round.objects.exclude(code="cchc-2024-q1")


def _round_changes() -> Any:
    return AdminChange.objects.filter(model="kỳ báo cáo")


def _publish(code: str, owner: OrgUnit, periods: list[str]) -> None:
    spec = load_definition("cchc-xa-quy").spec.model_copy(update={"code": code, "periods": periods})
    import_form(data=write_workbook(spec), owner=owner, user=None, source_name=f"{code}.xlsx", publish=True)


def _world_with_ad_hoc_form() -> World:
    """The world, and the commune form issued by the province for thematic and unscheduled requests too."""
    world = make_world()
    _publish("bc-chuyen-de", world.province, ["quarter", "thematic", "ad_hoc"])
    return world


module_world, world = world_per_module(_world_with_ad_hoc_form)


@pytest.fixture
def cho_moi(world: World) -> tuple[OrgUnit, User]:
    return make_cho_moi(world)


def test_the_district_reviewer_asks_its_communes_for_a_thematic_report(world: World) -> None:
    answer = api_for(world.district_reviewer).post("/rounds/", THEMATIC)
    assert answer.status_code == 201, answer.content
    stored = Round.objects.get(code="bc-chuyen-de-thematic-20250531-063")
    assert answer.json() == {
        "code": "bc-chuyen-de-thematic-20250531-063",
        "title": "Báo cáo chuyên đề: Kết quả thực hiện chuyển đổi số trong giải quyết thủ tục hành chính",
        "definition": "bc-chuyen-de",
        "definition_version": 1,
        "period_type": "thematic",
        "period_type_label": "Chuyên đề",
        "period": stored.period_label,
        "period_number": 1,
        "year": 2025,
        "window_start": "2025-01-01",
        "window_end": "2025-05-31",
        "due_date": "2025-06-10",
        "lock_date": "2025-06-10",
        "requested_by": "063",
        "topic": "Kết quả thực hiện chuyển đổi số trong giải quyết thủ tục hành chính",
        "basis": "Công văn số 123/UBND-NV ngày 05/3/2025",
        "delivery": "system_signed",
        "delivery_label": "Qua hệ thống báo cáo, văn bản điện tử có chữ ký số",
        "respondents": ["02005", "02008"],
    }
    assert (stored.requested_by, stored.window_start, stored.window_end) == (
        world.district,
        date(2025, 1, 1),
        date(2025, 5, 31),
    )
    assert (stored.delivery, stored.basis) == (Round.Delivery.SYSTEM_SIGNED, THEMATIC["basis"])
    assert set(stored.respondents.all()) == {world.cam_giang, world.quan_ha}
    # The service's audit: one row per field, by the token's user.
    logged = _round_changes().filter(object_id=str(stored.pk))
    assert (
        logged.count() == logged.filter(user=world.district_reviewer, action=AdminChange.Action.ADD).count()
    )
    assert logged.get(field="đơn vị phải báo cáo").new == "Xã Cẩm Giàng, Xã Quân Hà"
    assert logged.get(field="căn cứ yêu cầu").new == THEMATIC["basis"]
    # It is then a round like any other: listed, and read by its code.
    machine = api_for(world.district_reviewer)
    assert [r["code"] for r in machine.get("/rounds/").json()] == [stored.code, "cchc-2024-q1"]
    assert machine.get(f"/rounds/{stored.code}/").json() == answer.json()


def test_a_quarter_left_without_a_window_takes_the_one_of_decree_09(world: World) -> None:
    quarter = {
        k: v for k, v in THEMATIC.items() if k not in {"window_start", "window_end", "topic", "delivery"}
    }
    body = quarter | {
        "definition": "cchc-xa-quy",
        "period_type": "quarter",
        "period_number": 2,
        "due_date": "2025-06-20",
        "code": "q2-2025",
    }
    answer = api_for(world.district_reviewer).post("/rounds/", body)
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert (data["code"], data["window_start"], data["window_end"]) == ("q2-2025", "2025-03-15", "2025-06-14")
    assert (data["period"], data["period_type_label"], data["delivery"]) == (
        "quý II năm 2025",
        "Quý",
        "system",
    )


def test_a_reviewer_of_another_district_may_not_ask_in_this_districts_name(
    world: World, cho_moi: tuple[OrgUnit, User]
) -> None:
    _, reviewer = cho_moi
    answer = api_for(reviewer).post("/rounds/", THEMATIC)
    assert answer.status_code == 403
    assert answer.json() == {
        "ok": False,
        "error": "Không được yêu cầu báo cáo nhân danh Huyện Bạch Thông.",
        "code": "forbidden",
    }
    # The same with communes that are not there: still the refusal, not a list of the district's units.
    assert (
        api_for(reviewer).post("/rounds/", THEMATIC | {"respondents": ["99999"]}).json()["code"]
        == "forbidden"
    )
    assert not _new_rounds().exists()
    assert not _round_changes().exists()


def test_in_their_own_districts_name_they_cannot_ask_your_communes(
    world: World, cho_moi: tuple[OrgUnit, User]
) -> None:
    _, reviewer = cho_moi
    answer = api_for(reviewer).post("/rounds/", THEMATIC | {"requested_by": "064"})
    assert answer.status_code == 422
    assert answer.json() == {
        "ok": False,
        "error": "Chưa tạo kỳ báo cáo, chưa ghi gì: Huyện Chợ Mới không có đơn vị trực thuộc mã “02008”; "
        "Huyện Chợ Mới không có đơn vị trực thuộc mã “02005”.",
        "code": "invalid",
    }
    assert not _new_rounds().exists()


def test_a_clerk_asks_nobody(world: World) -> None:
    answer = api_for(world.clerk).post("/rounds/", THEMATIC)
    assert (answer.status_code, answer.json()["error"]) == (
        403,
        "Không được yêu cầu báo cáo nhân danh Huyện Bạch Thông.",
    )
    assert api_for(world.clerk).get("/forms/").json() == []
    assert not _new_rounds().exists()


def test_every_problem_of_the_request_is_listed_in_vietnamese(world: World) -> None:
    body = THEMATIC | {
        "window_start": "2025-05-31",
        "window_end": "2025-01-01",
        "due_date": "2024-12-20",
        "lock_date": "2024-12-10",
        "code": "cchc-2024-q1",
    }
    answer = api_for(world.district_reviewer).post("/rounds/", body)
    assert answer.status_code == 422
    assert answer.json() == {
        "ok": False,
        "error": "Chưa tạo kỳ báo cáo, chưa ghi gì: ngày bắt đầu chốt số liệu phải trước ngày kết thúc; "
        "hạn gửi không được trước ngày chốt số liệu (01/01/2025); "
        "ngày khóa sửa không được trước hạn gửi; "
        "đã có kỳ báo cáo mã “cchc-2024-q1”.",
        "code": "invalid",
    }
    no_topic = api_for(world.district_reviewer).post("/rounds/", THEMATIC | {"topic": " ", "respondents": []})
    assert no_topic.json()["error"] == (
        "Chưa tạo kỳ báo cáo, chưa ghi gì: báo cáo chuyên đề cần ghi nội dung yêu cầu báo cáo; "
        "chưa chọn đơn vị phải báo cáo."
    )
    assert not _new_rounds().exists()
    assert not _round_changes().exists()


def test_a_form_not_published_or_a_kind_that_does_not_exist_is_named(world: World) -> None:
    machine = api_for(world.district_reviewer)
    unknown_kind = machine.post("/rounds/", THEMATIC | {"period_type": "monthly"})
    assert unknown_kind.status_code == 422
    assert unknown_kind.json()["error"] == (
        "Chưa tạo kỳ báo cáo, chưa ghi gì: loại kỳ “monthly” không có; chọn một trong: "
        "quý, 6 tháng, 9 tháng, năm, chuyên đề, đột xuất."
    )
    no_version = machine.post("/rounds/", THEMATIC | {"definition_version": 7})
    assert no_version.status_code == 422
    assert no_version.json()["error"] == "Chưa tạo kỳ báo cáo, chưa ghi gì: {}.".format(
        round_form_problem("bc-chuyen-de", 7, world.district)
    )
    # The commune form is not for thematic requests.
    not_thematic = machine.post("/rounds/", THEMATIC | {"definition": "cchc-xa-quy"})
    assert not_thematic.json()["error"] == (
        "Chưa tạo kỳ báo cáo, chưa ghi gì: biểu mẫu “cchc-xa-quy” phiên bản 1 không dùng cho kỳ chuyên đề "
        "(dùng cho: quý, 6 tháng, 9 tháng, năm)."
    )
    assert not _new_rounds().exists()


def test_a_body_that_does_not_fit_the_schema_is_refused_field_by_field_in_vietnamese(world: World) -> None:
    body = {k: v for k, v in THEMATIC.items() if k != "due_date"} | {
        "year": "hai nghìn",
        "delivery": "fax",
        "code": "mã có dấu",
        "respondents": [2008],
    }
    answer = api_for(world.district_reviewer).post("/rounds/", body)
    assert answer.status_code == 422
    assert answer.json() == {
        "ok": False,
        "error": "Dữ liệu gửi lên không hợp lệ: year: không phải số nguyên; due_date: thiếu (bắt buộc); "
        "delivery: phải là một trong: 'system', 'system_signed' or 'system_paper'; "
        "code: chỉ gồm chữ cái không dấu, chữ số, “-” và “_”; respondents.0: phải là chuỗi.",
        "code": "invalid",
    }
    assert not _new_rounds().exists()


def test_forms_offered_for_asking_are_the_pages(world: World, cho_moi: tuple[OrgUnit, User]) -> None:
    _publish("xa-thai-nguyen", OrgUnit.objects.get(code="19"), ["quarter"])  # another province's form
    forms = api_for(world.district_reviewer).get("/forms/").json()
    offered = offered_forms(world.district)
    assert [(f["code"], f["version"]) for f in forms] == [(f.code, f.version) for f in offered]
    assert "xa-thai-nguyen" not in {f["code"] for f in forms}
    ours = next(f for f in forms if f["code"] == "bc-chuyen-de")
    assert ours == {
        "code": "bc-chuyen-de",
        "version": 1,
        "title": FormVersion.objects.get(code="bc-chuyen-de").title,
        "level": "commune",
        "periods": [
            {"code": "quarter", "label": "Quý"},
            {"code": "thematic", "label": "Chuyên đề"},
            {"code": "ad_hoc", "label": "Đột xuất"},
        ],
        "owner": "06",
        "owner_name": "Tỉnh Bắc Kạn",
        "requesters": ["063"],
    }
    # The province's reviewer may ask in the province's name only; a unit that is not yours offers nothing.
    assert {f["requesters"][0] for f in api_for(world.province_reviewer).get("/forms/").json()} == {"06"}
    assert api_for(world.district_reviewer).get("/forms/", unit="064").json() == []
    assert api_for(world.district_reviewer).get("/forms/", unit="063").json() == forms


def test_the_schemas_delivery_values_are_the_models() -> None:
    assert list(get_args(Delivery)) == Round.Delivery.values


def test_forms_for_a_user_asking_for_many_units_cost_a_few_queries(world: World) -> None:
    """A superuser may ask in the name of every province and district: the forms are looked up once per set of
    form owners above the askers, not once per asker."""
    thai_nguyen = OrgUnit.objects.get(code="19")
    _publish("xa-thai-nguyen", thai_nguyen, ["quarter"])
    admin = User.objects.create_superuser(username="quantri", password="x")

    def ask() -> tuple[list[dict[str, Any]], int]:
        with CaptureQueriesContext(connection) as queries:
            forms = api_for(admin).get("/forms/").json()
        return forms, len(queries)

    before, cost = ask()
    for number in range(6):
        OrgUnit.objects.create(
            code=f"19{number}", name=f"Huyện {number}", kind="Huyện", level="district", parent=thai_nguyen
        )
    after, cost_after = ask()
    assert cost_after == cost
    requesters = {f["code"]: f["requesters"] for f in after}
    assert set(requesters["xa-thai-nguyen"]) == {"19"} | {f"19{n}" for n in range(6)} | {
        u.code for u in OrgUnit.objects.filter(parent=thai_nguyen, level="district")
    }
    assert "063" in requesters["bc-chuyen-de"] and "19" not in requesters["bc-chuyen-de"]
    assert set(requesters["cchc-xa-quy"]) >= {"06", "063", "19", "190"}  # the ministry's form: every asker
    assert len(before) == len(after)
