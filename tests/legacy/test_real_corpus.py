"""The checker on real public CCHC texts, against the conflicts written down by hand before it ran."""

from __future__ import annotations

from pathlib import Path

from baocao.legacy.scoring import score_corpus

REAL = Path(__file__).parents[1] / "fixtures" / "real"


def test_real_corpus_precision_recall_and_honest_verdicts() -> None:
    score = score_corpus(REAL)
    assert score.files >= 30 and score.expected >= 5 and score.crashed == []
    assert score.clean_without_coverage == 0
    assert score.false_alarms == [] and score.misses == []
    assert score.precision >= 0.95 and score.recall >= 0.8
    # Most texts state figures a reader cannot check without the base they were computed on: said so.
    assert score.statuses.get("unchecked", 0) >= 5
