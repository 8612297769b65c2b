"""Ad hoc requests (chuyên đề, đột xuất): the requester's subject and window, in titles and documents."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from baocao.core.definition import load_definition
from baocao.core.form_workbook import write_workbook
from baocao.core.periods import default_window, period_label, short_label
from baocao.documents.builder import build_report
from baocao.documents.docx_export import export_docx
from baocao.forms.services import import_form
from baocao.reports import services
from baocao.reports.models import Report, Status
from baocao.rounds.models import Round
from baocao.rounds.services import RoundRequest, round_create
from tests.web.conftest import World

TOPIC = "Kết quả thực hiện chuyển đổi số trong giải quyết thủ tục hành chính"


@pytest.fixture
def ad_hoc_form(world: World) -> str:
    """The commune form, issued by the province for thematic and unscheduled requests as well."""
    spec = load_definition("cchc-xa-quy").spec.model_copy(
        update={"code": "bc-chuyen-de", "periods": ["quarter", "thematic", "ad_hoc"]}
    )
    data = write_workbook(spec)
    import_form(data=data, owner=world.province, user=None, source_name="cd.xlsx", publish=True)
    return "bc-chuyen-de"


def ad_hoc_round(world: World, form: str, kind: str) -> Round:
    request = RoundRequest(
        requested_by=world.district,
        definition_code=form,
        definition_version=1,
        period_type=kind,
        year=2025,
        window_start=date(2025, 3, 1),
        window_end=date(2025, 5, 31),
        due_date=date(2025, 6, 5),
        lock_date=date(2099, 12, 31),  # still open to the clerk today
        topic=TOPIC,
        basis="Công văn số 123/UBND-NV ngày 25/5/2025",
        respondents=[world.cam_giang],
    )
    return round_create(request=request, user=world.district_reviewer)


def test_the_decree_windows_and_the_labels_of_each_kind() -> None:
    assert default_window("quarter", 2025, 1) == (date(2024, 12, 15), date(2025, 3, 14))
    assert default_window("quarter", 2025, 4) == (date(2025, 9, 15), date(2025, 12, 14))
    assert default_window("half_year", 2025) == (date(2024, 12, 15), date(2025, 6, 14))
    assert default_window("year", 2025) == (date(2024, 12, 15), date(2025, 12, 14))
    assert default_window("ad_hoc", 2025) is None
    start, end = date(2025, 3, 1), date(2025, 5, 31)
    assert period_label("thematic", 2025, 1, start, end) == (
        "đợt báo cáo chuyên đề (số liệu từ 01/3/2025 đến 31/5/2025)"
    )
    assert period_label("nine_months", 2025, 1, start, end) == "9 tháng năm 2025"
    assert short_label("ad_hoc", 2025, 1, end) == "Đột xuất 31/5/2025"
    assert short_label("quarter", 2025, 3, end) == "Quý III/2025"


def test_a_thematic_round_is_titled_and_documented_by_its_subject(world: World, ad_hoc_form: str) -> None:
    round_ = ad_hoc_round(world, ad_hoc_form, "thematic")
    assert round_.title == f"Báo cáo chuyên đề: {TOPIC}"
    assert (round_.window_start, round_.window_end, round_.period_number) == (
        date(2025, 3, 1),
        date(2025, 5, 31),
        1,
    )
    report = services.report_open(round_=round_, unit=world.cam_giang, user=world.clerk)
    built = build_report(report)
    assert (built.heading, built.subject) == ("BÁO CÁO CHUYÊN ĐỀ", TOPIC)
    opening = built.paragraphs[0].text
    assert (
        "kết quả thực hiện công tác CCHC đợt báo cáo chuyên đề (số liệu từ 01/3/2025 đến 31/5/2025)"
        in opening
    )

    document = Document(io.BytesIO(export_docx(built)))
    texts = [p.text for p in document.paragraphs]
    assert texts.index("BÁO CÁO CHUYÊN ĐỀ") + 1 == texts.index(TOPIC)
    assert document.core_properties.title == f"Báo cáo chuyên đề {TOPIC}"


def test_an_unscheduled_round_says_so(world: World, ad_hoc_form: str) -> None:
    round_ = ad_hoc_round(world, ad_hoc_form, "ad_hoc")
    report = services.report_open(round_=round_, unit=world.cam_giang, user=world.clerk)
    assert build_report(report).heading == "BÁO CÁO ĐỘT XUẤT"
    assert round_.short_label == "Đột xuất 31/5/2025"


def test_a_periodic_report_keeps_its_subject(world: World) -> None:
    built = build_report(world.report)
    assert (built.heading, built.subject) == (
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2024",
    )


def test_an_ad_hoc_report_is_not_compared_with_an_earlier_request(world: World, ad_hoc_form: str) -> None:
    first = ad_hoc_round(world, ad_hoc_form, "thematic")
    earlier = services.report_open(round_=first, unit=world.cam_giang, user=world.clerk)
    Report.objects.filter(pk=earlier.pk).update(status=Status.SENT)  # as if sent: a basis for comparing
    Round.objects.filter(pk=first.pk).update(window_start=date(2024, 1, 1), window_end=date(2024, 2, 1))
    later = services.report_open(
        round_=ad_hoc_round(world, ad_hoc_form, "thematic"), unit=world.cam_giang, user=world.clerk
    )
    assert services.previous_report(later) is None
    # The same two rounds as periodic ones would be compared: the ad hoc kind is what stops it.
    Round.objects.filter(definition_code=ad_hoc_form).update(period_type="quarter")
    later.round.refresh_from_db()
    assert services.previous_report(later) == earlier
