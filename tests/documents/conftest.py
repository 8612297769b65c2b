"""The demo report of Cẩm Giàng (values, narrative, header as in the seed), built by the same services."""

from __future__ import annotations

import copy
import io
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from baocao.core.definition import load_definition
from baocao.core.values import load_demo_values
from baocao.demo import cam_giang
from baocao.documents.builder import BuiltReport, build_report
from baocao.reports import services
from baocao.reports.models import Value
from tests.web.conftest import World, make_world, world_kept

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) chưa cài: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
)


def make_document_world() -> World:
    """The test world with the seed's values typed in one audited change (60 separate saves are slow)."""
    world = make_world(values=False)
    definition = load_definition("cchc-xa-quy")
    values = {
        code: str(raw)
        for code, raw in load_demo_values().items()
        if raw is not None and str(raw) != "" and definition.by_code[code].is_input
    }
    services.report_import(
        report=world.report, user=world.clerk, values=values, origin="seed", source=Value.Source.TYPED
    )
    for section, text in cam_giang.NARRATIVE.items():
        if text:
            services.report_set_narrative(report=world.report, user=world.clerk, section=section, text=text)
    header = cam_giang.HEADER | {"document_date": cam_giang.DOCUMENT_DATE}
    services.report_set_header(report=world.report, user=world.clerk, fields=header)
    world.report.refresh_from_db()
    return world


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test reading only ``demo_built`` needs the test database too: pytest-django sets it up only for a
    session with a test marked for the database, so running one such test alone would meet an empty file."""
    for item in items:
        if "demo_built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture
def doc_world(module_doc_world: World, db: None) -> World:
    """The module's one document world (``module_doc_world``), a fresh copy per test whose changes the
    test's savepoint undoes: ``make_document_world`` (60 values, the narrative, the header) once a module."""
    return copy.deepcopy(module_doc_world)


@pytest.fixture
def built(doc_world: World) -> BuiltReport:
    return build_report(doc_world.report)


@pytest.fixture(scope="module")
def module_doc_world(
    django_db_setup: None, django_db_blocker: Any, demo_built: BuiltReport
) -> Iterator[World]:
    """``make_document_world`` once for a module whose tests all use it (their ``doc_world`` a copy of this
    with ``db``: tests/web/conftest.py's ``world_kept``). ``demo_built`` (the same units and round, made
    and rolled back once per run) is made first, never inside this module's transaction."""
    with world_kept(django_db_blocker, make_document_world) as world:
        yield world


@pytest.fixture(scope="session")
def demo_built(django_db_setup: None, django_db_blocker: Any) -> BuiltReport:
    """The demo report as built once for the whole run: the rendering tests only read it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_report(make_document_world().report)
        transaction.set_rollback(True)
    return built


def docx_of(built: BuiltReport):  # type: ignore[no-untyped-def]
    from docx import Document

    from baocao.documents.docx_export import export_docx

    return Document(io.BytesIO(export_docx(built)))
