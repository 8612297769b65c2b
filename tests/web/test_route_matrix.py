"""Every route of the URL table × every persona, with the one outcome each must give on Cẩm Giàng's draft
report (tests/web/conftest.py's world). The routes are read from Django's resolver: a new route without a
row here fails ``test_every_route_has_cases``. A redirect is told apart by where it goes and what it
flashes, so an action that fails (a redirect with an error) is never taken for one that succeeded.

Outcomes: a status ("200", "403", "404", "405", "422"), "login" (sent to sign in), or "<level>→<path>" for a
redirect flashing a message of that level ("ok", "error") or none ("-").
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.messages import constants
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from baocao.access import Action, Target, can, visible_reports
from baocao.documents import pdf_export
from baocao.documents.jobs import KIND_REPORT_PDF, report_pdf
from baocao.jobs.models import Job
from baocao.jobs.services import enqueue, run_job
from baocao.legacy.jobs import KIND_FILE_CHECK, KIND_FOLDER_CHECK, file_check_task, folder_check_task
from baocao.reports.models import AuditEvent, Report
from tests.web.conftest import World

PERSONAS = (
    "anonymous",
    "clerk",
    "leader",
    "other_clerk",
    "district_reviewer",
    "province_reviewer",
    "stranger_reviewer",
)
# The admin is Django's own (staff only); the API has its own persona tests and schemathesis (tests/api).
NOT_HERE = ("admin:", "api-v1:")
JOB_ID = re.compile(r"/viec/\d+/$")  # a new job's number (the round's zip) varies with the database
RQ, CG, QH = "cchc-2024-q1", "02008", "02005"
REPORT = f"/reports/{RQ}/{CG}/"
FORM = "/bieu-mau/cchc-xa-quy/v1/"  # the packaged form, published by the ministry: offered to every unit


@pytest.fixture
def world(module_world: World, db: None) -> World:
    """The module's one world (tests/web/conftest.py, module_world), a fresh copy of its objects per test."""
    return copy.deepcopy(module_world)


@dataclass(frozen=True)
class Case:
    route: str
    path: str
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    expect: tuple[str, ...] = ()  # one outcome per persona, in the order of PERSONAS


CASES = [
    Case("web:inbox", "/", expect=("login", "200", "200", "200", "200", "200", "200")),
    Case("web:healthz", "/healthz", expect=("200", "200", "200", "200", "200", "200", "200")),
    Case("accounts:login", "/dang-nhap/", expect=("200", "-→/", "-→/", "-→/", "-→/", "-→/", "-→/")),
    Case(
        "accounts:logout",
        "/dang-xuat/",
        "post",
        expect=("login", "login", "login", "login", "login", "login", "login"),
    ),
    Case("reports:report", REPORT, expect=("login", "200", "200", "404", "200", "200", "404")),
    # A round or a unit that does not exist is a 404 for everyone signed in, like one they may not see.
    Case(
        "reports:report",
        f"/reports/khong-co/{CG}/",
        expect=("login", "404", "404", "404", "404", "404", "404"),
    ),
    Case(
        "reports:report", f"/reports/{RQ}/99999/", expect=("login", "404", "404", "404", "404", "404", "404")
    ),
    Case("reports:state", REPORT + "state/", expect=("login", "200", "200", "404", "200", "200", "404")),
    Case(
        "reports:start",
        f"/reports/{RQ}/{QH}/start/",
        "post",
        expect=("login", "404", "404", "-→QH/", "403", "403", "404"),
    ),
    Case(
        "reports:value",
        REPORT + "value/",
        "post",
        {"code": "1.1", "raw": "1", "previous": "0"},
        ("login", "200", "200", "404", "403", "403", "404"),
    ),
    Case(
        "reports:note",
        REPORT + "note/",
        "post",
        {"code": "1.1", "note": "ghi chú"},
        ("login", "200", "200", "404", "403", "403", "404"),
    ),
    # No previous period's report, nothing copied: the authors are told so; nobody else may press them.
    Case(
        "reports:copy_previous",
        REPORT + "copy-previous/",
        "post",
        expect=("login", "error→R/#phu-luc", "error→R/#phu-luc", "404", "403", "403", "404"),
    ),
    Case(
        "reports:confirm_copied",
        REPORT + "confirm-copied/",
        "post",
        expect=("login", "error→R/#phu-luc", "error→R/#phu-luc", "404", "403", "403", "404"),
    ),
    Case(
        "reports:narrative",
        REPORT + "narrative/",
        "post",
        {"section": "I.2", "text": "Văn bản"},
        ("login", "200", "200", "404", "403", "403", "404"),
    ),
    Case(
        "reports:header",
        REPORT + "header/",
        "post",
        {"number": "15"},
        ("login", "ok→R/#thong-tin-van-ban", "ok→R/#thong-tin-van-ban", "404", "403", "403", "404"),
    ),
    Case(
        "reports:explain",
        REPORT + "explain/",
        "post",
        {"rule": "ratio.blank", "text": "Đã kiểm tra"},
        ("login", "-→R/#phat-hien", "-→R/#phat-hien", "404", "403", "403", "404"),
    ),
    Case(
        "reports:action",
        REPORT + "action/mark_ready/",
        "post",
        expect=("login", "error→R/", "error→R/", "404", "403", "403", "404"),
    ),
    # The leader sends from the review page; a refused send (here: not confirmed) goes back there.
    Case(
        "reports:action",
        REPORT + "action/send/",
        "post",
        expect=("login", "403", "error→R/xem-xet/", "404", "403", "403", "404"),
    ),
    # Only a report marked ready ("Trình ký") is given back, by its leader: a draft is not.
    Case(
        "reports:action",
        REPORT + "action/give_back/",
        "post",
        {"reason": "Sửa lại"},
        ("login", "403", "403", "404", "403", "403", "404"),
    ),
    Case(
        "reports:action",
        REPORT + "action/return/",
        "post",
        {"reason": "Sửa lại"},
        ("login", "403", "403", "404", "403", "403", "404"),
    ),
    Case(
        "reports:action",
        REPORT + "action/accept/",
        "post",
        expect=("login", "403", "403", "404", "403", "403", "404"),
    ),
    Case(
        "reports:action",
        REPORT + "action/reopen/",
        "post",
        {"reason": "Sửa lại"},
        ("login", "403", "403", "404", "403", "403", "404"),
    ),
    Case("reports:history", REPORT + "history/", expect=("login", "200", "200", "404", "200", "200", "404")),
    Case("reports:round", f"/rounds/{RQ}/", expect=("login", "404", "404", "404", "200", "200", "404")),
    Case(
        "analysis:rollup",
        f"/phan-tich/tong-hop/{RQ}/?unit=063",
        expect=("login", "404", "404", "404", "200", "200", "404"),
    ),
    Case(
        "analysis:compile",
        f"/phan-tich/lap-bao-cao/{RQ}/{QH}/",
        "post",
        expect=("login", "404", "404", "ok→QH/", "403", "403", "404"),
    ),
    Case(
        "analysis:period_prefill",
        f"/phan-tich/dien-tu-quy/{RQ}/{QH}/",
        "post",
        expect=("login", "404", "404", "error→QH/", "403", "403", "404"),
    ),
    # Quân Hà has not started: its reviewers may remind it, back on the completeness page.
    Case(
        "analysis:remind",
        f"/phan-tich/nhac/{RQ}/{QH}/",
        "post",
        {"back": "063"},
        (
            "login",
            "404",
            "404",
            "404",
            f"ok→/phan-tich/tien-do/{RQ}/",
            f"ok→/phan-tich/tien-do/{RQ}/",
            "404",
        ),
    ),
    Case(
        "analysis:rollup_json",
        f"/phan-tich/api/rollup/{RQ}/?unit=063",
        expect=("404", "404", "404", "404", "200", "200", "404"),
    ),
    Case(
        "analysis:completeness",
        f"/phan-tich/tien-do/{RQ}/?unit=063",
        expect=("login", "404", "404", "404", "200", "200", "404"),
    ),
    Case(
        "analysis:compare",
        f"/phan-tich/so-sanh/{RQ}/?unit=063",
        expect=("login", "404", "404", "404", "200", "200", "404"),
    ),
    Case(
        "analysis:trend",
        "/phan-tich/xu-huong/063/",
        expect=("login", "404", "404", "404", "200", "200", "404"),
    ),
    Case(
        "analysis:trend_chart",
        "/phan-tich/xu-huong/063/7.2.4.a.svg",
        expect=("login", "404", "404", "404", "200", "200", "404"),
    ),
    Case(
        "documents:download",
        REPORT + "tai-ve/docx/",
        expect=("login", "200", "200", "404", "200", "200", "404"),
    ),
    Case(
        "documents:download",
        REPORT + "tai-ve/xlsx/",
        expect=("login", "200", "200", "404", "200", "200", "404"),
    ),
    # Without LibreOffice (as patched below) the PDF link explains that on the report page.
    Case(
        "documents:download",
        REPORT + "tai-ve/pdf/",
        expect=("login", "error→R/", "error→R/", "404", "error→R/", "error→R/", "404"),
    ),
    Case("documents:review", REPORT + "xem-xet/", expect=("login", "200", "200", "404", "200", "200", "404")),
    Case("documents:print", REPORT + "ban-in/", expect=("login", "200", "200", "404", "200", "200", "404")),
    Case(
        "documents:import", REPORT + "nhap-excel/", expect=("login", "200", "200", "404", "403", "403", "404")
    ),
    Case(
        "documents:import",
        REPORT + "nhap-excel/",
        "post",
        expect=("login", "422", "422", "404", "403", "403", "404"),
    ),  # no file: told so
    # "Nhắc các đơn vị chưa gửi": a job for the reviewers over the units (queued here, not run).
    Case(
        "analysis:remind_unsent",
        f"/phan-tich/nhac-chua-gui/{RQ}/",
        "post",
        expect=("login", "404", "404", "404", "-→/viec/N/", "-→/viec/N/", "404"),
    ),
    # A round's zip is made by a job: the request queues it and goes to the job's page.
    Case(
        "documents:round_zip",
        f"/rounds/{RQ}/tai-ve.zip",
        expect=("login", "404", "404", "404", "-→/viec/N/", "-→/viec/N/", "404"),
    ),
    # The clerk's finished job (a PDF): nobody else sees it, not even who may see the report.
    Case("jobs:list", "/viec/", expect=("login", "200", "200", "200", "200", "200", "200")),
    Case("jobs:detail", "/viec/J/", expect=("login", "200", "404", "404", "404", "404", "404")),
    Case("jobs:file", "/viec/J/tep/", expect=("login", "200", "404", "404", "404", "404", "404")),
    Case(
        "jobs:retry",
        "/viec/J/thu-lai/",
        "post",
        expect=("login", "-→/viec/N/", "404", "404", "404", "404", "404"),
    ),  # a finished job is left as it is
    Case("legacy:upload", "/bao-cao-cu/", expect=("login", "200", "200", "200", "200", "200", "200")),
    Case(
        "legacy:import",
        "/bao-cao-cu/nhap/",
        "post",
        expect=(
            "login",
            "error→/bao-cao-cu/",
            "error→/bao-cao-cu/",
            "error→/bao-cao-cu/",
            "error→/bao-cao-cu/",
            "error→/bao-cao-cu/",
            "error→/bao-cao-cu/",
        ),
    ),  # nothing chosen: told so
    # The results of the clerk's folder check (a job): theirs alone; another kind of job has none.
    Case(
        "legacy:folder_result",
        "/bao-cao-cu/ket-qua/K/",
        expect=("login", "200", "404", "404", "404", "404", "404"),
    ),
    Case(
        "legacy:folder_result",
        "/bao-cao-cu/ket-qua/J/",
        expect=("login", "404", "404", "404", "404", "404", "404"),
    ),
    # What a job read of the clerk's slow file (a scanned PDF): theirs alone; another kind of job has none.
    Case(
        "legacy:file_result",
        "/bao-cao-cu/ket-qua-tep/F/",
        expect=("login", "200", "404", "404", "404", "404", "404"),
    ),
    Case(
        "legacy:file_result",
        "/bao-cao-cu/ket-qua-tep/J/",
        expect=("login", "404", "404", "404", "404", "404", "404"),
    ),
    # Signing: only the leader may sign and send (the form; without the confirmation it is refused, 422).
    Case("signing:send", REPORT + "ky-so/gui/", expect=("login", "403", "200", "404", "403", "403", "404")),
    Case(
        "signing:prepare",
        REPORT + "ky-so/chuan-bi/",
        expect=("login", "403", "200", "404", "403", "403", "404"),
    ),
    Case(
        "signing:send",
        REPORT + "ky-so/gui/",
        "post",
        {"password": "sai"},
        ("login", "403", "422", "404", "403", "403", "404"),
    ),
    Case("signing:copies", REPORT + "ky-so/", expect=("login", "200", "200", "404", "200", "200", "404")),
    # No signed copy yet: not found, for those who see the report and for those who do not.
    Case(
        "signing:download",
        REPORT + "ky-so/ban/1/",
        expect=("login", "404", "404", "404", "404", "404", "404"),
    ),
    # Forms: the ministry's published form is seen by everyone signed in; none of them is a form owner.
    Case("forms:list", "/bieu-mau/", expect=("login", "200", "200", "200", "200", "200", "200")),
    Case(
        "forms:upload",
        "/bieu-mau/tai-len/",
        "post",
        {"issuer": ""},
        ("login", "403", "403", "403", "403", "403", "403"),
    ),
    Case("forms:detail", FORM, expect=("login", "200", "200", "200", "200", "200", "200")),
    Case("forms:sample_docx", FORM + "mau.docx", expect=("login", "200", "200", "200", "200", "200", "200")),
    Case(
        "forms:workbook", FORM + "bieu-mau.xlsx", expect=("login", "200", "200", "200", "200", "200", "200")
    ),
    Case(
        "forms:publish",
        FORM + "ban-hanh/",
        "post",
        expect=("login", "403", "403", "403", "403", "403", "403"),
    ),
    # Asking for reports: reviewers, each in their own unit's name; an empty form is refused, nothing saved.
    Case("rounds:create", "/yeu-cau-bao-cao/", expect=("login", "403", "403", "403", "200", "200", "200")),
    Case(
        "rounds:create",
        "/yeu-cau-bao-cao/",
        "post",
        expect=("login", "403", "403", "403", "422", "422", "422"),
    ),
]


def _routes(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            names |= _routes(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return {name for name in names if not name.startswith(NOT_HERE)}


def test_every_route_has_cases() -> None:
    assert _routes(get_resolver().url_patterns) == {case.route for case in CASES}


def outcome(client: Client, case: Case) -> str:
    response = getattr(client, case.method)(case.path, case.data)
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith("/dang-nhap/"):
        return "login"
    followed = client.get(location)
    levels = {message.level for message in followed.context["messages"]} if followed.context else set()
    level = "error" if constants.ERROR in levels else ("ok" if constants.SUCCESS in levels else "-")
    return f"{level}→{JOB_ID.sub('/viec/N/', location.split('?')[0])}"


def _client(world: World, persona: str) -> Client:
    return world.client(None if persona == "anonymous" else getattr(world, persona))


def _finished_job(world: World) -> Job:
    """A finished job of the clerk's with its file, run as a worker would (no key: not taken for a PDF of this
    very version, which would make the PDF rows below a download)."""
    job = enqueue(task=report_pdf, owner=world.clerk, kind=KIND_REPORT_PDF, label="PDF", params={})
    run_job(job.pk, lambda job, progress: progress.save_result("bao-cao.pdf", b"%PDF-1.7", "application/pdf"))
    return job


def _finished_folder_check(world: World) -> Job:
    """A finished folder check of the clerk's (its results: one unreadable file)."""
    job = enqueue(
        task=folder_check_task, owner=world.clerk, kind=KIND_FOLDER_CHECK, label="Kiểm tra", params={}
    )
    result = '[{"file": "a.docx", "definition": "", "error": "tệp rỗng"}]'.encode()
    run_job(job.pk, lambda job, progress: progress.save_result("ket-qua.json", result, "application/json"))
    return job


def _finished_file_check(world: World) -> Job:
    """A finished check of one slow file of the clerk's (what its job read: a short text)."""
    job = enqueue(task=file_check_task, owner=world.clerk, kind=KIND_FILE_CHECK, label="Kiểm tra", params={})
    document = {"kind": "txt", "paragraphs": ["BÁO CÁO", "1. Tiếp nhận 29 hồ sơ."], "rows": [], "ocr": False}
    body = json.dumps({"name": "a.pdf", "document": document, "signatures": None}).encode()
    run_job(job.pk, lambda job, progress: progress.save_result("doc.json", body, "application/json"))
    return job


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_for_the_persona(world: World, persona: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cases run in order on one world, each with a fresh client (signing out only ends that client)."""
    monkeypatch.setattr(pdf_export, "soffice_path", lambda: None)
    column = PERSONAS.index(persona)
    job = f"/viec/{_finished_job(world).pk}/"
    folder_check = f"/ket-qua/{_finished_folder_check(world).pk}/"
    file_check = f"/ket-qua-tep/{_finished_file_check(world).pk}/"
    cases = [
        dataclasses.replace(
            case,
            path=case.path.replace("/viec/J/", job)
            .replace("/ket-qua/J/", job.replace("/viec/", "/ket-qua/"))
            .replace("/ket-qua-tep/J/", job.replace("/viec/", "/ket-qua-tep/"))
            .replace("/ket-qua/K/", folder_check)
            .replace("/ket-qua-tep/F/", file_check),
        )
        for case in CASES
    ]
    expected = [
        case.expect[column]
        .replace("R/", REPORT)
        .replace("QH/", f"/reports/{RQ}/{QH}/")
        .replace("/viec/J/", job)
        for case in CASES
    ]
    before = world.report.raw_values()
    got = [outcome(_client(world, persona), case) for case in cases]
    assert [f"{case.route} {case.path}: {o}" for case, o in zip(cases, got, strict=True)] == [
        f"{case.route} {case.path}: {o}" for case, o in zip(cases, expected, strict=True)
    ]
    if persona not in ("clerk", "leader"):
        # What must not happen: nobody but Cẩm Giàng's own people changes its report.
        assert world.report.raw_values() == before
        user = getattr(world, persona, None)
        assert not AuditEvent.objects.filter(report=world.report, user=user).exists()
        assert Report.objects.get(pk=world.report.pk).status == "draft"


@pytest.mark.parametrize("persona", ["other_clerk", "stranger_reviewer"])
def test_people_of_other_units_find_no_trace_of_cam_giang(world: World, persona: str) -> None:
    user = getattr(world, persona)
    assert not visible_reports(user).filter(pk=world.report.pk).exists()
    assert "Cẩm Giàng" not in world.client(user).get("/").content.decode()


def test_a_reviewer_sees_their_subtree_but_may_not_author_it(world: World) -> None:
    target = Target.of(world.report)
    assert can(world.district_reviewer, Action.VIEW, target)
    assert not can(world.district_reviewer, Action.EDIT, target)
    assert not can(world.other_clerk, Action.VIEW, target)


def test_healthz_answers_ok_without_signing_in(world: World) -> None:
    response = world.client(None).get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
