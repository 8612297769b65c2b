"""Personas and a small world: a province, a district, two communes, one round; built by the services.

``world`` builds it for each test. A module whose tests all use the world may share one instead
(``module_world`` and a ``world`` fixture returning ``copy.deepcopy(module_world)``, with ``db``): built
once in a transaction that is rolled back after the module, each test in its own savepoint inside it, as
Django's ``TestCase.setUpTestData``; every test starts from the same rows and objects as a fresh world."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.test import Client

from baocao.accounts.models import Membership, Role, User
from baocao.core.definition import load_definition
from baocao.core.values import load_demo_values
from baocao.reports import services
from baocao.reports.models import Report, Value
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

PASSWORD = "mat-khau-thu"
BACKEND = "django.contrib.auth.backends.ModelBackend"  # the one of settings' backends that keeps a session


@dataclass
class World:
    province: OrgUnit
    district: OrgUnit
    cam_giang: OrgUnit
    quan_ha: OrgUnit
    round: Round
    clerk: User
    leader: User
    other_clerk: User
    district_reviewer: User
    province_reviewer: User
    stranger_reviewer: User
    report: Report

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            signed_in(client, user)
        return client


def signed_in(client: Client, user: User) -> Client:
    """``client`` signed in as ``user``: what ``Client.force_login`` leaves (a new saved session holding the
    user, its backend and password hash; its cookie), without running a sign-in on the way (a throwaway
    session first, a new key, the ``user_logged_in`` receivers: last_login, django-axes' access log), which
    no test of pages reads and which cost ~4 ms a client, hundreds of times in the route matrix. Signing in
    itself is tested through the sign-in page (tests/web/test_security.py)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key  # sent with every request
    return client


def _user(username: str, unit: OrgUnit, role: str, **extra: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def make_round(code: str, title: str, requested_by: OrgUnit, **fields: object) -> Round:
    """A quarterly round under the seed's local rule (25/11/2023 → 24/02/2024, due 28/02/2024)."""
    defaults: dict[str, object] = {
        "definition_code": "cchc-xa-quy",
        "definition_version": load_definition("cchc-xa-quy").version,
        "period_type": "quarter",
        "year": 2024,
        "period_number": 1,
        "window_start": date(2023, 11, 25),
        "window_end": date(2024, 2, 24),
        "due_date": date(2024, 2, 28),
        "lock_date": date(2099, 12, 31),
    }
    return Round.objects.create(code=code, title=title, requested_by=requested_by, **(defaults | fields))


def make_world(*, lock_date: date = date(2099, 12, 31), values: bool = True) -> World:
    province = OrgUnit.objects.create(code="06", name="Bắc Kạn", kind="Tỉnh", level="province")
    district = OrgUnit.objects.create(
        code="063", name="Bạch Thông", kind="Huyện", level="district", parent=province
    )
    cam_giang = OrgUnit.objects.create(
        code="02008", name="Cẩm Giàng", kind="Xã", level="commune", parent=district
    )
    quan_ha = OrgUnit.objects.create(
        code="02005", name="Quân Hà", kind="Xã", level="commune", parent=district
    )
    other_province = OrgUnit.objects.create(code="19", name="Thái Nguyên", kind="Tỉnh", level="province")
    title = "Báo cáo kết quả thực hiện công tác CCHC quý I năm 2024"
    round_ = make_round("cchc-2024-q1", title, district, lock_date=lock_date)
    round_.respondents.set([cam_giang, quan_ha])
    clerk = _user("xa.camgiang", cam_giang, Role.CLERK)
    world = World(
        province=province,
        district=district,
        cam_giang=cam_giang,
        quan_ha=quan_ha,
        round=round_,
        clerk=clerk,
        leader=_user("ct.camgiang", cam_giang, Role.LEADER, full_name="Vũ Văn Thành"),
        other_clerk=_user("xa.quanha", quan_ha, Role.CLERK),
        district_reviewer=_user("huyen.bachthong", district, Role.REVIEWER),
        province_reviewer=_user("tinh.backan", province, Role.REVIEWER),
        stranger_reviewer=_user("tinh.thainguyen", other_province, Role.REVIEWER),
        report=services.report_open(round_=round_, unit=cam_giang, user=clerk),
    )
    if values:
        type_seed_values(world.report, clerk)
    return world


def type_seed_values(report: Report, clerk: User) -> None:
    """The seed's values typed in one audited change: 60 separate saves made every test's setup slow."""
    definition = load_definition("cchc-xa-quy")
    typed = {
        code: str(raw)
        for code, raw in load_demo_values().items()
        if definition.by_code[code].is_input and raw is not None and str(raw) != ""
    }
    services.report_import(report=report, user=clerk, values=typed, origin="seed", source=Value.Source.TYPED)
    report.refresh_from_db()


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@contextmanager
def world_kept(
    django_db_blocker: Any, build: Callable[..., World] | None = None, **options: Any
) -> Iterator[World]:
    """``make_world(**options)`` (or ``build``) in a transaction rolled back on leaving; pytest-django's
    ``db`` inside it runs each test in a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # as TestCase's own: not a durable block
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            world = (build or make_world)(**options)
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def world_per_module(build: Callable[..., World] | None = None, **options: Any) -> tuple[Any, Any]:
    """The fixtures of a module whose tests can all share one world: ``module_world`` (``world_kept``: made
    once for the module) and ``world`` (a fresh copy of its objects per test, whose changes the test's
    savepoint undoes). In the module: ``module_world, world = world_per_module()``."""

    @pytest.fixture(scope="module", name="module_world")
    def module_world_(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
        with world_kept(django_db_blocker, build, **options) as world:
            yield world

    @pytest.fixture(name="world")
    def world_(module_world: World, db: None) -> World:
        return copy.deepcopy(module_world)

    return module_world_, world_


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_kept(django_db_blocker) as world:
        yield world


HEADER = {"number": "15", "document_date": date(2024, 2, 28), "signer_name": "Vũ Văn Thành"}


def make_sendable(world: World) -> None:
    """Correct the seed's two impossible figures, explain its warnings and fill in the document's number,
    date and signer (place, signer's title and Nơi nhận have their defaults), as a clerk would."""
    for code, raw in (("7.2.1.c", "2"), ("N.received_in_person", "22")):
        services.report_set_value(report=world.report, user=world.clerk, code=code, raw=raw)
    for finding in services.sending_blockers(world.report).unexplained:
        services.report_explain(
            report=world.report, user=world.clerk, rule=finding.rule, text="Đã kiểm tra, số đúng."
        )
    services.report_set_header(report=world.report, user=world.clerk, fields=HEADER)
    world.report.refresh_from_db()
