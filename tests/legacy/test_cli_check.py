"""`baocao check`: the JSON shape, the grouped Vietnamese text, exit codes 0/1/2, a directory run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_runner import run

# The command asks the database for the published forms it may choose from.
pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_2f959b74d0f1a55a.txt"
COLLECTION = FIXTURES / "legacy"


def test_json_shape_is_pinned(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "check", str(SEED), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {
        "file",
        "definition",
        "form",
        "rows_read",
        "ocr",
        "rows_unmapped",
        "findings",
        "coverage",
        "verdict",
    }
    assert data["verdict"]["status"] == "errors" and data["verdict"]["exit_code"] == 1
    assert data["coverage"]["rows_mapped"] == 56 and data["coverage"]["relations"] > 0
    assert (data["definition"], data["rows_read"], data["rows_unmapped"]) == ("cchc-xa-quy", 89, [])
    assert data["form"] == (
        "biểu mẫu cchc-xa-quy v1: báo cáo cấp xã (“Ủy ban nhân dân xã Cẩm Giàng báo cáo”), "
        "56/89 dòng phụ lục khớp biểu mẫu"
    )
    assert data["verdict"]["text"].endswith(f"Đối chiếu với {data['form']}.")
    for finding in data["findings"]:
        assert set(finding) == {
            "rule",
            "severity",
            "message",
            "items",
            "source",
            "expected",
            "found",
            "excerpt",
        }
        assert finding["source"] in ("table", "narrative", "both")
        assert finding["severity"] in ("error", "warning")
    assert {"source": "both", "found": "20", "expected": "18"}.items() <= next(
        f for f in data["findings"] if f["rule"] == "narrative.table_mismatch"
    ).items()


def test_text_output_groups_by_severity_with_excerpts_and_both_values(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "check", str(SEED))
    assert code == 1
    assert out.index("LỖI (9)") < out.index("CẢNH BÁO (2)")
    assert "Ghi trong báo cáo: 93,3; đối chiếu: 24,14" in out
    assert "Trích: …UBND xã đã ban hành Quyết định số 283/2021/QĐ-UBND ngày 24/8/2023" in out


def test_clean_report_exits_zero(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "check", str(COLLECTION / "v2-dung.docx"))
    assert code == 0
    assert "KẾT LUẬN: Không phát hiện lỗi trong phần đã kiểm tra:" in out
    assert "dòng phụ lục khớp biểu mẫu" in out


def test_nothing_checkable_says_so_and_exits_three(monkeypatch, capsys, tmp_path: Path) -> None:
    import docx
    import openpyxl

    document = docx.Document()
    document.add_paragraph("Biên bản họp thôn: bà con thống nhất làm đường bê tông, mỗi hộ góp 2 ngày công.")
    document.save(tmp_path / "bien-ban.docx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Năm sinh", "Điểm"])
    sheet.append(["Nguyễn Văn A", 1980, 8])
    workbook.save(tmp_path / "danh-sach.xlsx")
    (tmp_path / "trong.txt").write_text("Kính gửi Phòng Nội vụ huyện.\n", encoding="utf-8")
    for name in ("bien-ban.docx", "danh-sach.xlsx", "trong.txt"):
        code, out, _ = run(monkeypatch, capsys, "check", str(tmp_path / name))
        assert code == 3, name
        assert "KẾT LUẬN: Không kiểm tra được:" in out and "Không phát hiện lỗi" not in out
    code, out, _ = run(monkeypatch, capsys, "check", str(tmp_path))
    assert code == 3 and "Không kiểm tra được" in out


def test_warnings_only_exit_zero(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "check", str(COLLECTION / "v0-ty-le-bo-trong.xlsx"))
    assert code == 0 and "CẢNH BÁO (1)" in out


def test_missing_file_and_unknown_definition_exit_two(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "check", str(tmp_path / "khong-co.docx"))
    assert code == 2 and "không tìm thấy" in err
    code, _, err = run(monkeypatch, capsys, "check", str(SEED), "--definition", "khong-co")
    assert code == 2 and "Traceback" not in err


def test_unmapped_rows_are_listed_not_guessed(monkeypatch, capsys, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8") + "\n9.9\tSố cây xanh được trồng mới\tCây\t120\t\n"
    path = tmp_path / "them-dong.txt"
    path.write_text(text, encoding="utf-8")
    _, out, _ = run(monkeypatch, capsys, "check", str(path), "--format", "json")
    data = json.loads(out)
    assert [row["label"] for row in data["rows_unmapped"]] == ["Số cây xanh được trồng mới"]
    assert not any("120" in f["found"] for f in data["findings"])


def test_directory_run_prints_a_summary_and_exits_with_the_worst(monkeypatch, capsys, tmp_path: Path) -> None:
    for name in ("v0-dung.txt", "v1-dung.docx", "v2-loi-nam-van-ban.xlsx"):
        shutil.copy(COLLECTION / name, tmp_path / name)
    code, out, _ = run(monkeypatch, capsys, "check", str(tmp_path))
    assert code == 1
    assert "Kết quả kiểm tra" in out and "narrative.document_year" in out
    assert "3 tệp: 3 đọc được, 0 không đọc được" in out
    (tmp_path / "rong.txt").write_bytes(b"")
    code, out, _ = run(monkeypatch, capsys, "check", str(tmp_path), "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert len(data) == 4 and sum("error" in result for result in data) == 1


def test_directory_run_with_a_process_pool_matches_single_checks(tmp_path: Path) -> None:
    from baocao.cli.check import check_directory_results
    from baocao.legacy.check import check_file

    names = sorted(name.name for name in COLLECTION.glob("v[01]-*.txt"))[:20]
    for name in names:
        shutil.copy(COLLECTION / name, tmp_path / name)
    results = check_directory_results(tmp_path, None)  # 20 files: batches over two workers
    assert [Path(r["file"]).name for r in results] == names
    for result in results:
        alone = check_file(Path(result["file"])).as_dict()
        assert result == alone
