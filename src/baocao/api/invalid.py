"""pydantic's validation errors said in Vietnamese: "due_date: thiếu (bắt buộc)", one per problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from baocao.api.schemas import NO_NUL, SLUG

# By pydantic's error type; ``{…}`` are taken from the error's context.
MESSAGES = {
    "missing": "thiếu (bắt buộc)",
    "date_parsing": "không phải ngày dạng NNNN-TT-NN (ví dụ 2025-06-05)",
    "date_from_datetime_parsing": "không phải ngày dạng NNNN-TT-NN (ví dụ 2025-06-05)",
    "date_from_datetime_inexact": "phải là một ngày, không kèm giờ",
    "date_type": "phải là ngày dạng NNNN-TT-NN",
    "int_parsing": "không phải số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "string_type": "phải là chuỗi",
    "string_too_long": "dài quá {max_length} ký tự",
    "string_too_short": "cần ít nhất {min_length} ký tự",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "list_type": "phải là danh sách",
    "too_long": "nhiều quá {max_length} phần tử",
    "too_short": "cần ít nhất {min_length} phần tử",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than_equal": "không được quá {le}",
    "greater_than": "phải lớn hơn {gt}",
    "less_than": "phải nhỏ hơn {lt}",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
    "json_type": "không phải JSON hợp lệ",
    "extra_forbidden": "không có trường này",
}
PATTERNS = {
    SLUG: "chỉ gồm chữ cái không dấu, chữ số, “-” và “_”",
    NO_NUL: "có ký tự NUL (mã 0), không được phép",
}
UNKNOWN = "giá trị không hợp lệ"
# Where ninja says a value came from; the client named only what follows (the body's field, the query's).
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def problem(error: Mapping[str, Any]) -> str:
    """ "due_date: thiếu (bắt buộc)"; "respondents.2: phải là chuỗi"."""
    return f"{_where(error.get('loc', ()))}: {_what(error)}"


def _what(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return PATTERNS.get(str(context.get("pattern", "")), UNKNOWN)
    template = MESSAGES.get(kind)
    if template is None:
        return UNKNOWN
    try:
        return template.format(**{key: str(value) for key, value in context.items()})
    except (KeyError, IndexError):
        return UNKNOWN


def _where(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location] if isinstance(location, list | tuple) else []
    if parts and parts[0] in SOURCES:
        # ninja adds the operation's parameter name after the source ("body", "body", "raw").
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) or "nội dung"
