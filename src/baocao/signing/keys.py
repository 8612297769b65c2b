"""One signing interface over two kinds of key: a PKCS#12 file (password typed at signing, never stored) and
a PKCS#11 token (USB token of Ban Cơ yếu Chính phủ or a public CA; SoftHSM2 in the tests).

``KeySource.open()`` yields a pyHanko ``Signer`` for the time of one signing and releases the key afterwards
(the token's session is closed). Every failure is a ``KeyError_`` with a Vietnamese sentence. Pure Python.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.signers.pdf_cms import Signer

__all__ = [
    "KeySource",
    "Pkcs11Key",
    "Pkcs12Key",
    "SigningKeyError",
]

MSG_PKCS12 = "Mật khẩu tệp chữ ký số không đúng (hoặc tệp không phải tệp chữ ký số PKCS#12)."
MSG_PKCS12_EMPTY = "Chưa nhập mật khẩu tệp chữ ký số."
MSG_MODULE = "Không nạp được thư viện thiết bị ký số (PKCS#11) “{path}”; hãy báo quản trị."
MSG_NO_MODULE = (
    "Máy chủ chưa cấu hình thư viện thiết bị ký số (BAOCAO_SIGNING_PKCS11_MODULE); hãy báo quản trị."
)
MSG_TOKEN = "Không thấy thiết bị ký số “{label}”. Hãy cắm USB token vào máy rồi thử lại."
MSG_PIN = "Mã PIN của thiết bị ký số không đúng (lưu ý: nhập sai nhiều lần thiết bị sẽ bị khóa)."
MSG_NO_KEY = "Trên thiết bị ký số “{label}” không có khóa và chứng thư số “{key}”."
MSG_TOKEN_FAILED = "Thiết bị ký số báo lỗi: {reason}"


class SigningKeyError(ValueError):
    """The key cannot be used; ``str(error)`` is Vietnamese."""


class KeySource(Protocol):
    """A key that can sign: ``with key.open() as signer: …``."""

    def open(self) -> contextlib.AbstractContextManager[Signer]: ...


@dataclass(frozen=True)
class Pkcs12Key:
    """A PKCS#12 (.p12/.pfx) file as its CA issued it; ``password`` lives only for this signing."""

    data: bytes = field(repr=False)
    password: str = field(repr=False)

    @contextlib.contextmanager
    def open(self) -> Iterator[Signer]:
        from cryptography.hazmat.primitives.serialization import pkcs12
        from pyhanko.keys.internal import (
            translate_pyca_cryptography_cert_to_asn1,
            translate_pyca_cryptography_key_to_asn1,
        )
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        if not self.password:
            raise SigningKeyError(MSG_PKCS12_EMPTY)
        try:
            key, cert, chain = pkcs12.load_key_and_certificates(self.data, self.password.encode())
        except ValueError:
            raise SigningKeyError(MSG_PKCS12) from None
        if key is None or cert is None:
            raise SigningKeyError(MSG_PKCS12)
        signer = _LoadedKeySigner(
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [translate_pyca_cryptography_cert_to_asn1(c) for c in chain]
            ),
        )
        signer.loaded_key = key
        yield signer


class _LoadedKeySigner(SimpleSigner):
    """pyHanko's SimpleSigner parses its private key again for every signature (cryptography then re-checks an
    RSA key, ~80 ms); this one signs with the key parsed once when the file was opened."""

    loaded_key: Any = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign.general import get_pyca_cryptography_hash  # type: ignore[attr-defined]

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        key = self.loaded_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token: the module (.so), the token's label, the key's label and the user PIN."""

    module: str
    token_label: str
    key_label: str
    pin: str = field(repr=False)

    @contextlib.contextmanager
    def open(self) -> Iterator[Signer]:
        import pkcs11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        if not self.module:
            raise SigningKeyError(MSG_NO_MODULE)
        if not Path(self.module).is_file():
            raise SigningKeyError(MSG_MODULE.format(path=self.module))
        try:
            session = open_pkcs11_session(
                self.module, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
            )
        except pkcs11.PinIncorrect:
            raise SigningKeyError(MSG_PIN) from None
        except (pkcs11.PKCS11Error, SigningError) as error:
            raise SigningKeyError(_token_message(error, self)) from None
        except (OSError, RuntimeError):
            raise SigningKeyError(MSG_MODULE.format(path=self.module)) from None
        try:
            signer = PKCS11Signer(session, key_label=self.key_label, cert_label=self.key_label)
            try:
                _ = signer.signing_cert
            except (pkcs11.PKCS11Error, SigningError):
                raise SigningKeyError(MSG_NO_KEY.format(label=self.token_label, key=self.key_label)) from None
            yield signer
        finally:
            session.close()


def _token_message(error: Exception, key: Pkcs11Key) -> str:
    text = str(error)
    if "No token" in text or "NoSuchToken" in type(error).__name__ or not text:
        return MSG_TOKEN.format(label=key.token_label)
    return MSG_TOKEN_FAILED.format(reason=text[:200])
