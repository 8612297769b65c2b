"""Reading a file of raw values (code → value as typed), JSON or YAML, with Vietnamese errors."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from baocao.core import yaml_load
from baocao.core.evaluate import Raw

__all__ = ["DEMO_VALUES", "ValuesFileError", "load_demo_values", "load_values_file", "parse_values"]

DEMO_VALUES = "cam-giang-2024-q1"

MSG_MISSING = "không tìm thấy tệp “{path}”"
MSG_UNREADABLE = "không đọc được tệp “{path}”: {reason}"
MSG_NOT_MAPPING = 'tệp “{path}” phải là một bảng mã chỉ tiêu → giá trị, ví dụ {{"1.2.1": "33"}}'
MSG_BAD_VALUE = "tệp “{path}”, mã “{code}”: giá trị phải là chữ hoặc số, không phải {kind}"


class ValuesFileError(ValueError):
    """A values file that cannot be read; ``str(error)`` is Vietnamese."""


def load_values_file(path: Path) -> dict[str, Raw]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValuesFileError(MSG_MISSING.format(path=path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValuesFileError(MSG_UNREADABLE.format(path=path, reason=error)) from None
    return parse_values(text, source=str(path), as_json=path.suffix.lower() == ".json")


def parse_values(text: str, *, source: str, as_json: bool) -> dict[str, Raw]:
    """JSON keeps numbers as numbers; YAML keeps every scalar as the text typed ("02", "6,06", "1.2")."""
    try:
        # BaseLoader reads every YAML scalar as a string, so codes such as 1.2 and values such as 02 survive.
        data: Any = json.loads(text, parse_float=Decimal) if as_json else yaml_load.base_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        reason = str(error).replace("\n", " ")
        raise ValuesFileError(MSG_UNREADABLE.format(path=source, reason=reason)) from None
    if isinstance(data, dict) and isinstance(data.get("values"), dict):
        data = data["values"]
    if not isinstance(data, dict):
        raise ValuesFileError(MSG_NOT_MAPPING.format(path=source))
    values: dict[str, Raw] = {}
    for code, raw in data.items():
        if raw is not None and not isinstance(raw, str | int | float | Decimal | bool):
            raise ValuesFileError(MSG_BAD_VALUE.format(path=source, code=code, kind=type(raw).__name__))
        values[str(code)] = raw
    return values


def load_demo_values(name: str = DEMO_VALUES) -> dict[str, Raw]:
    resource = resources.files("baocao.core") / "demo" / f"{name}.yaml"
    return parse_values(resource.read_text(encoding="utf-8"), source=f"{name}.yaml", as_json=False)
