"""The JSON API as machine clients use it: each persona with its own token, the one access check deciding."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

from baocao.api.tokens import token_revoke
from baocao.reports.models import AuditEvent, Value
from tests.api.conftest import API, api_for
from tests.web.conftest import World, world_per_module

module_world, world = world_per_module()  # one world for the module, each test in its own savepoint

REPORT = "/rounds/cchc-2024-q1/reports/02008/"


def test_clerk_reads_own_report_with_decimals_as_strings(world: World) -> None:
    answer = api_for(world.clerk).get(REPORT)
    assert answer.status_code == 200
    data = answer.json()
    assert (data["round"], data["unit"]["code"], data["status"]) == ("cchc-2024-q1", "02008", "draft")
    items = {item["code"]: item for item in data["items"]}
    assert items["7.2.4"]["value"] == "24.14"
    assert items["7.2.4"]["display"] == "24,14"
    assert items["7.2.4"]["input"] is False
    assert items["2.2.1"]["status"] == "not_applicable"
    assert items["2.2.1"]["value"] is None
    assert {f["rule"] for f in data["findings"] if f["severity"] == "error"}


def test_clerk_of_another_commune_sees_nothing_of_cam_giang(world: World) -> None:
    other = api_for(world.other_clerk)
    for path in (REPORT, REPORT + "history/"):
        answer = other.get(path)
        assert answer.status_code == 404
        assert answer.json()["code"] == "not_found"
    saved = other.put(REPORT + "values/1.1/", {"raw": "9"})
    assert saved.status_code == 404
    assert not Value.objects.filter(report=world.report, code="1.1", raw="9").exists()
    listed = other.get("/rounds/cchc-2024-q1/reports/").json()
    assert [line["unit"] for line in listed["items"]] == ["02005"]


def test_clerk_saves_a_value_through_the_service_with_audit(world: World) -> None:
    before = world.report.version
    answer = api_for(world.clerk).put(REPORT + "values/1.1/", {"raw": "12"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["ok"], data["code"], data["raw"], data["changed"]) == (True, "1.1", "12", True)
    assert data["version"] == before + 1
    stored = Value.objects.get(report=world.report, code="1.1")
    assert (stored.raw, stored.number, stored.updated_by) == ("12", Decimal(12), world.clerk)
    event = AuditEvent.objects.filter(report=world.report).last()
    assert event is not None
    assert (event.user, event.action, event.target, event.new) == (world.clerk, "value", "1.1", "12")


def test_a_value_changed_by_someone_else_is_a_conflict_and_not_overwritten(world: World) -> None:
    shown = Value.objects.get(report=world.report, code="1.1").raw
    api_for(world.leader).put(REPORT + "values/1.1/", {"raw": "40", "previous": shown})
    answer = api_for(world.clerk).put(REPORT + "values/1.1/", {"raw": "41", "previous": shown})
    assert answer.status_code == 409
    assert answer.json() == {
        "ok": False,
        "error": "Người khác vừa sửa ô này.",
        "code": "conflict",
        "conflict": {"theirs": "40", "yours": "41"},
    }
    assert Value.objects.get(report=world.report, code="1.1").raw == "40"


def test_an_unreadable_value_is_refused_in_vietnamese(world: World) -> None:
    answer = api_for(world.clerk).put(REPORT + "values/1.1/", {"raw": "mười hai"})
    assert answer.status_code == 422
    body = answer.json()
    assert (body["ok"], body["code"]) == (False, "invalid")
    assert body["error"]
    assert Value.objects.get(report=world.report, code="1.1").raw != "mười hai"


def test_a_reviewer_may_read_but_not_type_into_a_commune_report(world: World) -> None:
    reviewer = api_for(world.district_reviewer)
    assert reviewer.get(REPORT).status_code == 200
    answer = reviewer.put(REPORT + "values/1.1/", {"raw": "5"})
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"
    assert Value.objects.get(report=world.report, code="1.1").raw != "5"


def test_a_revoked_token_is_refused(world: World) -> None:
    clerk = api_for(world.clerk)
    assert clerk.get("/rounds/").status_code == 200
    token_revoke(key=clerk.secret[:10])
    answer = clerk.get("/rounds/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    assert answer.json()["code"] == "unauthorized"
    assert clerk.put(REPORT + "values/1.1/", {"raw": "3"}).status_code == 401


def test_no_token_or_a_session_cookie_is_not_enough(world: World) -> None:
    browser = world.client(world.clerk)
    assert browser.get(API + "/rounds/").status_code == 401
    assert browser.get(API + "/rounds/", HTTP_AUTHORIZATION="Bearer bc_made-up").status_code == 401


def test_history_lists_every_change_in_order(world: World) -> None:
    events = api_for(world.clerk).get(REPORT + "history/").json()
    assert events[0]["action"] == "create"
    assert events[0]["user"] == "xa.camgiang"
    assert (events[1]["action"], events[1]["target"]) == ("import", "seed")
    api_for(world.clerk).put(REPORT + "values/1.1/", {"raw": "77"})
    last = api_for(world.clerk).get(REPORT + "history/").json()[-1]
    assert (last["action"], last["target"], last["new"]) == ("value", "1.1", "77")
    assert last["user"] == "xa.camgiang"


def test_rollup_for_the_district_reviewer_only(world: World) -> None:
    query = {"unit": "063"}
    answer = api_for(world.district_reviewer).get("/rounds/cchc-2024-q1/rollup/", **query)
    assert answer.status_code == 200
    assert answer.json()["unit"]["code"] == "063"
    for persona in (world.clerk, world.stranger_reviewer):
        refused = api_for(persona).get("/rounds/cchc-2024-q1/rollup/", **query)
        assert refused.status_code == 404
    done = api_for(world.district_reviewer).get("/rounds/cchc-2024-q1/completeness/", **query).json()
    assert (done["expected"], done["not_started"], done["in_progress"]) == (2, 1, 1)


def test_workflow_action_through_the_service(world: World) -> None:
    answer = api_for(world.clerk).post(REPORT + "actions/send/")
    assert answer.status_code == 403
    refused = api_for(world.leader).post(REPORT + "actions/send/")
    assert refused.status_code == 422
    assert refused.json()["error"].startswith("Chưa gửi được")


def test_schema_and_docs_are_served_without_a_cdn(world: World) -> None:
    schema = world.client(None).get(API + "/schema/")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = world.client(None).get(API + "/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html


def test_the_exported_schema_is_the_served_one(world: World, tmp_path: Path) -> None:
    """``baocao manage export_openapi_schema`` writes the document served at /api/v1/schema/, without --api
    (django-ninja's own default looks for an API at /api/, where there is none). Called as ``baocao manage``
    calls it, but through ``call_command``: ``execute_from_command_line`` would run ``django.setup()`` again
    in this process and send logging to this test's captured stderr, closed after it."""
    out = tmp_path / "openapi.json"
    call_command("export_openapi_schema", output=str(out))
    assert json.loads(out.read_text()) == world.client(None).get(API + "/schema/").json()
