"""Values kept in memory (baocao.core.kept): the oldest dropped first, never more than the size, and no
error when a server's threads fill it at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from baocao.core.kept import Kept


def test_a_value_is_made_once_and_the_oldest_goes_first() -> None:
    made: list[str] = []
    kept: Kept[str, str] = Kept(2)

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    assert [kept.get_or_make(key, lambda key=key: make(key)) for key in ("a", "b", "a")] == ["A", "B", "A"]
    assert made == ["a", "b"]
    kept.get_or_make("c", lambda: make("c"))
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (None, "B", "C", 2)


def test_threads_filling_it_at_once_never_fail_nor_overfill() -> None:
    kept: Kept[int, int] = Kept(8)
    with ThreadPoolExecutor(8) as pool:
        values = list(pool.map(lambda n: kept.get_or_make(n % 50, lambda: n % 50), range(5_000)))
    assert values == [n % 50 for n in range(5_000)]
    assert len(kept) == 8
