"""An older version's figures in a newer version's codes: same, renamed, merged; split or new rows: none."""

from __future__ import annotations

from decimal import Decimal

from baocao.core.definition import parse_definition
from baocao.core.rollup import Tally, rollup_from_tallies
from baocao.core.versions import Counterpart, counterpart, has_counterpart, translate_tallies
from tests.core.test_definition import HEADER


def header(version: int) -> str:
    return HEADER.replace("version: 1", f"version: {version}") + "items:\n"


def count(code: str) -> str:
    return f'  - {{code: "{code}", label: Dòng {code}, unit: Hồ sơ, type: count, over_time: flow}}\n'


V1 = parse_definition(header(1) + "".join(count(c) for c in ("1.1", "1.2", "1.3", "1.4", "2.1")))
V2 = parse_definition(
    header(2)
    + "".join(count(c) for c in ("1.1", "1.5", "1.6", "2.2", "2.3", "3.1"))
    + '  - {code: "1.7", label: Tỷ lệ, unit: "%", type: ratio, formula: "{1.5} / {1.1} * 100"}\n'
    + '  - {code: "1.8", label: Tỷ lệ mới, unit: "%", type: ratio, formula: "{3.1} / {1.1} * 100"}\n'
    + """mapping:
  - {old: "1.2", new: "1.5", kind: rename}
  - {old: "1.3", new: "1.6", kind: merge}
  - {old: "1.4", new: "1.6", kind: merge}
  - {old: "2.1", new: "2.2", kind: split}
  - {old: "2.1", new: "2.3", kind: split}
"""
)
CHAIN = (V1, V2)


def test_each_kind_of_change_finds_its_counterpart_or_none() -> None:
    assert counterpart(CHAIN, "1.1") == Counterpart(("1.1",), "same")
    assert counterpart(CHAIN, "1.5") == Counterpart(("1.2",), "rename")
    assert counterpart(CHAIN, "1.6") == Counterpart(("1.3", "1.4"), "merge")
    assert not counterpart(CHAIN, "2.2").exists and not counterpart(CHAIN, "2.3").exists
    assert not counterpart(CHAIN, "3.1").exists
    assert has_counterpart(CHAIN, "1.7") and not has_counterpart(CHAIN, "1.8")


def test_tallies_follow_the_mapping_and_rows_without_counterpart_stay_blank_never_zero() -> None:
    old = {
        "1.1": Tally(Decimal(40), 2),
        "1.2": Tally(Decimal(10), 2),
        "1.3": Tally(Decimal(3), 2),
        "1.4": Tally(Decimal(4), 1),
        "2.1": Tally(Decimal(9), 2),
    }
    new = translate_tallies(CHAIN, old)
    assert set(new) == {"1.1", "1.5", "1.6"}
    assert (new["1.5"].total, new["1.6"].total, new["1.6"].reported) == (Decimal(10), Decimal(7), 1)
    rollup = rollup_from_tallies(V2, new, 2)
    assert rollup.by_code["1.7"].value == Decimal(25)
    assert rollup.by_code["2.2"].value is None and rollup.by_code["3.1"].value is None
    assert rollup.by_code["3.1"].display != "0"


def test_a_merged_row_missing_one_part_is_blank() -> None:
    new = translate_tallies(CHAIN, {"1.3": Tally(Decimal(3), 1)})
    assert "1.6" not in new


def test_the_same_version_translates_to_itself() -> None:
    assert counterpart((V2,), "3.1") == Counterpart(("3.1",), "same")
