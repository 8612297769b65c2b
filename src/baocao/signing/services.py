"""Signing a report when its leader sends it, the official copy ("bản chính") and its verification.

``report_sign_and_send`` is the one home of "sign, then send": the report is rendered as sent (PDF/A through
LibreOffice), signed by the leader's key and, when the sender keeps the unit's seal, by the agency's key;
then, in one transaction, the report is sent (``reports.services.report_send``) and the signed copy stored.
Any failure leaves the report exactly as it was and stores nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from baocao.access import Action, Target, require
from baocao.accounts.models import Membership, Role
from baocao.documents.pdf_export import PdfUnavailable
from baocao.reports.models import Report
from baocao.reports.services import WorkflowError, report_send, sending_blockers
from baocao.signing.appearance import appendix_style, seal_style, signature_style
from baocao.signing.jobs import prepared_pdf, render_as_sent
from baocao.signing.keys import KeySource, Pkcs11Key, Pkcs12Key, SigningKeyError
from baocao.signing.layout import LayoutError, locate
from baocao.signing.lookup import agency_key, leader_key, may_seal, official_copy, official_pdf
from baocao.signing.models import SignedCopy, SigningKey
from baocao.signing.pades import Mark, Signature, SignatureFailed, Signed, sign_pdf
from baocao.signing.trust import CertificateProblem, TrustConfig, load_certificates
from baocao.signing.verify import Verification, verify_pdf

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.units.models import OrgUnit

__all__ = [
    "SigningNotReady",
    "SigningRefused",
    "agency_key",
    "agency_name",
    "demo_ca_path",
    "leader_key",
    "may_seal",
    "official_copy",
    "official_pdf",
    "report_sign_and_send",
    "sign_pdf_only",
    "sign_report",
    "store_copy",
    "trust_config",
    "verify_copy",
    "verify_file",
    "verify_upload",
]

MSG_NOT_LEADER = (
    "Chỉ lãnh đạo của {unit} được ký số báo cáo; tài khoản {user} không có vai trò lãnh đạo ở đơn vị này."
)
MSG_NO_KEY = "Tài khoản {user} chưa được đăng ký chữ ký số của lãnh đạo {unit}; hãy nhờ quản trị đăng ký."
MSG_OTHER_CERT = (
    "Chứng thư số trong khóa vừa dùng ({subject}) không phải chứng thư đã đăng ký cho {owner}; "
    "không ký bằng chứng thư của người khác."
)
MSG_NO_SEAL_KEEPER = (
    "Tài khoản {user} không được {unit} giao giữ con dấu (văn thư), không ký số thay cơ quan."
)
MSG_SEAL_SECRET = "Cần nhập mật khẩu (hoặc mã PIN) chữ ký số của cơ quan."
MSG_CHANGED = "Báo cáo vừa được sửa trong lúc ký; chưa gửi. Hãy xem lại rồi ký lại."
MSG_NOT_READY = (
    "Bản PDF/A để ký của báo cáo (đúng phiên bản hiện tại) chưa chuẩn bị xong; hãy chờ thanh tiến độ chạy "
    "xong rồi bấm “Ký số và gửi” lại. Chưa gửi, mật khẩu không được lưu."
)
MSG_NOTE_NO_SEAL = "Chưa có chữ ký số của cơ quan: người gửi không giữ con dấu của {unit}."
WHO_LEADER = "lãnh đạo"
WHO_AGENCY = "cơ quan"
FIELD_LEADER, FIELD_AGENCY, FIELD_APPENDIX = "ChuKyLanhDao", "ChuKyCoQuan", "ChuKyCoQuanPhuLuc"


class SigningRefused(WorkflowError):
    """The report could not be signed; nothing was sent or stored. ``str(error)`` is Vietnamese."""


class SigningNotReady(SigningRefused):
    """The PDF/A to sign is still being made by its job; nothing was sent or stored."""


# ---------------------------------------------------------------------------------------------- settings


def demo_ca_path() -> Path:
    return Path(settings.SIGNING_DIR) / "demo" / "ca.pem"


def trust_config() -> TrustConfig:
    """The configured trust roots (and the demo's CA, unless BAOCAO_SIGNING_TRUST_DEMO is off)."""
    paths = [Path(path) for path in settings.SIGNING_TRUST_ROOTS]
    if settings.SIGNING_TRUST_DEMO and demo_ca_path().exists():
        paths.append(demo_ca_path())
    return TrustConfig(roots=load_certificates(paths), allow_fetching=settings.SIGNING_FETCH_REVOCATION)


def agency_name(unit: OrgUnit) -> str:
    """ "Ủy ban nhân dân xã Cẩm Giàng": the agency as its signature names it."""
    return f"Ủy ban nhân dân {unit.kind.lower()} {unit.name}"


def _source(key: SigningKey, secret: str) -> KeySource:
    if key.kind == SigningKey.Kind.PKCS11:
        return Pkcs11Key(settings.SIGNING_PKCS11_MODULE, key.token_label, key.key_label, secret)
    with key.pkcs12_file.open("rb") as handle:
        return Pkcs12Key(handle.read(), secret)


class _Registered:
    """A key source that refuses a certificate other than the one registered for its owner."""

    def __init__(self, key: SigningKey, secret: str, owner: str) -> None:
        self.inner, self.expected, self.owner = _source(key, secret), bytes(key.certificate), owner

    def open(self):  # type: ignore[no-untyped-def]
        import contextlib

        @contextlib.contextmanager
        def opened():  # type: ignore[no-untyped-def]
            with self.inner.open() as signer:
                cert = signer.signing_cert
                if cert is None or cert.dump() != self.expected:
                    subject = cert.subject.human_friendly if cert is not None else "?"
                    raise SigningKeyError(MSG_OTHER_CERT.format(subject=subject, owner=self.owner))
                yield signer

        return opened()


# ---------------------------------------------------------------------------------------------- keys
# leader_key, agency_key and may_seal: baocao.signing.lookup (without pyHanko), re-exported here.


def _require_leader(report: Report, user: User) -> SigningKey:
    unit = report.unit
    if not Membership.objects.filter(user=user, unit=unit, role=Role.LEADER).exists():
        raise SigningRefused(MSG_NOT_LEADER.format(unit=unit.full_name, user=user.username))
    key = leader_key(unit, user)
    if key is None:
        raise SigningRefused(MSG_NO_KEY.format(user=user.username, unit=unit.full_name))
    return key


# ---------------------------------------------------------------------------------------------- signing


def sign_report(
    report: Report,
    leader: tuple[SigningKey, str],
    seal: tuple[SigningKey, str] | None,
    *,
    prepared: bytes | None = None,
) -> Signed:
    """The report rendered as sent (PDF/A; ``prepared`` when a job has made it for this very version) and
    signed; raises SigningRefused. Writes nothing."""
    if prepared is None:
        try:
            prepared = render_as_sent(report)
        except PdfUnavailable as error:
            raise SigningRefused(str(error)) from None
    return sign_pdf_only(prepared, report, leader, seal)


def sign_pdf_only(
    pdf: bytes, report: Report, leader: tuple[SigningKey, str], seal: tuple[SigningKey, str] | None
) -> Signed:
    """``pdf`` (the report rendered as sent) with the leader's and the agency's signatures."""
    unit_name = agency_name(report.unit)
    try:
        places = locate(pdf, title=report.signer_title, name=report.signer_name)
        key, secret = leader
        signatures = [
            Signature(
                _Registered(key, secret, str(key.user)),
                WHO_LEADER,
                (Mark(FIELD_LEADER, places.signature, signature_style(bytes(key.image))),),
            )
        ]
        if seal is not None:
            seal_key, seal_secret = seal
            marks = [
                Mark(FIELD_AGENCY, places.seal, seal_style(bytes(seal_key.image)), {"agency": unit_name})
            ]
            if places.appendix is not None:
                params = {"agency": unit_name, "number": f"Số: {report.document_number}"}
                marks.append(Mark(FIELD_APPENDIX, places.appendix, appendix_style(), params))
            signatures.append(
                Signature(_Registered(seal_key, seal_secret, unit_name), WHO_AGENCY, tuple(marks))
            )
        return sign_pdf(
            pdf, signatures, trust=trust_config(), tsa_url=settings.SIGNING_TSA_URL, location=report.place
        )
    except (LayoutError, SigningKeyError, CertificateProblem, SignatureFailed) as error:
        raise SigningRefused(str(error)) from None
    except ValueError as error:  # an unreadable trust root
        raise SigningRefused(str(error)) from None


def report_sign_and_send(
    *, report: Report, user: User, secret: str, seal_secret: str = "", prepared_only: bool = False
) -> SignedCopy:
    """Sign the report as its leader (and as the agency when ``user`` keeps the seal), then send it and store
    the signed copy, all or nothing. With ``prepared_only`` (the web), the PDF/A a job made of this very
    version is signed, and none yet is refused (SigningNotReady) rather than rendered in the request; else
    (the CLI, the API) it is rendered here."""
    report = Report.objects.select_related("round", "unit").get(pk=report.pk)
    require(user, Action.SEND, Target.of(report))
    blockers = sending_blockers(report)
    if blockers:
        raise WorkflowError(blockers.message)
    key = _require_leader(report, user)
    seal = _seal_for(report, user, seal_secret)
    version = report.version
    prepared = prepared_pdf(report)
    if prepared is None and prepared_only:
        raise SigningNotReady(MSG_NOT_READY)
    signed = sign_report(report, (key, secret), seal, prepared=prepared)
    if seal is None and agency_key(report.unit) is not None:
        signed.notes.append(MSG_NOTE_NO_SEAL.format(unit=report.unit.full_name))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.version != version:
            raise SigningRefused(MSG_CHANGED)
        copy = store_copy(locked, signed, user)
        try:
            report_send(report=locked, user=user, signed=True)
        except BaseException:
            copy.file.storage.delete(copy.file.name)
            raise
    return copy


def _seal_for(report: Report, user: User, seal_secret: str) -> tuple[SigningKey, str] | None:
    key = agency_key(report.unit)
    if key is None or not may_seal(user, report.unit):
        if seal_secret:
            raise SigningRefused(MSG_NO_SEAL_KEEPER.format(user=user.username, unit=report.unit.full_name))
        return None
    if not seal_secret:
        raise SigningRefused(MSG_SEAL_SECRET)
    return key, seal_secret


def store_copy(report: Report, signed: Signed, user: User | None, *, is_demo: bool = False) -> SignedCopy:
    """A new version of the report's signed copy: the file written once, read-only, named by its hash."""
    digest = hashlib.sha256(signed.pdf).hexdigest()
    version = (report.signed_copies.aggregate(last=Max("version"))["last"] or 0) + 1
    copy = SignedCopy(
        report=report,
        version=version,
        sha256=digest,
        size=len(signed.pdf),
        level=signed.level,
        signers="\n".join(_signer_line(cert) for cert in signed.certificates),
        notes="\n".join(signed.notes),
        signed_by=user,
        is_demo=is_demo,
    )
    copy.file.save(
        f"{report.unit.code}-{report.round.code}-v{version}-{digest[:16]}.pdf",
        ContentFile(signed.pdf),
        save=False,
    )
    copy.save()
    return copy


def _signer_line(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    organisation = subject.get("organization_name", "")
    return f"{subject.get('common_name', '')}" + (f" ({organisation})" if organisation else "")


# ---------------------------------------------------------------------------------------------- the copy
# official_copy and official_pdf: baocao.signing.lookup (without pyHanko), re-exported here.


def verify_upload(data: bytes) -> Verification | None:
    """The signatures of an uploaded PDF (the old reports' checker shows them; a file checked within the
    hour, a signed copy shown on its page for instance, is not checked again: ``_verified``); None for
    other files."""
    from baocao.signing.verify import Unreadable

    if not data.lstrip()[:5].startswith(b"%PDF"):
        return None
    try:
        return _verified(data, hashlib.sha256(data).hexdigest())
    except (Unreadable, ValueError):
        return None


def verify_file(data: bytes) -> Verification:
    """The signatures of a PDF given to ``baocao verify``, through the same hour-long cache as the pages
    (``_verified``: the same bytes checked against the same roots get the same result); raises Unreadable
    (or ValueError, an unreadable trust root) as ``verify_pdf`` does."""
    return _verified(data, hashlib.sha256(data).hexdigest())


VERIFY_CACHE_SECONDS = 3600


def verify_copy(copy: SignedCopy) -> tuple[Verification, bool]:
    """The copy's signatures (``_verified``), and whether its file still has the SHA-256 recorded when it
    was stored."""
    data = copy.read()
    digest = hashlib.sha256(data).hexdigest()
    return _verified(data, digest), digest == copy.sha256


def _verified(data: bytes, digest: str) -> Verification:
    """The signatures of ``data`` (its SHA-256 ``digest``). Checking three signatures takes pyHanko half a
    second or more (it compares every revision of the file), and the same bytes get the same result: it is
    kept for an hour, keyed by the file's hash and the trust roots (a revocation or a new root shows within
    the hour)."""
    from django.core.cache import cache

    trust = trust_config()
    roots = hashlib.sha256(b"".join(root.dump() for root in trust.roots)).hexdigest()[:16]
    key = f"baocao-signing-verify-{digest}-{roots}"
    verification: Verification | None = cache.get(key)
    if verification is None:
        verification = verify_pdf(data, trust)
        cache.set(key, verification, VERIFY_CACHE_SECONDS)
    return verification
