"""Each shipped form end to end, with no code written for it: enter, send, accept, roll up, Word, Excel.

The district and province forms take their rows 1–7 from the communes' rollup (compile) and add their own
(group 8); the Roman-numbered form exists only as a workbook and is imported first.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from baocao.accounts.models import Role, User
from baocao.analysis.compile import report_compile
from baocao.analysis.rollups import unit_rollup
from baocao.documents.builder import build_report
from baocao.documents.docx_export import export_docx
from baocao.documents.xlsx_export import export_xlsx
from baocao.documents.xlsx_import import xlsx_preview
from baocao.forms.registry import definition_for_round
from baocao.forms.services import import_form
from baocao.reports import services
from baocao.reports.models import Report, Status
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit
from tests.documents.conftest import make_document_world
from tests.web.conftest import HEADER, World, _user, make_sendable

ROMAN_WORKBOOK = Path(__file__).parents[1] / "fixtures" / "forms" / "bieu-mau-so-la-ma.xlsx"


def make_round(code: str, form: str, requested_by: OrgUnit, respondents: list[OrgUnit]) -> Round:
    definition = definition_for_round(Round(definition_code=form, definition_version=1))
    round_ = Round.objects.create(
        code=code,
        title=f"{definition.spec.title}, quý I năm 2024",
        definition_code=form,
        definition_version=definition.version,
        period_type="quarter",
        year=2024,
        period_number=1,
        window_start=date(2023, 11, 25),
        window_end=date(2024, 2, 24),
        due_date=date(2024, 3, 5),
        lock_date=date(2099, 12, 31),
        requested_by=requested_by,
    )
    round_.respondents.set(respondents)
    return round_


def send_and_accept(report: Report, leader: User, reviewer: User) -> Report:
    blockers = services.sending_blockers(report)
    assert blockers.errors == []
    for finding in blockers.unexplained:
        services.report_explain(report=report, user=leader, rule=finding.rule, text="Đã kiểm tra, số đúng.")
    services.report_set_header(report=report, user=leader, fields=HEADER)
    services.report_send(report=report, user=leader)
    return services.report_accept(report=report, user=reviewer)


def assert_word_and_excel(report: Report, label: str) -> None:
    built = build_report(report)
    with zipfile.ZipFile(io.BytesIO(export_docx(built))) as docx:
        assert label in docx.read("word/document.xml").decode()
    preview = xlsx_preview(report, export_xlsx(built))
    assert preview.values == {} and preview.problems == []


def communes_accepted() -> World:
    world = make_document_world()
    make_sendable(world)
    services.report_send(report=world.report, user=world.leader)
    services.report_accept(report=world.report, user=world.district_reviewer)
    return world


@pytest.mark.django_db
def test_the_district_form_compiles_from_its_communes_and_adds_its_own_rows() -> None:
    world = communes_accepted()
    clerk = _user("vanthu.bachthong", world.district, Role.CLERK)
    leader = _user("ct.bachthong", world.district, Role.LEADER)
    round_ = make_round("cchc-huyen-2024-q1", "cchc-huyen", world.province, [world.district])
    report = report_compile(round_=round_, unit=world.district, user=clerk, source_round=world.round)
    own = {
        "8.1": "3",
        "8.2.a": "15",
        "8.2.b": "6",
        "8.3": "4",
        "8.4": "4",
        "8.5": "1",
        "8.6": "Có",
        "8.7": "85,5",
    }
    services.report_import(report=report, user=clerk, values=own, origin="nhập tay")
    values = services.report_evaluation(report).values
    assert values["7.2.4.a"] == Decimal(29) and values["8.2"] == Decimal("40.00")
    assert_word_and_excel(report, "Số cuộc kiểm tra công tác CCHC đối với cơ quan chuyên môn và UBND cấp xã")
    report = send_and_accept(report, leader, world.province_reviewer)
    assert report.status == Status.ACCEPTED
    province = unit_rollup(round_, world.province)
    assert province.total.by_code["8.1"].value == Decimal(3)
    assert province.total.by_code["7.2.4.a"].value == Decimal(29)


@pytest.mark.django_db
def test_the_province_form_compiles_from_communes_directly_as_in_the_two_level_government() -> None:
    world = communes_accepted()
    clerk = _user("vanthu.backan", world.province, Role.CLERK)
    leader = _user("ct.backan", world.province, Role.LEADER)
    minister = User.objects.create_superuser("bo.noivu", password="x")
    round_ = make_round("cchc-tinh-2024-q1", "cchc-tinh", world.province, [world.province])
    report = report_compile(round_=round_, unit=world.province, user=clerk, source_round=world.round)
    own = {"8.2": "5", "8.3.a": "40", "8.3.b": "10", "8.4": "2", "8.5": "2", "8.7": "86,12", "8.8": "84,3"}
    services.report_import(report=report, user=clerk, values=own, origin="nhập tay")
    values = services.report_evaluation(report).values
    assert values["7.2.4.a"] == Decimal(29) and values["8.3"] == Decimal("25.00")
    assert_word_and_excel(report, "Chỉ số CCHC (PAR INDEX) của tỉnh năm trước liền kề")
    assert send_and_accept(report, leader, minister).status == Status.ACCEPTED
    assert unit_rollup(round_, None).total.by_code["8.3"].value == Decimal("25.00")


@pytest.mark.django_db
def test_a_roman_numbered_form_from_a_workbook_alone_works_end_to_end() -> None:
    world = make_document_world()
    form = import_form(
        data=ROMAN_WORKBOOK.read_bytes(),
        owner=world.province,
        user=None,
        source_name="so-la-ma.xlsx",
        publish=True,
    )
    assert (form.code, form.version, form.owner) == ("cchc-xa-so-la-ma", 1, world.province)
    round_ = make_round("la-ma-2024-q1", form.code, world.district, [world.cam_giang, world.quan_ha])
    report = services.report_open(round_=round_, unit=world.cam_giang, user=world.clerk)
    values = {"1.1": "2", "1.2": "10", "1.3": "7", "2.1": "40", "2.2": "10", "2.4": "38", "3.1": "Có"}
    services.report_import(report=report, user=world.clerk, values=values, origin="nhập tay")
    built = build_report(report)
    assert [row.stt for row in built.rows][:6] == ["I", "1", "2", "3", "4", "II"]
    assert "Tiếp nhận 40 hồ sơ, trong đó trực tuyến 10 hồ sơ (25%)." in [p.text for p in built.paragraphs]
    assert_word_and_excel(report, "Số hồ sơ TTHC tiếp nhận")
    send_and_accept(report, world.leader, world.district_reviewer)
    district = unit_rollup(round_, world.district)
    assert district.total.by_code["2.3"].value == Decimal(25)
    assert district.total.by_code["1.4"].value == Decimal(70)
