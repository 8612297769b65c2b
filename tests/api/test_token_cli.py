"""``baocao token``: the token is printed once, stored hashed, listed by its prefix, and revoked."""

from __future__ import annotations

import hashlib

import pytest

from baocao.api.models import ApiToken
from baocao.api.tokens import token_user
from tests.cli_runner import run
from tests.web.conftest import World


def test_create_prints_a_token_once_and_keeps_only_its_hash(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, "token", "create", "--user", "xa.camgiang", "--name", "tỉnh")
    assert code == 0
    secret = out.strip()
    assert secret.startswith("bc_") and len(secret) > 40
    assert "chỉ hiện một lần" in err
    stored = ApiToken.objects.get()
    assert (stored.user, stored.name, stored.prefix) == (world.clerk, "tỉnh", secret[:10])
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list(flat=False).get())
    assert token_user(secret) == world.clerk

    code, out, _ = run(monkeypatch, capsys, "token", "list")
    assert code == 0
    assert f"{stored.pk}\t{secret[:10]}…\txa.camgiang\ttỉnh" in out
    assert secret not in out

    code, out, _ = run(monkeypatch, capsys, "token", "revoke", secret[:10])
    assert (code, out.strip()) == (0, f"Đã thu hồi mã {secret[:10]}… của xa.camgiang.")
    assert token_user(secret) is None
    assert "đã thu hồi" in run(monkeypatch, capsys, "token", "list", "--user", "xa.camgiang")[1]


def test_bad_input_is_a_vietnamese_message_and_exit_2(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, "token", "create", "--user", "khong.co")
    assert (code, out, err.strip()) == (2, "", "Lỗi: Không có người dùng khong.co.")
    code, _, err = run(monkeypatch, capsys, "token", "revoke", "999")
    assert (code, err.strip()) == (2, "Lỗi: Không có mã truy cập 999.")
    assert not ApiToken.objects.exists()
