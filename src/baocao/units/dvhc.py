"""Vietnam's administrative units as published (``units/data/``, see SOURCE.md), and their loader.

The list in force on 01/03/2025 is a three-level tree: provinces, districts, communes. Those units ceased on
01/07/2025, when the district level was abolished, so they are stored with ``valid_to = 2025-07-01`` and
``valid_from`` unknown (NULL); that pair, with the GSO code, is what identifies them on a second load.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from baocao.units.models import OrgUnit

__all__ = [
    "CEASED_2025_07",
    "DvhcError",
    "DvhcNode",
    "UnitFilterError",
    "UnitRecord",
    "load_units_2025_03",
    "load_units_2025_07",
    "parse_units",
    "read_units_2025_03",
    "read_units_2025_07",
    "select_units_2025_03",
]

UNITS_2025_03 = "units-2025-03-01.json"
CEASED_2025_07 = date(2025, 7, 1)  # the first day the 2025-03 units were no longer in force
LEVELS = (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT, OrgUnit.Level.COMMUNE)
# The kinds as written in official names; the source spells a few with a capital second word ("Thị Trấn").
KINDS = {
    kind.casefold(): kind
    for kind in ("Tỉnh", "Thành phố", "Huyện", "Quận", "Thị xã", "Xã", "Phường", "Thị trấn")
}
CHUNK = 1000  # rows written per round trip; also the step of the progress callback

MSG_SHAPE = (
    "tệp {source}: đơn vị thứ {index} ở {level} không đúng dạng"
    " [mã, tên, loại, tên không dấu, đơn vị trực thuộc]"
)
MSG_KIND = "tệp {source}: đơn vị mã {code} có loại “{kind}” không rõ (có: {known})"
MSG_UNKNOWN_PROVINCE = "Không có tỉnh mã {codes} trong danh sách đơn vị hành chính ngày 01/03/2025."
MSG_UNKNOWN_DISTRICT = (
    "Không có huyện mã {codes} thuộc các tỉnh đã chọn trong danh sách đơn vị hành chính ngày 01/03/2025."
)
MSG_EMPTY = "Bộ lọc không khớp đơn vị hành chính nào."


class DvhcError(ValueError):
    """A unit list that does not have the expected shape; ``str(error)`` is Vietnamese."""


class UnitFilterError(ValueError):
    """A province or district filter that names units the list does not have; ``str(error)`` is Vietnamese."""


@dataclass(frozen=True, slots=True)
class DvhcNode:
    code: str
    name: str
    kind: str  # "Tỉnh", "Huyện", "Xã", "Thị trấn" …
    ascii_name: str
    children: tuple[DvhcNode, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit to load: the node, its level, and its parent's code (None for a province)."""

    node: DvhcNode
    level: str
    parent_code: str | None


def parse_units(data: Any, *, source: str = UNITS_2025_03) -> tuple[DvhcNode, ...]:
    """The tree ``[[code, name, kind, ascii_name, children], …]``: provinces, districts, communes."""
    return _parse_level(data, 0, source)


def _parse_level(data: Any, depth: int, source: str) -> tuple[DvhcNode, ...]:
    level = LEVELS[depth]
    if not isinstance(data, list):
        raise DvhcError(MSG_SHAPE.format(source=source, index=1, level=level.label.lower()))
    nodes = []
    for index, entry in enumerate(data, start=1):
        leaf = depth == len(LEVELS) - 1
        if (
            not isinstance(entry, list)
            or len(entry) != (4 if leaf else 5)
            or not all(isinstance(part, str) and part for part in entry[:4])
        ):
            raise DvhcError(MSG_SHAPE.format(source=source, index=index, level=level.label.lower()))
        code, name, kind, ascii_name = entry[:4]
        known_kind = KINDS.get(kind.casefold())
        if known_kind is None:
            known = ", ".join(KINDS.values())
            raise DvhcError(MSG_KIND.format(source=source, code=code, kind=kind, known=known))
        children = () if leaf else _parse_level(entry[4], depth + 1, source)
        nodes.append(DvhcNode(code, name, known_kind, ascii_name, children))
    return tuple(nodes)


@cache
def read_units_2025_03() -> tuple[DvhcNode, ...]:
    """The 63 provinces in force on 01/03/2025, each with its districts and communes."""
    resource = resources.files("baocao.units") / "data" / UNITS_2025_03
    return parse_units(json.loads(resource.read_text(encoding="utf-8")))


def select_units_2025_03(
    *, province_codes: Iterable[str] | None = None, district_codes: Iterable[str] | None = None
) -> list[UnitRecord]:
    """The units a filter selects, parents before children.

    ``province_codes`` keeps those provinces; ``district_codes`` keeps those districts (and their province,
    which a district needs as its parent). Codes the list does not have raise UnitFilterError.
    """
    provinces = read_units_2025_03()
    wanted_provinces = None if province_codes is None else set(province_codes)
    wanted_districts = None if district_codes is None else set(district_codes)
    if wanted_provinces is not None:
        _require_known(wanted_provinces, {p.code for p in provinces}, MSG_UNKNOWN_PROVINCE)
        provinces = tuple(p for p in provinces if p.code in wanted_provinces)
    if wanted_districts is not None:
        _require_known(
            wanted_districts, {d.code for p in provinces for d in p.children}, MSG_UNKNOWN_DISTRICT
        )
    records = list(_records(provinces, wanted_districts))
    if not records:
        raise UnitFilterError(MSG_EMPTY)
    return records


def _require_known(wanted: set[str], known: set[str], message: str) -> None:
    unknown = sorted(wanted - known)
    if unknown:
        raise UnitFilterError(message.format(codes=", ".join(unknown)))


def _records(provinces: Iterable[DvhcNode], wanted_districts: set[str] | None) -> Iterator[UnitRecord]:
    for province in provinces:
        districts = [d for d in province.children if wanted_districts is None or d.code in wanted_districts]
        if not districts and wanted_districts is not None:
            continue
        yield UnitRecord(province, OrgUnit.Level.PROVINCE, None)
        for district in districts:
            yield UnitRecord(district, OrgUnit.Level.DISTRICT, province.code)
            for commune in district.children:
                yield UnitRecord(commune, OrgUnit.Level.COMMUNE, district.code)


def load_units_2025_03(
    *,
    province_codes: set[str] | None = None,
    district_codes: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create or update the 2025-03 units a filter selects; return how many units the selection holds.

    Idempotent: a unit is found again by its code with ``valid_from`` NULL and ``valid_to`` 01/07/2025, and
    only rows whose name, kind, level, parent or path differ are written. ``progress`` is called with the
    number of units just handled, so that a caller can advance a bar.
    """
    records = select_units_2025_03(province_codes=province_codes, district_codes=district_codes)
    with transaction.atomic():
        units = {
            unit.code: unit
            for unit in OrgUnit.objects.filter(valid_from__isnull=True, valid_to=CEASED_2025_07)
        }
        # Level by level, so that every parent has its primary key and path before its children are written.
        for level in LEVELS:
            batch = [record for record in records if record.level == level]
            for start in range(0, len(batch), CHUNK):
                chunk = batch[start : start + CHUNK]
                _write(chunk, units)
                if progress is not None:
                    progress(len(chunk))
    return len(records)


def _write(records: list[UnitRecord], units: dict[str, OrgUnit]) -> None:
    """Insert the new units, correct the changed ones, then set the paths that differ in one statement."""
    new = []
    for record in records:
        if record.node.code not in units:
            unit = OrgUnit(code=record.node.code, valid_from=None, valid_to=CEASED_2025_07)
            _apply(unit, record, units)
            new.append(unit)
    units.update((unit.code, unit) for unit in OrgUnit.objects.bulk_create(new))
    changed, moved = [], []
    for record in records:
        unit = units[record.node.code]
        if _apply(unit, record, units):
            changed.append(unit)
        parent = units[record.parent_code] if record.parent_code else None
        path = f"{parent.path if parent else '/'}{unit.pk}/"
        if unit.path != path:
            unit.path = path
            moved.append(unit.pk)
    if changed:
        OrgUnit.objects.bulk_update(changed, ["name", "kind", "level", "parent"], batch_size=CHUNK)
    if moved:
        # Django's bulk_update builds one CASE branch per row, far too slow for 10,000 communes; the path is a
        # function of the parent's path and the unit's own key, so the database can compute it in one UPDATE.
        OrgUnit.objects.filter(pk__in=moved).update(path=_PATH_FROM_PARENT)


_PATH_FROM_PARENT = Concat(
    Coalesce(Subquery(OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]), Value("/")),
    Cast("pk", output_field=CharField()),
    Value("/"),
    output_field=CharField(),
)


def _apply(unit: OrgUnit, record: UnitRecord, units: dict[str, OrgUnit]) -> bool:
    """Set the unit's fields from the record; True when anything changed."""
    parent = units[record.parent_code] if record.parent_code else None
    wanted: dict[str, Any] = {
        "name": record.node.name,
        "kind": record.node.kind,
        "level": record.level,
        "parent_id": parent.pk if parent else None,
    }
    changed = False
    for name, value in wanted.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            changed = True
    return changed


# ------------------------------------------------------------------------------- after 01/07/2025
MERGES_2025_07 = "merges-2025-07-01.json"
IN_FORCE_2025_07 = CEASED_2025_07  # the first day of the two-level units
MSG_UNKNOWN_NEW_PROVINCE = "Không có tỉnh mã {codes} trong danh sách đơn vị hành chính từ 01/07/2025."


@dataclass(frozen=True, slots=True)
class NewUnit:
    code: str
    kind: str
    name: str
    merges: tuple[tuple[str, str], ...]  # (old code, "full" | "partial")
    children: tuple[NewUnit, ...] = ()


def _split_name(full_name: str) -> tuple[str, str]:
    """ "Tỉnh Thái Nguyên" → ("Tỉnh", "Thái Nguyên"); the longest known kind wins ("Thành phố" over …)."""
    for kind in sorted((*KINDS.values(), "Đặc khu"), key=len, reverse=True):
        if full_name.casefold().startswith(kind.casefold() + " "):
            return kind, full_name[len(kind) + 1 :]
    raise DvhcError(f"tệp {MERGES_2025_07}: không rõ loại đơn vị của “{full_name}”")


def _merges(entry: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(m["old_id"]), str(m["type"])) for m in entry.get("merges", []))


@cache
def read_units_2025_07() -> tuple[NewUnit, ...]:
    """The 34 provinces in force from 01/07/2025, their communes, and the old units merged into each."""
    resource = resources.files("baocao.units") / "data" / MERGES_2025_07
    provinces = []
    for entry in json.loads(resource.read_text(encoding="utf-8"))["data"]:
        communes = []
        for child in entry["level2s"]:
            kind, name = _split_name(child["name"])
            communes.append(NewUnit(str(child["level2_id"]), kind, name, _merges(child)))
        kind, name = _split_name(entry["name"])
        provinces.append(NewUnit(str(entry["level1_id"]), kind, name, _merges(entry), tuple(communes)))
    return tuple(provinces)


def load_units_2025_07(*, province_codes: set[str] | None = None) -> tuple[int, int]:
    """Create the units in force from 01/07/2025 (``valid_from`` = 01/07/2025) and their successions from the
    old units already loaded; return (units, successions). Idempotent, like ``load_units_2025_03``."""
    from baocao.units.models import Succession

    provinces = read_units_2025_07()
    if province_codes is not None:
        _require_known(province_codes, {p.code for p in provinces}, MSG_UNKNOWN_NEW_PROVINCE)
        provinces = tuple(p for p in provinces if p.code in province_codes)
    with transaction.atomic():
        current = OrgUnit.objects.filter(valid_from=IN_FORCE_2025_07)
        units = {(u.level, u.code): u for u in current}
        _write_new(provinces, OrgUnit.Level.PROVINCE, None, units)
        for province in provinces:
            _write_new(province.children, OrgUnit.Level.COMMUNE, units[("province", province.code)], units)
        current.filter(path="").update(path=_PATH_FROM_PARENT)
        current.filter(level=OrgUnit.Level.COMMUNE).update(path=_PATH_FROM_PARENT)
        old = {
            (u.level, u.code): u.pk
            for u in OrgUnit.objects.filter(valid_from__isnull=True, valid_to=CEASED_2025_07)
        }
        links = []
        for province in provinces:
            for level, node in [("province", province)] + [("commune", c) for c in province.children]:
                new_pk = units[(level, node.code)].pk
                for old_code, kind in node.merges:
                    if (level, old_code) in old:
                        links.append(
                            Succession(
                                new_id=new_pk, old_id=old[(level, old_code)], kind=kind, on=IN_FORCE_2025_07
                            )
                        )
        Succession.objects.bulk_create(links, ignore_conflicts=True, batch_size=CHUNK)
    return sum(1 + len(p.children) for p in provinces), len(links)


def _write_new(
    nodes: Iterable[NewUnit], level: str, parent: OrgUnit | None, units: dict[tuple[str, str], OrgUnit]
) -> None:
    new, changed = [], []
    for node in nodes:
        unit = units.get((level, node.code))
        if unit is None:
            unit = OrgUnit(code=node.code, valid_from=IN_FORCE_2025_07, valid_to=None, level=level)
            new.append(unit)
        elif (unit.name, unit.kind, unit.parent_id) != (node.name, node.kind, parent.pk if parent else None):
            changed.append(unit)
        unit.name, unit.kind, unit.parent = node.name, node.kind, parent
    OrgUnit.objects.bulk_create(new, batch_size=CHUNK)
    OrgUnit.objects.bulk_update(changed, ["name", "kind", "parent"], batch_size=CHUNK)
    for unit in new:
        units[(level, unit.code)] = unit
