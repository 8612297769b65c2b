"""YAML read through libyaml when PyYAML was built with it: about ten times faster than PyYAML's own parser
(70 ms → 8 ms for a packaged form, read by every process that starts). A document libyaml refuses is read
again by PyYAML's parser, so what a mistake says (and what loads) is PyYAML's, as before."""

from __future__ import annotations

from typing import Any

import yaml

_FAST_SAFE: Any = getattr(yaml, "CSafeLoader", None)
_FAST_BASE: Any = getattr(yaml, "CBaseLoader", None)


def safe_load(text: str) -> Any:
    """``yaml.safe_load``: the usual YAML types."""
    return _load(text, _FAST_SAFE, yaml.SafeLoader)


def base_load(text: str) -> Any:
    """``yaml.load`` with ``BaseLoader``: every scalar as the string typed."""
    return _load(text, _FAST_BASE, yaml.BaseLoader)


def _load(text: str, fast: Any, slow: Any) -> Any:
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=slow)
