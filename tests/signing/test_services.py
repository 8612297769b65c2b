"""Signing when the leader sends: all or nothing, the official copy, versions, and every refusal."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from baocao.accounts.models import Membership, Role
from baocao.reports import services as report_services
from baocao.reports.models import Report, Status
from baocao.signing import services
from baocao.signing.models import SealKeeper, SignedCopy, SigningKey
from baocao.signing.verify import Verdict, verify_pdf
from tests.signing.conftest import PASSWORD, Pki, register
from tests.web.conftest import World

pytestmark = pytest.mark.usefixtures("cached_pdf")


def _stored_files(settings: object) -> list[Path]:
    folder = Path(settings.SIGNING_DIR) / "signed"  # type: ignore[attr-defined]
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def test_the_leader_signs_and_sends_and_the_signed_copy_is_the_official_pdf(
    signing_world: World, test_pki: Pki, settings: object
) -> None:
    """One signed copy (signing and verifying take a second) for everything a sent report's copy is: the
    official PDF, valid, downloaded and zipped as is, never changed or deleted, and reported once its file
    is altered on the server."""
    world = signing_world
    copy = services.report_sign_and_send(
        report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
    )
    world.report.refresh_from_db()
    assert world.report.status == Status.SENT
    assert (copy.version, copy.level) == (1, "B-B")
    assert (
        copy.signers.splitlines()
        == [
            "Vũ Văn Thành (UBND xã Cẩm Giàng)",
            "Ủy ban nhân dân xã Cẩm Giàng (UBND xã Cẩm Giàng)",
            "Ủy ban nhân dân xã Cẩm Giàng (UBND xã Cẩm Giàng)",
        ][:2]
    )
    assert "Chưa cấu hình máy chủ cấp dấu thời gian" in copy.notes
    data = copy.read()
    assert hashlib.sha256(data).hexdigest() == copy.sha256
    assert services.official_copy(world.report) == copy
    result = verify_pdf(data, services.trust_config())
    assert result.all_valid and len(result.signatures) == 3
    assert b"D\xe1\xbb\xb0 TH\xe1\xba\xa2O" not in data  # "DỰ THẢO" is not on the signed copy
    # The reviewer's download of the PDF is this very file, and so is the round's zip.
    url = reverse("documents:download", args=[world.round.code, world.cam_giang.code, "pdf"])
    response = world.client(world.district_reviewer).get(url)
    assert response.status_code == 200 and response.content == data
    _the_round_zip_holds_the_signed_copy(world, copy)
    _the_signed_copy_is_never_changed_or_deleted(copy)
    _a_file_altered_on_the_server_is_reported(world, copy)


def test_a_wrong_password_sends_nothing_and_stores_nothing(signing_world: World, settings: object) -> None:
    world = signing_world
    version = world.report.version
    with pytest.raises(services.SigningRefused, match="Mật khẩu tệp chữ ký số không đúng"):
        services.report_sign_and_send(
            report=world.report, user=world.leader, secret="sai", seal_secret=PASSWORD
        )
    world.report.refresh_from_db()
    assert (world.report.status, world.report.version) == (Status.DRAFT, version)
    assert not SignedCopy.objects.exists()
    assert _stored_files(settings) == []


def test_a_leader_with_a_key_cannot_send_unsigned_by_any_path(signing_world: World) -> None:
    world = signing_world
    with pytest.raises(report_services.WorkflowError, match="Ký số và gửi báo cáo"):
        report_services.report_send(report=world.report, user=world.leader)
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT
    response = world.client(world.leader).post(
        reverse("reports:action", args=[world.round.code, "02008", "send"]), {"confirm": "1"}, follow=True
    )
    assert "Ký số và gửi báo cáo" in response.content.decode()
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT and not SignedCopy.objects.exists()


def test_a_failure_while_sending_removes_the_signed_file(
    signing_world: World, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = signing_world

    def broken(**kwargs: object) -> None:
        raise report_services.WorkflowError("Hỏng giữa chừng.")

    monkeypatch.setattr("baocao.signing.services.report_send", broken)
    with pytest.raises(report_services.WorkflowError, match="Hỏng giữa chừng"):
        services.report_sign_and_send(
            report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
        )
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT
    assert not SignedCopy.objects.exists()
    assert _stored_files(settings) == []


def test_only_a_leader_of_the_unit_signs(signing_world: World, test_pki: Pki) -> None:
    world = signing_world
    admin = world.leader.__class__.objects.create_user("quan.tri", password="x")
    Membership.objects.create(user=admin, unit=world.cam_giang, role=Role.ADMIN)
    register(world, test_pki, SigningKey.Holder.PERSON, test_pki.leader, admin)
    with pytest.raises(services.SigningRefused, match="Chỉ lãnh đạo của Xã Cẩm Giàng được ký số"):
        services.report_sign_and_send(report=world.report, user=admin, secret=PASSWORD)
    assert world.report.__class__.objects.get(pk=world.report.pk).status == Status.DRAFT


def test_a_certificate_registered_for_someone_else_is_refused(signing_world: World, test_pki: Pki) -> None:
    world = signing_world
    key = services.leader_key(world.cam_giang, world.leader)
    assert key is not None
    # The leader's registered key file now holds the agency's certificate: not theirs.
    SigningKey.objects.filter(pk=key.pk).update(active=False)
    other = register(world, test_pki, SigningKey.Holder.PERSON, test_pki.agency, world.leader)
    SigningKey.objects.filter(pk=other.pk).update(certificate=key.certificate)
    with pytest.raises(services.SigningRefused, match="không phải chứng thư đã đăng ký cho Vũ Văn Thành"):
        services.report_sign_and_send(
            report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
        )
    assert not SignedCopy.objects.exists()


def test_an_expired_certificate_is_refused(signing_world: World, test_pki: Pki) -> None:
    world = signing_world
    SigningKey.objects.filter(holder=SigningKey.Holder.PERSON).update(active=False)
    register(world, test_pki, SigningKey.Holder.PERSON, test_pki.expired, world.leader)
    with pytest.raises(services.SigningRefused, match="Chứng thư số của lãnh đạo đã hết hạn"):
        services.report_sign_and_send(
            report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
        )
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT


def test_the_seal_needs_its_password_and_a_seal_keeper(signing_world: World) -> None:
    world = signing_world
    with pytest.raises(services.SigningRefused, match=r"Cần nhập mật khẩu .* của cơ quan"):
        services.report_sign_and_send(report=world.report, user=world.leader, secret=PASSWORD)
    SealKeeper.objects.all().delete()
    with pytest.raises(services.SigningRefused, match="không được Xã Cẩm Giàng giao giữ con dấu"):
        services.report_sign_and_send(
            report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
        )
    # Without the seal the leader still signs; the copy says the agency's signature is missing.
    copy = services.report_sign_and_send(report=world.report, user=world.leader, secret=PASSWORD)
    assert len(verify_pdf(copy.read(), services.trust_config()).signatures) == 1
    assert "Chưa có chữ ký số của cơ quan" in copy.notes


def test_returned_and_sent_again_makes_a_new_version_and_keeps_the_old(signing_world: World) -> None:
    world = signing_world
    first = services.report_sign_and_send(
        report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
    )
    report_services.report_return(report=world.report, user=world.district_reviewer, reason="Sửa số liệu")
    world.report.refresh_from_db()
    assert services.official_copy(world.report) is None
    report_services.report_set_header(report=world.report, user=world.clerk, fields={"number": "16"})
    second = services.report_sign_and_send(
        report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
    )
    assert (first.version, second.version) == (1, 2)
    assert first.sha256 != second.sha256
    world.report.refresh_from_db()
    assert services.official_copy(world.report) == second
    assert SignedCopy.objects.get(pk=first.pk).read() == first.read()


def _the_signed_copy_is_never_changed_or_deleted(copy: SignedCopy) -> None:
    copy.level = "B-LT"
    with pytest.raises(ValueError, match="không được sửa"):
        copy.save()
    with pytest.raises(ValueError, match="không được xóa"):
        copy.delete()
    with pytest.raises(ValueError, match="không được sửa"):
        SignedCopy.objects.filter(pk=copy.pk).update(level="B-LT")
    with pytest.raises(ValueError, match="không được xóa"):
        SignedCopy.objects.all().delete()
    assert SignedCopy.objects.get(pk=copy.pk).level == "B-B"
    assert Path(copy.file.path).stat().st_mode & 0o222 == 0


def _a_file_altered_on_the_server_is_reported(world: World, copy: SignedCopy) -> None:
    path = Path(copy.file.path)
    path.chmod(0o640)
    data = bytearray(path.read_bytes())
    data[data.index(b"stream\n", 2000) + 40] ^= 0x01
    path.write_bytes(bytes(data))
    verification, hash_ok = services.verify_copy(copy)
    assert not hash_ok
    assert verification.signatures[0].verdict == Verdict.ALTERED
    page = world.client(world.district_reviewer).get(
        reverse("signing:copies", args=[world.round.code, "02008"])
    )
    text = page.content.decode()
    assert "Văn bản đã bị sửa sau khi ký" in text
    assert "không còn khớp mã SHA-256" in text


def _the_round_zip_holds_the_signed_copy(world: World, copy: SignedCopy) -> None:
    import io
    import zipfile

    from baocao.documents.bundle import round_reports, round_zip

    archive = zipfile.ZipFile(io.BytesIO(round_zip(round_reports(world.district_reviewer, world.round))))
    names = archive.namelist()
    assert "02008-xa-cam-giang-cchc-2024-q1.pdf" in names
    assert archive.read("02008-xa-cam-giang-cchc-2024-q1.pdf") == copy.read()
    assert not any(name.startswith("02005") and name.endswith(".pdf") for name in names)


def test_a_report_with_errors_is_neither_signed_nor_sent(signing_world: World) -> None:
    world = signing_world
    report_services.report_set_value(report=world.report, user=world.clerk, code="7.2.1.c", raw="9")
    with pytest.raises(report_services.WorkflowError, match="Chưa gửi được: 1 lỗi cần sửa"):
        services.report_sign_and_send(
            report=world.report, user=world.leader, secret=PASSWORD, seal_secret=PASSWORD
        )
    assert not SignedCopy.objects.exists()
    assert Report.objects.get(pk=world.report.pk).status == Status.DRAFT
