"""baocao export and baocao import-xlsx: the access check, Vietnamese messages, exit codes, no tracebacks."""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from baocao.documents.sheet import CODE_COLUMN, FIRST_ROW, VALUE_COLUMN
from baocao.reports import services
from baocao.reports.models import AuditEvent
from tests.cli_runner import run
from tests.documents.conftest import make_document_world
from tests.web.conftest import World, world_kept

ROUND = ("--round", "cchc-2024-q1")


@pytest.fixture(scope="module")
def module_cli_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_kept(django_db_blocker, make_document_world) as world:
        yield world


@pytest.fixture
def cli_world(module_cli_world: World, db: None) -> World:
    """The document world made once for the module (tests/web/conftest.py, world_kept), a copy per test."""
    return copy.deepcopy(module_cli_world)


def _edited(source: Path, target: Path, **values: object) -> Path:
    workbook = load_workbook(source)
    sheet = workbook.active
    for row in range(FIRST_ROW, sheet.max_row + 1):
        code = sheet.cell(row, CODE_COLUMN).value
        if code in values:
            sheet.cell(row, VALUE_COLUMN).value = values[code]
    workbook.save(target)
    return target


def test_export_writes_word_and_excel_named_by_unit(monkeypatch, capsys, cli_world, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--user", "xa.camgiang")
    assert code == 0, err
    assert (tmp_path / "02008-xa-cam-giang-cchc-2024-q1.docx").read_bytes()[:2] == b"PK"
    target = tmp_path / "phu-luc.xlsx"
    code, out, err = run(
        monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--format", "xlsx", "--out", str(target),
        "--user", "huyen.bachthong",
    )  # fmt: skip
    assert code == 0 and f"Đã ghi {target}" in out


def test_export_checks_access(monkeypatch, capsys, cli_world) -> None:
    code, _out, err = run(monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--user", "xa.quanha")
    assert code == 1 and "không được xem báo cáo của Xã Cẩm Giàng" in err
    code, _out, err = run(monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--user", "khong-co")
    assert code == 2 and "không có tài khoản “khong-co”" in err and "Traceback" not in err


def test_export_of_a_whole_round_is_a_zip(monkeypatch, capsys, cli_world, tmp_path: Path) -> None:
    target = tmp_path / "ky.zip"
    code, _out, err = run(
        monkeypatch, capsys, "export", *ROUND, "--all", "--out", str(target), "--user", "huyen.bachthong"
    )
    assert code == 0, err
    names = zipfile.ZipFile(target).namelist()
    assert "02008-xa-cam-giang-cchc-2024-q1.docx" in names
    code, _out, err = run(monkeypatch, capsys, "export", *ROUND, "--user", "huyen.bachthong")
    assert code == 2 and "cần --unit MÃ" in err


def test_import_previews_then_applies(monkeypatch, capsys, cli_world, tmp_path: Path) -> None:
    source = tmp_path / "goc.xlsx"
    run(monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--format", "xlsx", "--out", str(source),
        "--user", "xa.camgiang")  # fmt: skip
    edited = _edited(source, tmp_path / "sua.xlsx", **{"1.3.1": 9})
    args = ("import-xlsx", str(edited), *ROUND, "--unit", "02008", "--user", "xa.camgiang")
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 0, err
    assert "1 ô sẽ thay đổi (chưa ghi" in out and "1.3.1" in out
    assert cli_world.report.raw_values().get("1.3.1", "") == ""
    code, out, err = run(monkeypatch, capsys, *args, "--apply")
    assert code == 0, err
    assert "Đã nhập 1 ô vào báo cáo Xã Cẩm Giàng" in out and "xa.camgiang" in out
    assert cli_world.report.raw_values()["1.3.1"] == "9"
    event = AuditEvent.objects.exclude(target="seed").get(action=AuditEvent.Action.IMPORT)
    assert event.user.username == "xa.camgiang"


def test_import_refusals_and_exit_codes(monkeypatch, capsys, cli_world, tmp_path: Path) -> None:
    source = tmp_path / "goc.xlsx"
    run(monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--format", "xlsx", "--out", str(source),
        "--user", "xa.camgiang")  # fmt: skip
    bad_cell = _edited(source, tmp_path / "chu.xlsx", **{"2.2": "hai", "1.3.1": 9})
    code, out, err = run(monkeypatch, capsys, "import-xlsx", str(bad_cell), *ROUND, "--unit", "02008",
                         "--apply", "--user", "xa.camgiang")  # fmt: skip
    assert code == 1 and "Không đọc được 1 ô" in err and "cột D" in err and "chỉ tiêu 2.2" in err
    # The unreadable cell hides nothing: the other change is listed, and nothing is written.
    assert "1 ô sẽ thay đổi (chưa ghi" in out and "1.3.1" in out and "Đã nhập" not in out
    assert cli_world.report.raw_values().get("1.3.1", "") == ""
    args = ("import-xlsx", str(source), *ROUND, "--unit", "02005", "--user", "xa.quanha")
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 1 and "Xã Quân Hà chưa bắt đầu báo cáo" in err
    services.report_open(round_=cli_world.round, unit=cli_world.quan_ha, user=cli_world.other_clerk)
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 1 and "Tệp thuộc đơn vị “02008”, không phải đơn vị “02005”" in err
    code, out, err = run(monkeypatch, capsys, "import-xlsx", str(source), *ROUND, "--unit", "02008",
                         "--user", "huyen.bachthong")  # fmt: skip
    assert code == 1 and "không được sửa" in err
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"hello")
    code, out, err = run(monkeypatch, capsys, "import-xlsx", str(junk), *ROUND, "--unit", "02008",
                         "--user", "xa.camgiang")  # fmt: skip
    assert code == 2 and "Tệp không phải là tệp Excel" in err
    code, out, err = run(monkeypatch, capsys, "import-xlsx", str(tmp_path / "none.xlsx"), *ROUND,
                         "--unit", "02008", "--user", "xa.camgiang")  # fmt: skip
    assert code == 2 and "không đọc được" in err
    assert "Traceback" not in out + err
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exclude(target="seed").exists()


def test_pdf_without_libreoffice_is_a_clear_message(monkeypatch, capsys, cli_world, tmp_path: Path) -> None:
    monkeypatch.setenv("BAOCAO_SOFFICE", str(tmp_path / "khong-co-soffice"))
    code, out, err = run(monkeypatch, capsys, "export", *ROUND, "--unit", "02008", "--format", "pdf",
                         "--out", str(tmp_path / "bc.pdf"), "--user", "ct.camgiang")  # fmt: skip
    assert code == 2 and "chưa cài LibreOffice" in err and "Traceback" not in out + err
    assert not (tmp_path / "bc.pdf").exists()
