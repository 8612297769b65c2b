"""Check a report read from a file: its table with the core's evaluator, its prose against the table and
against itself. The one entry point of the CLI, the web page and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao.core.definition import Definition, load_definition
from baocao.core.evaluate import NOT_APPLICABLE_TEXT, Evaluation, Finding, display_value, evaluate
from baocao.core.formula import NOT_APPLICABLE, Value
from baocao.core.labels import plain_label
from baocao.core.numbers import format_number, format_yesno, round_half_up
from baocao.legacy.bind import Bound, bind_numbers
from baocao.legacy.catalogue import FormRef, find_ref, form_refs, resolve
from baocao.legacy.choose import FormChoice, choose_form, document_level
from baocao.legacy.mapping import Mapping, map_rows, printed_stt
from baocao.legacy.model import ReadDocument, TableRow
from baocao.legacy.prose import ProseCoverage, check_paragraphs, excerpt_of
from baocao.legacy.read import read_file
from baocao.legacy.verdict import Coverage, Verdict, verdict_of

__all__ = [
    "DEFAULT_DEFINITION",
    "CheckFinding",
    "CheckResult",
    "check_chosen",
    "check_document",
    "check_file",
    "choose_for",
]

DEFAULT_DEFINITION = "cchc-xa-quy"
MSG_TABLE_MISMATCH = "Phần lời ghi {label} là {prose}, nhưng phụ lục (mục {stt}) ghi {table}"
MSG_TABLE_MISMATCH_RATIO = "Phần lời ghi {label} là {prose}%, nhưng tính từ phụ lục (mục {stt}) là {table}%"
BLANK = "(trống)"
MSG_OCR_VERDICT = " Tệp là bản quét: mọi số liệu được đọc bằng nhận dạng chữ (OCR), cần đối chiếu bản gốc."
MSG_FORM = " Đối chiếu với {reason}."
MSG_OCR = " (số liệu đọc bằng nhận dạng chữ (OCR) từ bản quét: đối chiếu với bản gốc)"
# Old reports were not made from our template: a row it lacks is not a conflict in the report.
_IGNORED_RULES = frozenset({"value.required", "value.unknown_code"})


@dataclass(slots=True)
class CheckFinding:
    rule: str
    severity: str
    message: str
    items: tuple[str, ...]
    source: str  # "table", "narrative" or "both"
    expected: str
    found: str
    excerpt: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "items": list(self.items),
            "source": self.source,
            "expected": self.expected,
            "found": self.found,
            "excerpt": self.excerpt,
        }


@dataclass(slots=True)
class CheckResult:
    file: str
    definition: str
    document: ReadDocument
    mapping: Mapping
    bound: list[Bound]
    evaluation: Evaluation
    findings: list[CheckFinding] = field(default_factory=list)
    prose: ProseCoverage = field(default_factory=ProseCoverage)
    compared_with_table: int = 0
    form: str = ""  # which form the file was checked against, and why

    @property
    def coverage(self) -> Coverage:
        mapped = sum(1 for m in self.mapping.mapped if m.how != "nhóm" and m.row.value.strip())
        return Coverage(
            sentences_with_figures=self.prose.sentences_with_figures,
            figures=self.prose.figures,
            relations=self.prose.relations,
            prose_against_table=self.compared_with_table,
            rows_read=len(self.document.rows),
            rows_mapped=mapped,
        )

    @property
    def verdict(self) -> Verdict:
        verdict = verdict_of(self.coverage, len(self.errors), self.definition)
        text = verdict.text + (MSG_FORM.format(reason=self.form) if self.form else "")
        return Verdict(verdict.status, text + (MSG_OCR_VERDICT if self.document.ocr else ""))

    @property
    def errors(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[CheckFinding]:
        return [f for f in self.findings if f.severity != "error"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "definition": self.definition,
            "form": self.form,
            "rows_read": len(self.document.rows),
            "ocr": self.document.ocr,
            "rows_unmapped": [_row_dict(row) for row in self.mapping.unmapped],
            "findings": [finding.as_dict() for finding in self.findings],
            "coverage": self.coverage.as_dict(),
            "verdict": self.verdict.as_dict(),
        }


def _row_dict(row: TableRow) -> dict[str, str]:
    return {"stt": row.stt, "label": row.label, "unit": row.unit, "value": row.value, "where": row.where}


def check_file(
    path: Path, definition_code: str | None = None, refs: tuple[FormRef, ...] | None = None
) -> CheckResult:
    """Check a file against the form ``definition_code`` names, else the one its title and rows name among
    ``refs`` (the packaged forms when not given). Raises ReadError (a Vietnamese message) when the file cannot
    be read, DefinitionError when ``definition_code`` names no form."""
    return check_chosen(read_file(path), str(path), definition_code, refs)


def choose_for(
    document: ReadDocument, definition_code: str | None = None, refs: tuple[FormRef, ...] | None = None
) -> FormChoice:
    """The form ``definition_code`` names, else the one the document's level and rows name. Only the forms
    that can be chosen are compiled: those of the stated level, or the default form for a file without
    rows."""
    refs = refs if refs is not None else form_refs(use_database=False)
    if definition_code:
        known = any(ref.code == definition_code for ref in refs)
        forced = resolve((find_ref(definition_code, refs),))[0] if known else load_definition(definition_code)
        return choose_form(document, (), forced)
    level, _ = document_level(document.paragraphs)
    pool = tuple(ref for ref in refs if ref.level == level) if level else ()
    if not pool and not document.rows:
        pool = tuple(ref for ref in refs if ref.code == DEFAULT_DEFINITION) or refs[:1]
    return choose_form(document, resolve(pool or refs))


def check_chosen(
    document: ReadDocument,
    name: str,
    definition_code: str | None = None,
    refs: tuple[FormRef, ...] | None = None,
) -> CheckResult:
    """Check ``document`` against the form chosen for it (``choose_for``); the result says which and why."""
    choice = choose_for(document, definition_code, refs)
    return check_document(document, choice.definition, name, choice.reason, choice.mapping)


def check_document(
    document: ReadDocument,
    definition: Definition,
    name: str = "",
    form: str = "",
    mapping: Mapping | None = None,
) -> CheckResult:
    """``mapping``: the file's rows already mapped onto ``definition`` (by the choice of the form)."""
    mapping = mapping if mapping is not None else map_rows(definition, document.rows)
    table_values = mapping.values()
    bound = bind_numbers(definition, document.paragraphs)
    raw: dict[str, Any] = dict(table_values)
    from_prose: dict[str, Bound] = {}
    for bound_number in bound:
        code = bound_number.code
        if code not in from_prose and not (table_values.get(code) or "").strip():
            from_prose[code] = bound_number
            raw[code] = bound_number.text
    evaluation = evaluate(definition, raw)
    result = CheckResult(name, definition.code, document, mapping, bound, evaluation, form=form)
    context = _Context(definition, document, mapping, from_prose, evaluation)
    result.findings += [context.convert(f) for f in evaluation.findings if f.rule not in _IGNORED_RULES]
    result.findings += _prose_against_table(context, bound, result)
    checked = {code for finding in result.findings for code in finding.items}
    result.findings += _prose_checks(document, [b for b in bound if b.code in checked], result.prose)
    if document.ocr:
        for finding in result.findings:
            finding.message += MSG_OCR
    result.findings.sort(key=lambda f: 0 if f.severity == "error" else 1)
    return result


@dataclass(slots=True)
class _Context:
    definition: Definition
    document: ReadDocument
    mapping: Mapping
    from_prose: dict[str, Bound]
    evaluation: Evaluation

    def label(self, code: str) -> str:
        return plain_label(self.definition.by_code[code].label)

    def prose_excerpt(self, bound: Bound) -> str:
        return excerpt_of(self.document.paragraphs[bound.paragraph], bound.start, bound.end)

    def convert(self, finding: Finding) -> CheckFinding:
        prose = [code for code in finding.items if code in self.from_prose]
        rows = [row for code in finding.items if (row := self.mapping.row_of(code)) is not None]
        source = "table" if not prose else ("narrative" if not rows else "both")
        excerpts = [self.prose_excerpt(self.from_prose[prose[0]])] if prose else []
        excerpts += [f"phụ lục {row.excerpt()}" for row in rows[:3]]
        message = finding.message
        for code in prose:
            message = message.replace(f"{code}:", f"{self.label(code)}:", 1)
        found, expected = _found_expected(self.definition, finding)
        return CheckFinding(
            finding.rule,
            finding.severity,
            message,
            finding.items,
            source,
            expected,
            found,
            " | ".join(excerpts),
        )


def _side(value: Value) -> str:
    if value is None:
        return BLANK
    if value is NOT_APPLICABLE:
        return NOT_APPLICABLE_TEXT
    if isinstance(value, bool):
        return format_yesno(value)
    if isinstance(value, Decimal):
        return format_number(value, 2)
    return str(value)


def _found_expected(definition: Definition, finding: Finding) -> tuple[str, str]:
    item = definition.by_code.get(finding.items[0]) if finding.items else None
    if finding.rule == "ratio.blank" and item is not None:
        return BLANK, display_value(item, finding.right)
    if finding.rule in ("ratio.mismatch", "ratio.zero_base") and item is not None:
        return _side(finding.left), display_value(item, finding.right)
    if finding.rule == "share.mismatch":
        return f"{_side(finding.left)}%", f"{_side(finding.right)}%"
    return _side(finding.left), _side(finding.right)


def _prose_against_table(context: _Context, bound: list[Bound], result: CheckResult) -> list[CheckFinding]:
    """A number of the prose that states an appendix row must be the row's value."""
    findings = []
    for number in bound:
        code = number.code
        row = context.mapping.row_of(code)
        if row is None or code in context.from_prose:
            continue
        item = context.definition.by_code[code]
        value = context.evaluation.values.get(code)
        if not isinstance(value, Decimal):
            continue
        result.compared_with_table += 1
        if _same(number.value, number.text, value, item.is_computed):
            continue
        stt = printed_stt(item) or row.stt or code
        template = MSG_TABLE_MISMATCH_RATIO if item.is_computed else MSG_TABLE_MISMATCH
        table = display_value(item, value) if not item.is_computed else format_number(value, 2)
        message = template.format(label=context.label(code).lower(), prose=number.text, stt=stt, table=table)
        excerpt = f"{context.prose_excerpt(number)} | phụ lục {row.excerpt()}"
        findings.append(
            CheckFinding(
                "narrative.table_mismatch", "error", message, (code,), "both", table, number.text, excerpt
            )
        )
    return findings


def _same(prose: Decimal, text: str, table: Decimal, computed: bool) -> bool:
    if not computed:
        return prose == table
    places = len(text.split(",", 1)[1]) if "," in text else 0
    return round_half_up(table, places) == prose


def _prose_checks(document: ReadDocument, bound: list[Bound], coverage: ProseCoverage) -> list[CheckFinding]:
    """Checks that need no definition, except where a bound number already had a finding of the definition's
    checks (``bound`` holds only those)."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for number in bound:
        spans.setdefault(number.paragraph, []).append((number.start, number.end))
    findings = []
    for finding in check_paragraphs(document.paragraphs, coverage):
        taken = spans.get(finding.paragraph, [])
        if not finding.rule.startswith("narrative.document") and any(
            start < end2 and start2 < end for start, end in finding.spans for start2, end2 in taken
        ):
            continue
        paragraph = document.paragraphs[finding.paragraph]
        first = min(finding.spans) if finding.spans else (0, 0)
        last = max((end for _, end in finding.spans), default=0)
        findings.append(
            CheckFinding(
                finding.rule,
                finding.severity,
                finding.message,
                (),
                "narrative",
                finding.expected,
                finding.found,
                excerpt_of(paragraph, first[0], last),
            )
        )
    return findings
