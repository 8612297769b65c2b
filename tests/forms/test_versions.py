"""Stored form versions: a round pins one, a report keeps it, publishing a change makes the next version."""

from __future__ import annotations

import io
from datetime import date
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from baocao.analysis.bulk import quarter_round
from baocao.core.definition import available_definitions, load_definition
from baocao.core.form_import import WorkbookError
from baocao.core.form_workbook import write_workbook
from baocao.forms.models import FormStatus, FormVersion
from baocao.forms.registry import definition_for_round, load_form
from baocao.forms.services import FormError, import_form, publish_form
from baocao.reports import services
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit
from tests.web.conftest import World, world_per_module


@cache
def _exported() -> bytes:
    """The packaged cchc-xa-quy as a workbook, written once for the tests that change it."""
    return write_workbook(load_definition("cchc-xa-quy").spec)


def changed_workbook(
    *,
    label: str = "Số văn bản chỉ đạo CCHC đã ban hành trong kỳ",
    extra_row: bool = True,
    rename: bool = False,
) -> bytes:
    """cchc-xa-quy with row 1.1 relabelled (or, with ``rename``, recoded 1.6 and mapped from 1.1) and a new
    row 1.5 after 1.4."""
    workbook = load_workbook(io.BytesIO(_exported()))
    sheet = workbook["Chỉ tiêu"]
    codes = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    sheet.cell(codes.index("1.1") + 1, 3).value = label
    if rename:
        sheet.cell(codes.index("1.1") + 1, 1).value = "1.6"
        workbook["Chuyển mã"].append(["1.1", "1.6", "đổi mã", "đổi mã khi thêm dòng 1.5"])
    if extra_row:
        at = codes.index("1.4") + 2
        sheet.insert_rows(at)
        for column, value in enumerate(["1.5", "1.5", "Số cuộc đối thoại đã tổ chức", "Cuộc", "số đếm"], 1):
            sheet.cell(at, column).value = value
        sheet.cell(at, 11).value = "phát sinh trong kỳ"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def second_round(world: World) -> Round:
    """Quý II, made as every quarterly round is: it pins the latest published version."""
    pks = [world.cam_giang.pk, world.quan_ha.pk]
    round_ = quarter_round(year=2024, quarter=2, requested_by=world.district, respondents=pks)
    Round.objects.filter(pk=round_.pk).update(lock_date=date(2099, 12, 31))
    round_.refresh_from_db()
    return round_


module_world, world = world_per_module()


def test_the_shipped_forms_are_stored_as_published_version_1(db: None) -> None:
    form = FormVersion.objects.get(code="cchc-xa-quy")
    assert (form.version, form.status, form.owner) == (1, FormStatus.PUBLISHED, None)
    assert load_form("cchc-xa-quy").spec == load_definition("cchc-xa-quy").spec


def test_rounds_on_v1_and_v2_side_by_side_each_read_their_own_version(world: World) -> None:
    before = services.report_evaluation(world.report)
    v2 = import_form(data=changed_workbook(), owner=None, user=None, source_name="v2.xlsx", publish=True)
    assert v2.version == 2
    q2 = second_round(world)
    assert q2.definition_version == 2
    old, new = definition_for_round(world.round), definition_for_round(q2)
    assert (old.version, new.version) == (1, 2)
    assert "1.5" not in old.by_code and new.by_code["1.5"].label == "Số cuộc đối thoại đã tổ chức"
    assert old.by_code["1.1"].label.startswith("Số văn bản chỉ đạo CCHC đã ban hành (kết luận")
    # The report of the v1 round reads, computes and checks exactly as before.
    after = services.report_evaluation(world.report)
    assert after.values == before.values and [f.rule for f in after.findings] == [
        f.rule for f in before.findings
    ]
    report = services.report_open(round_=q2, unit=world.cam_giang, user=world.clerk)
    services.report_set_value(report=report, user=world.clerk, code="1.5", raw="3")
    assert services.report_evaluation(report).values["1.5"] == 3
    assert load_form("cchc-xa-quy").version == 2


def test_a_published_version_is_never_changed_in_place(world: World) -> None:
    v1 = FormVersion.objects.get(code="cchc-xa-quy", version=1)
    import_form(data=changed_workbook(), owner=None, user=None, source_name="v2.xlsx", publish=True)
    assert FormVersion.objects.get(pk=v1.pk).sha256 == v1.sha256
    with pytest.raises(FormError, match="phiên bản 1 của biểu mẫu “cchc-xa-quy” đã ban hành"):
        publish_form(form=v1, user=None)
    with pytest.raises(FormError, match="không thay đổi so với phiên bản 2"):
        import_form(data=changed_workbook(), owner=None, user=None, source_name="v2.xlsx", publish=True)


def test_nothing_is_stored_while_an_error_remains(world: World) -> None:
    data = changed_workbook(label="")  # the label is required
    with pytest.raises(WorkbookError) as caught:
        import_form(data=data, owner=None, user=None, source_name="loi.xlsx", publish=True)
    assert [str(p) for p in caught.value.problems] == [
        "Trang “Chỉ tiêu”, dòng 3, cột C “Chỉ tiêu”: không được để trống"
    ]
    assert FormVersion.objects.filter(code="cchc-xa-quy").count() == 1


def test_a_draft_is_not_offered_until_published(world: World) -> None:
    draft = import_form(data=changed_workbook(), owner=None, user=None, source_name="v2.xlsx")
    assert draft.status == FormStatus.DRAFT and load_form("cchc-xa-quy").version == 1
    publish_form(form=draft, user=world.leader)
    assert load_form("cchc-xa-quy").version == 2


def test_a_province_form_is_offered_to_that_province_only(world: World) -> None:
    spec = load_definition("cchc-xa-quy").spec.model_copy(
        update={"code": "bc-tinh-06", "title": "Biểu của tỉnh"}
    )
    import_form(
        data=write_workbook(spec), owner=world.province, user=None, source_name="t.xlsx", publish=True
    )
    other = OrgUnit.objects.get(code="19")
    offered_here = set(
        FormVersion.objects.published().offered_to(world.cam_giang).values_list("code", flat=True)
    )
    offered_there = set(FormVersion.objects.published().offered_to(other).values_list("code", flat=True))
    assert offered_here == {*available_definitions(), "bc-tinh-06"}
    assert "bc-tinh-06" not in offered_there and "cchc-xa-quy" in offered_there
    with pytest.raises(FormError, match="do Tỉnh Bắc Kạn ban hành"):
        changed = spec.model_copy(update={"title": "Biểu của tỉnh (sửa)"})
        import_form(data=write_workbook(changed), owner=None, user=None, source_name="t.xlsx")
    # A round of the other province may not ask for it; one of this province may.
    round_ = Round(definition_code="bc-tinh-06", definition_version=1, requested_by=other)
    with pytest.raises(ValidationError) as refused:
        round_.clean()
    assert refused.value.message_dict == {
        "definition_version": [
            "biểu mẫu “bc-tinh-06” do Tỉnh Bắc Kạn ban hành, chỉ dùng cho các đơn vị của tỉnh đó"
        ]
    }
    Round(definition_code="bc-tinh-06", definition_version=1, requested_by=world.district).clean()
    with pytest.raises(ValidationError, match="không có phiên bản 3 đã ban hành"):
        Round(definition_code="cchc-xa-quy", definition_version=3, requested_by=world.district).clean()


def test_the_version_asked_for_must_exist(db: None) -> None:
    from baocao.core.definition import DefinitionError

    with pytest.raises(DefinitionError, match="không có phiên bản 7 đã ban hành"):
        load_form("cchc-xa-quy", 7)
    with pytest.raises(DefinitionError, match="không có biểu mẫu “khong-co”"):
        load_form("khong-co")


def test_a_mapping_from_a_code_the_previous_version_lacks_is_refused(world: World) -> None:
    workbook = load_workbook(io.BytesIO(changed_workbook()))
    workbook["Chuyển mã"].append(["9.9", "1.5", "đổi mã"])
    row = workbook["Chuyển mã"].max_row
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(WorkbookError) as caught:
        import_form(data=out.getvalue(), owner=None, user=None, source_name="v2.xlsx", publish=True)
    assert [str(p) for p in caught.value.problems] == [
        f"Trang “Chuyển mã”, dòng {row}, cột A “Mã cũ”: mã cũ “9.9” không có trong phiên bản 1 của biểu mẫu"
    ]
    assert FormVersion.objects.filter(code="cchc-xa-quy").count() == 1
