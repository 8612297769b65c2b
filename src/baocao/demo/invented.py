"""Plausible figures for the other communes of Bạch Thông: invented, deterministic, and within the rules.

Each commune's figures are drawn from ``random.Random`` seeded with a fixed number plus its code, around the
seed's own figures (Cẩm Giàng: 29 hồ sơ, 18 staff, 114 procedures …), so a second load types the same text.
The draws respect every error rule of cchc-xa-quy (parts ≤ wholes, online ≤ provided ≤ eligible, 7.2.3's
total = partial + full, received = online + in person …); a commune asked for a warning gets one deliberate,
explainable difference, and ``EXPLANATIONS`` holds what its clerk writes about it.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from baocao.core.numbers import format_number

__all__ = ["EXPLANATIONS", "GENERIC_EXPLANATION", "SEED", "invented_header", "invented_values"]

SEED = 20240228  # the seed report's date; any fixed number keeps the demo the same from one load to the next

# What a clerk writes to explain each warning the generator can cause (see ``_warning``).
EXPLANATIONS = {
    "N-tong-tthc": (
        "Một số TTHC thuộc thẩm quyền chỉ thực hiện trực tiếp theo quy định (không thuộc danh mục dịch vụ"
        " công trực tuyến và không có dịch vụ cung cấp thông tin trực tuyến), nên tổng hai loại nhỏ hơn tổng"
        " số TTHC."
    ),
    "R-2.2.1-kiem-tra": (
        "Số văn bản cần xử lý gồm 01 văn bản đã kiểm tra từ quý trước, chuyển sang xử lý trong kỳ này."
    ),
    "R-2.3.2-ra-soat": (
        "Số văn bản cần xử lý gồm 01 văn bản đã rà soát từ quý trước, chuyển sang xử lý trong kỳ này."
    ),
}
GENERIC_EXPLANATION = "Số liệu đã được rà soát, đối chiếu với sổ theo dõi của UBND xã; số liệu đúng thực tế."
WARNINGS = tuple(EXPLANATIONS)


# Invented chairpersons: a document cannot be sent without its signer's name.
SIGNERS = ("Hoàng Văn Minh", "Nông Thị Lan", "Ma Văn Hùng", "Lý Thị Hoa", "Triệu Văn Bình", "Đinh Thị Thu")


def invented_header(unit_code: str, name: str, day: date) -> dict[str, object]:
    """The document details a commune's office fills in before the leader signs and sends."""
    rng = random.Random(SEED + int(unit_code))
    return {
        "number": str(rng.randint(5, 60)),
        "document_date": day,
        "place": name,
        "signer_name": rng.choice(SIGNERS),
    }


def invented_values(unit_code: str, *, with_warning: bool = False, period: int = 0) -> dict[str, str]:
    """Raw values (text as a clerk types it) for every input item of cchc-xa-quy that a commune fills in;
    ``period`` gives another quarter's figures for the same commune."""
    rng = random.Random(SEED + int(unit_code) + 100_003 * period)
    values: dict[str, str] = {}
    values.update(_direction(rng))
    values.update(_institutions(rng))
    procedures = _procedures(rng)
    values.update(procedures)
    values.update(_staff(rng))
    values.update(_finance(rng))
    values.update(_e_government(rng, procedures))
    if with_warning:
        values.update(_warning(rng, values))
    return values


def _n(value: int) -> str:
    return str(value)


def _direction(rng: random.Random) -> dict[str, str]:
    tasks = rng.randint(26, 40)
    assigned = rng.randint(0, 4)
    on_time = rng.randint(0, assigned)
    late = rng.randint(0, assigned - on_time)
    return {
        "1.1": _n(rng.randint(0, 3)),
        "1.2.1": _n(tasks),
        "1.2.2": _n(rng.randint(1, 5)),
        "1.3.1": _n(assigned),
        "1.3.2": _n(on_time),
        "1.3.3": _n(late),
        "1.3.4": _n(rng.randint(0, assigned - on_time - late)),
        "1.4": rng.choice(["Có", "Không", "Không"]),
        "N.plan_objectives": _n(rng.randint(14, 22)),
        "N.radio_broadcasts": _n(rng.randint(3, 10)),
        "N.web_articles": _n(rng.randint(2, 8)),
    }


def _institutions(rng: random.Random) -> dict[str, str]:
    checked, reviewed = rng.randint(1, 3), rng.randint(1, 4)
    to_fix_checked = rng.randint(0, min(1, checked))
    to_fix_reviewed = rng.randint(0, min(1, reviewed))
    return {
        "2.1": "0",
        "2.2": _n(checked),
        "2.2.1.a": _n(to_fix_checked),
        "2.2.1.b": _n(to_fix_checked),
        "2.3.1": _n(reviewed),
        "2.3.2.a": _n(to_fix_reviewed),
        "2.3.2.b": _n(rng.randint(0, to_fix_reviewed)),
    }


def _procedures(rng: random.Random) -> dict[str, str]:
    received = round(29 * rng.uniform(0.6, 2.2))
    online = round(received * rng.uniform(0.15, 0.5))
    solved = received - rng.randint(0, 2)
    solved_on_time = solved - rng.choice([0, 0, 0, 1])
    complaints = rng.randint(0, 2)
    return {
        "3.1.1": _n(rng.choice([0, 0, 1, 2])),
        "3.1.2": _n(rng.choice([0, 0, 1])),
        "3.1.3": _n(rng.choice([0, 0, 1])),
        "3.1.4": _n(rng.choice([112, 113, 114, 114, 115])),
        "3.2.1": "0",
        "3.2.2": _n(rng.randint(2, 4)),
        "3.2.3": _n(rng.randint(0, 2)),
        "3.3.1.a": _n(solved),
        "3.3.1.b": _n(solved_on_time),
        "3.3.2.a": _n(solved),
        "3.3.2.b": _n(solved_on_time),
        "3.4.1": _n(complaints),
        "3.4.2": _n(complaints),
        "7.2.4.a": _n(received),
        "7.2.4.b": _n(online),
        "N.received_in_person": _n(received - online),
        "N.score_766": format_number(Decimal(rng.randint(5200, 8600)) / 100, 2),
    }


def _staff(rng: random.Random) -> dict[str, str]:
    # Cán bộ (elected posts) and công chức together; công chức (4.1) are the larger part of the same people.
    assigned = rng.randint(17, 22)
    present = assigned - rng.choice([0, 0, 0, 1])
    civil_assigned = assigned - rng.randint(7, 9)
    civil_present = min(civil_assigned, present - rng.randint(7, 9))
    qualified = present - rng.randint(0, 3)
    good_or_better = present - rng.choice([0, 0, 1])
    excellent = rng.randint(1, 3)
    postgraduate = rng.choice([0, 0, 1])
    university = max(0, qualified - postgraduate - rng.randint(0, 1))
    college = rng.randint(0, present - postgraduate - university)
    return {
        "4.1.1": _n(civil_assigned),
        "4.1.2": _n(civil_present),
        "4.1.3": _n(civil_present - rng.choice([0, 0, 1])),
        "4.2.1": _n(assigned),
        "4.2.2": _n(present),
        "4.2.3": "0",
        "5.1.1": _n(assigned),
        "5.1.2": _n(present),
        "5.1.3": _n(qualified),
        "5.2.1": "0",
        "5.2.2": "0",
        "5.3.1": _n(assigned),
        "5.3.2": _n(present),
        "5.3.3": _n(good_or_better),
        "N.staff_postgraduate": _n(postgraduate),
        "N.staff_university": _n(university),
        "N.staff_college": _n(college),
        "N.staff_senior_specialist": _n(rng.randint(5, min(11, present))),
        "N.staff_excellent": _n(excellent),
        "N.staff_good": _n(good_or_better - excellent),
    }


def _finance(rng: random.Random) -> dict[str, str]:
    # Like the seed, many communes leave public investment blank (no capital plan assigned to the commune).
    if rng.random() < 0.5:
        return {}
    plan = Decimal(rng.choice([650, 800, 1200, 1500, 2300]))
    spent = (plan * Decimal(rng.randint(5, 35)) / 100).quantize(Decimal("0.001"))
    return {"6.b": format_number(plan, 3), "6.c": format_number(spent, 3)}


def _e_government(rng: random.Random, procedures: dict[str, str]) -> dict[str, str]:
    total = int(procedures["3.1.4"])
    partial_eligible = rng.randint(11, 15)
    full_eligible = rng.randint(58, 64)
    partial = partial_eligible - rng.choice([0, 0, 1])
    full = full_eligible - rng.choice([0, 0, 0, 2])
    online = int(procedures["7.2.4.b"])
    # Procedures with online filings cannot outnumber the online hồ sơ received (R-7.2.4-phat-sinh).
    partial_used = rng.randint(0, min(partial, online // 3))
    full_used = rng.randint(0, min(full, online - partial_used, 8))
    electronic = Decimal(rng.randint(850, 985)) / 10
    paying = rng.randint(8, 20)
    return {
        "7.1.a": format_number(electronic, 1),
        "7.1.b": format_number(100 - electronic, 1),
        "7.2.1.a": _n(partial_eligible),
        "7.2.1.b": _n(partial),
        "7.2.1.c": _n(partial_used),
        "7.2.2.a": _n(full_eligible),
        "7.2.2.b": _n(full),
        "7.2.2.c": _n(full_used),
        "7.2.3.a": _n(partial + full),
        "7.2.3.b": _n(partial + full - rng.choice([0, 0, 1])),
        "7.2.5.a": _n(paying),
        "7.2.5.b": _n(rng.randint(0, paying)),
        "N.info_services": _n(total - partial - full),
    }


def _warning(rng: random.Random, values: dict[str, str]) -> dict[str, str]:
    """One deliberate difference that a warning rule reports and the commune explains."""
    rule = rng.choice(WARNINGS)
    if rule == "N-tong-tthc":
        return {"N.info_services": _n(int(values["N.info_services"]) - rng.randint(2, 4))}
    if rule == "R-2.2.1-kiem-tra":
        checked = int(values["2.2"])
        return {"2.2.1.a": _n(checked + 1), "2.2.1.b": _n(checked + 1)}
    reviewed = int(values["2.3.1"])
    return {"2.3.2.a": _n(reviewed + 1), "2.3.2.b": _n(reviewed)}
