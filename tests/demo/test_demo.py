"""The demo, as ``baocao demo`` loads it for a user: its units, accounts, rounds and reports, and a story that
moves with the day it is loaded (its current round reads as live, not years overdue). Loaded once for the
module, on ``LATER``: every date of the seed's story moves by ``SHIFT``; its figures stay the seed's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker

import baocao.demo
from baocao.accounts.models import Membership, User
from baocao.core.narrative import MISSING, paragraph_text
from baocao.demo import DemoSummary, load_demo
from baocao.demo.cam_giang import NARRATIVE, SEED_PERIOD, narrative_for
from baocao.reports.models import AuditEvent, NarrativeText, Report, Status, Value
from baocao.reports.services import definition_of, report_evaluation, sending_blockers
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit
from tests.cli_runner import run, run_outside_a_test

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED_DAY = date(2024, 3, 7)  # the day after the seed's story's last event: on it, the seed's own dates
LATER = date(2026, 12, 3)  # the day the module's demo is loaded
SHIFT = LATER - SEED_DAY  # how far every date of the story moves: it ends the day before it is loaded
pytestmark = pytest.mark.django_db


@dataclass
class Loaded:
    """What ``baocao demo`` said (exit code, output, errors) and the summary it printed."""

    code: int
    out: str
    err: str
    summary: DemoSummary


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    """The demo, loaded once for the module by the ``baocao demo`` command on ``LATER`` at 08:00, inside a
    transaction that is rolled back at the module's end; its key files and signed copies go to a folder of
    the module's (as each test's do, tests/conftest.py), never to data/.

    Each test's own transaction (``django_db``) nests inside it as a savepoint, so the tests share one load
    (a few seconds) and still cannot see each other's changes."""
    summaries: list[DemoSummary] = []

    def recorded(**kwargs: object) -> DemoSummary:
        summaries.append(load_demo(**kwargs))  # type: ignore[arg-type]
        return summaries[-1]

    folder = tmp_path_factory.mktemp("demo")
    files = override_settings(SIGNING_DIR=folder / "signing", JOBS_DIR=folder / "jobs")
    with django_db_blocker.unblock(), transaction.atomic(), files:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(baocao.demo, "load_demo", recorded)
            with time_machine.travel(datetime(2026, 12, 3, 8, 0, tzinfo=TZ), tick=False):
                assert timezone.localdate() == LATER  # the day the command loads the demo on
                code, out, err = run_outside_a_test("demo")
        assert len(summaries) == 1, err
        yield Loaded(code, out, err, summaries[0])
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo(loaded: Loaded) -> DemoSummary:
    return loaded.summary


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
        date(2023, 11, 25) + SHIFT,
        date(2024, 2, 24) + SHIFT,
        date(2024, 2, 28) + SHIFT,
    )
    assert round_.lock_date == LATER + timedelta(days=365)
    assert round_.requested_by == district
    assert round_.title == "Báo cáo kết quả thực hiện công tác CCHC quý IV năm 2026"


def test_cam_giang_is_a_draft_with_the_seeds_values_header_and_narrative(demo: DemoSummary) -> None:
    report = reports()["02008"]
    assert report.status == Status.DRAFT and not report.is_demo
    raw = report.raw_values()
    assert (raw["7.2.4.a"], raw["1.2.2"], raw["5.1.3"]) == ("29", "02", "16 (88,9%)")
    assert "7.2.4" not in raw  # computed rows are never typed
    assert (report.document_number, report.document_date, report.signer_name) == (
        "15/BC-UBND",
        date(2024, 2, 28) + SHIFT,
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
    # The seed's narrative, its period and dates moved with the round (on the seed's own day: the seed's).
    moved = narrative_for(report.round.period_label, report.round.year, SHIFT)
    assert stored == {section: text for section, text in moved.items() if text}
    assert narrative_for(SEED_PERIOD, 2024, timedelta(0)) == NARRATIVE
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
    assert all(date(2024, 3, 2) + SHIFT <= sent_on[code] <= date(2024, 3, 5) + SHIFT for code in late)
    assert len([code for code in on_time if by_unit[code].status == Status.SENT]) >= 3
    assert all(date(2024, 2, 26) + SHIFT <= sent_on[code] <= date(2024, 2, 28) + SHIFT for code in on_time)


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
    assert sent.at == datetime(2024, 3, 5, 10, 45, tzinfo=TZ) + SHIFT


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
    again = load_demo(today=LATER + timedelta(days=30))
    assert counts() == before
    assert dict(Report.objects.values_list("pk", "version")) == versions
    assert Round.objects.get(code="cchc-2024-q1").lock_date == LATER + timedelta(days=365)
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


def _counts() -> tuple[int, ...]:
    models = (Report, Value, AuditEvent, User, OrgUnit, Membership, NarrativeText, Round)
    return tuple(model.objects.count() for model in models)


def test_baocao_demo_loaded_later_the_round_is_a_week_past_its_deadline_and_the_story_keeps_its_order(
    loaded: Loaded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(datetime(2026, 12, 3, 8, 0, tzinfo=TZ), tick=False):
        code, out, err = loaded.code, loaded.out, loaded.err  # the module's load, on this day
        assert code == 0, err
        current = Round.objects.get(code="cchc-2024-q1")
        # The command lists the accounts and names the current round's period and how many communes reported.
        assert "Tên đăng nhập" in out and "Vai trò" in out and "Đơn vị" in out
        assert "xa.camgiang" in out and "huyen.bachthong" in out and "Xã Cẩm Giàng" in out
        assert "http://127.0.0.1:8000" in out
        reported = Report.objects.filter(round=current).count()
        assert reported == 12
        assert f"Kỳ báo cáo quý IV năm 2026: {reported} trong 14 xã đã có báo cáo." in out
        assert current.days_left(LATER) == -8
        assert current.window_end - current.window_start == date(2024, 2, 24) - date(2023, 11, 25)
        assert current.period_label == "quý IV năm 2026" and current.short_label == "Quý IV/2026"
        assert current.title == "Báo cáo kết quả thực hiện công tác CCHC quý IV năm 2026"
        assert current.lock_date == LATER + timedelta(days=365)
        previous = Round.objects.get(code="cchc-2023-q4")
        assert previous.period_label == "quý III năm 2026"
        assert previous.window_end + timedelta(days=1) == current.window_start
        cam_giang = Report.objects.get(round=current, unit__code="02008")
        assert cam_giang.document_date == current.due_date  # the seed's report is dated on its deadline
        narrative = "\n".join(cam_giang.narrative.values_list("text", flat=True))
        assert "quý IV năm 2026" in narrative and "Quý IV năm 2026 xã Cẩm Giàng" in narrative
        assert "(Từ 22/08/2026 đến 21/11/2026)" in narrative and "ngày 05 tháng 11 năm 2026" in narrative
        # The commune's plans of the quarter and "this year" move with the round; decrees keep their dates.
        assert "Kế hoạch số 17/KH-UBND ngày 03/11/2026" in narrative and "Kế hoạch CCHC năm 2026" in narrative
        assert "công chức năm 2025: Hoàn thành" in narrative and "năm 2024" not in narrative
        assert "33/2023/NĐ-CP ngày 10/6/2023" in narrative and "283/2021/QĐ-UBND ngày 24/8/2023" in narrative
        assert "quý I năm 2024" not in narrative and "Trong quý I " not in narrative
        assert "Tiếp nhận {7.2.4.a} hồ sơ" in narrative  # the figures are still the table's
        late = Report.objects.get(round=current, unit__name="Vũ Muộn")
        sent = Report.objects.filter(round=current, sent_at__isnull=False)
        assert late.is_late and any(not report.is_late for report in sent)
        assert not AuditEvent.objects.filter(at__gt=timezone.now()).exists()
        client = Client()
        client.force_login(User.objects.get(username="xa.camgiang"))
        inbox = client.get("/").content.decode()
        client.force_login(User.objects.get(username="xa.quanha"))
        reminded = client.get("/").content.decode()
        client.force_login(User.objects.get(username="huyen.bachthong"))
        compared = client.get("/phan-tich/so-sanh/cchc-2024-q1/", {"unit": "063"}).content.decode()
        trend = client.get("/phan-tich/xu-huong/02008/").content.decode()
        # Run again, the command adds nothing.
        before = _counts()
        code, _, err = run(monkeypatch, capsys, "demo")
        assert code == 0, err
        assert _counts() == before
    # The district and its communes ceased on 01/07/2025; the rounds that asked them still show them.
    assert "Phủ Thông" in compared and "Cẩm Giàng" in compared
    assert "Quý III/2026" in trend and "Quý IV/2023" not in trend and "Quý I/2024" not in trend
    assert "Quá hạn 8 ngày" in inbox and "Cấp trên nhắc" not in inbox
    assert "Cấp trên nhắc gửi báo cáo lúc 08:00 " in reminded and "(Lưu Thị Hạnh)" in reminded
