"""Comparison of units for a round: values from the stored rollups, sortable, flagged, downloadable."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from baocao.accounts.models import Membership, Role, User
from baocao.analysis.bulk import bulk_accepted_reports, quarter_round
from baocao.analysis.compare import compare
from baocao.units.dvhc import load_units_2025_03
from baocao.units.models import OrgUnit


@pytest.fixture
def bach_thong(db: None) -> OrgUnit:
    load_units_2025_03(district_codes={"063"})
    district = OrgUnit.objects.get(code="063")
    communes = list(OrgUnit.objects.filter(parent=district).order_by("code"))
    for quarter in (1, 2, 3):
        round_ = quarter_round(
            year=2024, quarter=quarter, requested_by=district, respondents=[u.pk for u in communes]
        )
        # Every commune receives about 30 hồ sơ; Cẩm Giàng receives 300 in Q3.
        bulk_accepted_reports(
            round_,
            lambda unit, q=quarter: {
                "7.2.4.a": "300" if (unit.code == "02008" and q == 3) else str(28 + int(unit.code) % 5),
                "7.2.4.b": "7",
            },
            communes,
        )
    return district


def test_values_far_from_peers_and_from_history_are_flagged(bach_thong: OrgUnit) -> None:
    from baocao.rounds.models import Round

    table = compare(Round.objects.get(code="cchc-2024-q3"), bach_thong, ["7.2.4.a", "7.2.4"])
    assert len(table.lines) == 14
    flagged = {line.unit.code: line.cells[0].flags for line in table.lines if line.cells[0].flags}
    assert list(flagged) == ["02008"]
    assert any("cùng cấp" in flag for flag in flagged["02008"])
    assert any("kỳ trước" in flag for flag in flagged["02008"])
    table.sort(0, descending=True)
    assert table.lines[0].unit.code == "02008"
    assert table.lines[0].cells[1].display == "2,33"  # 7/300, the ratio of its own figures


def test_the_comparison_page_sorts_and_downloads_xlsx(bach_thong: OrgUnit) -> None:
    from django.test import Client

    reviewer = User.objects.create_user(username="huyen", password="x")
    Membership.objects.create(user=reviewer, unit=bach_thong, role=Role.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    page = client.get("/phan-tich/so-sanh/cchc-2024-q3/?unit=063&item=7.2.4.a&sort=-7.2.4.a")
    assert page.status_code == 200
    text = page.content.decode()
    table = text[text.index("<tbody>") :]
    assert table.index("Xã Cẩm Giàng") < table.index("Xã Quân Hà")
    assert "Khác hẳn các đơn vị cùng cấp" in text
    assert not any(word in text for word in ("MAD", "điểm z", "z-score", "Iglewicz"))
    # Rows are picked by what a reviewer reads: STT and label, the chosen one selected.
    assert '<option value="7.2.4.a" selected>7.2.4 › Tổng số hồ sơ TTHC đã tiếp nhận' in text
    assert (
        '<option value="N.radio_broadcasts">Số lượt tuyên truyền CCHC trên hệ thống Đài truyền thanh</option>'
        in text
    )
    download = client.get("/phan-tich/so-sanh/cchc-2024-q3/?unit=063&item=7.2.4.a&format=xlsx")
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = "7.2.4 › Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp, bưu chính công ích và trực tuyến)"
    assert rows[1][:4] == ("Mã", "Đơn vị", "Số báo cáo", f"{total} (Hồ sơ)")
    flagged = [row[-1] for row in rows[2:] if row[-1]]
    assert flagged and all(note.startswith(f"{total}: ") for note in flagged)
    assert not any("7.2.4.a" in str(cell) for row in rows for cell in row)  # no internal code anywhere
    assert len(rows) == 2 + 14
    outsider = User.objects.create_user(username="xa", password="x")
    Membership.objects.create(user=outsider, unit=OrgUnit.objects.get(code="02008"), role=Role.CLERK)
    client.force_login(outsider)
    assert client.get("/phan-tich/so-sanh/cchc-2024-q3/?unit=063").status_code == 404
