"""Figures of an older version of a form read in the codes of a newer one, for trends and comparisons.

Codes that stayed the same carry over. The newer version's mapping (sheet "Chuyển mã") says what changed:
a renamed row takes its old row's figure; a merged row is the sum of its old rows (only for rows that add
up, and only when every old row was reported); a row split out of an old one, or new altogether, has no
counterpart: it is shown as such, never as 0. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from baocao.core.definition import Definition
from baocao.core.rollup import Tally

__all__ = ["MSG_NO_COUNTERPART", "Counterpart", "counterpart", "has_counterpart", "translate_tallies"]

MSG_NO_COUNTERPART = "không có chỉ tiêu tương ứng ở phiên bản {version}"
How = Literal["same", "rename", "merge", "none"]


@dataclass(frozen=True)
class Counterpart:
    """Where a newer row's figure comes from in an older version: the old rows, and how."""

    codes: tuple[str, ...]
    how: How

    @property
    def exists(self) -> bool:
        return self.how != "none"


def _one_step(new: Definition, old: Definition, code: str) -> Counterpart:
    """``code`` of ``new`` in ``old``, the version just before it; ``new.spec.mapping`` lists the changes."""
    entries = [entry for entry in new.spec.mapping if entry.new == code]
    if entries:
        olds = tuple(entry.old for entry in entries if entry.old in old.by_code)
        kinds = {entry.kind for entry in entries}
        if kinds == {"rename"} and len(olds) == 1:
            return Counterpart(olds, "rename")
        summable = new.rollup_of(new.by_code[code]) == "sum"
        summable = summable and all(old.rollup_of(old.by_code[c]) == "sum" for c in olds)
        if kinds == {"merge"} and olds and len(olds) == len(entries) and summable:
            return Counterpart(olds, "merge")
        return Counterpart((), "none")
    moved = any(entry.old == code and entry.new != code for entry in new.spec.mapping)
    if code in old.by_code and not moved and old.by_code[code].type == new.by_code[code].type:
        return Counterpart((code,), "same")
    return Counterpart((), "none")


def counterpart(chain: Sequence[Definition], code: str) -> Counterpart:
    """``code`` of the last version in ``chain`` (consecutive versions, oldest first) in the first one."""
    codes: tuple[str, ...] = (code,)
    kinds: set[str] = set()
    for new, old in zip(reversed(chain[1:]), reversed(chain[:-1]), strict=True):
        steps = [_one_step(new, old, c) for c in codes]
        if any(not step.exists for step in steps):
            return Counterpart((), "none")
        codes = tuple(c for step in steps for c in step.codes)
        kinds |= {step.how for step in steps}
    if "merge" in kinds or len(codes) > 1:
        return Counterpart(codes, "merge")
    return Counterpart(codes, "rename" if "rename" in kinds else "same")


def has_counterpart(chain: Sequence[Definition], code: str) -> bool:
    """Whether the newest version's ``code`` can be shown for the oldest: an input row with a counterpart,
    or a computed row all of whose inputs have one."""
    formulas = {item.code: compiled for item, compiled in chain[-1].computed}
    pending, seen = [code], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        computed = formulas.get(current)
        if computed is None:
            if not counterpart(chain, current).exists:
                return False
            continue
        pending.extend(computed.refs)
    return True


def translate_tallies(chain: Sequence[Definition], tallies: Mapping[str, Tally]) -> dict[str, Tally]:
    """Tallies stored under the first version's codes, as the last version's codes; a row without a
    counterpart, or a merged row missing one of its parts, is left out (blank), never zero."""
    newest = chain[-1]
    result: dict[str, Tally] = {}
    for item in newest.input_items:
        found = counterpart(chain, item.code)
        parts = [tallies.get(code) for code in found.codes]
        if not found.exists or not parts or any(part is None for part in parts):
            continue
        present = [part for part in parts if part is not None]
        result[item.code] = Tally(
            total=sum((part.total for part in present), start=present[0].total * 0),
            reported=min(part.reported for part in present),
            yes=sum(part.yes for part in present),
        )
    return result
