"""Verify the signatures of a PDF: per signature, who signed, for which agency, when, whether the document is
intact since and whether the certificate chains to a configured trust root. Results are in Vietnamese and
as data (``as_dict``) for JSON. Pure Python (pyHanko's validator).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffPolicy,
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus

from baocao.core.kept import Kept
from baocao.signing.appearance import iso_vietnam
from baocao.signing.trust import KEY_USAGE, TrustConfig, fetching

__all__ = [
    "LABELS",
    "SignatureCheck",
    "Unreadable",
    "Verdict",
    "Verification",
    "forget_reviews",
    "verify_pdf",
]

MSG_UNREADABLE = "Không đọc được tệp PDF: {reason}"
MSG_NOT_PDF = "Tệp không phải là PDF."
MSG_BYTES_CHANGED = "signed byte ranges no longer match the signature's digest"


class Verdict(StrEnum):
    VALID = "valid"
    UNTRUSTED = "untrusted"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ALTERED = "altered"
    INVALID = "invalid"


LABELS = {
    Verdict.VALID: "Hợp lệ",
    Verdict.UNTRUSTED: "Chứng thư số không được tin cậy",
    Verdict.EXPIRED: "Chứng thư số đã hết hạn",
    Verdict.REVOKED: "Chứng thư số đã bị thu hồi",
    Verdict.ALTERED: "Văn bản đã bị sửa sau khi ký",
    Verdict.INVALID: "Chữ ký không hợp lệ",
}
DETAILS = {
    Verdict.VALID: "Văn bản còn nguyên vẹn từ khi ký; chứng thư số nối tới chứng thư gốc tin cậy.",
    Verdict.UNTRUSTED: "Chứng thư số không nối được tới chứng thư gốc nào đã cấu hình là tin cậy.",
    Verdict.EXPIRED: "Chứng thư số đã hết hạn và chữ ký không có dấu thời gian chứng minh đã ký khi còn hạn.",
    Verdict.REVOKED: "Tổ chức cấp chứng thư đã thu hồi chứng thư số này.",
    Verdict.ALTERED: "Nội dung tệp đã thay đổi sau khi ký: đây không còn là bản đã ký.",
    Verdict.INVALID: "Dữ liệu chữ ký không khớp với chứng thư số.",
}


class Unreadable(ValueError):
    """Not a readable PDF; ``str(error)`` is Vietnamese."""


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer: str
    agency: str
    signed_at: datetime | None
    timestamped: bool
    intact: bool
    verdict: Verdict

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    @property
    def detail(self) -> str:
        return DETAILS[self.verdict]

    @property
    def signed_at_text(self) -> str:
        return iso_vietnam(self.signed_at) if self.signed_at else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field_name,
            "signer": self.signer,
            "agency": self.agency,
            "signed_at": self.signed_at_text or None,
            "timestamped": self.timestamped,
            "intact": self.intact,
            "status": str(self.verdict),
            "label": self.label,
            "detail": self.detail,
        }


@dataclass
class Verification:
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def all_valid(self) -> bool:
        return bool(self.signatures) and all(check.valid for check in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "signed": bool(self.signatures),
            "all_valid": self.all_valid,
            "signatures": [check.as_dict() for check in self.signatures],
        }


def verify_pdf(data: bytes, trust: TrustConfig) -> Verification:
    """Every signature of ``data``; raises Unreadable when it is not a PDF pyHanko can read."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise Unreadable(MSG_NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError) as error:
        raise Unreadable(MSG_UNREADABLE.format(reason=error)) from None
    context_args = _document_revocation_data(reader)
    return _run(_verify_all(embedded, trust, context_args, hashlib.sha256(data).digest()))


class _RememberedDiffs(DiffPolicy):
    """pyHanko's standard review of what each revision after a signature changed (the check that refuses a
    file edited after signing), remembered per file: it reads every object of every later revision, ≈ half
    a second for a signed report, and depends on nothing but the file's bytes and the signature's revision
    and permissions (not on the trust roots or the moment). So a file checked again (a signature judged
    again at its timestamp's moment, the same file against other roots) is not reviewed twice. A review
    that finds a suspicious change is not kept (it carries the reader); it is computed each time.

    Nor is a signature whose signed bytes no longer match its digest reviewed: pyHanko finds it not intact
    from the same two values, which alone makes it altered (``_verdict``), whatever the review would say."""

    _kept: Kept[tuple[Any, ...], DiffResult] = Kept(64)  # thread-safe: pyHanko may run in its own (``_run``)

    def __init__(self, file_digest: bytes, signature: Any) -> None:
        self.file_digest, self.signature = file_digest, signature

    def apply(self, *args: Any, **kwargs: Any) -> Any:
        return DEFAULT_DIFF_POLICY.apply(*args, **kwargs)

    def review_file(
        self, reader: Any, base_revision: Any, field_mdp_spec: Any = None, doc_mdp: Any = None
    ) -> Any:
        revision = base_revision if isinstance(base_revision, int) else base_revision.revision
        key = (self.file_digest, revision, repr(field_mdp_spec), repr(doc_mdp))
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        if self._bytes_changed():
            return SuspiciousModification(MSG_BYTES_CHANGED)
        result = DEFAULT_DIFF_POLICY.review_file(reader, base_revision, field_mdp_spec, doc_mdp)
        if isinstance(result, DiffResult):
            self._kept.put(key, result)
        return result

    def _bytes_changed(self) -> bool:
        """Whether the digest of the signed byte ranges (computed by pyHanko before its review) differs from
        the one the signature holds; when the signature holds none, pyHanko judges as usual."""
        from pyhanko.sign.validation.utils import extract_message_digest

        try:
            signed = extract_message_digest(self.signature.signer_info)
        except ValueError:
            return False
        return bool(signed != self.signature.compute_digest())


def forget_reviews() -> None:
    """The remembered revision reviews dropped (``_RememberedDiffs``): the next check of any file reviews it
    again, as a file never seen before is (bench/bench_sign.py times both)."""
    _RememberedDiffs._kept.clear()


def _run(coroutine: Coroutine[Any, Any, Verification]) -> Verification:
    """pyHanko's validation is asynchronous: run it here, or, when this thread already runs an event loop
    (an async caller), in a thread of its own, since ``asyncio.run`` refuses a nested loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _verify_all(
    embedded: list[Any], trust: TrustConfig, context_args: dict[str, Any], file_digest: bytes
) -> Verification:
    async with fetching(trust) as fetchers:
        args = {**context_args, "fetchers": fetchers}
        return Verification([await _check(signature, trust, args, file_digest) for signature in embedded])


def _document_revocation_data(reader: PdfFileReader) -> dict[str, Any]:
    """Certificates, CRLs and OCSP responses the document carries (its DSS), for checks years later."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return {"other_certs": [], "crls": [], "ocsps": []}
    return {
        "other_certs": list(dss.load_certs()),
        "crls": [ref.get_object().data for ref in dss.crls],
        "ocsps": [ref.get_object().data for ref in dss.ocsps],
    }


async def _check(
    signature: Any, trust: TrustConfig, context_args: dict[str, Any], file_digest: bytes
) -> SignatureCheck:
    try:
        status = await _validate(signature, trust, context_args, file_digest)
    except (PdfReadError, ValueError):
        # The signature itself reads, but the document around it no longer does: changed after signing.
        return _altered(signature)
    stamp = status.timestamp_validity
    trusted_stamp = stamp is not None and stamp.valid and stamp.intact and stamp.trusted
    verdict = _verdict(status)
    if verdict == Verdict.EXPIRED and trusted_stamp:
        # Signed while the certificate was valid, as the trusted timestamp proves: judge it at that moment.
        assert stamp is not None
        verdict = _verdict(
            await _validate(signature, trust, context_args, file_digest, moment=stamp.timestamp)
        )
    subject = status.signing_cert.subject.native
    signed_at = stamp.timestamp if trusted_stamp and stamp else status.signer_reported_dt
    return SignatureCheck(
        field_name=str(signature.field_name),
        signer=str(subject.get("common_name", "")),
        agency=str(subject.get("organization_name", "")),
        signed_at=signed_at,
        timestamped=trusted_stamp,
        intact=status.intact and verdict != Verdict.ALTERED,
        verdict=verdict,
    )


def _altered(signature: Any) -> SignatureCheck:
    subject = signature.signer_cert.subject.native
    return SignatureCheck(
        field_name=str(signature.field_name),
        signer=str(subject.get("common_name", "")),
        agency=str(subject.get("organization_name", "")),
        signed_at=signature.self_reported_timestamp,
        timestamped=False,
        intact=False,
        verdict=Verdict.ALTERED,
    )


async def _validate(
    signature: Any,
    trust: TrustConfig,
    context_args: dict[str, Any],
    file_digest: bytes,
    moment: datetime | None = None,
) -> PdfSignatureStatus:
    context = trust.context(moment=moment, **context_args)
    return await async_validate_pdf_signature(
        signature,
        signer_validation_context=context,
        ts_validation_context=trust.context(**context_args),
        diff_policy=_RememberedDiffs(file_digest, signature),
        key_usage_settings=KEY_USAGE,
    )


def _verdict(status: PdfSignatureStatus) -> Verdict:
    from pyhanko.sign.ades.report import AdESIndeterminate

    level = status.modification_level
    if not status.intact or (level is not None and level > ModificationLevel.FORM_FILLING):
        return Verdict.ALTERED
    if not status.valid:
        return Verdict.INVALID
    if status.revoked:
        return Verdict.REVOKED
    if status.trust_problem_indic in (
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    ):
        return Verdict.EXPIRED
    if not status.trusted:
        return Verdict.UNTRUSTED
    return Verdict.VALID
