"""Outlier flags: robust against peers, and against the unit's own history."""

from __future__ import annotations

from decimal import Decimal

from baocao.core.outliers import history_flag, peer_flags


def d(*values: int | None) -> dict[str, Decimal | None]:
    return {f"u{i}": (None if v is None else Decimal(v)) for i, v in enumerate(values)}


def test_a_value_far_from_the_peers_median_is_flagged_and_blanks_are_ignored() -> None:
    flags = peer_flags(d(30, 32, 29, 35, 31, 28, 300, None))
    assert list(flags) == ["u6"]
    assert flags["u6"] == "cao hơn hẳn các đơn vị cùng cấp (phần lớn các đơn vị quanh mức 31)"
    low = peer_flags(d(30, 32, 29, 35, 31, 28, 1))
    assert low == {"u6": "thấp hơn hẳn các đơn vị cùng cấp (phần lớn các đơn vị quanh mức 30)"}


def test_too_few_peers_or_equal_peers_flag_nothing() -> None:
    assert peer_flags(d(1, 2, 300)) == {}
    assert peer_flags(d(0, 0, 0, 0, 0, 0, 9)) == {}  # MAD = 0


def test_own_history_flags_a_doubling_but_not_small_counts() -> None:
    assert history_flag(Decimal(90), [Decimal(29), Decimal(31)]) == (
        "khác hẳn các kỳ trước của đơn vị (bình quân 30 trong 2 kỳ)"
    )
    assert history_flag(Decimal(6), [Decimal(1), Decimal(2)]) == ""  # differs by less than 5
    assert history_flag(Decimal(90), [Decimal(30)]) == ""  # one previous round is not a history
    assert history_flag(None, [Decimal(1), Decimal(2)]) == ""


def test_flags_speak_plain_vietnamese_without_statistics_jargon() -> None:
    texts = [
        *peer_flags(d(30, 32, 29, 35, 31, 28, 300)).values(),
        history_flag(Decimal(90), [Decimal(29), Decimal(31)]),
    ]
    for text in texts:
        assert not any(word in text for word in ("MAD", "z =", "z-score", "trung vị"))
