"""The leader signs and sends in Chromium from the review page: the confirmation must be ticked, a wrong
password changes nothing, the right ones sign and send, and the district sees every signature valid on the
report's signed copies page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from baocao.jobs.models import Job, JobStatus
from baocao.reports.models import Report, Status
from baocao.signing import appearance, pki
from baocao.signing.models import SealKeeper, SignedCopy, SigningKey
from tests.browser.conftest import screenshot, sign_out, signed_in, work
from tests.signing.conftest import _test_keys
from tests.web.conftest import World, make_sendable

pytestmark = pytest.mark.browser

REVIEW = "/reports/cchc-2024-q1/02008/xem-xet/"
SEND = "/reports/cchc-2024-q1/02008/ky-so/gui/"
PASSWORD = "mat-khau-ky-so"
# The browser tests run on 26/02/2024: certificates valid from 2020.
SINCE = datetime(2020, 1, 1, tzinfo=UTC)


def _keys(world: World, folder: Path) -> None:
    """The test CA (its RSA keys read from tests/signing/test-keys.pem, not made: ≈ 0.15 s of CPU a key),
    the leader's and the agency's PKCS#12 files issued by it, and the leader keeping the seal."""
    ca_keys = iter(_test_keys())
    root = pki.make_root("CA thử nghiệm", now=SINCE, days=6000, key=next(ca_keys))
    (folder / "root.pem").write_bytes(root.cert_pem)
    holders = [
        (SigningKey.Holder.PERSON, world.leader, "Vũ Văn Thành", appearance.demo_signature_png("ct")),
        (
            SigningKey.Holder.AGENCY,
            None,
            "Ủy ban nhân dân xã Cẩm Giàng",
            appearance.demo_seal_png(("UBND",), "THỬ"),
        ),
    ]
    for holder, user, name, image in holders:
        issued = pki.issue(
            root, name, organisation="UBND xã Cẩm Giàng", not_before=SINCE, days=5000, key=next(ca_keys)
        )
        key = SigningKey(
            unit=world.cam_giang,
            holder=holder,
            user=user,
            kind=SigningKey.Kind.PKCS12,
            certificate=issued.cert.public_bytes(serialization.Encoding.DER),
            image=image,
        )
        data = pki.to_pkcs12(issued, [root.cert], PASSWORD)
        key.pkcs12_file.save(f"{holder}.p12", ContentFile(data), save=False)
        key.save()
    SealKeeper.objects.create(unit=world.cam_giang, user=world.leader)


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice (soffice) chưa cài")
def test_leader_signs_and_sends_and_the_district_sees_valid_signatures(
    page: Page, world: World, settings: object, tmp_path: Path
) -> None:
    settings.SIGNING_DIR = tmp_path / "signing"  # type: ignore[attr-defined]
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "root.pem")]  # type: ignore[attr-defined]
    settings.SIGNING_TRUST_DEMO = False  # type: ignore[attr-defined]
    settings.SIGNING_FETCH_REVOCATION = False  # type: ignore[attr-defined]
    settings.SIGNING_TSA_URL = ""  # type: ignore[attr-defined]
    make_sendable(world)
    _keys(world, tmp_path)

    # A leader with a key signs from the review page: its decision offers the signing form, not plain "Gửi".
    signed_in(page, "ct.camgiang", then=REVIEW)
    decision = page.locator("#quyet-dinh")
    # Opening the page started the job making the PDF/A to sign: its progress shows until it is ready, then
    # the form with the password fields takes its place (the password itself never goes to a job).
    expect(decision.locator("#sign-send progress")).to_be_visible()
    expect(decision).to_contain_text("Đang chuẩn bị bản PDF/A của báo cáo để ký số")
    work()
    expect(decision.get_by_role("button", name="Ký số và gửi báo cáo")).to_be_visible()
    assert Job.objects.get().status == JobStatus.DONE
    expect(decision.get_by_role("button", name="Gửi", exact=True)).to_have_count(0)
    decision.locator('input[name="password"]').fill("sai-mat-khau")
    decision.locator('input[name="seal_password"]').fill(PASSWORD)
    decision.get_by_role("button", name="Ký số và gửi báo cáo").click()
    # Not confirmed yet: the browser refuses the form.
    assert page.url.endswith(REVIEW)
    decision.get_by_label(re.compile("đồng ý ký số, gửi báo cáo")).check()
    decision.get_by_role("button", name="Ký số và gửi báo cáo").click()
    page.wait_for_url(f"**{SEND}")
    expect(page.get_by_role("alert")).to_contain_text("Mật khẩu tệp chữ ký số không đúng")
    assert Report.objects.get(pk=world.report.pk).status == Status.DRAFT

    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="seal_password"]').fill(PASSWORD)
    page.get_by_label(re.compile("đồng ý ký số, gửi báo cáo")).check()
    page.get_by_role("button", name="Ký số và gửi báo cáo").click()
    page.wait_for_url("**/ky-so/", timeout=60_000)
    expect(page.locator("body")).to_contain_text("Đã ký số và gửi báo cáo (bản ký số số 1")
    expect(page.locator("td strong", has_text="Hợp lệ")).to_have_count(3)
    assert Report.objects.get(pk=world.report.pk).status == Status.SENT
    assert SignedCopy.objects.count() == 1
    sign_out(page)

    signed_in(page, "huyen.bachthong", then="/reports/cchc-2024-q1/02008/ky-so/")
    expect(page.locator("td strong", has_text="Hợp lệ")).to_have_count(3)
    expect(page.locator("body")).to_contain_text("Vũ Văn Thành")
    screenshot(page, "signing-copies.png", full_page=True)
