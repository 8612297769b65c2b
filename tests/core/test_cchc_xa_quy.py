"""The real definition against the real seed report: the appendix row by row, and the demo's figures."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from baocao.core.definition import load_definition
from baocao.core.evaluate import Evaluation, evaluate
from baocao.core.formula import NOT_APPLICABLE
from baocao.core.narrative import paragraph_text
from baocao.core.templates import placeholders
from baocao.core.values import load_demo_values

SEED = Path(__file__).parents[1] / "fixtures" / "seed" / "000_2f959b74d0f1a55a.txt"
DEFINITION = load_definition("cchc-xa-quy")
CONTEXT = {
    "@unit_name": "xã Cẩm Giàng",
    "@period_label": "quý I năm 2024",
    "@window_start": "25/11/2023",
    "@window_end": "24/02/2024",
    "@year": "2024",
}


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("<i>", "").replace("</i>", "")).strip()


def seed_appendix_rows() -> list[tuple[str, str, str, str]]:
    """(STT, label, unit, value) of every row of the seed's Phụ lục I, headers repeated per page skipped."""
    text = SEED.read_text(encoding="utf-8").split("BIỂU THỐNG KÊ SỐ LIỆU", 1)[1]
    rows = []
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) < 4 or cells[0] == "STT" or (not cells[0] and cells[2] == "Đơn vị tính"):
            continue
        rows.append((cells[0], plain(cells[1]), plain(cells[2]), plain(cells[3])))
    return rows


@pytest.fixture(scope="module")
def demo() -> Evaluation:
    return evaluate(DEFINITION, load_demo_values())


def test_definition_has_every_appendix_row_in_order_verbatim() -> None:
    seed = seed_appendix_rows()
    appendix = DEFINITION.appendix_items
    assert len(appendix) == len(seed) == 89
    for item, (stt, label, unit, _) in zip(appendix, seed, strict=True):
        assert plain(item.label) == label, item.code
        if stt and stt != "Trong đó":
            assert item.code == stt
        else:
            assert item.code[-1].isalpha(), f"{item.code} has no STT on paper, so it takes a letter"
        if unit:
            assert item.unit == unit, item.code


def test_demo_values_are_the_seed_as_typed() -> None:
    values = load_demo_values()
    for item, (_, _, _, value) in zip(DEFINITION.appendix_items, seed_appendix_rows(), strict=True):
        if item.type != "group":
            assert values.get(item.code, "") == value, item.code


def test_every_ratio_has_a_formula_including_those_the_seed_left_blank() -> None:
    ratios = {item.code for item in DEFINITION.items if item.type == "ratio" and item.in_appendix}
    assert {
        "1.2",
        "2.2.1",
        "2.3.2",
        "3.3.1",
        "3.3.2",
        "3.4",
        "6.a",
        "7.2.1",
        "7.2.2",
        "7.2.3",
        "7.2.4",
        "7.2.5",
    } <= (ratios)
    assert DEFINITION.by_code["5.1.3"].share_of == "5.1.2"
    assert DEFINITION.by_code["5.3.3"].share_of == "5.3.2"


@pytest.mark.parametrize(
    ("code", "display"),
    [
        ("1.2", "6,06"),
        ("3.3.1", "100"),
        ("7.2.1", "100"),
        ("7.2.2", "100"),
        ("7.2.4", "24,14"),
        ("2.2.1", "không phát sinh"),
        ("2.3.2", "không phát sinh"),
        ("3.4", "không phát sinh"),
        ("5.1.3", "16 (88,9%)"),
        ("5.3.3", "18 (100%)"),
        ("7.1.a", "90,4"),
        ("1.4", "Không"),
        ("N.online_service_share", "65,79"),
        ("N.staff_postgraduate_share", "5,6"),
        ("N.score_766_band", "Trung bình"),
    ],
)
def test_demo_rows(demo: Evaluation, code: str, display: str) -> None:
    assert demo.by_code[code].display == display


def test_not_applicable_is_a_value_of_its_own(demo: Evaluation) -> None:
    assert demo.by_code["3.4"].value is NOT_APPLICABLE
    assert demo.by_code["7.2.3"].value is None  # 7.2.3.b was left blank: not reported, not "không phát sinh"


def test_demo_findings_are_the_seeds_conflicts(demo: Evaluation) -> None:
    by_rule = {(f.rule, f.items) for f in demo.findings}
    online = next(f for f in demo.findings if {"7.2.1.c", "7.2.2.c", "7.2.4.b"} <= set(f.items))
    assert online.severity == "error"
    assert (online.left, online.right) == (Decimal(8), Decimal(7))
    assert "8" in online.message and "7" in online.message
    in_person = next(f for f in demo.findings if "N.received_in_person" in f.items)
    assert (in_person.left, in_person.right) == (Decimal(14), Decimal(29))
    assert ("ratio.mismatch", ("7.2.4",)) in by_rule
    assert {("ratio.zero_base", (code,)) for code in ("2.2.1", "2.3.2", "3.4")} <= by_rule
    assert {("ratio.blank", (code,)) for code in ("7.2.1", "7.2.2")} <= by_rule
    assert len(demo.findings) == 8, [f.message for f in demo.findings]


def test_consistent_figures_raise_nothing(demo: Evaluation) -> None:
    flagged = {code for finding in demo.findings for code in finding.items}
    for code in ("1.2", "7.2.3.a", "3.1.4", "5.1.3", "5.3.3", "3.3.1", "7.1.a", "7.1.b", "N.info_services"):
        assert code not in flagged


def test_every_narrative_number_is_bound_and_renders(demo: Evaluation) -> None:
    paragraphs = [p for section in DEFINITION.sections() for p in section.paragraphs]
    assert paragraphs
    text = "\n".join(paragraph_text(p, demo, CONTEXT) for p in paragraphs)
    assert "{" not in text
    assert "Tiếp nhận 29 hồ sơ, trong đó: Tiếp nhận trực tuyến 07 hồ sơ" in text
    assert "là 75/114, đạt tỷ lệ 65,79%" in text
    assert "Cao học 01 người, chiếm 5,6%" in text  # the seed's 55,6% cannot be written any more
    assert "xã hiện nay là 18 người" in text  # the seed's 20 cannot either
    assert "được 58,73 điểm, xếp loại: Trung bình" in text
    bound = {ph.name for p in paragraphs for ph in placeholders(p) if not ph.is_context}
    narrative_only = {item.code for item in DEFINITION.items if not item.in_appendix}
    unused = narrative_only - bound - {"N.staff_standard_share"}
    assert not {code for code in unused if not code.endswith("_share")}, unused


def test_stocks_flows_and_year_to_date_are_declared() -> None:
    over_time = {item.code: item.over_time for item in DEFINITION.items}
    assert over_time["7.2.4.a"] == "flow"
    assert over_time["4.2.2"] == "stock"
    assert over_time["1.2.2"] == "ytd"
