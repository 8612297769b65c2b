"""A trend across a round on version 1 and one on version 2: renamed rows carry over, new rows say so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.trends import unit_trend
from baocao.forms.registry import load_form
from baocao.forms.services import import_form
from tests.forms.test_versions import changed_workbook
from tests.web.conftest import World, make_world


@pytest.fixture
def two_versions(db: None) -> World:
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


def test_a_renamed_row_follows_its_old_code_and_a_new_row_has_no_counterpart(two_versions: World) -> None:
    definition = load_form("cchc-xa-quy")
    renamed = unit_trend(two_versions.cam_giang, definition, "1.6")
    assert [(p.label, p.display) for p in renamed.points] == [("Q3/2024", "4"), ("Q4/2024", "5")]
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
