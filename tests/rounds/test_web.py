"""The page "Yêu cầu báo cáo": reviewers of a district or province ask their units; nobody else may."""

from __future__ import annotations

from typing import Any

from baocao.rounds.models import Round
from tests.web.conftest import World


def form_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "unit": str(world.district.pk),
        "form": "cchc-xa-quy:1",
        "period_type": "half_year",
        "year": "2025",
        "period_number": "",
        "window_start": "",
        "window_end": "",
        "due_date": "20/6/2025",
        "lock_date": "",
        "delivery": "system_signed",
        "basis": "Kế hoạch số 12/KH-UBND",
        "respondents": [str(world.cam_giang.pk)],
    }
    return data | changes


def test_a_district_reviewer_creates_a_round_from_the_page(world: World) -> None:
    client = world.client(world.district_reviewer)
    page = client.get("/yeu-cau-bao-cao/")
    assert page.status_code == 200
    assert page.context["asker"] == world.district
    assert [unit for unit, _ in page.context["children"]] == [world.quan_ha, world.cam_giang]
    response = client.post("/yeu-cau-bao-cao/", form_data(world))
    round_ = Round.objects.get(requested_by=world.district, period_type="half_year")
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/{round_.code}/"
    assert list(round_.respondents.all()) == [world.cam_giang]
    assert (round_.title, round_.delivery, round_.basis) == (
        "Báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng năm 2025",
        "system_signed",
        "Kế hoạch số 12/KH-UBND",
    )
    shown = client.get(response["Location"]).content.decode()
    assert "Qua hệ thống báo cáo, văn bản điện tử có chữ ký số" in shown


def test_bad_input_is_named_and_nothing_is_saved(world: World) -> None:
    client = world.client(world.district_reviewer)
    data = form_data(world, due_date="31/02/2025", period_type="thematic", respondents=[])
    response = client.post("/yeu-cau-bao-cao/", data)
    assert response.status_code == 422
    assert response.context["problems"] == ["Thời hạn gửi: “31/02/2025” không phải ngày (ngày/tháng/năm)"]
    assert "Chưa tạo kỳ báo cáo (1 lỗi)" in response.content.decode()
    response = client.post("/yeu-cau-bao-cao/", form_data(world, period_type="thematic", respondents=[]))
    assert response.context["problems"] == [
        "biểu mẫu “cchc-xa-quy” phiên bản 1 không dùng cho kỳ chuyên đề"
        " (dùng cho: quý, 6 tháng, 9 tháng, năm)",
        "báo cáo chuyên đề cần ghi nội dung yêu cầu báo cáo",
        "báo cáo chuyên đề cần ngày bắt đầu và ngày kết thúc chốt số liệu",
        "chưa chọn đơn vị phải báo cáo",
    ]
    assert Round.objects.count() == 1


def test_nobody_else_asks_in_the_districts_name(world: World) -> None:
    for user in (world.clerk, world.leader):
        assert world.client(user).get("/yeu-cau-bao-cao/").status_code == 403
    # A province reviewer asks in the province's name only; the district is not theirs to choose.
    province = world.client(world.province_reviewer)
    assert province.get("/yeu-cau-bao-cao/").context["asker"] == world.province
    assert province.get(f"/yeu-cau-bao-cao/?unit={world.district.pk}").status_code == 403
    assert province.post("/yeu-cau-bao-cao/", form_data(world)).status_code == 403
    assert (
        world.client(world.stranger_reviewer).post("/yeu-cau-bao-cao/", form_data(world)).status_code == 403
    )
    assert world.client(None).get("/yeu-cau-bao-cao/").status_code == 302
    assert Round.objects.count() == 1


def test_the_inbox_offers_the_page_to_those_who_may_ask(world: World) -> None:
    assert "/yeu-cau-bao-cao/" in world.client(world.district_reviewer).get("/").content.decode()
    assert "/yeu-cau-bao-cao/" not in world.client(world.clerk).get("/").content.decode()
