"""Load a report definition file and compile it: every code, formula, rule and placeholder checked once.

A ``Definition`` is immutable and shared; evaluation (``evaluate.py``) only reads it.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

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
    "available_definitions",
    "compile_definition",
    "load_definition",
    "parse_definition",
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


class DefinitionError(ValueError):
    """A definition that cannot be used; ``str(error)`` names the file, the place and the reason."""


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
        stack = list(reversed(self.spec.narrative))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.sections))


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
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(f"{source}: " + MSG_YAML.format(reason=str(error).replace("\n", " "))) from None
    try:
        spec = DefinitionSpec.model_validate(raw)
    except ValidationError as error:
        raise DefinitionError(f"{source}: {_describe_validation_error(error, raw)}") from None
    return compile_definition(spec, source=source)


def _describe_validation_error(error: ValidationError, raw: Any) -> str:
    first = error.errors()[0]
    loc = first["loc"]
    place = _place(loc, raw)
    reason = _PYDANTIC_MESSAGES.get(first["type"])
    if reason is None:
        reason = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "literal_error":
            reason = "giá trị phải là một trong: " + str(first.get("ctx", {}).get("expected", ""))
    return f"{place}: {reason}" if place else reason


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
    def fail(place: str, reason: str) -> DefinitionError:
        return DefinitionError(f"{source}: {place}: {reason}")

    by_code: dict[str, ItemSpec] = {}
    for item in spec.items:
        if item.code in by_code:
            raise fail(f"mục {item.code}", MSG_DUPLICATE.format(code=item.code))
        by_code[item.code] = item
    parents = _parents(spec.items, fail)
    value_types: dict[str, ValueType] = {
        item.code: _VALUE_TYPES.get(item.type, "text") for item in spec.items if item.type != "group"
    }
    bands = {name: tuple(Band(b.min, b.label) for b in entries) for name, entries in spec.scales.items()}
    groups = {item.code for item in spec.items if item.type == "group"}

    def compile_at(place: str, text: str, *, blank_as_zero: bool = False) -> Compiled:
        try:
            return compile_expression(text, value_types, blank_as_zero=blank_as_zero, scales=bands)
        except FormulaError as error:
            group_ref = next((code for code in groups if f"{{{code}}}" in text), None)
            reason = MSG_GROUP_REF.format(code=group_ref) if group_ref else str(error)
            raise fail(place, reason) from None

    computed = _compile_items(spec.items, value_types, compile_at, fail)
    rules = _compile_rules(spec.rules, compile_at, fail)
    _check_placeholders(spec, by_code, fail)
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


def _parents(items: list[ItemSpec], fail: Any) -> dict[str, str | None]:
    """A lettered sub-row ("2.2.1.a") belongs to the row whose code it extends, which must come first."""
    seen: set[str] = set()
    parents: dict[str, str | None] = {}
    for item in items:
        parent: str | None = None
        if not item.code.startswith("N.") and "." in item.code:
            parent = item.code.rsplit(".", 1)[0]
            if item.code[-1].isalpha() and parent not in seen:
                raise fail(f"mục {item.code}", MSG_PARENT.format(code=item.code, parent=parent))
            if parent not in seen:
                parent = None
        parents[item.code] = parent
        seen.add(item.code)
    return parents


def _compile_items(
    items: list[ItemSpec], value_types: Mapping[str, ValueType], compile_at: Any, fail: Any
) -> tuple[tuple[ItemSpec, Compiled], ...]:
    compiled: dict[str, tuple[ItemSpec, Compiled]] = {}
    for item in items:
        if item.share_of is not None and value_types.get(item.share_of) != "number":
            raise fail(f"mục {item.code}", MSG_SHARE_OF.format(code=item.share_of))
        if item.formula is None:
            continue
        result: Compiled = compile_at(f"mục {item.code}, công thức", item.formula)
        expected = value_types[item.code]
        if result.type != expected:
            names = {"number": "số", "bool": "Có/Không", "text": "chữ"}
            reason = MSG_FORMULA_TYPE.format(
                given=names[result.type], item_type=item.type, expected=names[expected]
            )
            raise fail(f"mục {item.code}, công thức", reason)
        compiled[item.code] = (item, result)
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for code, (_, result) in compiled.items():
        sorter.add(code, *(ref for ref in result.refs if ref in compiled))
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as error:
        cycle = " → ".join(error.args[1])
        raise fail(f"mục {error.args[1][0]}", MSG_CYCLE.format(cycle=cycle)) from None
    return tuple(compiled[code] for code in order)


def _compile_rules(rules: list[RuleSpec], compile_at: Any, fail: Any) -> tuple[CompiledRule, ...]:
    seen: set[str] = set()
    compiled: list[CompiledRule] = []
    for rule in rules:
        place = f"quy tắc {rule.code}"
        if rule.code in seen:
            raise fail(place, MSG_DUPLICATE_RULE.format(code=rule.code))
        seen.add(rule.code)
        zero = rule.blank == "zero"
        left: Compiled = compile_at(f"{place}, vế trái", rule.left, blank_as_zero=zero)
        right: Compiled = compile_at(f"{place}, vế phải", rule.right, blank_as_zero=zero)
        if rule.op not in ("requires", "excludes") and left.type != right.type:
            raise fail(place, "hai vế so sánh khác kiểu dữ liệu")
        if rule.op in ("<", "<=", ">", ">=") and left.type != "number":
            raise fail(place, f"phép “{rule.op}” chỉ so sánh được số")
        items = tuple(sorted(left.refs | right.refs, key=_code_sort_key))
        compiled.append(CompiledRule(rule, left, right, items))
    return tuple(compiled)


def _check_placeholders(spec: DefinitionSpec, by_code: Mapping[str, ItemSpec], fail: Any) -> None:
    def check(place: str, text: str, extra: frozenset[str]) -> None:
        for placeholder in placeholders(text):
            name = placeholder.name
            if name in extra or (name in by_code and by_code[name].type != "group"):
                continue
            raise fail(place, MSG_PLACEHOLDER.format(name=name))

    for rule in spec.rules:
        check(f"quy tắc {rule.code}, thông báo", rule.message, RULE_VARIABLES)
    for name, paragraphs in (("mở đầu", spec.opening), ("kết thúc", spec.closing)):
        for number, paragraph in enumerate(paragraphs, start=1):
            check(f"đoạn {name} {number}", paragraph, CONTEXT_NAMES)
    stack = list(spec.narrative)
    while stack:
        section = stack.pop()
        for number, paragraph in enumerate(section.paragraphs, start=1):
            check(f"phần {section.code}, đoạn {number}", paragraph, CONTEXT_NAMES)
        stack.extend(section.sections)
