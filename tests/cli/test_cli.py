from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao.core.values import load_demo_values
from tests.cli_runner import run


@pytest.fixture
def demo_json(tmp_path: Path) -> Path:
    path = tmp_path / "cam-giang.json"
    path.write_text(json.dumps(load_demo_values(), ensure_ascii=False), encoding="utf-8")
    return path


def test_evaluate_json_shows_the_computed_rows_and_the_conflict(monkeypatch, capsys, demo_json: Path) -> None:
    code, out, _ = run(
        monkeypatch, capsys, "evaluate", str(demo_json), "--definition", "cchc-xa-quy", "--format", "json"
    )
    assert code == 1  # the seed has error findings
    data = json.loads(out)
    assert data["definition"] == "cchc-xa-quy"
    rows = {row["code"]: row for row in data["rows"]}
    assert {key: rows[key]["display"] for key in ("1.2", "3.3.1", "7.2.1", "7.2.2", "7.2.4", "5.1.3")} == {
        "1.2": "6,06",
        "3.3.1": "100",
        "7.2.1": "100",
        "7.2.2": "100",
        "7.2.4": "24,14",
        "5.1.3": "16 (88,9%)",
    }
    # Decimals are JSON strings rounded as the report shows them (docs/operations.md, "Số trong JSON").
    assert rows["7.2.4"]["value"] == "24.14"
    assert rows["3.3.1"]["value"] == "100"
    for code_ in ("2.2.1", "2.3.2", "3.4"):
        assert (rows[code_]["value"], rows[code_]["status"], rows[code_]["display"]) == (
            None,
            "not_applicable",
            "không phát sinh",
        )
    online = [f for f in data["findings"] if set(f["items"]) >= {"7.2.1.c", "7.2.2.c", "7.2.4.b"}]
    assert online and online[0]["values"] == {"left": "8", "right": "7"}
    assert set(online[0]) == {"rule", "severity", "message", "items", "values"}


def test_evaluate_text_prints_the_table_and_findings(monkeypatch, capsys, demo_json: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "evaluate", str(demo_json))
    assert code == 1
    assert "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến" in out
    assert "không phát sinh" in out
    assert "Lỗi (chặn việc gửi báo cáo)" in out


def test_evaluate_clean_values_exits_zero(monkeypatch, capsys, tmp_path: Path) -> None:
    values = load_demo_values()
    values.update({"7.2.4": "24,14", "2.2.1": "", "2.3.2": "", "3.4": "", "7.2.1": "100", "7.2.2": "100"})
    values.update({"N.received_in_person": "22", "7.2.1.c": "2"})
    path = tmp_path / "dung.yaml"
    path.write_text("\n".join(f'"{k}": "{v}"' for k, v in values.items()), encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "evaluate", str(path), "--format", "json")
    assert code == 0, [f["message"] for f in json.loads(out)["findings"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "không tìm thấy tệp"),
        ("{not json", "không đọc được tệp"),
        ("[1, 2]", "phải là một bảng mã chỉ tiêu"),
    ],
)
def test_unreadable_input_exits_2_with_a_vietnamese_message(
    monkeypatch, capsys, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "values.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "evaluate", str(path))
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


@pytest.mark.django_db
def test_unknown_definition_exits_2(monkeypatch, capsys, demo_json: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "evaluate", str(demo_json), "--definition", "khong-co")
    assert code == 2
    assert "không có biểu mẫu “khong-co”" in err


def test_bad_option_exits_2(monkeypatch, capsys) -> None:
    code, _, err = run(monkeypatch, capsys, "evaluate", "x.json", "--format", "pdf")
    assert code == 2
    assert "Lệnh không hợp lệ" in err


@pytest.mark.django_db
def test_definitions_and_show(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "definitions")
    assert code == 0 and "cchc-xa-quy" in out
    code, out, _ = run(monkeypatch, capsys, "definition", "show", "cchc-xa-quy")
    assert code == 0
    assert "{7.2.4.b} / {7.2.4.a} * 100" in out
    assert "chỉ trong phần thuyết minh" in out


def test_evaluate_demo_prints_the_seeds_appendix(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "evaluate", "--demo")
    assert code == 0  # the seed's own errors are the point of the demo, not a failure
    assert "Cẩm Giàng" in out and "24,14" in out
    code, out, _ = run(monkeypatch, capsys, "evaluate", "--demo", "--format", "json")
    assert code == 0
    rows = {row["code"]: row for row in json.loads(out)["rows"]}
    assert rows["7.2.4"]["display"] == "24,14"


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "thiếu số liệu"), (("x.json", "--demo"), "chỉ dùng một nguồn số liệu")],
)
def test_evaluate_needs_exactly_one_source(monkeypatch, capsys, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(monkeypatch, capsys, "evaluate", *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


# `baocao demo` (its output, and a second run that adds nothing) is tested where the demo it loads is checked:
# tests/demo/test_demo.py, so that the demo is loaded once for both.


@pytest.mark.django_db
def test_units_load_a_district(monkeypatch, capsys) -> None:
    from baocao.units.models import OrgUnit

    code, out, err = run(monkeypatch, capsys, "units", "load", "--district", "063")
    assert code == 0, err
    assert "Đã nạp 16 đơn vị hành chính" in out
    assert OrgUnit.objects.count() == 16


@pytest.mark.django_db
def test_units_load_an_unknown_province_exits_2(monkeypatch, capsys) -> None:
    code, out, err = run(monkeypatch, capsys, "units", "load", "--province", "99")
    assert code == 2
    assert "Không có tỉnh mã 99" in err
    assert "Traceback" not in err + out


@pytest.mark.django_db
def test_units_load_the_list_after_the_2025_reorganisation(monkeypatch, capsys) -> None:
    from baocao.units.models import Succession

    code, out, err = run(monkeypatch, capsys, "units", "load", "--district", "063")
    code, out, err = run(monkeypatch, capsys, "units", "load", "--list", "2025-07-01", "--province", "19")
    assert code == 0, err
    assert "Đã nạp 93 đơn vị hành chính có hiệu lực từ 01/07/2025" in out
    assert Succession.objects.filter(new__code="02008", kind="full").count() == 4
    code, out, err = run(monkeypatch, capsys, "units", "load", "--list", "2025-07-01", "--province", "06")
    assert code == 2
    assert "Không có tỉnh mã 06" in err


@pytest.mark.django_db
def test_a_command_migrates_only_when_a_migration_or_a_packaged_form_is_missing(monkeypatch) -> None:
    """Each command that uses the database (and each start of the server) brings it up to date, and runs
    ``migrate`` only when that has something to do: a pending migration, or a packaged form not stored yet
    (which ``migrate`` stores)."""
    from django.core import management
    from django.db.migrations.executor import MigrationExecutor

    from baocao.cli.database import setup_database
    from baocao.core.definition import available_definitions, load_definition
    from baocao.forms.models import FormVersion

    migrations: list[tuple[object, ...]] = []
    run_migrate = management.call_command
    monkeypatch.setattr(management, "call_command", lambda *args, **kw: migrations.append(args))
    setup_database()
    assert migrations == []  # up to date: nothing run

    FormVersion.objects.filter(code="cchc-tinh").delete()
    setup_database()
    assert migrations == [("migrate",)]
    monkeypatch.setattr(management, "call_command", run_migrate)
    setup_database()  # migrate stores the packaged form again
    stored = set(FormVersion.objects.values_list("code", "version"))
    assert {(code, load_definition(code).version) for code in available_definitions()} <= stored

    monkeypatch.setattr(management, "call_command", lambda *args, **kw: migrations.append(args))
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["0002_pending"])
    setup_database()
    assert migrations == [("migrate",), ("migrate",)]
