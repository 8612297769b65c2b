"""One JSON error shape for the web's autosave and rollup endpoints and for the API (baocao.errors)."""

from __future__ import annotations

from typing import Any

from baocao.errors import ERROR_CODES
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
