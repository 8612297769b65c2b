"""The whole test collection: every corrected report raises nothing, every planted conflict exactly its
findings, in every format. Files and expectations come from tests/fixtures/legacy/make_fixtures.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao.legacy.check import check_file

COLLECTION = Path(__file__).parents[1] / "fixtures" / "legacy"
EXPECTED: dict[str, list[str]] = json.loads((COLLECTION / "expected.json").read_text(encoding="utf-8"))


def test_collection_covers_every_format_and_every_kind_of_check() -> None:
    formats = {name.rsplit(".", 1)[1] for name in EXPECTED}
    assert formats == {"txt", "docx", "xlsx", "pdf"}
    for kind in ("txt", "docx", "xlsx", "pdf"):
        rules = {rule for name, rules in EXPECTED.items() if name.endswith(kind) for rule in rules}
        assert {
            "ratio.mismatch",
            "ratio.zero_base",
            "ratio.blank",
            "share.mismatch",
            "R-7.2.4-phat-sinh",
            "narrative.ratio",
            "narrative.share",
            "N-ho-so",
            "narrative.table_mismatch",
            "narrative.document_year",
            "narrative.parts",
        } <= rules, kind
    assert any(rules == [] for name, rules in EXPECTED.items() if name.endswith(".pdf"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document_raises_exactly_its_planted_findings(name: str) -> None:
    result = check_file(COLLECTION / name)
    assert sorted({finding.rule for finding in result.findings}) == sorted(set(EXPECTED[name]))
    assert result.mapping.unmapped == []
    assert len(result.mapping.mapped) == len(result.document.rows) >= 80
    for finding in result.findings:
        assert finding.found and finding.expected and finding.excerpt


def test_baocao_own_export_codes_in_a_hidden_column_and_ratios_as_formulas(tmp_path: Path) -> None:
    """The layout of baocao's Excel export: title rows, headings at row 5 with a hidden "Mã" column, two
    header rows, ratios as live formulas (no cached value when written by openpyxl)."""
    import openpyxl

    from baocao.core.definition import load_definition
    from baocao.legacy.mapping import printed_stt

    definition = load_definition("cchc-xa-quy")
    values = {"1.2.1": 33, "1.2.2": 2, "7.2.4.a": 29, "7.2.4.b": 7, "3.1.4": 114, "7.2.3.a": 75}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append(["Phụ lục I"])
    sheet.append(["BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC"])
    sheet.append([])
    sheet.append([])
    sheet.append(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã"])
    sheet.append(["", "", "", "", "", ""])
    for item in definition.items:
        if not item.in_appendix:
            continue
        number = sheet.max_row + 1
        value: object = values.get(item.code)
        if item.type == "ratio":
            value = f'=IF(D{number + 2}=0,"không phát sinh",D{number + 1}/D{number + 2}*100)'
        sheet.append([printed_stt(item), item.label.replace("<i>", ""), item.unit, value, None, item.code])
    sheet.column_dimensions["F"].hidden = True
    path = tmp_path / "xuat-tu-baocao.xlsx"
    workbook.save(str(path))
    result = check_file(path)
    assert result.mapping.unmapped == []
    assert {m.how for m in result.mapping.mapped} <= {"mã", "nhóm"}
    assert [f.rule for f in result.findings] == []
