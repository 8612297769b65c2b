"""The narrative's bound numbers: prose whose figures are read from the evaluated table, never typed twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from baocao.core.evaluate import Evaluation
from baocao.core.templates import Placeholder, Segment, render, split

__all__ = ["paragraph_segments", "paragraph_text", "resolver"]

MISSING = "…"  # shown where a bound figure has not been entered yet, so the gap is visible in the draft


def resolver(evaluation: Evaluation, context: Mapping[str, str]) -> Callable[[Placeholder], str]:
    """How a placeholder reads: an item's live display value, or a value of the report's round and unit."""

    def resolve(placeholder: Placeholder) -> str:
        if placeholder.is_context:
            return context.get(placeholder.name, MISSING)
        if placeholder.name not in evaluation.by_code:
            return MISSING
        return evaluation.display(placeholder.name, placeholder.pad) or MISSING

    return resolve


def paragraph_segments(text: str, evaluation: Evaluation, context: Mapping[str, str]) -> list[Segment]:
    return split(text, resolver(evaluation, context))


def paragraph_text(text: str, evaluation: Evaluation, context: Mapping[str, str]) -> str:
    return render(text, resolver(evaluation, context))
