"""One JSON error shape for the web's autosave and rollup endpoints and for the API (baocao.errors)."""

from __future__ import annotations

from typing import Any

import pytest

from baocao.errors import ERROR_CODES
from baocao.reports.models import Value
from tests.api.conftest import API, api_for
from tests.web.conftest import World

SHAPE = {"ok", "error", "code"}


def assert_error(response: Any, status: int, *, conflict: bool = False) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == (SHAPE | {"conflict"} if conflict else SHAPE)
    assert body["ok"] is False
    assert body["code"] == ERROR_CODES[status]
    assert isinstance(body["error"], str) and body["error"]


def test_web_and_api_answer_errors_in_the_same_shape(world: World) -> None:
    browser = world.client(world.clerk)
    value_url = "/reports/cchc-2024-q1/02008/value/"
    assert_error(browser.post(value_url, {"code": "1.1", "raw": "abc"}), 422)
    assert_error(
        browser.post(value_url, {"code": "1.1", "raw": "5", "previous": "không phải số cũ"}),
        409,
        conflict=True,
    )
    assert_error(
        world.client(world.other_clerk).post("/reports/cchc-2024-q1/02008/note/", {"code": "1.1"}), 404
    )
    assert_error(browser.get("/phan-tich/api/rollup/cchc-2024-q1/?unit=063"), 404)

    machine = api_for(world.clerk)
    assert_error(machine.get("/rounds/khong-co/"), 404)
    assert_error(machine.put("/rounds/cchc-2024-q1/reports/02008/values/1.1/", {"raw": "abc"}), 422)
    assert_error(machine.put("/rounds/cchc-2024-q1/reports/02008/values/1.1/", {"rawr": 1}), 422)
    assert_error(
        api_for(world.district_reviewer).put("/rounds/cchc-2024-q1/reports/02008/values/1.1/", {"raw": "1"}),
        403,
    )
    assert_error(world.client(None).get(API + "/rounds/"), 401)
    assert_error(world.client(None).get("/api/v2/khong-co/"), 404)
    assert_error(machine.get("/khong-co/"), 404)
    assert_error(
        machine.put(
            "/rounds/cchc-2024-q1/reports/02008/values/1.1/", {"raw": "5", "previous": "không phải số cũ"}
        ),
        409,
        conflict=True,
    )


def test_a_method_an_address_does_not_take_is_a_405_in_the_one_shape(world: World) -> None:
    machine = api_for(world.clerk)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {machine.secret}"}
    response = machine.client.delete(API + "/rounds/", **bearer)
    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert response.json() == {
        "ok": False,
        "error": "Địa chỉ này không nhận yêu cầu DELETE; chỉ nhận: GET, POST.",
        "code": "method_not_allowed",
    }
    # An address with two operations names both; no token is needed to learn that a method is wrong.
    value = API + "/rounds/cchc-2024-q1/reports/02008/values/1.1/"
    response = world.client(None).patch(value)
    assert (response.status_code, response["Allow"]) == (405, "PUT")
    assert response.json()["error"] == "Địa chỉ này không nhận yêu cầu PATCH; chỉ nhận: PUT."
    # The schema and the docs only read; a POST there is refused in the shape, not by the CSRF page.
    for page in ("/schema/", "/docs/"):
        response = machine.client.post(API + page)
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
        assert response.json() == {
            "ok": False,
            "error": "Địa chỉ này không nhận yêu cầu POST; chỉ nhận: GET, HEAD.",
            "code": "method_not_allowed",
        }
    assert Value.objects.get(report=world.report, code="1.1").raw == "0"  # nothing was changed by any


def test_an_unknown_address_under_api_is_a_404_in_the_one_shape_by_any_method(world: World) -> None:
    not_found = {"ok": False, "error": "Không tìm thấy, hoặc bạn không có quyền xem.", "code": "not_found"}
    machine = api_for(world.clerk)  # enforces CSRF checks, as a browser would
    for path in ("/api/v1/khong-co/", "/api/v1/rounds", "/api/v1", "/api/", "/api/v2/rounds/"):
        for method in ("get", "post", "delete"):
            response = getattr(machine.client, method)(path, HTTP_AUTHORIZATION=f"Bearer {machine.secret}")
            assert (path, method, response.status_code) == (path, method, 404)
            assert response["Content-Type"] == "application/json"
            assert response.json() == not_found


def test_a_server_error_in_the_api_is_logged_and_answered_in_the_one_shape(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(user: object) -> None:
        raise RuntimeError("lỗi giả định")

    monkeypatch.setattr("baocao.api.reports.access.visible_rounds", broken)
    response = api_for(world.clerk).get("/rounds/")
    assert response.status_code == 500
    assert response.json() == {
        "ok": False,
        "error": "Máy chủ gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Hãy thử lại sau.",
        "code": "server_error",
    }
    [record] = [r for r in caplog.records if r.name == "baocao.api.api"]
    assert record.getMessage() == "Lỗi khi xử lý GET /api/v1/rounds/"
    assert record.exc_info is not None and str(record.exc_info[1]) == "lỗi giả định"


def test_a_broken_multipart_body_to_the_api_is_a_400_in_the_shape(world: World) -> None:
    """Read by the web's form boundary before any API view: it must not answer with Django's HTML page."""
    machine = api_for(world.district_reviewer)
    response = machine.client.generic(
        "POST",
        f"{API}/rounds/",
        b"--x\r\nnot a part",
        content_type="multipart/form-data; boundary=",
        HTTP_AUTHORIZATION=f"Bearer {machine.secret}",
    )
    assert_error(response, 400)
    assert response.json()["error"].startswith("Không đọc được nội dung gửi lên (dữ liệu multipart hỏng)")
