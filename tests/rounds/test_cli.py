"""baocao round create: the same service as the page, the same refusals, every problem listed."""

from __future__ import annotations

import pytest

from baocao.accounts.models import AdminChange
from baocao.rounds.models import Round
from tests.cli_runner import run
from tests.web.conftest import World

ARGS = ("round", "create", "--unit", "063", "--form", "cchc-xa-quy", "--period", "quy", "--year", "2025")


def test_a_district_reviewer_asks_every_commune_below(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        monkeypatch, capsys, *ARGS, "--quarter", "3", "--due", "20/9/2025", "--user", "huyen.bachthong"
    )
    assert (code, err) == (0, "")
    round_ = Round.objects.get(code="cchc-xa-quy-quarter-2025-3-063")
    assert out.strip() == (
        "Đã tạo kỳ báo cáo “Báo cáo kết quả thực hiện công tác cải cách hành chính quý III năm 2025”"
        " (mã cchc-xa-quy-quarter-2025-3-063): 2 đơn vị phải báo cáo, hạn gửi 20/09/2025."
    )
    assert {u.code for u in round_.respondents.all()} == {"02005", "02008"}
    assert AdminChange.objects.filter(object_id=str(round_.pk), user__username="huyen.bachthong").exists()


def test_refusals_exit_non_zero_and_save_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, *ARGS, "--due", "20/3/2025", "--user", "tinh.thainguyen")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Không tạo kỳ báo cáo (1 lỗi, chưa ghi gì):",
        "- Không được yêu cầu báo cáo nhân danh Huyện Bạch Thông.",
    ]
    code, out, err = run(
        monkeypatch, capsys, *ARGS, "--quarter", "5", "--due", "20/3/2025", "--user", "huyen.bachthong"
    )
    assert (code, err.splitlines()[1:]) == (1, ["- quý phải từ 1 đến 4"])
    code, out, err = run(monkeypatch, capsys, *ARGS, "--due", "hôm nay", "--user", "huyen.bachthong")
    assert (code, err.strip()) == (2, "Lỗi: ngày “hôm nay” không đúng dạng ngày/tháng/năm (ví dụ 05/6/2025)")
    code, out, err = run(
        monkeypatch, capsys, *ARGS, "--due", "20/3/2025", "--to-units", "02100", "--user", "huyen.bachthong"
    )
    assert (code, err.strip()) == (2, "Lỗi: Huyện Bạch Thông không có đơn vị trực thuộc mã “02100”")
    assert Round.objects.count() == 1
