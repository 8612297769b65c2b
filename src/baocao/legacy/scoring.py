"""Score the checker on a corpus whose conflicts were written down by hand.

``expected.json`` maps each file to the findings a careful reviewer makes, each named by the figures as
printed. A reported error matches an expected finding when its message quotes every one of those figures;
precision counts the reported errors that match, recall the expected findings that were reported. Warnings
are not claims of a conflict and are not scored. A file called clean without any coverage is counted apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CorpusScore", "score_corpus"]


@dataclass(slots=True)
class CorpusScore:
    files: int = 0
    expected: int = 0
    reported: int = 0
    true_positives: int = 0
    found: int = 0  # expected findings reported
    clean_without_coverage: int = 0
    crashed: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def _matches(message: str, figures: list[str]) -> bool:
    return all(figure in message for figure in figures)


def score_corpus(directory: Path, definition_code: str | None = None) -> CorpusScore:
    from baocao.legacy.check import check_file

    expected: dict[str, Any] = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    score = CorpusScore()
    for name, entry in sorted(expected.items()):
        score.files += 1
        wanted = [finding["figures"] for finding in entry["findings"]]
        score.expected += len(wanted)
        try:
            result = check_file(directory / name, definition_code)
        except Exception as error:
            score.crashed.append(f"{name}: {error!r}")
            continue
        status = result.verdict.status
        score.statuses[status] = score.statuses.get(status, 0) + 1
        if status == "clean" and result.coverage.compared == 0:
            score.clean_without_coverage += 1
        messages = [finding.message for finding in result.errors]
        score.reported += len(messages)
        for message in messages:
            if any(_matches(message, figures) for figures in wanted):
                score.true_positives += 1
            else:
                score.false_alarms.append(f"{name}: {message}")
        for figures in wanted:
            if any(_matches(message, figures) for message in messages):
                score.found += 1
            else:
                score.misses.append(f"{name}: {', '.join(figures)}")
    return score
