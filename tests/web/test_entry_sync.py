"""Two people on one report: notes and explanations refuse a stale save; a page left open catches up."""

from __future__ import annotations

import pytest

from baocao.reports import services
from baocao.reports.models import AuditEvent, Explanation, Value
from tests.web.conftest import World, world_per_module

module_world, world = world_per_module()  # one world for the module, each test in its own savepoint

R = "/reports/cchc-2024-q1/02008/"


def warned_rule(world: World) -> str:
    """A warning to explain: more documents to handle (2.2.1.a) than were checked."""
    services.report_set_value(report=world.report, user=world.clerk, code="2.2.1.a", raw="3")
    return services.sending_blockers(world.report).unexplained[0].rule


def note_of(world: World, code: str) -> str:
    return Value.objects.get(report=world.report, code=code).note


def test_note_saved_over_a_note_someone_else_changed_is_refused_and_nothing_is_overwritten(
    world: World,
) -> None:
    clerk, leader = world.client(world.clerk), world.client(world.leader)
    assert leader.post(R + "note/", {"code": "1.1", "note": "Theo sổ công văn", "previous": ""}).json()["ok"]
    stale = clerk.post(R + "note/", {"code": "1.1", "note": "Số liệu ước tính", "previous": ""})
    assert stale.status_code == 409
    body = stale.json()
    assert body["ok"] is False
    assert body["error"] == services.MSG_NOTE_CONFLICT
    assert body["conflict"] == {"theirs": "Theo sổ công văn", "yours": "Số liệu ước tính"}
    assert note_of(world, "1.1") == "Theo sổ công văn"
    # Having seen the other note, the clerk may replace it on purpose.
    kept = clerk.post(
        R + "note/", {"code": "1.1", "note": "Số liệu ước tính", "previous": "Theo sổ công văn"}
    )
    assert kept.json()["note"] == {"code": "1.1", "text": "Số liệu ước tính"}
    assert note_of(world, "1.1") == "Số liệu ước tính"


def test_note_answer_carries_the_version_and_the_same_note_twice_is_no_conflict(world: World) -> None:
    clerk = world.client(world.clerk)
    first = clerk.post(R + "note/", {"code": "1.1", "note": "  ghi chú  ", "previous": ""}).json()
    world.report.refresh_from_db()
    assert first["version"] == world.report.version
    assert first["note"]["text"] == "ghi chú"
    again = clerk.post(R + "note/", {"code": "1.1", "note": "ghi chú", "previous": ""})
    assert again.status_code == 200
    assert AuditEvent.objects.filter(report=world.report, action=AuditEvent.Action.NOTE).count() == 1


def test_note_without_previous_from_a_service_caller_is_saved_as_before(world: World) -> None:
    services.report_set_note(report=world.report, user=world.clerk, code="1.1", note="một")
    services.report_set_note(report=world.report, user=world.leader, code="1.1", note="hai")
    assert note_of(world, "1.1") == "hai"


def test_explanation_over_one_someone_else_saved_is_refused_with_the_typed_text_kept(world: World) -> None:
    rule = warned_rule(world)
    services.report_explain(report=world.report, user=world.leader, rule=rule, text="Lãnh đạo đã xác minh.")
    clerk = world.client(world.clerk)
    answer = clerk.post(
        R + "explain/",
        {"rule": rule, "text": "Số liệu đúng theo sổ.", "previous": ""},
        HTTP_HX_REQUEST="true",
    )
    html = answer.content.decode()
    assert "Người khác vừa sửa giải trình này" in html
    assert "Lãnh đạo đã xác minh." in html  # what is stored, named in the message
    assert ">Số liệu đúng theo sổ.</textarea>" in html  # what the clerk typed, still in the box
    assert Explanation.objects.get(report=world.report, rule=rule).text == "Lãnh đạo đã xác minh."


def test_explanation_with_the_text_the_page_showed_is_saved(world: World) -> None:
    rule = warned_rule(world)
    services.report_explain(report=world.report, user=world.leader, rule=rule, text="Cũ.")
    clerk = world.client(world.clerk)
    clerk.post(R + "explain/", {"rule": rule, "text": "Mới.", "previous": "Cũ."}, HTTP_HX_REQUEST="true")
    assert Explanation.objects.get(report=world.report, rule=rule).text == "Mới."


def test_explanation_form_sends_the_explanation_it_shows(world: World) -> None:
    rule = warned_rule(world)
    services.report_explain(report=world.report, user=world.clerk, rule=rule, text="Đã kiểm tra.")
    html = world.client(world.clerk).get(R).content.decode()
    assert '<input type="hidden" name="previous" value="Đã kiểm tra.">' in html


def test_conflicting_explanation_by_service_raises_conflict(world: World) -> None:
    rule = warned_rule(world)
    services.report_explain(report=world.report, user=world.leader, rule=rule, text="A")
    with pytest.raises(services.ConflictError) as caught:
        services.report_explain(report=world.report, user=world.clerk, rule=rule, text="B", previous="")
    assert (caught.value.theirs, caught.value.yours) == ("A", "B")


def test_state_answers_only_the_version_when_the_page_is_up_to_date(world: World) -> None:
    world.report.refresh_from_db()
    answer = world.client(world.clerk).get(R + "state/", {"version": world.report.version}).json()
    assert answer == {"ok": True, "version": world.report.version, "changed": False}


def test_state_gives_cells_ratios_and_narrative_changed_since_the_page_was_loaded(world: World) -> None:
    world.report.refresh_from_db()
    seen = world.report.version
    services.report_set_value(report=world.report, user=world.leader, code="1.2.1", raw="40")
    services.report_set_note(report=world.report, user=world.leader, code="1.2.1", note="theo kế hoạch mới")
    services.report_set_narrative(
        report=world.report, user=world.leader, section="I.1", text="Có {1.2.1} việc"
    )
    answer = world.client(world.clerk).get(R + "state/", {"version": seen}).json()
    assert answer["changed"] is True and answer["version"] == seen + 3
    assert answer["values"]["1.2.1"] == "40"
    assert answer["notes"]["1.2.1"] == "theo kế hoạch mới"
    assert answer["displays"]["plain"]["1.2"] == "5"  # 2 of 40 done, not 2 of 33
    section = answer["narrative"]["I.1"]
    assert section["text"] == "Có {1.2.1} việc"
    assert 'data-display="1.2.1"' in section["html"] and ">40</span>" in section["html"]


def test_state_of_another_communes_report_is_not_found(world: World) -> None:
    assert world.client(world.other_clerk).get(R + "state/").status_code == 404


def test_value_answer_carries_every_stored_cell_so_the_page_refreshes_others_changes(world: World) -> None:
    services.report_set_value(report=world.report, user=world.leader, code="1.2.1", raw="40")
    answer = world.client(world.clerk).post(R + "value/", {"code": "1.1", "raw": "5", "previous": "0"}).json()
    assert answer["values"]["1.2.1"] == "40" and answer["values"]["1.1"] == "5"
    assert answer["displays"]["plain"]["1.2"] == "5"


def test_first_edit_of_a_part_showing_the_default_paragraphs_is_no_conflict(world: World) -> None:
    definition = services.definition_of(world.round)
    default = definition.narrative_default("I.4")
    assert default.startswith("Để nâng cao Chỉ số CCHC xã")
    clerk = world.client(world.clerk)
    saved = clerk.post(R + "narrative/", {"section": "I.4", "text": default + " Thêm.", "previous": default})
    assert saved.status_code == 200
    # Someone else's edit of the same part is still caught.
    stale = clerk.post(R + "narrative/", {"section": "I.4", "text": "Khác.", "previous": default})
    assert stale.status_code == 409
    assert stale.json()["conflict"]["theirs"] == default + " Thêm."


def test_findings_name_rows_by_the_stt_the_appendix_prints_not_by_internal_codes(world: World) -> None:
    html = world.client(world.clerk).get(R).content.decode()
    panel = html[html.index('id="findings"') :]
    # A sub-row without an STT of its own is named by its label and its row's STT.
    assert "Số TTHC đang cung cấp trực tuyến một phần có phát sinh hồ sơ nộp trực tuyến (dòng 7.2.1)" in panel
    assert ">7.2.1.c<" not in panel and ">7.2.4.b<" not in panel
