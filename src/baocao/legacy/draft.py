"""Plan a draft from a checked old report: its values for the table (marked as imported), its paragraphs for
the narrative sections whose headings they stand under, and which figures of the prose wait for the user's
confirmation. Plain Python; ``services.legacy_import`` writes a plan in one transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from baocao.core.definition import Definition
from baocao.core.evaluate import parse_input
from baocao.core.labels import plain_label
from baocao.core.numbers import NumberFormatError
from baocao.legacy.bind import Bound
from baocao.legacy.check import CheckResult
from baocao.legacy.prose import excerpt_of

__all__ = ["DraftPlan", "plan_draft"]

_HEADING_NUMBER = re.compile(r"^(?:[IVX]+|\d+)\.\s*")
_END_OF_NARRATIVE = ("phụ lục", "nơi nhận", "trên đây là")
HEADING_SIMILARITY = 0.8


@dataclass
class DraftPlan:
    """What an import would write: values (code → text as written), narrative (section → text), the figures
    of the prose bound to a row (each with its excerpt and whether the binding is sure), the values that wait
    for the user's confirmation, and the figures left out because they do not fit their row."""

    values: dict[str, str] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    pending: dict[str, str] = field(
        default_factory=dict
    )  # low-confidence prose figures: imported if confirmed
    bindings: list[dict[str, Any]] = field(default_factory=list)

    def as_session(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "narrative": self.narrative,
            "skipped": self.skipped,
            "pending": self.pending,
            "bindings": self.bindings,
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> DraftPlan:
        return cls(
            dict(data["values"]),
            dict(data["narrative"]),
            list(data["skipped"]),
            dict(data.get("pending", {})),
            list(data.get("bindings", [])),
        )

    def confirmed(self, codes: Iterable[str]) -> dict[str, str]:
        """The values to write: the sure ones and the pending ones the user ticked."""
        chosen = dict(self.values)
        chosen.update({code: self.pending[code] for code in codes if code in self.pending})
        return chosen


def plan_draft(result: CheckResult) -> DraftPlan:
    definition = result.evaluation.definition
    plan = DraftPlan()
    table = dict(result.mapping.values())
    prose = {b.code: b for b in result.bound if not (table.get(b.code) or "").strip()}
    doubtful = _doubtful(result, prose)
    for code, raw in [*table.items(), *((c, b.text) for c, b in prose.items())]:
        item = definition.by_code[code]
        if not item.is_input or not raw.strip():
            continue  # a computed row (a printed ratio) is computed again, never imported
        try:
            parse_input(item, raw)
        except NumberFormatError as error:
            plan.skipped.append(f"{code}: {error}")
            continue
        target = plan.pending if code in doubtful else plan.values
        target[code] = raw.strip()
    plan.bindings = [_binding(result, bound, bound.code in doubtful) for bound in prose.values()]
    plan.narrative = _sections(definition, result.document.paragraphs)
    return plan


def _doubtful(result: CheckResult, prose: dict[str, Bound]) -> set[str]:
    """Prose figures not imported without a tick: a weak match of the outline's wording, or one that breaks a
    rule of the form (a part larger than its whole gives "29.675,86%")."""
    breaking = {
        code
        for finding in result.evaluation.findings
        if finding.severity == "error"
        for code in finding.items
        if code in prose
    }
    if result.document.ocr:  # a figure read by OCR may be misread: none is imported without a tick
        return set(prose)
    return {code for code, bound in prose.items() if not bound.confident} | breaking


def _binding(result: CheckResult, bound: Bound, doubtful: bool) -> dict[str, Any]:
    item = result.evaluation.definition.by_code[bound.code]
    paragraph = result.document.paragraphs[bound.paragraph]
    return {
        "code": bound.code,
        "label": plain_label(item.label),
        "text": bound.text,
        "excerpt": excerpt_of(paragraph, bound.start, bound.end, width=70),
        "score": round(bound.score * 100),
        "confident": not doubtful,
        "ocr": result.document.ocr,
    }


def _sections(definition: Definition, paragraphs: list[str]) -> dict[str, str]:
    """Paragraphs under the heading that matches a section's title, sections taken in reading order."""
    sections = list(definition.sections())
    titles = [" ".join(section.title.lower().split()) for section in sections]
    texts: dict[str, list[str]] = {}
    current: int | None = None
    for paragraph in paragraphs:
        lowered = paragraph.lower()
        if lowered.startswith(_END_OF_NARRATIVE):
            break
        heading = _HEADING_NUMBER.sub("", lowered).rstrip(":. ")
        start = (current or 0) + (1 if current is not None else 0)
        found = next(
            (
                index
                for index in range(start, len(sections))
                if SequenceMatcher(None, heading, titles[index], autojunk=False).ratio() >= HEADING_SIMILARITY
            ),
            None,
        )
        if found is not None and len(paragraph) < 160:
            current = found
            continue
        if current is not None:
            texts.setdefault(sections[current].code, []).append(paragraph)
    return {code: "\n".join(lines) for code, lines in texts.items()}
