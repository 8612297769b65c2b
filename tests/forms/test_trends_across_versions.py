"""A trend across a round on version 1 and one on version 2: renamed rows carry over, new rows say so."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from baocao.accounts.models import Role
from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.compare import compare
from baocao.analysis.compile import report_compile
from baocao.analysis.trends import unit_trend
from baocao.forms.registry import load_form
from baocao.forms.services import import_form
from baocao.rounds.models import Round
from tests.forms.test_versions import changed_workbook
from tests.web.conftest import World, _user, make_world, world_per_module


def _two_versions() -> World:
    world = make_world(values=False)
    communes = [world.cam_giang, world.quan_ha]
    pks = [unit.pk for unit in communes]
    q3 = quarter_round(year=2024, quarter=3, requested_by=world.district, respondents=pks)
    bulk_accepted_reports(q3, lambda unit: {"1.1": "4", "7.2.4.a": "29"}, communes)
    import_form(
        data=changed_workbook(rename=True), owner=None, user=None, source_name="v2.xlsx", publish=True
    )
    q4 = quarter_round(year=2024, quarter=4, requested_by=world.district, respondents=pks)
    assert (q3.definition_version, q4.definition_version) == (1, 2)
    bulk_accepted_reports(q4, lambda unit: {"1.6": "5", "1.5": "2", "7.2.4.a": "31"}, communes)
    return world


# Built once for the module (two rounds, a second version of the form), each test in its own savepoint.
module_world, world = world_per_module(_two_versions)


@pytest.fixture
def two_versions(world: World) -> World:
    return world


def test_a_renamed_row_follows_its_old_code_and_a_new_row_has_no_counterpart(two_versions: World) -> None:
    definition = load_form("cchc-xa-quy")
    renamed = unit_trend(two_versions.cam_giang, definition, "1.6")
    assert [(p.label, p.display) for p in renamed.points] == [("Quý III/2024", "4"), ("Quý IV/2024", "5")]
    same = unit_trend(two_versions.cam_giang, definition, "7.2.4.a")
    assert [p.display for p in same.points] == ["29", "31"]
    new = unit_trend(two_versions.cam_giang, definition, "1.5")
    assert [(p.display, p.value, p.comparable) for p in new.points] == [
        ("không có chỉ tiêu tương ứng", None, False),
        ("2", 2, True),
    ]
    assert new.points[0].note == "không có chỉ tiêu tương ứng ở phiên bản 1"


def test_the_trend_page_shows_no_counterpart_rather_than_zero(two_versions: World) -> None:
    client = two_versions.client(two_versions.district_reviewer)
    url = reverse("analysis:trend", args=["02008"])
    page = client.get(url, {"item": "1.5"}).content.decode()
    assert "không có chỉ tiêu tương ứng ở phiên bản 1" in page
    assert '<td class="num">0</td>' not in page


def test_compiling_from_a_round_on_the_older_version_follows_the_mapping(two_versions: World) -> None:
    world = two_versions
    clerk = _user("vanthu.bachthong", world.district, Role.CLERK)
    q3, q4 = Round.objects.get(code="cchc-2024-q3"), Round.objects.get(code="cchc-2024-q4")
    q4.respondents.add(world.district)
    Round.objects.filter(pk=q4.pk).update(lock_date=date(2099, 12, 31))  # still open for the district
    q4.refresh_from_db()
    report = report_compile(round_=q4, unit=world.district, user=clerk, source_round=q3)
    values = report.raw_values()
    assert (values["1.6"], values["7.2.4.a"]) == ("8", "58")  # 1.1 of both communes, under its new code
    assert "1.5" not in values and "1.1" not in values  # a new row has no figure; the old code is gone


def test_comparing_a_round_on_v2_shows_the_v1_round_through_the_mapping(two_versions: World) -> None:
    """Quý IV (v2) beside Quý III (v1): the renamed row keeps its old figure, the new row says it has none."""
    world = two_versions
    q4 = Round.objects.get(code="cchc-2024-q4")
    table = compare(q4, world.district, ["1.6", "1.5", "7.2.4.a"])
    line = next(line for line in table.lines if line.unit == world.cam_giang)
    assert [(cell.display, cell.previous) for cell in line.cells] == [
        ("5", "Quý III/2024: 4"),
        ("2", "không có ở kỳ trước (Quý III/2024, phiên bản 1 của biểu mẫu)"),
        ("31", "Quý III/2024: 29"),
    ]
    page = world.client(world.district_reviewer).get(
        reverse("analysis:compare", args=[q4.code]), {"unit": "063", "item": ["1.5"]}
    )
    assert "không có ở kỳ trước (Quý III/2024, phiên bản 1 của biểu mẫu)" in page.content.decode()
