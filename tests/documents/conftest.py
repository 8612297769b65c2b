"""The demo report of Cẩm Giàng (values, narrative, header as in the seed), built by the same services."""

from __future__ import annotations

import io
import shutil

import pytest

from baocao.demo import cam_giang
from baocao.documents.builder import BuiltReport, build_report
from baocao.reports import services
from tests.web.conftest import World, make_world

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) chưa cài: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
)


def make_document_world() -> World:
    world = make_world()
    for section, text in cam_giang.NARRATIVE.items():
        if text:
            services.report_set_narrative(report=world.report, user=world.clerk, section=section, text=text)
    services.report_set_header(report=world.report, user=world.clerk, fields=cam_giang.HEADER)
    world.report.refresh_from_db()
    return world


@pytest.fixture
def doc_world(db: None) -> World:
    return make_document_world()


@pytest.fixture
def built(doc_world: World) -> BuiltReport:
    return build_report(doc_world.report)


def docx_of(built: BuiltReport):  # type: ignore[no-untyped-def]
    from docx import Document

    from baocao.documents.docx_export import export_docx

    return Document(io.BytesIO(export_docx(built)))
