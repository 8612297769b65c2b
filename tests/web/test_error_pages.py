"""Error pages speak Vietnamese and keep the site's frame."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import World


def test_not_found_page_is_vietnamese(world: World) -> None:
    response = world.client(world.other_clerk).get("/reports/cchc-2024-q1/02008/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and "Cẩm Giàng" not in html


def test_forbidden_page_is_vietnamese(world: World) -> None:
    response = world.client(world.clerk).post("/reports/cchc-2024-q1/02008/action/accept/")
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_stale_form_page_is_vietnamese(world: World) -> None:
    response = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "xa.camgiang"})
    assert response.status_code == 403
    assert "Trang đã cũ" in response.content.decode()
