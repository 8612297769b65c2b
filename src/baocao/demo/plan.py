"""What the demo holds, as data: its accounts, its round, and where each commune's report stands.

Bạch Thông had 14 communes on 01/03/2025. Their reports for the current quarter are spread over every state a
reviewer meets: sent on time, sent late, returned, accepted, waiting for the leader's signature, still being
typed, and not started at all. Cẩm Giàng (02008) holds the seed's real report, in draft.

The story is written with the seed's own dates (quý I năm 2024, due 28/02/2024); ``demo_rounds`` moves it to
the day the demo is loaded and names its two quarters after the moved dates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from baocao.accounts.models import Role
from baocao.core.periods import period_label
from baocao.reports.models import Status

__all__ = [
    "ACCOUNTS",
    "COMMUNES",
    "PREVIOUS_LOCK",
    "PREVIOUS_ROUND",
    "REMINDER",
    "ROUND",
    "CommunePlan",
    "DemoAccount",
    "RoundPlan",
    "demo_rounds",
    "demo_shift",
    "previous_round_plans",
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None  # None: the superuser, who holds no unit role
    unit_code: str | None
    full_name: str = ""
    job_title: str = ""
    superuser: bool = False


ACCOUNTS = (
    DemoAccount(
        "xa.camgiang", Role.CLERK, "02008", "Nguyễn Thị Hà", "Công chức Văn phòng - Thống kê xã Cẩm Giàng"
    ),
    DemoAccount("ct.camgiang", Role.LEADER, "02008", "Vũ Văn Thành", "Chủ tịch UBND xã"),
    DemoAccount(
        "xa.quanha", Role.CLERK, "02005", "Hoàng Văn Dũng", "Công chức Văn phòng - Thống kê xã Quân Hà"
    ),
    DemoAccount(
        "huyen.bachthong", Role.REVIEWER, "063", "Lưu Thị Hạnh", "Chuyên viên Phòng Nội vụ huyện Bạch Thông"
    ),
    DemoAccount("tinh.backan", Role.REVIEWER, "06", "Ma Văn Tùng", "Chuyên viên Sở Nội vụ tỉnh Bắc Kạn"),
    DemoAccount("admin", None, None, "Quản trị hệ thống", superuser=True),
)


@dataclass(frozen=True)
class RoundPlan:
    code: str
    title: str
    definition_code: str
    period_type: str
    year: int
    period_number: int
    window_start: date
    window_end: date
    due_date: date


# The seed's own local rule: its "quý I" ran from 25/11/2023 to 24/02/2024 and was due on 28/02/2024.
ROUND = RoundPlan(
    code="cchc-2024-q1",
    title="Báo cáo kết quả thực hiện công tác CCHC quý I năm 2024",
    definition_code="cchc-xa-quy",
    period_type="quarter",
    year=2024,
    period_number=1,
    window_start=date(2023, 11, 25),
    window_end=date(2024, 2, 24),
    due_date=date(2024, 2, 28),
)


@dataclass(frozen=True)
class CommunePlan:
    """One commune's report: who typed it and when, and the workflow steps it went through (local times)."""

    code: str
    name: str
    status: str | None  # None: not started, no report at all
    author: str = "admin"
    typed_at: datetime = datetime(2024, 2, 23, 9, 0)
    with_warning: bool = False
    left_blank: tuple[str, ...] = ()
    ready_at: datetime | None = None
    sender: str = "admin"
    sent_at: datetime | None = None
    reviewer: str = "huyen.bachthong"
    returned_at: datetime | None = None
    return_reason: str = ""
    accepted_at: datetime | None = None


# The other communes have no accounts of their own, so the superuser types and sends their invented reports.
COMMUNES = (
    CommunePlan(
        "01969",
        "Phủ Thông",
        Status.ACCEPTED,
        typed_at=datetime(2024, 2, 22, 8, 40),
        with_warning=True,
        ready_at=datetime(2024, 2, 23, 15, 10),
        sent_at=datetime(2024, 2, 26, 9, 5),
        accepted_at=datetime(2024, 2, 29, 10, 20),
    ),
    CommunePlan(
        "01975",
        "Vi Hương",
        Status.SENT,
        typed_at=datetime(2024, 2, 23, 14, 0),
        with_warning=True,
        ready_at=datetime(2024, 2, 26, 8, 15),
        sent_at=datetime(2024, 2, 26, 16, 30),
    ),
    CommunePlan("01978", "Sĩ Bình", None),
    CommunePlan(
        "01981",
        "Vũ Muộn",
        Status.SENT,
        typed_at=datetime(2024, 3, 1, 9, 30),
        ready_at=datetime(2024, 3, 4, 14, 0),
        sent_at=datetime(2024, 3, 5, 10, 45),
    ),
    CommunePlan(
        "01984",
        "Đôn Phong",
        Status.RETURNED,
        typed_at=datetime(2024, 2, 24, 8, 0),
        ready_at=datetime(2024, 2, 26, 10, 0),
        sent_at=datetime(2024, 2, 27, 8, 50),
        returned_at=datetime(2024, 2, 29, 14, 30),
        return_reason=(
            "Đề nghị rà soát lại số hồ sơ TTHC tiếp nhận trực tuyến (mục 7.2.4), chưa khớp với số liệu trên"
            " Hệ thống thông tin giải quyết TTHC của tỉnh; sửa và gửi lại trong 05 ngày làm việc."
        ),
    ),
    CommunePlan(
        "01990",
        "Lục Bình",
        Status.ACCEPTED,  # sent late, then accepted: a late report still counts once received
        typed_at=datetime(2024, 2, 29, 8, 30),
        ready_at=datetime(2024, 3, 1, 16, 0),
        sent_at=datetime(2024, 3, 2, 8, 20),
        accepted_at=datetime(2024, 3, 6, 9, 15),
    ),
    CommunePlan(
        "01993",
        "Tân Tú",
        Status.SENT,
        typed_at=datetime(2024, 2, 24, 10, 0),
        with_warning=True,
        ready_at=datetime(2024, 2, 27, 9, 0),
        sent_at=datetime(2024, 2, 27, 15, 40),
    ),
    CommunePlan(
        "01999",
        "Nguyên Phúc",
        Status.ACCEPTED,
        typed_at=datetime(2024, 2, 23, 8, 0),
        ready_at=datetime(2024, 2, 26, 14, 20),
        sent_at=datetime(2024, 2, 27, 10, 10),
        accepted_at=datetime(2024, 3, 1, 8, 45),
    ),
    CommunePlan("02002", "Cao Sơn", None),
    CommunePlan(
        "02005",
        "Quân Hà",
        Status.DRAFT,
        author="xa.quanha",
        typed_at=datetime(2024, 2, 26, 15, 0),
    ),
    CommunePlan(
        "02008",
        "Cẩm Giàng",
        Status.DRAFT,
        author="xa.camgiang",
        typed_at=datetime(2024, 2, 27, 9, 30),
    ),
    CommunePlan(
        "02011",
        "Mỹ Thanh",
        Status.READY,
        typed_at=datetime(2024, 2, 26, 9, 0),
        with_warning=True,
        ready_at=datetime(2024, 2, 28, 16, 45),
    ),
    CommunePlan(
        "02014",
        "Dương Phong",
        Status.RETURNED,
        typed_at=datetime(2024, 2, 25, 9, 0),
        left_blank=("6.b", "6.c"),
        ready_at=datetime(2024, 2, 27, 14, 0),
        sent_at=datetime(2024, 2, 28, 9, 30),
        returned_at=datetime(2024, 3, 1, 15, 0),
        return_reason=(
            "Đề nghị bổ sung số liệu giải ngân vốn đầu tư công (mục 6: kế hoạch được giao và đã thực hiện)"
            " theo báo cáo của Ban Quản lý dự án huyện và gửi lại."
        ),
    ),
    CommunePlan(
        "02017",
        "Quang Thuận",
        Status.SENT,
        typed_at=datetime(2024, 2, 26, 8, 30),
        ready_at=datetime(2024, 2, 28, 8, 0),
        sent_at=datetime(2024, 2, 28, 14, 15),
    ),
)


# The quarter before, every commune's report accepted on time: it gives the trend, comparison and rollup pages
# a history to show. Its window follows the same local rule (25th to 24th), due on the 28th.
PREVIOUS_ROUND = RoundPlan(
    code="cchc-2023-q4",
    title="Báo cáo kết quả thực hiện công tác CCHC quý IV năm 2023",
    definition_code="cchc-xa-quy",
    period_type="quarter",
    year=2023,
    period_number=4,
    window_start=date(2023, 8, 25),
    window_end=date(2023, 11, 24),
    due_date=date(2023, 11, 28),
)
PREVIOUS_LOCK = date(2023, 12, 15)


def previous_round_plans(communes: tuple[CommunePlan, ...]) -> tuple[CommunePlan, ...]:
    """Every commune of the demo, accepted in the previous quarter (typed, signed, sent, accepted in time)."""
    return tuple(
        CommunePlan(
            plan.code,
            plan.name,
            Status.ACCEPTED,
            typed_at=datetime(2023, 11, 22, 9, 0),
            ready_at=datetime(2023, 11, 24, 15, 0),
            sent_at=datetime(2023, 11, 27, 9, 0),
            accepted_at=datetime(2023, 11, 30, 10, 0),
        )
        for plan in communes
    )


# The day after the story's last event (a report accepted on 06/03/2024): loaded on this day, the demo keeps
# the seed's own dates; loaded later, every date moves by the difference (``demo_shift``).
ANCHOR = date(2024, 3, 7)


def demo_shift(today: date) -> timedelta:
    """How far the story's dates move so that it ends the day before ``today`` (never backwards)."""
    return max(timedelta(0), today - ANCHOR)


TITLE = "Báo cáo kết quả thực hiện công tác CCHC {period}"


def demo_rounds(today: date) -> tuple[RoundPlan, RoundPlan]:
    """The current and the previous round of a demo loaded on ``today``: every date moved by ``demo_shift``,
    the current round named after the quarter holding the middle of its moved data window (the seed's
    25/11/2023 → 24/02/2024 is quý I năm 2024), the previous one after the quarter before. The codes stay
    the story's own (cchc-2024-q1, cchc-2023-q4), so links, scripts and the guide find the demo's rounds."""
    shift = demo_shift(today)
    middle = ROUND.window_start + (ROUND.window_end - ROUND.window_start) / 2 + shift
    year, number = middle.year, (middle.month - 1) // 3 + 1
    before = (year, number - 1) if number > 1 else (year - 1, 4)
    return _moved(ROUND, shift, year, number), _moved(PREVIOUS_ROUND, shift, *before)


def _moved(plan: RoundPlan, shift: timedelta, year: int, number: int) -> RoundPlan:
    start, end = plan.window_start + shift, plan.window_end + shift
    period = period_label(plan.period_type, year, number, start, end)
    return replace(
        plan,
        title=TITLE.format(period=period),
        year=year,
        period_number=number,
        window_start=start,
        window_end=end,
        due_date=plan.due_date + shift,
    )


# The district reminds Quân Hà, still drafting after the deadline (shown on xa.quanha's inbox).
REMINDER = ("02005", "huyen.bachthong", datetime(2024, 3, 1, 8, 0))
