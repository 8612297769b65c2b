"""Trends across the 2025 reorganisation, on the real units of Bắc Kạn and the new Thái Nguyên."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from baocao.accounts.models import Membership, Role, User
from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.trends import chart, unit_trend
from baocao.core.definition import load_definition
from baocao.units.dvhc import load_units_2025_03, load_units_2025_07
from baocao.units.models import OrgUnit, Succession
from tests.web.conftest import world_kept

PREDECESSORS = {"01999": "10", "02005": "20", "02008": "29", "02011": "41"}  # hồ sơ received (7.2.4.a)


def _merged() -> OrgUnit:
    load_units_2025_03(province_codes={"06"})
    load_units_2025_07(province_codes={"19"})
    communes = list(OrgUnit.objects.filter(code__in=PREDECESSORS, valid_to=date(2025, 7, 1)))
    province = OrgUnit.objects.get(code="06")
    for quarter in (1, 2):
        round_ = quarter_round(
            year=2024, quarter=quarter, requested_by=province, respondents=[u.pk for u in communes]
        )
        bulk_accepted_reports(
            round_,
            lambda unit, q=quarter: {"7.2.4.a": str(int(PREDECESSORS[unit.code]) * q), "7.2.4.b": "5"},
            communes,
        )
    return OrgUnit.objects.get(code="02008", valid_from=date(2025, 7, 1))


@pytest.fixture(scope="module")
def module_merged(django_db_setup: None, django_db_blocker: Any) -> Iterator[OrgUnit]:
    """The units and two quarters' reports, made once for the module (tests/web/conftest.py's world_kept)."""
    with world_kept(django_db_blocker, _merged) as unit:  # type: ignore[arg-type]
        yield unit  # type: ignore[misc]


@pytest.fixture
def merged(module_merged: OrgUnit, db: None) -> OrgUnit:
    """A fresh copy of the merged commune per test, whose changes the test's savepoint undoes."""
    return copy.deepcopy(module_merged)


def test_a_full_merge_shows_the_sum_of_its_predecessors_and_says_so(merged: OrgUnit) -> None:
    series = unit_trend(merged, load_definition("cchc-xa-quy"), "7.2.4.a")
    assert [(p.label, p.display, p.reports, p.derived) for p in series.points] == [
        ("Quý I/2024", "100", 4, True),
        ("Quý II/2024", "200", 4, True),
    ]
    assert "Xã Nguyên Phúc, Xã Quân Hà, Xã Cẩm Giàng, Xã Mỹ Thanh" in series.points[0].note
    ratio = unit_trend(merged, load_definition("cchc-xa-quy"), "7.2.4")
    assert ratio.points[0].display == "20"  # 4 × 5 online of 100, recomputed from the summed parts


def test_a_partial_merge_is_not_comparable_rather_than_summed(merged: OrgUnit) -> None:
    Succession.objects.filter(new=merged, old__code="02011").update(kind="partial")
    series = unit_trend(merged, load_definition("cchc-xa-quy"), "7.2.4.a")
    assert [(p.display, p.comparable, p.value) for p in series.points] == [
        ("không so sánh được", False, None),
        ("không so sánh được", False, None),
    ]
    assert "Xã Mỹ Thanh" in series.points[0].note


def test_the_old_commune_keeps_its_own_reports(merged: OrgUnit) -> None:
    old = OrgUnit.objects.get(code="02008", valid_to=date(2025, 7, 1))
    series = unit_trend(old, load_definition("cchc-xa-quy"), "7.2.4.a")
    assert [p.display for p in series.points] == ["29", "58"]
    assert not any(p.derived for p in series.points)


def test_charts_are_drawn_on_the_server_and_the_page_shows_the_numbers(merged: OrgUnit) -> None:
    series = unit_trend(merged, load_definition("cchc-xa-quy"), "7.2.4.a")
    assert chart(series, "png").startswith(b"\x89PNG")
    assert b"<svg" in chart(series, "svg")[:500]
    reviewer = User.objects.create_user(username="tinh.thainguyen", password="x")
    Membership.objects.create(user=reviewer, unit=merged.parent, role=Role.REVIEWER)
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    page = client.get("/phan-tich/xu-huong/02008/?item=7.2.4.a")
    assert page.status_code == 200
    assert "tổng của đơn vị tiền thân" in page.content.decode()
    # The old commune lies under the old Bắc Kạn: a reviewer of the new province needs a role there too.
    assert client.get("/phan-tich/xu-huong/02008/?ngay=2025-06-30").status_code == 404
    Membership.objects.create(user=reviewer, unit=OrgUnit.objects.get(code="06"), role=Role.REVIEWER)
    old_unit = client.get("/phan-tich/xu-huong/02008/?item=7.2.4.a&ngay=2025-06-30").content.decode()
    assert "tổng của đơn vị tiền thân" not in old_unit
    assert '<td class="num">29</td>' in old_unit  # the old Cẩm Giàng's own Q1 figure
    image = client.get("/phan-tich/xu-huong/02008/7.2.4.a.png")
    assert image["Content-Type"] == "image/png"
    outsider = User.objects.create_user(username="xa.khac", password="x")
    Membership.objects.create(user=outsider, unit=merged, role=Role.CLERK)
    client.force_login(outsider)
    assert client.get("/phan-tich/xu-huong/02008/7.2.4.a.png").status_code == 404
