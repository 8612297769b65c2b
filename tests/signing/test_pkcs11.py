"""Signing with a key on a PKCS#11 token: SoftHSM2 (Debian's softhsm2) stands in for a USB token."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from baocao.signing import appearance, keys, layout, pades, verify
from tests.signing.conftest import Pki, once, one_page_pdf

MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
MODULE = next((path for path in MODULES if Path(path).exists()), None)
TOKEN, KEY, PIN = "baocao-token", "lanh-dao", "123456"

pytestmark = pytest.mark.skipif(
    MODULE is None or shutil.which("softhsm2-util") is None,
    reason="SoftHSM2 chưa cài: apt-get install softhsm2",
)


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, test_pki: Pki) -> str:
    """A token holding the leader's key and certificate, as a CA's USB token does."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(config)
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "654321"],
        check=True,
        capture_output=True,
    )
    key_file = folder / "key.pem"
    key_file.write_bytes(
        test_pki.leader.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [*util, "--import", str(key_file), "--token", TOKEN, "--label", KEY, "--id", "01", "--pin", PIN],
        check=True,
        capture_output=True,
    )
    key_file.unlink()
    session = pkcs11.lib(MODULE).get_token(token_label=TOKEN).open(rw=True, user_pin=PIN)
    with session:
        cert = test_pki.leader.cert
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: KEY,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    assert MODULE is not None
    return MODULE


def test_a_key_on_the_token_signs_and_the_signature_validates(token: str, test_pki: Pki) -> None:
    """A one-page PDF: the token's key is what this test is about, not the report it signs (tests/signing/
    test_pades.py signs the report)."""
    leader = keys.Pkcs11Key(token, TOKEN, KEY, PIN)
    image = once("signature_png", lambda: appearance.demo_signature_png("x"))
    mark = pades.Mark("LanhDao", layout.Box(0, 360, 430, 520, 520), appearance.signature_style(image))
    signature = pades.Signature(leader, "lãnh đạo", (mark,))
    signed = pades.sign_pdf(one_page_pdf("BAO CAO"), [signature], trust=test_pki.trust())
    result = verify.verify_pdf(signed.pdf, test_pki.trust())
    assert [check.verdict for check in result.signatures] == [verify.Verdict.VALID]
    assert result.signatures[0].signer == "Vũ Văn Thành"


def test_a_token_that_is_not_plugged_in_is_a_clear_message(token: str) -> None:
    with (
        pytest.raises(keys.SigningKeyError, match="Không thấy thiết bị ký số “token-khac”"),
        keys.Pkcs11Key(token, "token-khac", KEY, PIN).open(),
    ):
        pass


def test_a_wrong_pin_is_refused(token: str) -> None:
    with (
        pytest.raises(keys.SigningKeyError, match="Mã PIN của thiết bị ký số không đúng"),
        keys.Pkcs11Key(token, TOKEN, KEY, "000000").open(),
    ):
        pass


def test_a_missing_key_on_the_token_is_named(token: str) -> None:
    with (
        pytest.raises(keys.SigningKeyError, match="không có khóa và chứng thư số “khoa-khac”"),
        keys.Pkcs11Key(token, TOKEN, "khoa-khac", PIN).open(),
    ):
        pass


def test_a_module_that_does_not_exist_is_a_clear_message() -> None:
    with (
        pytest.raises(keys.SigningKeyError, match="Không nạp được thư viện thiết bị ký số"),
        keys.Pkcs11Key("/khong/co/libpkcs11.so", TOKEN, KEY, PIN).open(),
    ):
        pass
