"""Certificates from a test CA (good, expired, revoked, from an unknown CA), a local RFC 3161 TSA and CRL
server over real HTTP, and the demo report rendered once as PDF/A by LibreOffice."""

from __future__ import annotations

import copy
import hashlib
import io
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.files.base import ContentFile
from django.db import transaction

from baocao.signing import appearance, pki
from baocao.signing.models import SealKeeper, SigningKey
from baocao.signing.trust import TrustConfig

if TYPE_CHECKING:
    from tests.web.conftest import World

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) chưa cài: apt-get install libreoffice-writer-nogui",
)
PASSWORD = "mat-khau-chu-ky"


def asn1(issued: pki.Issued) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(issued.cert.public_bytes(serialization.Encoding.DER))


@dataclass
class Pki:
    root: pki.Issued
    leader: pki.Issued
    agency: pki.Issued
    expired: pki.Issued
    revoked: pki.Issued
    stranger: pki.Issued  # issued by a CA nobody configured
    tsa: pki.Issued
    crl_url: str
    _p12: dict[tuple[int, str], bytes] = field(default_factory=dict)

    def p12(self, holder: pki.Issued, password: str = PASSWORD) -> bytes:
        """The holder's PKCS#12 file, made once per run (its encryption is most of a key's registration)."""
        key = (id(holder), password)
        if key not in self._p12:
            self._p12[key] = pki.to_pkcs12(holder, [self.root.cert], password)
        return self._p12[key]

    def trust(self, *, fetching: bool = False) -> TrustConfig:
        return TrustConfig(roots=(asn1(self.root),), allow_fetching=fetching)


class _Handler(BaseHTTPRequestHandler):
    stamper: Any = None
    crl: bytes = b""

    def do_POST(self) -> None:  # an RFC 3161 time-stamping request
        body = self.rfile.read(int(self.headers["Content-Length"]))
        response = self.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
        self._reply(response, "application/timestamp-reply")

    def do_GET(self) -> None:  # the CA's revocation list
        self._reply(self.crl, "application/pkix-crl")

    def _reply(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


@pytest.fixture(scope="session")
def test_pki(server: ThreadingHTTPServer) -> Pki:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    url = f"http://127.0.0.1:{server.server_address[1]}"
    key = iter(_test_keys())
    root = pki.make_root("baocao CA thử nghiệm", key=next(key))
    crl_url = f"{url}/crl"
    leader = pki.issue(root, "Vũ Văn Thành", organisation="UBND xã Cẩm Giàng", crl_url=crl_url, key=next(key))
    agency = pki.issue(
        root, "Ủy ban nhân dân xã Cẩm Giàng", organisation="UBND xã Cẩm Giàng", crl_url=crl_url, key=next(key)
    )
    since = datetime.now(UTC) - timedelta(days=800)
    expired = pki.issue(root, "Người hết hạn", not_before=since, days=365, key=next(key))
    revoked = pki.issue(root, "Người bị thu hồi", crl_url=crl_url, key=next(key))
    stranger = pki.issue(pki.make_root("CA lạ", key=next(key)), "Người ngoài", key=next(key))
    tsa = pki.issue(root, "baocao TSA thử nghiệm", timestamping=True, key=next(key))
    _Handler.crl = pki.crl(root, [revoked.cert])
    tsa_key = asn1_keys.PrivateKeyInfo.load(
        tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    _Handler.stamper = DummyTimeStamper(tsa_cert=asn1(tsa), tsa_key=tsa_key, certs_to_embed=[asn1(root)])
    return Pki(root, leader, agency, expired, revoked, stranger, tsa, crl_url)


TEST_KEYS = Path(__file__).with_name("test-keys.pem")


def _test_keys() -> list[rsa.RSAPrivateKey]:
    """The test CA's RSA keys (2048 bits, as ``pki`` makes them), made once and kept in test-keys.pem:
    making eight took 0.3 to 1.3 s of CPU (the search for primes varies) in every test process that signs;
    reading them, well under a millisecond (without OpenSSL's check of each key, ≈ 40 ms a key: they are
    our own). Keys for these tests only: the certificates, their dates and the CRL are made each run."""
    ending = b"-----END PRIVATE KEY-----\n"
    keys = []
    for block in TEST_KEYS.read_bytes().split(ending)[:-1]:
        key = serialization.load_pem_private_key(block + ending, None, unsafe_skip_rsa_key_validation=True)
        assert isinstance(key, rsa.RSAPrivateKey)
        keys.append(key)
    return keys


@pytest.fixture(scope="session")
def tsa_url(server: ThreadingHTTPServer, test_pki: Pki) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/tsa"


_once: dict[str, Any] = {}


def once(key: str, make: Any) -> Any:
    """A value computed once per test run (LibreOffice and signing take a second or two)."""
    if key not in _once:
        _once[key] = make()
    return _once[key]


@pytest.fixture
def report_pdf(db: None) -> bytes:
    """The seed report of Cẩm Giàng made sendable (``signing_world``'s, with the signer's name) as sent, in
    PDF/A: LibreOffice converts it once per run, the same conversion ``cached_pdf`` gives the signing
    tests."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) chưa cài: apt-get install libreoffice-writer-nogui")
    return once("report_pdf", _render_report)  # type: ignore[no-any-return]


def _render_report() -> bytes:
    from unittest import mock

    from baocao.signing import jobs
    from tests.documents.conftest import make_document_world
    from tests.web.conftest import make_sendable

    with transaction.atomic(), mock.patch.object(jobs, "export_pdf", _export_once):
        world = make_document_world()
        make_sendable(world)
        pdf = jobs.render_as_sent(world.report)
        transaction.set_rollback(True)
    return pdf


_converted: dict[str, bytes] = {}
# The one part of a .docx that differs between two builds of the same report: when it was written.
_WRITTEN = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def docx_key(docx: bytes) -> str:
    """What LibreOffice is given, without the file's created/modified stamps: two tests that build the same
    report a few seconds apart give the same key."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            digest.update(
                name.encode() + b"\0" + (_WRITTEN.sub(b"", data) if name == "docProps/core.xml" else data)
            )
    return digest.hexdigest()


@pytest.fixture
def cached_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice converts each distinct report once per test run (a second or more of work per
    conversion): keyed by the .docx it is given (``docx_key``), the first conversion real."""
    monkeypatch.setattr("baocao.signing.jobs.export_pdf", _export_once)


def _export_once(built: Any, *, pdfa: bool = False) -> bytes:
    """``export_pdf``, each distinct .docx converted once per run (``docx_key``)."""
    from baocao.documents import pdf_export
    from baocao.documents.docx_export import export_docx

    docx = export_docx(built)
    key = docx_key(docx) + str(pdfa)
    if key not in _converted:
        target = pdf_export.PDFA_TARGET if pdfa else "pdf"
        _converted[key] = pdf_export.convert(docx, ".docx", target)
    return _converted[key]


def register(world: World, test_pki: Pki, holder: str, issued: object, user: object = None) -> SigningKey:
    key = SigningKey(
        unit=world.cam_giang,
        holder=holder,
        user=user,
        kind=SigningKey.Kind.PKCS12,
        certificate=issued.cert.public_bytes(serialization.Encoding.DER),  # type: ignore[attr-defined]
        image=once("signature_png", lambda: appearance.demo_signature_png("x")),
    )
    key.pkcs12_file.save(f"{holder}.p12", ContentFile(test_pki.p12(issued)), save=False)  # type: ignore[arg-type]
    key.save()
    return key


def make_signing_world(test_pki: Pki) -> World:
    """The documents' world with its report made sendable, the leader's and the agency's keys registered
    and the leader keeping the seal."""
    from tests.documents.conftest import make_document_world
    from tests.web.conftest import make_sendable

    world = make_document_world()
    make_sendable(world)
    world.report.refresh_from_db()
    register(world, test_pki, SigningKey.Holder.PERSON, test_pki.leader, world.leader)
    register(world, test_pki, SigningKey.Holder.AGENCY, test_pki.agency)
    SealKeeper.objects.create(unit=world.cam_giang, user=world.leader)
    return world


@pytest.fixture(scope="module")
def module_signing_world(
    django_db_setup: None, django_db_blocker: Any, test_pki: Pki, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[World, Path]]:
    """``make_signing_world`` once per module (as tests/web's ``module_world``: its rows in a transaction
    rolled back after the module, each test in a savepoint inside it), and the folder of its key files."""
    from django.test import override_settings

    from tests.web.conftest import world_kept

    keys = tmp_path_factory.mktemp("signing-keys")

    def build() -> World:
        with override_settings(SIGNING_DIR=keys):
            return make_signing_world(test_pki)

    with world_kept(django_db_blocker, build) as world:
        yield world, keys


@pytest.fixture
def signing_world(
    module_signing_world: tuple[World, Path], db: None, settings: object, tmp_path: Path, test_pki: Pki
) -> World:
    """A fresh copy of the module's signing world (``module_signing_world``), its key files copied to this
    test's own SIGNING_DIR; trusting the test CA only, no TSA, no fetching."""
    world, keys = module_signing_world
    settings.SIGNING_DIR = tmp_path / "signing"  # type: ignore[attr-defined]
    shutil.copytree(keys, settings.SIGNING_DIR)  # type: ignore[attr-defined]
    settings.SIGNING_TRUST_DEMO = False  # type: ignore[attr-defined]
    settings.SIGNING_FETCH_REVOCATION = False  # type: ignore[attr-defined]
    settings.SIGNING_TSA_URL = ""  # type: ignore[attr-defined]
    root = tmp_path / "root.pem"
    root.write_bytes(test_pki.root.cert_pem)
    settings.SIGNING_TRUST_ROOTS = [str(root)]  # type: ignore[attr-defined]
    return copy.deepcopy(world)


def one_page_pdf(*lines: str) -> bytes:
    """A one-page A4 PDF with ``lines`` of ASCII text (Helvetica): a PDF with a text layer, small enough to
    read in a few milliseconds."""
    text = b" ".join(b"(%s) Tj 0 -16 Td" % line.encode("ascii") for line in lines)
    content = b"BT /F1 12 Tf 72 760 Td " + text + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def signed_page(test_pki: Pki) -> bytes:
    """A one-page PDF signed as a report is sent (the leader's signature, then the agency's seal and its
    appendix mark: three signatures), made once per run, for the checkers: they read the whole file before
    showing its signatures, ≈ 0.7 s with pdfplumber for the twelve pages of the signed report."""
    from baocao.signing import keys, layout, pades

    def sign() -> bytes:
        pdf = one_page_pdf("BAO CAO", "1. Tinh hinh chung")
        agency = "Ủy ban nhân dân xã Cẩm Giàng"
        image = once("signature_png", lambda: appearance.demo_signature_png("x"))
        marks = [
            pades.Mark(
                "CoQuan", layout.Box(0, 330, 420, 438, 528), appearance.seal_style(image), {"agency": agency}
            ),
            pades.Mark(
                "CoQuanPhuLuc",
                layout.Box(0, 72, 200, 272, 260),
                appearance.appendix_style(),
                {"agency": agency, "number": "Số: 15/BC-UBND"},
            ),
        ]
        leader = pades.Mark("LanhDao", layout.Box(0, 360, 430, 520, 520), appearance.signature_style(image))
        signatures = [
            pades.Signature(keys.Pkcs12Key(test_pki.p12(test_pki.leader), PASSWORD), "lãnh đạo", (leader,)),
            pades.Signature(keys.Pkcs12Key(test_pki.p12(test_pki.agency), PASSWORD), "cơ quan", tuple(marks)),
        ]
        return pades.sign_pdf(pdf, signatures, trust=test_pki.trust()).pdf

    return once("signed_page", sign)  # type: ignore[no-any-return]
