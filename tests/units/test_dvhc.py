from __future__ import annotations

from datetime import date

import pytest

from baocao.units.dvhc import (
    CEASED_2025_07,
    DvhcError,
    UnitFilterError,
    load_units_2025_03,
    load_units_2025_07,
    parse_units,
    read_units_2025_03,
    read_units_2025_07,
    select_units_2025_03,
)
from baocao.units.models import OrgUnit, Succession


def test_the_packaged_list_has_the_whole_country() -> None:
    provinces = read_units_2025_03()
    districts = [d for p in provinces for d in p.children]
    communes = [c for d in districts for c in d.children]
    assert (len(provinces), len(districts), len(communes)) == (63, 696, 10047)
    kinds = {unit.kind for unit in (*provinces, *districts, *communes)}
    assert kinds == {"Tỉnh", "Thành phố", "Huyện", "Quận", "Thị xã", "Xã", "Phường", "Thị trấn"}


def test_a_malformed_list_is_refused_in_vietnamese() -> None:
    with pytest.raises(DvhcError, match="không đúng dạng"):
        parse_units([["06", "Bắc Kạn", "Tỉnh"]])
    with pytest.raises(DvhcError, match="loại “Làng” không rõ"):
        parse_units([["06", "Bắc Kạn", "Làng", "Bac Kan", []]])


@pytest.mark.django_db
def test_loading_bach_thong_gives_its_province_district_and_14_communes() -> None:
    count = load_units_2025_03(district_codes={"063"})
    assert count == 16
    province = OrgUnit.objects.get(code="06")
    district = OrgUnit.objects.get(code="063")
    communes = OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE)
    assert (province.full_name, province.level, province.parent) == ("Tỉnh Bắc Kạn", "province", None)
    assert (district.full_name, district.level, district.parent) == ("Huyện Bạch Thông", "district", province)
    assert communes.count() == 14
    assert all(commune.parent == district for commune in communes)
    assert OrgUnit.objects.get(code="01969").full_name == "Thị trấn Phủ Thông"
    cam_giang = OrgUnit.objects.get(code="02008")
    assert (cam_giang.full_name, cam_giang.valid_from, cam_giang.valid_to) == (
        "Xã Cẩm Giàng",
        None,
        date(2025, 7, 1),
    )
    assert province.path == f"/{province.pk}/"
    assert cam_giang.path == f"/{province.pk}/{district.pk}/{cam_giang.pk}/"
    assert cam_giang.ancestors() == [province, district]
    assert OrgUnit.objects.subtree(district).count() == 15
    assert OrgUnit.objects.valid_on(date(2024, 2, 28)).count() == 16
    assert OrgUnit.objects.valid_on(CEASED_2025_07).count() == 0


@pytest.mark.django_db
def test_loading_twice_creates_and_changes_nothing() -> None:
    load_units_2025_03(province_codes={"06"})
    before = list(OrgUnit.objects.values_list("pk", "code", "name", "kind", "level", "parent", "path"))
    assert len(before) == 1 + 8 + 108  # Bắc Kạn: 8 districts, 108 communes on 01/03/2025
    load_units_2025_03(province_codes={"06"})
    after = list(OrgUnit.objects.values_list("pk", "code", "name", "kind", "level", "parent", "path"))
    assert after == before


@pytest.mark.django_db
def test_a_second_load_repairs_a_changed_unit_and_keeps_its_key() -> None:
    load_units_2025_03(district_codes={"063"})
    unit = OrgUnit.objects.get(code="02008")
    OrgUnit.objects.filter(pk=unit.pk).update(name="Cẩm Giàng cũ", path="/x/")
    load_units_2025_03(district_codes={"063"})
    repaired = OrgUnit.objects.get(code="02008")
    assert (repaired.pk, repaired.name, repaired.path) == (unit.pk, "Cẩm Giàng", unit.path)


@pytest.mark.django_db
def test_progress_counts_every_unit() -> None:
    steps: list[int] = []
    load_units_2025_03(district_codes={"063"}, progress=steps.append)
    assert sum(steps) == 16


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"province_codes": {"99"}}, "Không có tỉnh mã 99"),
        ({"province_codes": {"06"}, "district_codes": {"001"}}, "Không có huyện mã 001"),
        ({"province_codes": set()}, "không khớp đơn vị hành chính nào"),
    ],
)
def test_a_filter_that_matches_nothing_is_a_clear_error(filters: dict[str, set[str]], message: str) -> None:
    with pytest.raises(UnitFilterError, match=message) as raised:
        select_units_2025_03(**filters)
    assert isinstance(raised.value, ValueError)


@pytest.mark.django_db
def test_a_bad_filter_writes_nothing() -> None:
    with pytest.raises(UnitFilterError):
        load_units_2025_03(province_codes={"99"})
    assert not OrgUnit.objects.exists()


def test_the_list_after_the_2025_reorganisation_has_34_provinces_and_3321_communes() -> None:
    provinces = read_units_2025_07()
    assert len(provinces) == 34
    assert sum(len(p.children) for p in provinces) == 3321
    thai_nguyen = next(p for p in provinces if p.code == "19")
    assert (thai_nguyen.kind, thai_nguyen.name) == ("Tỉnh", "Thái Nguyên")
    assert thai_nguyen.merges == (("06", "full"), ("19", "full"))


@pytest.mark.django_db
def test_loading_the_new_units_links_the_new_cam_giang_to_its_four_predecessors() -> None:
    load_units_2025_03(province_codes={"06"})
    units, links = load_units_2025_07(province_codes={"19"})
    assert units == 1 + 92
    new = OrgUnit.objects.get(code="02008", valid_from=date(2025, 7, 1))
    assert new.full_name == "Xã Cẩm Giàng"
    assert new.parent is not None and new.parent.code == "19"
    assert new.path == f"{new.parent.path}{new.pk}/"
    old = Succession.objects.filter(new=new).order_by("old__code")
    assert [(s.old.code, s.old.name, s.kind) for s in old] == [
        ("01999", "Nguyên Phúc", "full"),
        ("02005", "Quân Hà", "full"),
        ("02008", "Cẩm Giàng", "full"),
        ("02011", "Mỹ Thanh", "full"),
    ]
    # The old Bắc Kạn went whole into the new Thái Nguyên; the old Thái Nguyên is not loaded here.
    assert [s.old.code for s in Succession.objects.filter(new=new.parent)] == ["06"]
    assert load_units_2025_07(province_codes={"19"}) == (units, links)  # a second load changes nothing
    assert OrgUnit.objects.filter(valid_from=date(2025, 7, 1)).count() == units
