"""Outlier flags: robust against peers, and against the unit's own history."""

from __future__ import annotations

from decimal import Decimal

from baocao.core.outliers import history_flag, peer_flags


def d(*values: int | None) -> dict[str, Decimal | None]:
    return {f"u{i}": (None if v is None else Decimal(v)) for i, v in enumerate(values)}


def test_a_value_far_from_the_peers_median_is_flagged_and_blanks_are_ignored() -> None:
    flags = peer_flags(d(30, 32, 29, 35, 31, 28, 300, None))
    assert list(flags) == ["u6"]
    assert "cao bất thường" in flags["u6"]


def test_too_few_peers_or_equal_peers_flag_nothing() -> None:
    assert peer_flags(d(1, 2, 300)) == {}
    assert peer_flags(d(0, 0, 0, 0, 0, 0, 9)) == {}  # MAD = 0


def test_own_history_flags_a_doubling_but_not_small_counts() -> None:
    assert "trung bình 30" in history_flag(Decimal(90), [Decimal(29), Decimal(31)])
    assert history_flag(Decimal(6), [Decimal(1), Decimal(2)]) == ""  # differs by less than 5
    assert history_flag(Decimal(90), [Decimal(30)]) == ""  # one previous round is not a history
    assert history_flag(None, [Decimal(1), Decimal(2)]) == ""
