"""Load a report definition file and compile it: every code, formula, rule and placeholder checked once.

A ``Definition`` is immutable and shared; evaluation (``evaluate.py``) only reads it.
"""

from __future__ import annotations

import graphlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from baocao.core import yaml_load
from baocao.core.formula import Band, Compiled, FormulaError, ValueType, compile_expression
from baocao.core.schema import DefinitionSpec, ItemSpec, NarrativeSection, RuleSpec
from baocao.core.templates import placeholders

__all__ = [
    "CLOSING",
    "CONTEXT_NAMES",
    "OPENING",
    "CompiledRule",
    "Definition",
    "DefinitionError",
    "Problem",
    "available_definitions",
    "compile_definition",
    "load_definition",
    "parse_definition",
    "pydantic_reason",
]

# Values a narrative can take from its report's round and unit rather than from the table.
CONTEXT_NAMES = frozenset(
    {
        "@unit_name",
        "@unit_full_name",
        "@period_label",
        "@window_start",
        "@window_end",
        "@year",
        "@parent_name",
    }
)
# The narrative parts before section I and after the last section, stored like sections under these codes.
OPENING, CLOSING = "opening", "closing"
RULE_VARIABLES = frozenset({"left", "right"})

_VALUE_TYPES: dict[str, ValueType] = {
    "count": "number",
    "decimal": "number",
    "percent": "number",
    "ratio": "number",
    "count_share": "number",
    "yesno": "bool",
}
_DEFAULT_ROLLUP = {
    "group": "none",
    "count": "sum",
    "decimal": "sum",
    "percent": "none",
    "ratio": "ratio",
    "count_share": "sum",
    "yesno": "count_yes",
    "text": "list",
}

MSG_YAML = "không đọc được YAML: {reason}"
MSG_NOT_FOUND = "không có biểu mẫu “{code}” (có: {known})"
MSG_DUPLICATE = "mã “{code}” bị trùng"
MSG_DUPLICATE_RULE = "mã quy tắc “{code}” bị trùng"
MSG_CYCLE = "công thức tham chiếu vòng tròn: {cycle}"
MSG_GROUP_REF = "mã “{code}” là dòng tiêu đề nhóm, không có số liệu để tham chiếu"
MSG_FORMULA_TYPE = "công thức cho kết quả kiểu {given}, chỉ tiêu kiểu “{item_type}” cần {expected}"
MSG_SHARE_OF = "share_of tham chiếu “{code}” không phải là chỉ tiêu số"
MSG_PLACEHOLDER = "chỗ điền “{{{name}}}” không ứng với mã chỉ tiêu nào"
MSG_PARENT = "dòng phụ “{code}” phải đứng sau dòng “{parent}”"
MSG_NO_DENOMINATOR = "chỉ tiêu tỷ lệ phải chia cho một mẫu số (công thức dạng {tử số} / {mẫu số} * 100)"
MSG_RULE_ON_TEXT = "quy tắc không kiểm tra được dòng chữ “{code}” (chỉ tiêu kiểu text)"

_PYDANTIC_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép",
    "string_type": 'phải là chuỗi (đặt trong dấu nháy, ví dụ "1.2")',
    "int_type": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một bảng khóa: giá trị",
    "model_type": "phải là một bảng khóa: giá trị",
    "string_too_short": "không được để trống",
    "too_short": "không được để trống",
    "string_pattern_mismatch": "không đúng dạng",
    "greater_than_equal": "quá nhỏ",
    "less_than_equal": "quá lớn",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a definition cannot be used, located so that a workbook can name its sheet, row and column.

    ``part`` is "item", "rule", "section", "opening" or "closing"; ``key`` the item, rule or section code (the
    paragraph number for the opening and closing); ``field`` the field at fault ("" for the whole entry)."""

    part: str
    key: str
    field: str
    reason: str
    paragraph: int = 0

    @property
    def place(self) -> str:
        if self.part in ("opening", "closing"):
            return f"đoạn {_PART_NAMES[self.part]} {self.paragraph}"
        place = f"{_PART_NAMES[self.part]} {self.key}"
        if self.paragraph:
            return f"{place}, đoạn {self.paragraph}"
        return f"{place}, {_FIELD_NAMES[self.field]}" if self.field in _FIELD_NAMES else place

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}"


_PART_NAMES = {
    "item": "mục",
    "rule": "quy tắc",
    "section": "phần",
    "opening": "mở đầu",
    "closing": "kết thúc",
}
_FIELD_NAMES = {"formula": "công thức", "left": "vế trái", "right": "vế phải", "message": "thông báo"}


class DefinitionError(ValueError):
    """A definition that cannot be used; ``str(error)`` names the file, every place and its reason, and
    ``problems`` holds them one by one (empty when the file could not be read at all)."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CompiledRule:
    spec: RuleSpec
    left: Compiled
    right: Compiled
    items: tuple[str, ...]  # every item code either side reads, in the appendix's order


@dataclass(frozen=True)
class Definition:
    spec: DefinitionSpec
    source: str
    items: tuple[ItemSpec, ...]
    by_code: Mapping[str, ItemSpec]
    value_types: Mapping[str, ValueType]
    computed: tuple[tuple[ItemSpec, Compiled], ...]  # in dependency order
    rules: tuple[CompiledRule, ...]
    bands: Mapping[str, tuple[Band, ...]]
    parents: Mapping[str, str | None] = field(repr=False)
    # Plausibility, checked by the evaluator: items with bounds, and items compared with the previous period.
    bounded: tuple[ItemSpec, ...] = field(default=(), repr=False)
    compared: tuple[ItemSpec, ...] = field(default=(), repr=False)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def version(self) -> int:
        return self.spec.version

    @property
    def appendix_items(self) -> tuple[ItemSpec, ...]:
        return tuple(item for item in self.items if item.in_appendix)

    @property
    def input_items(self) -> tuple[ItemSpec, ...]:
        return tuple(item for item in self.items if item.is_input)

    def rollup_of(self, item: ItemSpec) -> str:
        return item.rollup or _DEFAULT_ROLLUP[item.type]

    def narrative_codes(self) -> tuple[str, ...]:
        """Every part of the narrative a report stores, in reading order: the opening, the sections, the
        closing (the last two exist in every report, with the definition's defaults when it has them)."""
        return (OPENING, *(section.code for section in self.sections()), CLOSING)

    def narrative_default(self, code: str) -> str:
        """The text a report's narrative part holds until someone edits it (paragraphs joined by newlines)."""
        if code == OPENING:
            return "\n".join(self.spec.opening)
        if code == CLOSING:
            return "\n".join(self.spec.closing)
        section = next((section for section in self.sections() if section.code == code), None)
        return "\n".join(section.paragraphs) if section else ""

    def sections(self) -> Iterator[NarrativeSection]:
        """Every narrative section, depth first, in reading order."""
        return _walk(self.spec.narrative)


def _code_sort_key(code: str) -> tuple[object, ...]:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


def available_definitions() -> list[str]:
    folder = resources.files("baocao.core") / "definitions"
    return sorted(
        entry.name.removesuffix(".yaml") for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )


@cache
def load_definition(code_or_path: str) -> Definition:
    """A packaged definition by code ("cchc-xa-quy"), or any definition file by path."""
    path = Path(code_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return parse_definition(path.read_text(encoding="utf-8"), source=str(path))
    if code_or_path not in available_definitions():
        known = ", ".join(available_definitions())
        raise DefinitionError(MSG_NOT_FOUND.format(code=code_or_path, known=known))
    resource = resources.files("baocao.core") / "definitions" / f"{code_or_path}.yaml"
    return parse_definition(resource.read_text(encoding="utf-8"), source=f"{code_or_path}.yaml")


def parse_definition(text: str, *, source: str = "<definition>") -> Definition:
    try:
        raw = yaml_load.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{source}: " + MSG_YAML.format(reason=str(error).replace("\n", " "))) from None
    try:
        spec = DefinitionSpec.model_validate(raw)
    except ValidationError as error:
        raise DefinitionError(f"{source}: {_describe_validation_error(error, raw)}") from None
    return compile_definition(spec, source=source)


def _describe_validation_error(error: ValidationError, raw: Any) -> str:
    first = error.errors()[0]
    place = _place(first["loc"], raw)
    reason = pydantic_reason(first)
    return f"{place}: {reason}" if place else reason


def pydantic_reason(detail: Any) -> str:
    """One pydantic error detail in Vietnamese."""
    reason = _PYDANTIC_MESSAGES.get(detail["type"])
    if reason is None:
        reason = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "literal_error":
            reason = "giá trị phải là một trong: " + str(detail.get("ctx", {}).get("expected", ""))
    return reason


def _place(loc: tuple[int | str, ...], raw: Any) -> str:
    """Turn a pydantic location such as ('items', 12, 'code') into "mục 1.2.1, trường code"."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, str) and step.startswith(("function-", "model-")):
            continue
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            code = node.get("code") if isinstance(node, dict) else None
            container = parts.pop().removeprefix("trường ") if parts else ""
            parts.append(f"{_CONTAINER_NAMES.get(container, container)} {code or f'thứ {step + 1}'}")
        else:
            node = node.get(step) if isinstance(node, dict) else None
            parts.append(f"trường {step}")
    return ", ".join(parts)


_CONTAINER_NAMES = {"items": "mục", "rules": "quy tắc", "narrative": "phần", "sections": "phần"}


def compile_definition(spec: DefinitionSpec, *, source: str = "<definition>") -> Definition:
    """Check every code, formula, rule and placeholder; raise one ``DefinitionError`` listing all problems."""
    problems: list[Problem] = []
    by_code: dict[str, ItemSpec] = {}
    for item in spec.items:
        if item.code in by_code:
            problems.append(Problem("item", item.code, "code", MSG_DUPLICATE.format(code=item.code)))
        by_code.setdefault(item.code, item)
    parents = _parents(spec.items, problems)
    value_types: dict[str, ValueType] = {
        item.code: _VALUE_TYPES.get(item.type, "text") for item in spec.items if item.type != "group"
    }
    bands = {name: tuple(Band(b.min, b.label) for b in entries) for name, entries in spec.scales.items()}
    groups = {item.code for item in spec.items if item.type == "group"}

    def compile_at(at: Problem, text: str, *, blank_as_zero: bool = False) -> Compiled | None:
        try:
            return compile_expression(text, value_types, blank_as_zero=blank_as_zero, scales=bands)
        except FormulaError as error:
            group_ref = next((code for code in groups if f"{{{code}}}" in text), None)
            reason = MSG_GROUP_REF.format(code=group_ref) if group_ref else str(error)
            problems.append(Problem(at.part, at.key, at.field, reason))
            return None

    computed = _compile_items(spec.items, value_types, compile_at, problems)
    rules = _compile_rules(spec.rules, by_code, compile_at, problems)
    _check_placeholders(spec, by_code, problems)
    if problems:
        raise DefinitionError(f"{source}: " + "; ".join(map(str, problems)), tuple(problems))
    return Definition(
        spec=spec,
        source=source,
        items=tuple(spec.items),
        by_code=by_code,
        value_types=value_types,
        computed=computed,
        rules=rules,
        bands=bands,
        parents=parents,
        bounded=tuple(item for item in spec.items if item.plausible is not None),
        compared=_compared(spec),
    )


def _compared(spec: DefinitionSpec) -> tuple[ItemSpec, ...]:
    """Counts and amounts typed in, compared with the previous period (percentages are bounded already)."""
    if spec.previous_period is None:
        return ()
    return tuple(
        item
        for item in spec.items
        if item.compare_previous and item.is_input and item.type in ("count", "decimal", "count_share")
    )


def _parents(items: list[ItemSpec], problems: list[Problem]) -> dict[str, str | None]:
    """A lettered sub-row ("2.2.1.a") belongs to the row whose code it extends, which must come first."""
    seen: set[str] = set()
    parents: dict[str, str | None] = {}
    for item in items:
        parent: str | None = None
        if not item.code.startswith("N.") and "." in item.code:
            parent = item.code.rsplit(".", 1)[0]
            if item.code[-1].isalpha() and parent not in seen:
                reason = MSG_PARENT.format(code=item.code, parent=parent)
                problems.append(Problem("item", item.code, "code", reason))
            if parent not in seen:
                parent = None
        parents[item.code] = parent
        seen.add(item.code)
    return parents


# Strings and references removed, a ratio's formula must still divide by something.
_NOT_OPERATORS = re.compile(r"\{[^}]*\}|\"[^\"]*\"|'[^']*'")


def _compile_items(
    items: list[ItemSpec], value_types: Mapping[str, ValueType], compile_at: Any, problems: list[Problem]
) -> tuple[tuple[ItemSpec, Compiled], ...]:
    compiled: dict[str, tuple[ItemSpec, Compiled]] = {}
    for item in items:
        if item.share_of is not None and value_types.get(item.share_of) != "number":
            problems.append(Problem("item", item.code, "share_of", MSG_SHARE_OF.format(code=item.share_of)))
        if item.formula is None or item.code in compiled:
            continue
        at = Problem("item", item.code, "formula", "")
        if item.type == "ratio" and "/" not in _NOT_OPERATORS.sub("", item.formula):
            problems.append(Problem("item", item.code, "formula", MSG_NO_DENOMINATOR))
        result: Compiled | None = compile_at(at, item.formula)
        if result is None:
            continue
        expected = value_types[item.code]
        if result.type != expected:
            names = {"number": "số", "bool": "Có/Không", "text": "chữ"}
            reason = MSG_FORMULA_TYPE.format(
                given=names[result.type], item_type=item.type, expected=names[expected]
            )
            problems.append(Problem("item", item.code, "formula", reason))
        compiled[item.code] = (item, result)
    return _in_dependency_order(compiled, problems)


def _in_dependency_order(
    compiled: dict[str, tuple[ItemSpec, Compiled]], problems: list[Problem]
) -> tuple[tuple[ItemSpec, Compiled], ...]:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for code, (_, result) in compiled.items():
        sorter.add(code, *(ref for ref in result.refs if ref in compiled))
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as error:
        cycle = " → ".join(error.args[1])
        problems.append(Problem("item", error.args[1][0], "formula", MSG_CYCLE.format(cycle=cycle)))
        return ()
    return tuple(compiled[code] for code in order)


def _compile_rules(
    rules: list[RuleSpec], by_code: Mapping[str, ItemSpec], compile_at: Any, problems: list[Problem]
) -> tuple[CompiledRule, ...]:
    seen: set[str] = set()
    compiled: list[CompiledRule] = []
    for rule in rules:
        if rule.code in seen:
            problems.append(Problem("rule", rule.code, "code", MSG_DUPLICATE_RULE.format(code=rule.code)))
        seen.add(rule.code)
        zero = rule.blank == "zero"
        left: Compiled | None = compile_at(
            Problem("rule", rule.code, "left", ""), rule.left, blank_as_zero=zero
        )
        right = compile_at(Problem("rule", rule.code, "right", ""), rule.right, blank_as_zero=zero)
        if left is None or right is None:
            continue
        reason = _rule_problem(rule, left, right, by_code)
        if reason:
            problems.append(Problem("rule", rule.code, "op", reason))
            continue
        items = tuple(sorted(left.refs | right.refs, key=_code_sort_key))
        compiled.append(CompiledRule(rule, left, right, items))
    return tuple(compiled)


def _rule_problem(rule: RuleSpec, left: Compiled, right: Compiled, by_code: Mapping[str, ItemSpec]) -> str:
    text_rows = sorted(code for code in left.refs | right.refs if by_code[code].type == "text")
    if text_rows:
        return MSG_RULE_ON_TEXT.format(code=text_rows[0])
    if rule.op not in ("requires", "excludes") and left.type != right.type:
        return "hai vế so sánh khác kiểu dữ liệu"
    if rule.op in ("<", "<=", ">", ">=") and left.type != "number":
        return f"phép “{rule.op}” chỉ so sánh được số"
    return ""


def _check_placeholders(
    spec: DefinitionSpec, by_code: Mapping[str, ItemSpec], problems: list[Problem]
) -> None:
    def check(at: Problem, text: str, extra: frozenset[str]) -> None:
        for placeholder in placeholders(text):
            name = placeholder.name
            if name in extra or (name in by_code and by_code[name].type != "group"):
                continue
            reason = MSG_PLACEHOLDER.format(name=name)
            problems.append(Problem(at.part, at.key, at.field, reason, at.paragraph))

    for rule in spec.rules:
        check(Problem("rule", rule.code, "message", ""), rule.message, RULE_VARIABLES)
    for part, paragraphs in (("opening", spec.opening), ("closing", spec.closing)):
        for number, paragraph in enumerate(paragraphs, start=1):
            check(Problem(part, str(number), "paragraphs", "", number), paragraph, CONTEXT_NAMES)
    for section in _walk(spec.narrative):
        for number, paragraph in enumerate(section.paragraphs, start=1):
            check(Problem("section", section.code, "paragraphs", "", number), paragraph, CONTEXT_NAMES)


def _walk(sections: list[NarrativeSection]) -> Iterator[NarrativeSection]:
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        yield section
        stack.extend(reversed(section.sections))
