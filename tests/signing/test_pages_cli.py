"""The sign-and-send form and the signed copies page as people use them, and ``baocao verify``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from baocao.jobs.models import Job
from baocao.legacy.jobs import file_check_task
from baocao.reports.models import Status
from baocao.signing.jobs import KIND_SIGNING_PDF, prepare_pdf, prepared_job
from baocao.signing.models import SignedCopy
from baocao.signing.services import MSG_NOT_READY
from tests.cli_runner import run
from tests.signing.conftest import PASSWORD, Pki, once, signed_page
from tests.web.conftest import World

pytestmark = pytest.mark.usefixtures("cached_pdf")


def _send_url(world: World) -> str:
    return reverse("signing:send", args=[world.round.code, world.cam_giang.code])


def _prepare(world: World) -> None:
    """The PDF/A to sign, made by its job's task as a worker would (the worker's loop: tests/jobs)."""
    job = prepared_job(report=world.report, user=world.leader)
    prepare_pdf.call(job.pk)


def _sign_and_send(world: World) -> bytes:
    """The leader signs and sends through the form; the signed copy's content."""
    _prepare(world)
    world.client(world.leader).post(
        _send_url(world), {"password": PASSWORD, "seal_password": PASSWORD, "confirm": "1"}
    )
    return SignedCopy.objects.get().read()


def _signed_copy(world: World) -> bytes:
    """A signed copy made once per test run for the tests that only read or verify it: the one the first
    test signs through the form (``_keep_signed_copy``), else ``_sign_and_send`` (the same report, keys and
    form each time: signing and verifying take seconds; a copy's verification is kept by its hash, so each
    distinct file is checked by pyHanko once per run)."""
    return once("signed_copy", lambda: _sign_and_send(world))  # type: ignore[no-any-return]


def _keep_signed_copy() -> None:
    once("signed_copy", lambda: SignedCopy.objects.get().read())


def test_the_send_form_asks_for_both_passwords_and_signs(signing_world: World) -> None:
    world = signing_world
    client = world.client(world.leader)
    waiting = client.get(_send_url(world)).content.decode()
    # The PDF/A is being made by a job: the form shows its progress and asks again, no password yet.
    assert "Đang chuẩn bị bản PDF/A của báo cáo để ký số" in waiting and "<progress" in waiting
    assert 'hx-trigger="every 1s"' in waiting and 'name="password"' not in waiting
    job = Job.objects.get(kind=KIND_SIGNING_PDF)
    assert (job.owner, job.params) == (world.leader, {"report": world.report.pk})
    prepare_pdf.call(job.pk)
    form = client.get(reverse("signing:prepare", args=[world.round.code, "02008"])).content.decode()
    assert 'name="password"' in form and 'name="seal_password"' in form and "hx-trigger" not in form
    assert "Chưa cấu hình máy chủ cấp dấu thời gian" in form
    response = client.post(
        _send_url(world), {"password": PASSWORD, "seal_password": PASSWORD, "confirm": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("signing:copies", args=[world.round.code, "02008"])
    page = response.content.decode()
    assert "Đã ký số và gửi báo cáo (bản ký số số 1, PAdES B-B" in page
    assert page.count("<strong>Hợp lệ</strong>") == 3
    world.report.refresh_from_db()
    assert world.report.status == Status.SENT
    _keep_signed_copy()


def test_signing_before_the_pdf_is_ready_is_refused_and_stores_no_password(signing_world: World) -> None:
    world = signing_world
    response = world.client(world.leader).post(
        _send_url(world), {"password": PASSWORD, "seal_password": PASSWORD, "confirm": "1"}
    )
    assert response.status_code == 422
    assert MSG_NOT_READY in response.content.decode()
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT and not SignedCopy.objects.exists()
    # The job started for it carries the report's number only: never a password.
    job = Job.objects.get(kind=KIND_SIGNING_PDF)
    assert job.params == {"report": world.report.pk}
    stored = [json.dumps(task.args_kwargs) for task in DBTaskResult.objects.all()]
    assert stored == [json.dumps({"args": [job.pk], "kwargs": {}})]


def test_a_wrong_password_shows_the_reason_and_keeps_the_report(signing_world: World) -> None:
    world = signing_world
    _prepare(world)
    response = world.client(world.leader).post(
        _send_url(world), {"password": "sai", "seal_password": PASSWORD, "confirm": "1"}
    )
    assert response.status_code == 422
    assert "Mật khẩu tệp chữ ký số không đúng" in response.content.decode()
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT
    assert not SignedCopy.objects.exists()


def test_signing_without_the_confirmation_is_refused(signing_world: World) -> None:
    from baocao.reports.views import MSG_CONFIRM

    world = signing_world
    _prepare(world)
    response = world.client(world.leader).post(
        _send_url(world), {"password": PASSWORD, "seal_password": PASSWORD}
    )
    assert response.status_code == 422
    assert MSG_CONFIRM in response.content.decode()
    world.report.refresh_from_db()
    assert world.report.status == Status.DRAFT
    assert not SignedCopy.objects.exists()


def test_the_review_page_offers_the_signing_form_to_a_leader_with_a_key(signing_world: World) -> None:
    world = signing_world
    review = reverse("documents:review", args=[world.round.code, world.cam_giang.code])
    world.client(world.leader).get(review)  # opening the review page starts the PDF/A's job
    prepare_pdf.call(Job.objects.get(kind=KIND_SIGNING_PDF).pk)
    page = world.client(world.leader).get(review).content.decode()
    assert f'action="{_send_url(world)}"' in page and 'name="seal_password"' in page
    assert 'name="confirm" value="1" required' in page
    assert 'class="confirm-send"' not in page


@pytest.mark.parametrize(
    ("who", "status"), [("clerk", 403), ("other_clerk", 404), ("district_reviewer", 403)]
)
def test_who_may_not_sign_and_send(signing_world: World, who: str, status: int) -> None:
    world = signing_world
    response = world.client(getattr(world, who)).post(_send_url(world), {"password": PASSWORD})
    assert response.status_code == status
    assert not SignedCopy.objects.exists()


def test_copies_page_is_hidden_from_another_commune(signing_world: World) -> None:
    world = signing_world
    url = reverse("signing:copies", args=[world.round.code, "02008"])
    assert world.client(world.other_clerk).get(url).status_code == 404
    assert world.client(world.district_reviewer).get(url).status_code == 200


def test_baocao_verify_prints_each_signature_and_exits_by_the_result(
    signing_world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    signed = tmp_path / "ban-chinh.pdf"
    signed.write_bytes(_signed_copy(signing_world))
    code, out, _ = run(monkeypatch, capsys, "verify", str(signed))
    assert code == 0
    assert "Chữ ký 1: Vũ Văn Thành (UBND xã Cẩm Giàng)" in out
    assert "Tất cả 3 chữ ký hợp lệ." in out
    code, out, _ = run(monkeypatch, capsys, "verify", str(signed), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["all_valid"] and [s["status"] for s in data["signatures"]] == ["valid"] * 3
    altered = bytearray(signed.read_bytes())
    altered[altered.index(b"stream\n", 2000) + 40] ^= 0x01
    signed.write_bytes(bytes(altered))
    code, out, _ = run(monkeypatch, capsys, "verify", str(signed))
    assert code == 1
    assert "Văn bản đã bị sửa sau khi ký" in out and "3 trong 3 chữ ký không hợp lệ." in out
    (tmp_path / "x.pdf").write_bytes(b"not a pdf")
    code, _, err = run(monkeypatch, capsys, "verify", str(tmp_path / "x.pdf"))
    assert code == 2 and "Tệp không phải là PDF." in err
    code, _, err = run(monkeypatch, capsys, "verify", str(tmp_path / "missing.pdf"))
    assert code == 2 and "không đọc được" in err


def test_the_old_reports_checker_shows_the_signatures_of_an_uploaded_pdf(
    signing_world: World, test_pki: Pki
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    world = signing_world
    data = signed_page(test_pki)  # signed as a report is: the checker reads every page before the signatures
    client = world.client(world.district_reviewer)
    # A PDF is read by a job (it may need OCR), which checks its signatures too; run as a worker would.
    queued = client.post("/bao-cao-cu/", {"file": SimpleUploadedFile("ban-chinh.pdf", data)})
    job = Job.objects.get(pk=int(queued["Location"].split("/")[2]))
    file_check_task.call(job.pk)
    page = client.get(f"/bao-cao-cu/ket-qua-tep/{job.pk}/").content.decode()
    assert "<h2>Chữ ký số</h2>" in page
    assert page.count("<strong>Hợp lệ</strong>") == 3 and "Vũ Văn Thành" in page
    unsigned = client.post("/bao-cao-cu/", {"file": SimpleUploadedFile("a.txt", b"BAO CAO\n1. abc")})
    assert "<h2>Chữ ký số</h2>" not in unsigned.content.decode()


def test_export_pdf_of_a_sent_report_is_its_signed_copy(
    signing_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = signing_world
    _sign_and_send(world)
    out = tmp_path / "x.pdf"
    args = (
        "export",
        "--round",
        world.round.code,
        "--unit",
        "02008",
        "--format",
        "pdf",
        "--user",
        "huyen.bachthong",
    )
    code, _, err = run(monkeypatch, capsys, *args, "--out", str(out))
    assert (code, err) == (0, "")
    assert out.read_bytes() == SignedCopy.objects.get().read()


def test_the_template_tags_render_the_form_and_the_link(signing_world: World) -> None:
    from django.template import engines
    from django.test import RequestFactory

    world = signing_world
    _prepare(world)
    request = RequestFactory().get("/")
    request.user = world.leader
    page = engines["django"].from_string(
        "{% load signing_tags %}{% can_sign report as signing %}{% if signing %}{% sign_send_form report %}"
        "{% endif %}{% signed_copies_link report %}"
    )
    html = page.render({"report": world.report}, request)
    assert f'action="{_send_url(world)}"' in html and 'name="seal_password"' in html
    assert "csrfmiddlewaretoken" in html
    assert ">Bản ký số</a>" in html
    request.user = world.clerk
    assert "sign-send" not in page.render({"report": world.report}, request)


def test_the_template_tags_load_no_pyhanko_until_something_is_signed_or_verified() -> None:
    """Django's template engine imports every tag library in every process, for any page: the form and the
    link read the database only (``baocao.signing.lookup``); pyHanko (≈ 0.6 s to import, with aiohttp) is
    loaded by the modules that sign and verify, when called. Read from the source: the modules imported at
    the top of the tag library's module, and of theirs, transitively."""
    import ast
    from importlib.util import find_spec

    def source(module: str) -> str | None:
        try:
            spec = find_spec(module)
        except ModuleNotFoundError:  # a name imported from a module, not a module
            return None
        return spec.origin if spec is not None and spec.origin not in (None, "built-in", "frozen") else None

    def top_imports(path: str) -> set[str]:
        names = set()
        for node in ast.parse(Path(path).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        parts = [name.split(".") for name in names]  # importing a.b.c runs a and a.b first
        return {".".join(part[:end]) for part in parts for end in range(1, len(part) + 1)}

    seen, todo = set(), ["baocao.signing.templatetags.signing_tags"]
    while todo:
        module = todo.pop()
        path = source(module)
        if path is None:
            continue
        for name in top_imports(path) - seen:
            seen.add(name)
            if name.startswith("baocao."):
                todo.append(name)
    assert "baocao.signing.lookup" in seen
    heavy = ("pyhanko", "pyhanko_certvalidator", "aiohttp")
    assert not {name for name in seen if name.split(".")[0] in heavy}


def test_baocao_check_of_a_signed_pdf_lists_its_signatures(
    signing_world: World,
    test_pki: Pki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    signed = tmp_path / "ban-chinh.pdf"
    # Signed as a report is; one page, since each `check` reads the whole file (in a worker) first.
    signed.write_bytes(signed_page(test_pki))
    _, out, _ = run(monkeypatch, capsys, "check", str(signed), "--format", "json")
    data = json.loads(out)
    assert data["signatures"]["all_valid"] and len(data["signatures"]["signatures"]) == 3
    _, out, _ = run(monkeypatch, capsys, "check", str(signed))
    assert "CHỮ KÝ SỐ (3)" in out and "Vũ Văn Thành (UBND xã Cẩm Giàng)" in out and ": Hợp lệ" in out
