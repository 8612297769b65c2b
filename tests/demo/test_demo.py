from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from baocao.accounts.models import Membership, User
from baocao.core.narrative import MISSING, paragraph_text
from baocao.demo import DemoSummary, load_demo
from baocao.demo.cam_giang import NARRATIVE
from baocao.reports.models import AuditEvent, NarrativeText, Report, Status, Value
from baocao.reports.services import definition_of, report_evaluation, sending_blockers
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

TODAY = date(2025, 1, 15)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    """The demo, loaded once for the module inside a transaction that is rolled back at its end.

    Each test's own transaction (``django_db``) nests inside it as a savepoint, so the tests share one load
    (a few seconds) and still cannot see each other's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            summary = load_demo(today=TODAY)
        yield summary
        transaction.set_rollback(True)


def reports() -> dict[str, Report]:
    return {
        r.unit.code: r
        for r in Report.objects.filter(round__code="cchc-2024-q1").select_related("unit", "round")
    }


def test_the_accounts_exist_with_their_roles(demo: DemoSummary) -> None:
    roles = {
        (m.user.username, m.role, m.unit.code) for m in Membership.objects.select_related("user", "unit")
    }
    assert roles == {
        ("xa.camgiang", "clerk", "02008"),
        ("ct.camgiang", "leader", "02008"),
        ("xa.quanha", "clerk", "02005"),
        ("huyen.bachthong", "reviewer", "063"),
        ("tinh.backan", "reviewer", "06"),
    }
    leader = User.objects.get(username="ct.camgiang")
    assert (leader.full_name, leader.job_title) == ("Vũ Văn Thành", "Chủ tịch UBND xã")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert all(user.check_password("demo") for user in User.objects.all())
    assert [row.username for row in demo.accounts] == [
        "xa.camgiang",
        "ct.camgiang",
        "xa.quanha",
        "huyen.bachthong",
        "tinh.backan",
        "admin",
    ]
    assert demo.accounts[0].unit == "Xã Cẩm Giàng"


def test_the_units_are_bach_thong_and_its_14_communes(demo: DemoSummary) -> None:
    district = OrgUnit.objects.get(code="063")
    assert OrgUnit.objects.count() == 16
    assert OrgUnit.objects.subtree(district).count() == 15
    round_ = Round.objects.get(code="cchc-2024-q1")
    assert set(round_.respondents.values_list("code", flat=True)) == set(
        OrgUnit.objects.filter(level="commune").values_list("code", flat=True)
    )
    assert (round_.window_start, round_.window_end, round_.due_date) == (
        date(2023, 11, 25),
        date(2024, 2, 24),
        date(2024, 2, 28),
    )
    assert round_.lock_date == TODAY + timedelta(days=365)
    assert round_.requested_by == district
    assert round_.title == "Báo cáo kết quả thực hiện công tác CCHC quý I năm 2024"


def test_cam_giang_is_a_draft_with_the_seeds_values_header_and_narrative(demo: DemoSummary) -> None:
    report = reports()["02008"]
    assert report.status == Status.DRAFT and not report.is_demo
    raw = report.raw_values()
    assert (raw["7.2.4.a"], raw["1.2.2"], raw["5.1.3"]) == ("29", "02", "16 (88,9%)")
    assert "7.2.4" not in raw  # computed rows are never typed
    assert (report.document_number, report.document_date, report.signer_name) == (
        "15/BC-UBND",
        date(2024, 2, 28),
        "Vũ Văn Thành",
    )
    assert report.recipients.splitlines() == [
        "- Phòng Nội vụ huyện;",
        "- TT Đảng ủy, HĐND xã;",
        "- CT, PCT UBND xã;",
        "- BCĐ CCHC xã;",
        "- Lưu: VT.",
    ]
    evaluation = report_evaluation(report)
    stored = dict(NarrativeText.objects.filter(report=report).values_list("section", "text"))
    assert stored == {section: text for section, text in NARRATIVE.items() if text}
    assert set(definition_of(report.round).narrative_codes()) == set(NARRATIVE)
    rendered = {section: paragraph_text(text, evaluation, {}) for section, text in stored.items()}
    assert "Tiếp nhận 29 hồ sơ, trong đó: Tiếp nhận trực tuyến 07 hồ sơ" in rendered["II.2"]
    assert "hiện nay là 18 người" in rendered["II.3"] and "20 người" not in rendered["II.3"]
    assert "Cao học 01 người chiếm 5,6%" in rendered["II.4"]
    assert "Quyết định số 283/2021/QĐ-UBND ngày 24/8/2023" in rendered["II.3"]
    assert not any(MISSING in text for text in rendered.values())
    # The seed's two real conflicts stay visible for the clerk to fix.
    assert {f.rule for f in evaluation.errors} == {"N-ho-so", "R-7.2.4-phat-sinh"}


def test_the_communes_are_spread_over_every_state(demo: DemoSummary) -> None:
    by_unit = reports()
    assert Counter(r.status for r in by_unit.values()) == {
        Status.SENT: 4,
        Status.ACCEPTED: 3,
        Status.RETURNED: 2,
        Status.READY: 1,
        Status.DRAFT: 2,
    }
    assert demo.by_status == {"sent": 4, "accepted": 3, "returned": 2, "ready": 1, "draft": 2}
    assert by_unit["02005"].status == Status.DRAFT
    not_started = set(OrgUnit.objects.filter(level="commune").values_list("code", flat=True)) - set(by_unit)
    assert len(not_started) >= 2
    sent_on = {r.unit.code: r.sent_at.astimezone(TZ).date() for r in by_unit.values() if r.sent_at}
    late = sorted(code for code in sent_on if by_unit[code].is_late)
    on_time = [code for code in sent_on if not by_unit[code].is_late]
    assert late == ["01981", "01990"]
    assert all(date(2024, 3, 2) <= sent_on[code] <= date(2024, 3, 5) for code in late)
    assert len([code for code in on_time if by_unit[code].status == Status.SENT]) >= 3
    assert all(date(2024, 2, 26) <= sent_on[code] <= date(2024, 2, 28) for code in on_time)


def test_reviews_are_the_district_reviewers_with_reasons_and_times(demo: DemoSummary) -> None:
    reviewer = User.objects.get(username="huyen.bachthong")
    decisions = AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.RETURN, AuditEvent.Action.ACCEPT], report__round__code="cchc-2024-q1"
    )
    assert decisions.count() == 5 and all(event.user == reviewer for event in decisions)
    for report in Report.objects.filter(status=Status.RETURNED):
        assert report.return_reason.startswith("Đề nghị")
        assert report.sent_at is not None and report.decided_at is not None
        assert report.decided_at > report.sent_at
    sent = AuditEvent.objects.get(
        action=AuditEvent.Action.SEND, report__unit__code="01981", report__round__code="cchc-2024-q1"
    )
    assert sent.at == datetime(2024, 3, 5, 10, 45, tzinfo=TZ)


def test_invented_reports_can_be_sent_their_warnings_explained(demo: DemoSummary) -> None:
    invented = [r for r in reports().values() if r.unit.code != "02008"]
    assert invented and all(r.is_demo for r in invented)
    explained = 0
    for report in invented:
        blockers = sending_blockers(report)
        assert (blockers.errors, blockers.unexplained) == ([], []), report.unit
        if report.sent_at is not None:  # a sent document carries its number, date and signer
            assert blockers.missing == [], report.unit
        explained += report.explanations.count()
    assert explained >= 3


def test_loading_twice_changes_nothing(demo: DemoSummary) -> None:
    def counts() -> tuple[int, ...]:
        models = (Report, Value, AuditEvent, User, OrgUnit, Membership, NarrativeText, Round)
        return tuple(model.objects.count() for model in models)

    before, versions = counts(), dict(Report.objects.values_list("pk", "version"))
    again = load_demo(today=TODAY + timedelta(days=30))
    assert counts() == before
    assert dict(Report.objects.values_list("pk", "version")) == versions
    assert Round.objects.get(code="cchc-2024-q1").lock_date == TODAY + timedelta(days=365)
    assert (again.reports, again.values, again.audit_events, again.users) == (
        demo.reports,
        demo.values,
        demo.audit_events,
        demo.users,
    )


def test_the_previous_quarter_gives_the_trends_a_history(demo: DemoSummary) -> None:
    previous = Report.objects.filter(round__code="cchc-2023-q4")
    assert previous.count() == 14
    assert set(previous.values_list("status", flat=True)) == {Status.ACCEPTED}
    assert not any(report.is_late for report in previous)
    # Another quarter's own figures, not a copy of quý I năm 2024's.
    quan_ha = {r.round.code: r.raw_values() for r in Report.objects.filter(unit__code="02005")}
    assert quan_ha["cchc-2023-q4"] != quan_ha["cchc-2024-q1"]


def test_every_sent_or_accepted_demo_report_is_numbered_dated_and_signed(demo: DemoSummary) -> None:
    from baocao.documents.builder import build_report

    final = Report.objects.filter(status__in=[Status.SENT, Status.ACCEPTED]).select_related("round", "unit")
    assert final.count() >= 14 + 7  # the previous quarter's communes and this quarter's sent and accepted
    for report in final:
        assert report.number and report.document_date and report.signer_name, report
        assert report.document_date <= report.sent_at.date(), report
        built = build_report(report)
        assert "…" not in built.number and built.number.startswith("Số: ")
        assert "ngày      tháng" not in built.place_date
        assert built.signer_name and built.recipients[0] == "- Như trên;"
