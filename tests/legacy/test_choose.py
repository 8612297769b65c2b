"""The form an old report is checked against: named by the user, else by the report's own header, title
and rows, among the packaged forms and those published in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.core.definition import load_definition
from baocao.legacy.catalogue import form_refs
from baocao.legacy.check import check_chosen, check_file
from baocao.legacy.choose import document_level
from baocao.legacy.mapping import printed_stt
from baocao.legacy.model import ReadDocument, TableRow
from baocao.legacy.read import read_bytes

SEED = Path(__file__).parents[1] / "fixtures" / "seed" / "000_2f959b74d0f1a55a.txt"


def district_report(header: str = "ỦY BAN NHÂN DÂN HUYỆN CẨM GIÀNG") -> bytes:
    """A district report: its header, one sentence, and the district form's appendix rows, 7 in each."""
    definition = load_definition("cchc-huyen")
    lines = [header, "", "BÁO CÁO", "", "Kết quả thực hiện công tác cải cách hành chính năm 2024", ""]
    lines += ["Trong năm, huyện tổ chức 03 cuộc kiểm tra công tác CCHC.", "", "Phụ lục I", ""]
    for item in definition.items:
        if not item.in_appendix or item.type not in ("count", "group") or not printed_stt(item):
            continue
        lines.append(
            f"{printed_stt(item)}\t{item.label}\t{item.unit or ''}\t{'' if item.type == 'group' else '7'}\t"
        )
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize(
    ("paragraphs", "level"),
    [
        (["ỦY BAN NHÂN DÂN HUYỆN CẨM GIÀNG", "ỦY BAN NHÂN DÂN XÃ CẨM VĂN", "BÁO CÁO"], "commune"),
        (["UBND HUYỆN ĐỊNH QUÁN", "BÁO CÁO"], "district"),
        (["ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "ỦY BAN NHÂN DÂN THÀNH PHỐ THANH HÓA", "BÁO CÁO"], "district"),
        (["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "BÁO CÁO"], "province"),
        (["BÁO CÁO", "Kết quả công tác cải cách hành chính cấp tỉnh năm 2023"], "province"),
        # The parent that asked for the report is not its writer; the writer names itself with capitals.
        (
            [
                "Thực hiện Văn bản số 294/UBND-NV của UBND huyện Bạch Thông về việc hướng dẫn "
                "thực hiện báo cáo. "
                "Ủy ban nhân dân phường Long Anh báo cáo như sau:"
            ],
            "commune",
        ),
        (["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "BÁO CÁO"], ""),  # a city: province or district
        (["Tin tức", "Huyện tổ chức hội nghị tổng kết công tác cấp xã."], ""),
        # Press texts quoting the unit's own figures.
        (["UBND huyện Định Quán cho biết, trong năm 2019, tổng số hồ sơ … là trên 132 ngàn."], "district"),
        (["Thống kê của UBND tỉnh cho biết, trong quý I năm 2020 đã tiếp nhận 659.245 hồ sơ."], "province"),
        (["Toàn tỉnh tiếp nhận 56.039 hồ sơ giải quyết thủ tục hành chính trong quý I"], "province"),
        # A commune's report citing the province's plan in its body: its header decides.
        (["ỦY BAN NHÂN DÂN XÃ ĐƯNG K'NỚ", "BÁO CÁO", "Thực hiện kế hoạch của UBND tỉnh về CCHC."], "commune"),
    ],
)
def test_the_report_states_its_own_level(paragraphs: list[str], level: str) -> None:
    assert document_level(paragraphs)[0] == level


def test_a_district_report_is_checked_against_the_district_form() -> None:
    result = check_chosen(read_bytes(district_report(), "huyen.txt"), "huyen.txt")
    assert result.definition == "cchc-huyen"
    assert result.coverage.rows_mapped >= 30
    assert "biểu mẫu cchc-huyen v1: báo cáo cấp huyện (“ỦY BAN NHÂN DÂN HUYỆN”)" in result.verdict.text
    # The commune form lacks the district's own rows: forced onto it, fewer rows map.
    forced = check_chosen(read_bytes(district_report(), "huyen.txt"), "huyen.txt", "cchc-xa-quy")
    assert forced.definition == "cchc-xa-quy" and forced.form == "biểu mẫu cchc-xa-quy v1 do người dùng chọn"
    assert forced.coverage.rows_mapped < result.coverage.rows_mapped


def test_the_seed_stays_on_the_commune_form() -> None:
    result = check_file(SEED)
    assert result.definition == "cchc-xa-quy" and "báo cáo cấp xã" in result.form


def test_without_a_stated_level_the_rows_decide_and_without_rows_the_commune_form() -> None:
    definition = load_definition("cchc-huyen")
    rows = [
        TableRow(printed_stt(i), i.label, i.unit or "", "4")
        for i in definition.items
        if i.code.startswith("8.")
    ]
    chosen = check_chosen(ReadDocument("txt", ["Kết quả"], rows), "bang.txt")
    assert chosen.definition == "cchc-huyen" and "văn bản không nêu cấp báo cáo" in chosen.form
    bare = check_chosen(
        ReadDocument("txt", ["Hồ sơ đã giải quyết 10, trong đó đúng hạn 9, quá hạn 1."]), "tin.txt"
    )
    assert bare.definition == "cchc-xa-quy" and bare.form.startswith("biểu mẫu cchc-xa-quy v1 (mặc định)")


@pytest.mark.django_db
def test_a_form_published_only_in_the_database_is_chosen_and_can_be_forced() -> None:
    from baocao.forms.services import publish_form, save_draft

    base = load_definition("cchc-huyen")
    spec = base.spec.model_copy(update={"code": "cchc-huyen-hd", "title": "Biểu CCHC cấp huyện của tỉnh"})
    from baocao.core.definition import compile_definition

    publish_form(
        form=save_draft(definition=compile_definition(spec, source="test"), owner=None, user=None), user=None
    )
    refs = form_refs()
    assert {ref.code for ref in refs} >= {"cchc-xa-quy", "cchc-huyen", "cchc-tinh", "cchc-huyen-hd"}
    forced = check_chosen(read_bytes(district_report(), "huyen.txt"), "huyen.txt", "cchc-huyen-hd", refs)
    assert forced.definition == "cchc-huyen-hd" and forced.coverage.rows_mapped >= 30
    with pytest.raises(Exception, match="không có biểu mẫu “khong-co”"):
        check_chosen(read_bytes(district_report(), "huyen.txt"), "huyen.txt", "khong-co", refs)


def test_where_no_database_was_ever_made_the_packaged_forms_are_offered_and_none_is_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`baocao check` where no server ever ran: Django is not started to ask an empty database."""
    from django.conf import settings

    missing = tmp_path / "baocao.sqlite3"
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": missing}
    monkeypatch.setitem(settings.DATABASES, "default", sqlite)
    refs = form_refs()
    assert {ref.code for ref in refs} >= {"cchc-xa-quy", "cchc-huyen", "cchc-tinh"}
    assert not any(ref.stored for ref in refs) and not missing.exists()


REAL = Path(__file__).parents[1] / "fixtures" / "real"


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("huyen-dakglong-nam-2020.txt", "cchc-huyen"),
        ("huyen-dinhquan-nam-2019.txt", "cchc-huyen"),
        ("tinh-lamdong-quy1-2020.txt", "cchc-tinh"),
        ("tinh-kontum-quy1-2023.txt", "cchc-tinh"),
        ("tinh-thainguyen-quy1-2023.txt", "cchc-tinh"),
        ("xa-dungkno-quy1-2025.txt", "cchc-xa-quy"),
    ],
)
def test_real_district_and_province_texts_take_their_level_s_form(name: str, form: str) -> None:
    result = check_file(REAL / name)
    assert result.definition == form
    # The verdict says which form and why, and what was compared; the level's form adds no error of its own:
    # the errors are those of the prose, as on the commune form.
    assert f"Đối chiếu với biểu mẫu {form} v1" in result.verdict.text
    assert "câu có số liệu" in result.verdict.text
    on_commune_form = check_file(REAL / name, "cchc-xa-quy")
    assert [f.message for f in result.errors] == [f.message for f in on_commune_form.errors]
