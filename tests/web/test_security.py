"""Serving behind a reverse proxy: the client's address from trusted proxies only, the sign-in pause without a
waiting thread, the lockout by the real client's address, HTTPS settings and the Content-Security-Policy."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.test.utils import override_settings

import baocao
from baocao.config.proxy import forwarded_client
from tests.web.conftest import PASSWORD, World

SIGN_IN = "/dang-nhap/"
PROXY = "10.0.0.5"


def _sign_in(client: Client, password: str, **headers: str) -> int:
    response = client.post(SIGN_IN, {"username": "xa.camgiang", "password": password}, **headers)
    return response.status_code


def _locked(client: Client, **headers: str) -> bool:
    response = client.post(SIGN_IN, {"username": "xa.camgiang", "password": PASSWORD}, **headers)
    return response.status_code == 429 and "Tài khoản tạm bị khóa" in response.content.decode()


def test_forwarded_for_is_read_only_from_trusted_proxies() -> None:
    networks = (__import__("ipaddress").ip_network("10.0.0.0/24"),)
    assert forwarded_client("10.0.0.5", "203.0.113.7", networks) == "203.0.113.7"
    # The client may prepend anything: the rightmost hop not a proxy is the one the proxy saw.
    assert forwarded_client("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.9", networks) == "203.0.113.7"
    assert forwarded_client("198.51.100.1", "203.0.113.7", networks) == "198.51.100.1"
    assert forwarded_client("10.0.0.5", "not-an-address", networks) == "10.0.0.5"


@pytest.fixture
def slow_sign_in(settings: object) -> None:
    settings.LOGIN_SLOWDOWN_SECONDS = 2  # type: ignore[attr-defined]
    settings.BAOCAO_TRUSTED_PROXIES = [PROXY]  # type: ignore[attr-defined]


def test_after_three_failures_the_next_attempt_waits_without_holding_a_thread(
    world: World, slow_sign_in: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_sleep(seconds: float) -> None:
        raise AssertionError("the sign-in must not sleep in the request")

    monkeypatch.setattr(time, "sleep", no_sleep)
    client = Client()
    with time_machine.travel("2024-02-20 09:00 +0700", tick=False) as clock:
        assert [_sign_in(client, "sai") for _ in range(3)] == [200, 200, 200]
        refused = client.post(SIGN_IN, {"username": "xa.camgiang", "password": PASSWORD})
        assert refused.status_code == 429
        assert refused["Retry-After"] == "2"
        assert "Hãy đợi 2 giây rồi thử lại." in refused.content.decode()
        assert "_auth_user_id" not in client.session  # the right password was not even checked
        clock.shift(2.5)
        assert _sign_in(client, PASSWORD) == 302


def test_lockout_counts_the_client_behind_the_proxy_not_the_proxy(world: World, slow_sign_in: None) -> None:
    guesser, colleague = Client(REMOTE_ADDR=PROXY), Client(REMOTE_ADDR=PROXY)
    with time_machine.travel("2024-02-20 09:00 +0700", tick=False) as clock:
        for _ in range(5):
            _sign_in(guesser, "sai", HTTP_X_FORWARDED_FOR="203.0.113.7")
            clock.shift(11)
        assert _locked(guesser, HTTP_X_FORWARDED_FOR="203.0.113.7")
        # Another office behind the same proxy signs in with the same account as usual.
        assert _sign_in(colleague, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20") == 302


def test_a_forged_forwarded_for_from_outside_is_ignored(world: World, slow_sign_in: None) -> None:
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    with time_machine.travel("2024-02-20 09:00 +0700", tick=False) as clock:
        for index in range(5):
            # Changing the header on every try changes nothing: the address counted is the peer's.
            _sign_in(guesser, "sai", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}")
            clock.shift(11)
        assert _locked(guesser, HTTP_X_FORWARDED_FOR="203.0.113.200")


def test_every_page_carries_a_content_security_policy(world: World) -> None:
    response = world.client(world.clerk).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_templates_have_no_inline_script_style_or_handler() -> None:
    """What the policy forbids is not used: every template of the package, read as text."""
    offenders = []
    for template in Path(baocao.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"<style|\sstyle=|\son[a-z]+=", text
        ):
            offenders.append(template.name)
    assert offenders == []


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_https_redirect_and_hsts_trust_the_proxy_scheme_only_from_the_proxy(
    world: World, settings: object
) -> None:
    settings.BAOCAO_TRUSTED_PROXIES = [PROXY]  # type: ignore[attr-defined]
    through_proxy = Client(REMOTE_ADDR=PROXY).get("/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
    assert through_proxy.status_code == 200
    assert through_proxy["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    forged = Client(REMOTE_ADDR="198.51.100.66").get("/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301 and forged["Location"].startswith("https://")


def test_a_nul_character_in_an_address_is_refused_before_any_lookup(world: World) -> None:
    """PostgreSQL stores no NUL in text: a code with one failed the lookup (a server error, found by
    schemathesis on PostgreSQL). Pages and API routes alike refuse it, in the path or the query string."""
    from baocao.api.tokens import token_create

    client = Client()
    token = token_create(username=world.district_reviewer.username).secret
    api = client.get(
        "/api/v1/rounds/cchc-2024-q1/completeness/",
        {"unit": "063\x00"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 400
    assert api.json() == {
        "ok": False,
        "error": "Địa chỉ yêu cầu có ký tự NUL (mã 0), không được phép.",
        "code": "bad_request",
    }
    assert client.get("/api/v1/rounds/cchc-2024%00/reports/").status_code == 400
    page = world.client(world.clerk).get("/reports/cchc-2024-q1/02008%00/")
    assert page.status_code == 400
    assert page.content.decode() == "Địa chỉ yêu cầu có ký tự NUL (mã 0), không được phép."
    # Without one, the same addresses answer as before.
    fine = client.get(
        "/api/v1/rounds/cchc-2024-q1/completeness/",
        {"unit": "063"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert fine.status_code == 200
    assert world.client(world.clerk).get("/reports/cchc-2024-q1/02008/").status_code == 200
