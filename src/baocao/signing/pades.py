"""PAdES signatures on a rendered report: baseline B-T with a configured RFC 3161 time-stamping authority,
B-LT when revocation data can be fetched, B-B (the server's clock) when no TSA is configured or reachable.

Each visible mark is one PDF signature in its own incremental revision, so what the leader signed stays
byte-for-byte inside what the agency signed after. Pure Python (pyHanko).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.stamp import BaseStampStyle
from pyhanko_certvalidator import ValidationContext

from baocao.signing.keys import KeySource
from baocao.signing.layout import Box
from baocao.signing.trust import TrustConfig, check_certificate, fetching

__all__ = ["LEVEL_LABELS", "Mark", "Signature", "SignatureFailed", "Signed", "sign_pdf"]

MSG_NO_TSA = (
    "Chưa cấu hình máy chủ cấp dấu thời gian (TSA): thời điểm ký là giờ của máy chủ baocao, "
    "không được bên thứ ba xác nhận."
)
MSG_TSA_DOWN = (
    "Không lấy được dấu thời gian từ {url}: thời điểm ký là giờ của máy chủ baocao, "
    "không được bên thứ ba xác nhận."
)
MSG_NO_REVOCATION = (
    "Chưa lấy được thông tin thu hồi chứng thư (máy chủ không kết nối mạng hoặc chứng thư không ghi nơi "
    "tra cứu): chữ ký ở mức {level}, chưa đạt B-LT."
)
MSG_FAILED = "Không ký được văn bản: {reason}"
LEVEL_LABELS = {
    "B-B": "PAdES B-B (thời điểm ký theo giờ máy chủ)",
    "B-T": "PAdES B-T (có dấu thời gian)",
    "B-LT": "PAdES B-LT (có dấu thời gian và thông tin kiểm tra lâu dài)",
}
TSA_TIMEOUT = 10
# Room for the CMS signature: a 4096-bit RSA signature, its chain and a TSA's token with its own chain fit in
# well under this; reserving it spares pyHanko a trial signature per mark to measure the size.
SIGNATURE_BYTES = 24 * 1024


class SignatureFailed(ValueError):
    """Nothing was signed; ``str(error)`` is Vietnamese."""


@dataclass(frozen=True)
class Mark:
    """One visible signature: its field's name, where it goes and how it looks."""

    name: str
    box: Box
    style: BaseStampStyle
    params: dict[str, str] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class Signature:
    """One signer's key and the marks it signs, in order (the agency signs its seal, then the appendix)."""

    key: KeySource
    who: str  # "lãnh đạo" / "cơ quan", for messages
    marks: tuple[Mark, ...]


@dataclass
class Signed:
    pdf: bytes
    level: str  # B-B | B-T | B-LT
    certificates: list[asn1_x509.Certificate]
    notes: list[str] = field(default_factory=list)  # Vietnamese, shown with the result

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def sign_pdf(
    pdf: bytes, signatures: Sequence[Signature], *, trust: TrustConfig, tsa_url: str = "", location: str = ""
) -> Signed:
    """``pdf`` with every mark of every signature applied; raises SigningKeyError (the key),
    CertificateProblem (its certificate) or SignatureFailed, and then nothing is signed."""
    return asyncio.run(_sign_all(pdf, signatures, trust=trust, tsa_url=tsa_url, location=location))


async def _sign_all(
    pdf: bytes, signatures: Sequence[Signature], *, trust: TrustConfig, tsa_url: str, location: str
) -> Signed:
    import aiohttp
    from pyhanko.sign.timestamps import HTTPTimeStamper

    notes: list[str] = [] if tsa_url else [MSG_NO_TSA]
    certificates: list[asn1_x509.Certificate] = []
    async with aiohttp.ClientSession() as session, fetching(trust) as fetchers:
        timestamper: Any = HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT, session=session) if tsa_url else None
        for signature in signatures:
            with signature.key.open() as signer:
                assert signer.signing_cert is not None
                await asyncio.to_thread(
                    check_certificate,
                    signer.signing_cert,
                    trust,
                    who=signature.who,
                    other_certs=list(signer.cert_registry),
                )
                certificates.append(signer.signing_cert)
                for mark in signature.marks:
                    context = trust.context(fetchers=fetchers)
                    pdf, timestamper = await _sign_mark(
                        pdf, signer, mark, context, timestamper, location, notes
                    )
    level = "B-T" if timestamper is not None else "B-B"
    if _has_revocation_data(pdf) and level == "B-T":
        level = "B-LT"
    else:
        notes.append(MSG_NO_REVOCATION.format(level=level))
    return Signed(pdf, level, certificates, notes)


async def _sign_mark(
    pdf: bytes,
    signer: Signer,
    mark: Mark,
    context: ValidationContext,
    timestamper: object,
    location: str,
    notes: list[str],
) -> tuple[bytes, object]:
    """Sign one mark; a TSA that does not answer leaves the remaining marks without a timestamp."""
    try:
        return await _apply(pdf, signer, mark, context, timestamper, location), timestamper
    except TimestampRequestError:
        url = getattr(timestamper, "url", "")
        notes.append(MSG_TSA_DOWN.format(url=url))
        return await _apply(pdf, signer, mark, context, None, location), None


async def _apply(
    pdf: bytes, signer: Signer, mark: Mark, context: ValidationContext, timestamper: object, location: str
) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name=mark.name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=mark.reason or None,
        location=location or None,
        embed_validation_info=_can_fetch_revocation(signer, context),
        validation_context=context,
        signer_key_usage={"digital_signature"},
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,  # type: ignore[arg-type]
        stamp_style=mark.style,
        new_field_spec=fields.SigFieldSpec(mark.name, on_page=mark.box.page, box=mark.box.as_tuple()),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        output = await pdf_signer.async_sign_pdf(
            writer, appearance_text_params=mark.params, bytes_reserved=SIGNATURE_BYTES
        )
    except SigningError as error:
        raise SignatureFailed(MSG_FAILED.format(reason=error)) from None
    return output.getvalue()  # type: ignore[no-any-return]


def _can_fetch_revocation(signer: Signer, context: ValidationContext) -> bool:
    """B-LT needs the certificate's revocation status: worth a DSS revision only when fetching is allowed and
    the certificate says where to ask (a CRL or OCSP address)."""
    cert = signer.signing_cert
    if not context.fetching_allowed or cert is None:
        return False
    return bool(cert.crl_distribution_points or cert.ocsp_urls)


def _has_revocation_data(pdf: bytes) -> bool:
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(pdf), strict=False))
    except NoDSSFoundError:
        return False
    return bool(dss.crls or dss.ocsps)
