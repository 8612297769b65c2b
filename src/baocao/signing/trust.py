"""Which certificates baocao trusts, and the check a signer's certificate must pass before it signs.

Trust roots are configured (``BAOCAO_SIGNING_TRUST_ROOTS``: PEM or DER files of the root CAs, e.g. the
Government's specialised CA, and the demo's own CA). Pure Python (pyHanko's certvalidator).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

__all__ = [
    "KEY_USAGE",
    "CertificateProblem",
    "TrustConfig",
    "check_certificate",
    "fetching",
    "load_certificates",
]

MSG_EXPIRED = "Chứng thư số của {who} đã hết hạn (hiệu lực đến {until})."
MSG_NOT_YET = "Chứng thư số của {who} chưa đến ngày có hiệu lực ({since})."
MSG_REVOKED = "Chứng thư số của {who} đã bị thu hồi."
MSG_UNTRUSTED = (
    "Chứng thư số của {who} không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp "
    "(không nối được tới chứng thư gốc đã cấu hình)."
)
MSG_INVALID = "Chứng thư số của {who} không dùng được để ký: {reason}"
MSG_NO_ROOTS = "Chưa cấu hình chứng thư gốc tin cậy (BAOCAO_SIGNING_TRUST_ROOTS)."
MSG_UNREADABLE_ROOT = "Không đọc được chứng thư gốc {path}."

# Vietnamese CAs issue signing certificates with digitalSignature and usually nonRepudiation; either will do.
KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


class CertificateProblem(ValueError):
    """The certificate may not sign (expired, revoked, untrusted …); ``str(error)`` is Vietnamese."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind  # expired | not_yet_valid | revoked | untrusted | invalid


@dataclass(frozen=True)
class TrustConfig:
    roots: tuple[asn1_x509.Certificate, ...]
    allow_fetching: bool = False  # fetch CRLs/OCSP over the network (off: offline offices, tests)
    crls: tuple[bytes, ...] = field(default=(), repr=False)  # revocation lists known locally

    def context(
        self,
        *,
        moment: datetime | None = None,
        other_certs: Iterable[asn1_x509.Certificate] = (),
        crls: Iterable[Any] = (),
        ocsps: Iterable[Any] = (),
        fetchers: Any = None,
    ) -> ValidationContext:
        """A validation context; it fetches revocation data only through ``fetchers`` (see ``fetching``),
        whose network sessions the caller closes."""
        return ValidationContext(
            trust_roots=list(self.roots),
            other_certs=list(other_certs),
            moment=moment,
            allow_fetching=fetchers is not None,
            fetchers=fetchers,
            crls=[*self.crls, *crls],
            ocsps=list(ocsps),
            revocation_mode="soft-fail",
        )


@contextlib.asynccontextmanager
async def fetching(trust: TrustConfig) -> AsyncIterator[Any]:
    """CRL and OCSP fetchers when ``trust`` allows fetching (None otherwise), closed afterwards."""
    if not trust.allow_fetching:
        yield None
        return
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    async with AIOHttpFetcherBackend() as fetchers:
        yield fetchers


def load_certificates(paths: Iterable[Path]) -> tuple[asn1_x509.Certificate, ...]:
    """Certificates from PEM (one or many per file) or DER files; raises ValueError in Vietnamese."""
    found: list[asn1_x509.Certificate] = []
    for path in paths:
        try:
            data = path.read_bytes()
            if pem.detect(data):
                found += [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
            else:
                found.append(asn1_x509.Certificate.load(data))
                _ = found[-1].subject  # parse now: a broken file fails here, not at signing
        except (OSError, ValueError, TypeError):
            raise ValueError(MSG_UNREADABLE_ROOT.format(path=path)) from None
    return tuple(found)


def check_certificate(
    cert: asn1_x509.Certificate,
    trust: TrustConfig,
    *,
    who: str,
    other_certs: Iterable[asn1_x509.Certificate] = (),
    moment: datetime | None = None,
) -> None:
    """Raise CertificateProblem unless ``cert`` is valid now, chains to a trust root and is not revoked."""
    if not trust.roots:
        raise CertificateProblem(MSG_NO_ROOTS, "untrusted")

    async def validate() -> None:
        async with fetching(trust) as fetchers:
            context = trust.context(moment=moment, fetchers=fetchers)
            validator = CertificateValidator(
                cert, intermediate_certs=list(other_certs), validation_context=context
            )
            await validator.async_validate_usage(set(), extended_key_usage=None)  # type: ignore[no-untyped-call]

    try:
        asyncio.run(validate())
    except cv_errors.RevokedError:
        raise CertificateProblem(MSG_REVOKED.format(who=who), "revoked") from None
    except cv_errors.ExpiredError:
        until = cert.not_valid_after.strftime("%d/%m/%Y")
        raise CertificateProblem(MSG_EXPIRED.format(who=who, until=until), "expired") from None
    except cv_errors.NotYetValidError:
        since = cert.not_valid_before.strftime("%d/%m/%Y")
        raise CertificateProblem(MSG_NOT_YET.format(who=who, since=since), "not_yet_valid") from None
    except cv_errors.PathBuildingError:
        raise CertificateProblem(MSG_UNTRUSTED.format(who=who), "untrusted") from None
    except (cv_errors.PathValidationError, cv_errors.InvalidCertificateError) as error:
        raise CertificateProblem(MSG_INVALID.format(who=who, reason=error), "invalid") from None
    try:
        KEY_USAGE.validate(cert)
    except cv_errors.InvalidCertificateError:
        raise CertificateProblem(
            MSG_INVALID.format(who=who, reason="không có quyền ký số"), "invalid"
        ) from None
