"""Which values stand out: against the unit's peers and against its own history. Pure Python, no Django.

Peers: the robust z-score of Iglewicz and Hoaglin, 0.6745 × (x − median) / MAD, flagged above 3.5; the median
and the median absolute deviation (MAD) are not pulled by the outliers themselves, as a mean and a standard
deviation would be. With fewer than 5 peers, or a MAD of 0 (most peers equal), nothing is flagged by it.
Own history: flagged when the value is more than twice or less than half the mean of the unit's previous
rounds (at least 2 of them), and differs from it by more than 5 (small counts jump without meaning anything).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from statistics import mean, median

from baocao.core.numbers import format_number

__all__ = ["MIN_PEERS", "PEER_LIMIT", "history_flag", "peer_flags"]

PEER_LIMIT = 3.5
MIN_PEERS = 5
HISTORY_FACTOR = 2.0
HISTORY_MIN_DIFFERENCE = 5.0
MSG_PEER_HIGH = "cao hơn hẳn các đơn vị cùng cấp (phần lớn các đơn vị quanh mức {middle})"
MSG_PEER_LOW = "thấp hơn hẳn các đơn vị cùng cấp (phần lớn các đơn vị quanh mức {middle})"
MSG_HISTORY = "khác hẳn các kỳ trước của đơn vị (bình quân {mean} trong {count} kỳ)"


def peer_flags(values: Mapping[str, Decimal | None]) -> dict[str, str]:
    """Unit → reason, for the units whose value is far from their peers' (blanks are left out)."""
    given = {unit: float(value) for unit, value in values.items() if value is not None}
    if len(given) < MIN_PEERS:
        return {}
    middle = median(given.values())
    mad = median(abs(v - middle) for v in given.values())
    if mad == 0:
        return {}
    flags = {}
    for unit, value in given.items():
        z = 0.6745 * (value - middle) / mad
        if abs(z) > PEER_LIMIT:
            shown = format_number(Decimal(repr(middle)), 1)
            flags[unit] = (MSG_PEER_HIGH if z > 0 else MSG_PEER_LOW).format(middle=shown)
    return flags


def history_flag(value: Decimal | None, previous: Sequence[Decimal | None]) -> str:
    """A reason when ``value`` is far from the mean of the unit's previous rounds, else ""."""
    past = [float(v) for v in previous if v is not None]
    if value is None or len(past) < 2:
        return ""
    average = mean(past)
    current = float(value)
    if abs(current - average) <= HISTORY_MIN_DIFFERENCE:
        return ""
    if current > average * HISTORY_FACTOR or current < average / HISTORY_FACTOR:
        shown = format_number(Decimal(repr(average)), 1)
        return MSG_HISTORY.format(mean=shown, count=len(past))
    return ""
