"""Signing a rendered report and verifying it: pyHanko's validator, poppler's pdfsig, a changed byte, a change
appended after signing, and every certificate problem, each refused with its Vietnamese message and nothing
signed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from baocao.signing import appearance, keys, layout, pades, verify
from baocao.signing.trust import CertificateProblem, TrustConfig
from tests.signing.conftest import PASSWORD, Pki, asn1, once, signed_page

SEAL = appearance.demo_seal_png(("ỦY BAN NHÂN DÂN", "XÃ CẨM GIÀNG"), "THỬ")
SIGNATURE = appearance.demo_signature_png("vu-van-thanh")
AGENCY = "Ủy ban nhân dân xã Cẩm Giàng"


def _signatures(
    test_pki: Pki, places: layout.Places, leader: keys.KeySource | None = None
) -> list[pades.Signature]:
    seal_marks = [pades.Mark("CoQuan", places.seal, appearance.seal_style(SEAL), {"agency": AGENCY})]
    assert places.appendix is not None
    params = {"agency": AGENCY, "number": "Số: 15/BC-UBND"}
    seal_marks.append(pades.Mark("CoQuanPhuLuc", places.appendix, appearance.appendix_style(), params))
    leader_key = leader or keys.Pkcs12Key(test_pki.p12(test_pki.leader), PASSWORD)
    return [
        pades.Signature(
            leader_key,
            "lãnh đạo",
            (pades.Mark("LanhDao", places.signature, appearance.signature_style(SIGNATURE)),),
        ),
        pades.Signature(
            keys.Pkcs12Key(test_pki.p12(test_pki.agency), PASSWORD), "cơ quan", tuple(seal_marks)
        ),
    ]


@pytest.fixture
def places(report_pdf: bytes) -> layout.Places:
    return once("places", lambda: layout.locate(report_pdf, title="CHỦ TỊCH", name="Vũ Văn Thành"))  # type: ignore[no-any-return]


@pytest.fixture
def signed(report_pdf: bytes, places: layout.Places, test_pki: Pki, tsa_url: str) -> pades.Signed:
    def sign() -> pades.Signed:
        signatures = _signatures(test_pki, places)
        return pades.sign_pdf(report_pdf, signatures, trust=test_pki.trust(fetching=True), tsa_url=tsa_url)

    return once("signed", sign)  # type: ignore[no-any-return]


def test_signature_boxes_sit_between_title_and_name_and_on_the_appendix(report_pdf: bytes) -> None:
    import io

    import pdfplumber

    places = layout.locate(report_pdf, title="CHỦ TỊCH", name="Vũ Văn Thành")
    with pdfplumber.open(io.BytesIO(report_pdf)) as pdf:
        page = pdf.pages[places.signature.page]
        words = page.extract_words()
        title = next(w for w in words if w["text"] == "TỊCH" and w["x0"] > page.width / 2)
        name = next(w for w in words if w["text"] == "Thành")
        height = float(page.height)
        # Between the title's bottom and the name's top, centred on the title's column.
        assert places.signature.y1 <= height - title["bottom"]
        assert places.signature.y0 >= height - name["top"]
        assert abs((places.signature.x0 + places.signature.x1) / 2 - (title["x0"] - 30)) < 60
        appendix_page = pdf.pages[places.appendix.page]  # type: ignore[union-attr]
        assert appendix_page.extract_text().startswith("Phụ lục")
    # The seal is about 38 mm across and its right edge a third into the signature.
    assert places.seal.height == pytest.approx(38 * 72 / 25.4)
    third = places.signature.x0 + places.signature.width / 3
    assert places.seal.x0 + places.seal.height == pytest.approx(third)
    assert places.appendix is not None and places.appendix.page > places.signature.page


def test_missing_signature_block_is_a_clear_message(report_pdf: bytes) -> None:
    with pytest.raises(layout.LayoutError, match="Không tìm thấy khối chữ ký"):
        layout.locate(report_pdf, title="GIÁM ĐỐC SỞ")


def test_signed_report_is_b_lt_and_valid_for_pyhanko(signed: pades.Signed, test_pki: Pki) -> None:
    assert signed.level == "B-LT"
    assert signed.notes == []
    result = verify.verify_pdf(signed.pdf, test_pki.trust())
    assert [check.field_name for check in result.signatures] == ["LanhDao", "CoQuan", "CoQuanPhuLuc"]
    assert result.all_valid
    first = result.signatures[0]
    assert first.signer == "Vũ Văn Thành" and first.agency == "UBND xã Cẩm Giàng"
    assert first.timestamped and first.signed_at_text.endswith("+07:00")
    assert first.label == "Hợp lệ"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig chưa cài: apt-get install poppler-utils")
def test_pdfsig_of_poppler_finds_every_signature_valid(signed: pades.Signed, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed.pdf)
    output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert output.count("Signature Validation: Signature is Valid.") == 3
    assert "Signer Certificate Common Name: Vũ Văn Thành" in output
    assert "Signature Type: ETSI.CAdES.detached" in output


def test_one_changed_byte_after_signing_is_detected(signed: pades.Signed, test_pki: Pki) -> None:
    data = bytearray(signed.pdf)
    position = data.index(b"stream\n", 2000) + 40  # inside a stream of the report: every signature covers it
    data[position] ^= 0x01
    result = verify.verify_pdf(bytes(data), test_pki.trust())
    assert not result.all_valid
    assert {check.verdict for check in result.signatures} == {verify.Verdict.ALTERED}
    assert result.signatures[0].label == "Văn bản đã bị sửa sau khi ký"
    assert not result.signatures[0].intact


def test_a_change_appended_after_signing_is_detected(test_pki: Pki) -> None:
    """An incremental update after the signatures leaves every signed byte as it was (the digests match):
    pyHanko's review of the later revisions is what refuses it. A one-page PDF signed as a report is."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_page(test_pki)))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 760 Td (BAO CAO DA SUA) Tj ET")
    )
    writer.update_container(page)
    changed = io.BytesIO()
    writer.write(changed)
    result = verify.verify_pdf(changed.getvalue(), test_pki.trust())
    assert [check.verdict for check in result.signatures] == [verify.Verdict.ALTERED] * 3


def test_a_signature_from_an_unconfigured_root_is_not_trusted(signed: pades.Signed, test_pki: Pki) -> None:
    stranger_root = TrustConfig(roots=(asn1(test_pki.stranger),))
    result = verify.verify_pdf(signed.pdf, stranger_root)
    assert [check.verdict for check in result.signatures] == [verify.Verdict.UNTRUSTED] * 3
    assert all(check.intact for check in result.signatures)


def test_a_file_that_is_not_a_pdf_is_unreadable(test_pki: Pki) -> None:
    with pytest.raises(verify.Unreadable, match="không phải là PDF"):
        verify.verify_pdf(b"PK\x03\x04 a zip", test_pki.trust())


def test_without_tsa_the_time_is_the_servers_and_the_result_says_so(
    report_pdf: bytes, places: layout.Places, test_pki: Pki
) -> None:
    result = pades.sign_pdf(report_pdf, _signatures(test_pki, places)[:1], trust=test_pki.trust())
    assert result.level == "B-B"
    assert result.notes[0].startswith("Chưa cấu hình máy chủ cấp dấu thời gian (TSA)")
    assert verify.verify_pdf(result.pdf, test_pki.trust()).signatures[0].timestamped is False


def test_an_unreachable_tsa_degrades_to_the_servers_time(
    report_pdf: bytes, places: layout.Places, test_pki: Pki
) -> None:
    dead = "http://127.0.0.1:9/tsa"
    result = pades.sign_pdf(
        report_pdf, _signatures(test_pki, places)[:1], trust=test_pki.trust(), tsa_url=dead
    )
    assert result.level == "B-B"
    assert any(note.startswith(f"Không lấy được dấu thời gian từ {dead}") for note in result.notes)


@pytest.mark.parametrize(
    ("holder", "kind", "message"),
    [
        ("expired", "expired", "đã hết hạn"),
        ("revoked", "revoked", "đã bị thu hồi"),
        ("stranger", "untrusted", "không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp"),
    ],
)
def test_bad_certificates_sign_nothing(
    report_pdf: bytes, places: layout.Places, test_pki: Pki, holder: str, kind: str, message: str
) -> None:
    issued = getattr(test_pki, holder)
    bad = keys.Pkcs12Key(test_pki.p12(issued), PASSWORD)
    with pytest.raises(CertificateProblem, match=message) as caught:
        pades.sign_pdf(
            report_pdf, _signatures(test_pki, places, leader=bad), trust=test_pki.trust(fetching=True)
        )
    assert caught.value.kind == kind
    assert str(caught.value).startswith("Chứng thư số của lãnh đạo")


def test_wrong_pkcs12_password_signs_nothing(report_pdf: bytes, places: layout.Places, test_pki: Pki) -> None:
    wrong = keys.Pkcs12Key(test_pki.p12(test_pki.leader), "mat-khau-sai")
    with pytest.raises(keys.SigningKeyError, match="Mật khẩu tệp chữ ký số không đúng"):
        pades.sign_pdf(report_pdf, _signatures(test_pki, places, leader=wrong), trust=test_pki.trust())


def test_an_empty_password_is_asked_for(test_pki: Pki) -> None:
    with pytest.raises(keys.SigningKeyError, match="Chưa nhập mật khẩu"), keys.Pkcs12Key(b"x", "").open():
        pass


def test_signing_time_is_written_in_iso_8601_vietnam_time() -> None:
    from datetime import UTC, datetime

    assert appearance.iso_vietnam(datetime(2024, 2, 28, 3, 15, 3, tzinfo=UTC)) == "2024-02-28T10:15:03+07:00"


def test_the_signed_copy_keeps_its_pdf_a_2b_identity_embedded_fonts_and_no_encryption(
    signed: pades.Signed, tmp_path: Path
) -> None:
    """What an archive's validator looks at first (ISO 19005-2, level B): the XMP identification, the output
    intent with its ICC profile, every font embedded, no encryption; signing appends and changes none of it.
    (Not a full conformance check: veraPDF, the reference validator, is not packaged in Debian.)"""
    import io
    import re

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed.pdf))
    root = reader.root
    xmp = root["/Metadata"].get_object().data.decode("utf-8")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([A-Za-z])", xmp)
    assert (part and part.group(1), conformance and conformance.group(1).upper()) == ("2", "B")
    intents = [intent.get_object() for intent in root["/OutputIntents"]]
    assert [str(intent["/S"]) for intent in intents] == ["/GTS_PDFA1"]
    assert intents[0]["/DestOutputProfile"].get_object().data[36:40] == b"acsp"  # an ICC profile
    assert "/Encrypt" not in reader.trailer
    if shutil.which("pdffonts"):
        (tmp_path / "signed.pdf").write_bytes(signed.pdf)
        command = ["pdffonts", str(tmp_path / "signed.pdf")]
        listing = subprocess.run(command, capture_output=True, check=True, timeout=30, text=True).stdout
        fonts = listing.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), listing
