"""The demo's story moves with the day it is loaded: its current round reads as live, not years overdue. The
days and names it moves to; the demo loaded later, by the ``baocao demo`` command as a user does, is checked
in tests/demo/test_demo.py (with the rest of the demo, loaded once)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from baocao.demo.plan import demo_rounds, demo_shift

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LATER = date(2026, 12, 3)


def test_the_shift_never_goes_backwards() -> None:
    assert demo_shift(date(2024, 3, 7)) == timedelta(0)
    assert demo_shift(date(2024, 1, 1)) == timedelta(0)
    assert demo_shift(date(2024, 3, 17)) == timedelta(days=10)


@pytest.mark.parametrize(
    ("today", "current", "previous"),
    [
        (date(2024, 3, 7), "quý I năm 2024", "quý IV năm 2023"),  # the seed's own day: its own names
        (date(2026, 12, 3), "quý IV năm 2026", "quý III năm 2026"),
        (date(2027, 1, 5), "quý IV năm 2026", "quý III năm 2026"),  # due 28/12: the live round is still Q4
        (date(2027, 4, 20), "quý I năm 2027", "quý IV năm 2026"),
    ],
)
def test_the_rounds_are_named_after_the_quarters_their_moved_dates_fall_in(
    today: date, current: str, previous: str
) -> None:
    now, before = demo_rounds(today)
    assert (now.title, before.title) == (
        f"Báo cáo kết quả thực hiện công tác CCHC {current}",
        f"Báo cáo kết quả thực hiện công tác CCHC {previous}",
    )
    assert now.due_date == today - timedelta(days=8)
    assert now.window_start <= date(now.year, 3 * now.period_number - 1, 15) <= now.window_end
    assert before.window_end < now.window_start and (now.code, before.code) == (
        "cchc-2024-q1",
        "cchc-2023-q4",
    )
