from __future__ import annotations

from tests.web.conftest import World


def test_entry_page_shows_computed_values_and_the_online_finding(world: World) -> None:
    response = world.client(world.clerk).get("/reports/cchc-2024-q1/02008/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-display="7.2.4" data-cell="7.2.4">24,14</output>' in html
    assert 'data-cell="2.2.1">không phát sinh</output>' in html
    assert "Có 8 TTHC phát sinh hồ sơ trực tuyến" in html
