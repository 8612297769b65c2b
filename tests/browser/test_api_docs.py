"""The API's docs page in Chromium, under the Content-Security-Policy, with the scripts served by the server
itself (nothing from a CDN): it lists the operations and the browser reports no policy violation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


def test_api_docs_render_offline_under_the_policy(page: Page, live_server: LiveServer) -> None:
    console: list[str] = []
    requested: list[str] = []
    page.on("console", console_message := lambda message: console.append(message.text))
    page.on("request", request_sent := lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    page.remove_listener("console", console_message)  # the page is lent to the next test
    page.remove_listener("request", request_sent)
    assert page.locator(".opblock").count() == 14
    assert page.get_by_text("/api/v1/rounds/{round_code}/reports/{unit_code}/values/{code}/").count() == 1
    assert [text for text in console if "Content Security Policy" in text] == []
    assert requested and [url for url in requested if not url.startswith((live_server.url, "data:"))] == []
