"""Registering signing keys and seal keepers (văn thư): one service each, used by ``baocao signing …``.

A key is registered with its certificate (read from the PKCS#12 file with its password, which is then
forgotten, or given as a file for a token) and the image its signature shows; the certificate must pass the
same checks as at signing (valid now, chaining to a trust root, not revoked).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile
from django.db import transaction

from baocao.accounts.models import Membership, Role
from baocao.signing.keys import Pkcs11Key, Pkcs12Key, SigningKeyError
from baocao.signing.models import SealKeeper, SigningKey
from baocao.signing.services import SigningRefused, trust_config
from baocao.signing.trust import CertificateProblem, check_certificate

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.units.models import OrgUnit

__all__ = ["add_seal_keeper", "register_key"]

MSG_IMAGE = "Hình chữ ký hoặc con dấu phải là tệp PNG có nền trong suốt."
MSG_NOT_LEADER = "{user} không có vai trò lãnh đạo ở {unit}: chữ ký cá nhân chỉ đăng ký cho lãnh đạo."
MSG_NOT_MEMBER = "{user} không thuộc {unit}."
MSG_CERTIFICATE = "Không đọc được chứng thư số (tệp .cer, .crt hoặc .pem)."


def _png(image: bytes) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        picture = Image.open(io.BytesIO(image))
    except (UnidentifiedImageError, OSError):
        raise SigningRefused(MSG_IMAGE) from None
    if picture.format != "PNG" or ("A" not in picture.getbands() and "transparency" not in picture.info):
        raise SigningRefused(MSG_IMAGE)
    return image


def _certificate(data: bytes) -> bytes:
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError:
        raise SigningRefused(MSG_CERTIFICATE) from None
    return cert.public_bytes(serialization.Encoding.DER)


@transaction.atomic
def register_key(
    *,
    unit: OrgUnit,
    user: User | None,
    image: bytes,
    pkcs12: bytes = b"",
    password: str = "",
    token: tuple[str, str] | None = None,
    certificate: bytes = b"",
    module: str = "",
) -> SigningKey:
    """A person's key (``user`` given: a leader of ``unit``) or the agency's (``user`` None), from a PKCS#12
    file and its password, or from a token (token label, key label) with its certificate file and PIN."""
    holder = SigningKey.Holder.PERSON if user is not None else SigningKey.Holder.AGENCY
    if user is not None and not Membership.objects.filter(user=user, unit=unit, role=Role.LEADER).exists():
        raise SigningRefused(MSG_NOT_LEADER.format(user=user, unit=unit.full_name))
    source = Pkcs11Key(module, token[0], token[1], password) if token else Pkcs12Key(pkcs12, password)
    try:
        with source.open() as signer:
            cert = signer.signing_cert
            assert cert is not None
            check_certificate(
                cert, trust_config(), who=str(user or unit.full_name), other_certs=list(signer.cert_registry)
            )
            der = cert.dump()
    except (SigningKeyError, CertificateProblem) as error:
        raise SigningRefused(str(error)) from None
    if token and certificate and _certificate(certificate) != der:
        raise SigningRefused(MSG_CERTIFICATE)
    SigningKey.objects.filter(unit=unit, holder=holder, user=user, active=True).update(active=False)
    key = SigningKey(
        unit=unit,
        holder=holder,
        user=user,
        kind=SigningKey.Kind.PKCS11 if token else SigningKey.Kind.PKCS12,
        token_label=token[0] if token else "",
        key_label=token[1] if token else "",
        certificate=der,
        image=_png(image),
    )
    if not token:
        key.pkcs12_file.save(f"{unit.code}-{holder}.p12", ContentFile(pkcs12), save=False)
    key.save()
    return key


def add_seal_keeper(*, unit: OrgUnit, user: User) -> SealKeeper:
    """Authorise ``user`` (a member of ``unit``) to apply the unit's seal, i.e. its agency signature."""
    if not Membership.objects.filter(user=user, unit=unit).exists():
        raise SigningRefused(MSG_NOT_MEMBER.format(user=user, unit=unit.full_name))
    keeper, _ = SealKeeper.objects.get_or_create(unit=unit, user=user)
    return keeper
