"""baocao definitions / definition export / definition import: every error listed, exit codes, versions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from baocao.forms.models import FormVersion
from tests.cli_runner import run
from tests.forms.test_versions import changed_workbook

pytestmark = pytest.mark.django_db


def test_export_then_import_of_an_unchanged_form_stores_nothing(monkeypatch, capsys, tmp_path: Path) -> None:
    target = tmp_path / "bieu.xlsx"
    code, out, err = run(monkeypatch, capsys, "definition", "export", "cchc-xa-quy", "--out", str(target))
    assert code == 0, err
    assert out.startswith(f"Đã ghi {target} (cchc-xa-quy phiên bản 1,")
    code, out, err = run(monkeypatch, capsys, "definition", "import", str(target), "--publish")
    assert code == 2 and "không thay đổi so với phiên bản 1 đã ban hành" in err
    assert FormVersion.objects.filter(code="cchc-xa-quy").count() == 1


def test_import_lists_every_error_and_exits_1(monkeypatch, capsys, tmp_path: Path) -> None:
    workbook = load_workbook(io.BytesIO(changed_workbook()))
    sheet = workbook["Chỉ tiêu"]
    sheet["F4"] = "{1.2.2} / {1.2.1 * 100"
    sheet["E5"] = "bảng"
    target = tmp_path / "loi.xlsx"
    workbook.save(target)
    code, out, err = run(monkeypatch, capsys, "definition", "import", str(target), "--publish")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "Không nhận biểu mẫu: 2 lỗi (chưa ghi gì vào cơ sở dữ liệu):"
    assert lines[1].startswith("- Trang “Chỉ tiêu”, dòng 5, cột E “Kiểu”: “bảng” không phải là một trong")
    assert lines[2].startswith("- Trang “Chỉ tiêu”, dòng 4, cột F “Công thức”:")
    assert "Traceback" not in err and FormVersion.objects.filter(code="cchc-xa-quy").count() == 1


def test_publish_makes_version_2_and_definitions_lists_both(monkeypatch, capsys, tmp_path: Path) -> None:
    target = tmp_path / "v2.xlsx"
    target.write_bytes(changed_workbook())
    code, out, _ = run(monkeypatch, capsys, "definition", "import", str(target))
    assert code == 0 and "đã lưu bản nháp phiên bản 2" in out
    code, out, _ = run(monkeypatch, capsys, "definition", "import", str(target), "--publish")
    assert code == 0 and out.startswith("Đã ban hành biểu mẫu “cchc-xa-quy” phiên bản 2 (")
    code, out, _ = run(monkeypatch, capsys, "definitions", "--format", "json")
    listed = [(f["code"], f["version"], f["status"], f["level"], f["periods"][0]) for f in json.loads(out)]
    assert listed == [
        ("cchc-huyen", 1, "published", "district", "quarter"),
        ("cchc-tinh", 1, "published", "province", "quarter"),
        ("cchc-xa-quy", 1, "published", "commune", "quarter"),
        ("cchc-xa-quy", 2, "published", "commune", "quarter"),
    ]
    old = tmp_path / "v1.xlsx"
    code, out, _ = run(
        monkeypatch, capsys, "definition", "export", "cchc-xa-quy", "--version", "1", "--out", str(old)
    )
    assert code == 0 and "phiên bản 1" in out
    codes = [row[0].value for row in load_workbook(old)["Chỉ tiêu"].iter_rows(min_row=2)]
    assert "1.5" not in codes


def test_unreadable_and_unknown_inputs_exit_2(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "definition", "import", str(tmp_path / "khong-co.xlsx"))
    assert code == 2 and "không đọc được tệp" in err
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, _, err = run(monkeypatch, capsys, "definition", "import", str(bad))
    assert code == 2 and "Tệp không phải là tệp Excel (.xlsx)." in err
    code, _, err = run(monkeypatch, capsys, "definition", "export", "khong-co", "--out", str(bad))
    assert code == 2 and "không có biểu mẫu “khong-co”" in err


def test_a_form_stored_only_in_the_database_is_shown_and_evaluated(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    roman = Path(__file__).parents[1] / "fixtures" / "forms" / "bieu-mau-so-la-ma.xlsx"
    code, _, err = run(monkeypatch, capsys, "definition", "import", str(roman), "--publish")
    assert code == 0, err
    code, out, _ = run(monkeypatch, capsys, "definition", "show", "cchc-xa-so-la-ma")
    assert code == 0 and "{2.2} / {2.1} * 100" in out
    values = tmp_path / "so-lieu.json"
    values.write_text(json.dumps({"2.1": "40", "2.2": "50"}), encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "evaluate", str(values), "--definition", "cchc-xa-so-la-ma")
    assert code == 1 and "Số hồ sơ trực tuyến (50) lớn hơn tổng số hồ sơ (40)." in out
