"""Registering keys and seal keepers on the command line: only leaders, valid certificates, PNG images."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.signing import appearance
from baocao.signing.models import SealKeeper, SigningKey
from tests.cli_runner import run
from tests.signing.conftest import PASSWORD, Pki
from tests.web.conftest import World, make_world


@pytest.fixture
def files(db: None, settings: object, tmp_path: Path, test_pki: Pki) -> Path:
    settings.SIGNING_DIR = tmp_path / "signing"  # type: ignore[attr-defined]
    settings.SIGNING_TRUST_DEMO = False  # type: ignore[attr-defined]
    settings.SIGNING_FETCH_REVOCATION = False  # type: ignore[attr-defined]
    (tmp_path / "root.pem").write_bytes(test_pki.root.cert_pem)
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "root.pem")]  # type: ignore[attr-defined]
    (tmp_path / "leader.p12").write_bytes(test_pki.p12(test_pki.leader))
    (tmp_path / "expired.p12").write_bytes(test_pki.p12(test_pki.expired))
    (tmp_path / "chu-ky.png").write_bytes(appearance.demo_signature_png("x"))
    (tmp_path / "anh.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a png")
    return tmp_path


def _add(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], files: Path, *extra: str
) -> tuple[int, str, str]:
    return run(monkeypatch, capsys, "signing", "add-key", "--unit", "02008", *extra)


def test_a_leaders_key_is_registered_with_its_certificate(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world: World = make_world(values=False)
    args = (
        "--user",
        "ct.camgiang",
        "--pkcs12",
        str(files / "leader.p12"),
        "--image",
        str(files / "chu-ky.png"),
    )
    code, _out, err = _add(monkeypatch, capsys, files, *args, "--password", PASSWORD)
    assert (code, err) == (0, "")
    key = SigningKey.objects.get()
    assert (key.user, key.holder, key.kind) == (world.leader, "person", "pkcs12")
    assert bytes(key.certificate) == _der(files)
    assert PASSWORD.encode() not in Path(key.pkcs12_file.path).read_bytes()


def test_db_never_holds_the_password(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_world(values=False)
    args = (
        "--user",
        "ct.camgiang",
        "--pkcs12",
        str(files / "leader.p12"),
        "--image",
        str(files / "chu-ky.png"),
    )
    _add(monkeypatch, capsys, files, *args, "--password", PASSWORD)
    key = SigningKey.objects.get()
    assert all(PASSWORD not in str(getattr(key, field.name)) for field in key._meta.fields)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--user", "xa.camgiang", "--pkcs12", "leader.p12", "--image", "chu-ky.png"),
            "không có vai trò lãnh đạo",
        ),
        (("--user", "ct.camgiang", "--pkcs12", "expired.p12", "--image", "chu-ky.png"), "đã hết hạn"),
        (("--user", "ct.camgiang", "--pkcs12", "leader.p12", "--image", "anh.jpg"), "phải là tệp PNG"),
    ],
)
def test_refusals(
    files: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    make_world(values=False)
    resolved = [str(files / a) if a.endswith((".p12", ".png", ".jpg")) else a for a in args]
    code, _, err = _add(monkeypatch, capsys, files, *resolved, "--password", PASSWORD)
    assert code == 1 and message in err
    assert not SigningKey.objects.exists()


def test_a_wrong_password_registers_nothing(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_world(values=False)
    args = (
        "--user",
        "ct.camgiang",
        "--pkcs12",
        str(files / "leader.p12"),
        "--image",
        str(files / "chu-ky.png"),
    )
    code, _, err = _add(monkeypatch, capsys, files, *args, "--password", "sai")
    assert code == 1 and "Mật khẩu tệp chữ ký số không đúng" in err
    assert not SigningKey.objects.exists()


def test_only_a_member_of_the_unit_keeps_its_seal(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = make_world(values=False)
    code, _, err = run(
        monkeypatch, capsys, "signing", "seal-keeper", "--unit", "02008", "--user", "xa.quanha"
    )
    assert code == 1 and "không thuộc Xã Cẩm Giàng" in err
    code, _out, _ = run(
        monkeypatch, capsys, "signing", "seal-keeper", "--unit", "02008", "--user", "xa.camgiang"
    )
    assert code == 0
    assert list(SealKeeper.objects.values_list("user", flat=True)) == [world.clerk.pk]


def _der(files: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    _, cert, _ = pkcs12.load_key_and_certificates((files / "leader.p12").read_bytes(), PASSWORD.encode())
    assert cert is not None
    return cert.public_bytes(serialization.Encoding.DER)
