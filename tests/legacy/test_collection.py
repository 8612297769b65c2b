"""The whole test collection: every corrected report raises nothing, every planted conflict exactly its
findings, in every format. Files and expectations come from tests/fixtures/legacy/make_fixtures.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao.legacy.check import check_file

COLLECTION = Path(__file__).parents[1] / "fixtures" / "legacy"
EXPECTED: dict[str, list[str]] = json.loads((COLLECTION / "expected.json").read_text(encoding="utf-8"))


def test_collection_covers_every_format_and_every_kind_of_check() -> None:
    formats = {name.rsplit(".", 1)[1] for name in EXPECTED}
    assert formats == {"txt", "docx", "xlsx", "pdf"}
    for kind in ("txt", "docx", "xlsx", "pdf"):
        rules = {rule for name, rules in EXPECTED.items() if name.endswith(kind) for rule in rules}
        assert {
            "ratio.mismatch",
            "ratio.zero_base",
            "ratio.blank",
            "share.mismatch",
            "R-7.2.4-phat-sinh",
            "narrative.ratio",
            "narrative.share",
            "N-ho-so",
            "narrative.table_mismatch",
            "narrative.document_year",
            "narrative.parts",
        } <= rules, kind
    assert any(rules == [] for name, rules in EXPECTED.items() if name.endswith(".pdf"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document_raises_exactly_its_planted_findings(name: str) -> None:
    result = check_file(COLLECTION / name)
    assert sorted({finding.rule for finding in result.findings}) == sorted(set(EXPECTED[name]))
    assert result.mapping.unmapped == []
    assert len(result.mapping.mapped) == len(result.document.rows) >= 80
    for finding in result.findings:
        assert finding.found and finding.expected and finding.excerpt
