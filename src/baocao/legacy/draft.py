"""Turn a checked old report into a draft in the system: its values into the table (marked as imported),
its paragraphs into the narrative sections whose headings they stand under. Django-facing: it calls the
report services, which check access and write the audit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from baocao.core.definition import Definition
from baocao.core.evaluate import parse_input
from baocao.core.numbers import NumberFormatError
from baocao.legacy.check import CheckResult

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.reports.models import Report

__all__ = ["DraftPlan", "import_draft", "plan_draft"]

_HEADING_NUMBER = re.compile(r"^(?:[IVX]+|\d+)\.\s*")
_END_OF_NARRATIVE = ("phụ lục", "nơi nhận", "trên đây là")
HEADING_SIMILARITY = 0.8


@dataclass
class DraftPlan:
    """What an import would write: values (code → text as written), narrative (section → text), and the
    figures left out because they do not fit their row."""

    values: dict[str, str] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def as_session(self) -> dict[str, Any]:
        return {"values": self.values, "narrative": self.narrative, "skipped": self.skipped}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> DraftPlan:
        return cls(dict(data["values"]), dict(data["narrative"]), list(data["skipped"]))


def plan_draft(result: CheckResult) -> DraftPlan:
    definition = result.evaluation.definition
    plan = DraftPlan()
    written = dict(result.mapping.values())
    for bound in result.bound:  # figures only the prose gives (N.*, or rows the table left blank)
        if not (written.get(bound.code) or "").strip():
            written[bound.code] = bound.text
    for code, raw in written.items():
        item = definition.by_code[code]
        if not item.is_input or not raw.strip():
            continue
        try:
            parse_input(item, raw)
        except NumberFormatError as error:
            plan.skipped.append(f"{code}: {error}")
            continue
        plan.values[code] = raw.strip()
    plan.narrative = _sections(definition, result.document.paragraphs)
    return plan


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


def import_draft(*, report: Report, user: User, plan: DraftPlan, origin: str) -> int:
    """Write the plan into ``report`` (values marked as imported, then the narrative); the number of values
    changed. Each service checks that ``user`` may edit the report."""
    from baocao.reports import services

    preview = services.report_import(report=report, user=user, values=plan.values, origin=origin)
    for section, text in plan.narrative.items():
        services.report_set_narrative(report=report, user=user, section=section, text=text)
    return len(preview.changes)
