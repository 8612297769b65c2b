"""Placeholders in prose and messages: ``{3.3.1.a}``, ``{1.2.2:02}``, ``{@unit_name}``, ``{left}``.

One syntax for the narrative's bound numbers and for rule messages, parsed here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Placeholder", "Segment", "placeholders", "render", "split"]

PLACEHOLDER_RE = re.compile(r"\{(?P<name>@?[A-Za-z0-9][A-Za-z0-9._]*)(?::(?P<spec>0\d))?\}")


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str  # an item code, "@context_name" or a message variable such as "left"
    pad: int  # 2 for "{1.2.2:02}": counts written with a leading zero

    @property
    def is_context(self) -> bool:
        return self.name.startswith("@")


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of rendered text: literal prose, or a value bound to a placeholder."""

    text: str
    placeholder: Placeholder | None = None


def placeholders(text: str) -> Iterator[Placeholder]:
    for match in PLACEHOLDER_RE.finditer(text):
        spec = match["spec"]
        yield Placeholder(match["name"], int(spec) if spec else 0)


@lru_cache(maxsize=4096)
def _parts(text: str) -> tuple[str | Placeholder, ...]:
    """``text`` cut once into literal strings and placeholders; messages are rendered many times."""
    parts: list[str | Placeholder] = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        spec = match["spec"]
        parts.append(Placeholder(match["name"], int(spec) if spec else 0))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def split(text: str, resolve: Callable[[Placeholder], str]) -> list[Segment]:
    """Cut ``text`` into literal and bound segments, each bound one resolved to its display string."""
    return [Segment(part) if isinstance(part, str) else Segment(resolve(part), part) for part in _parts(text)]


def render(text: str, resolve: Callable[[Placeholder], str]) -> str:
    return "".join(part if isinstance(part, str) else resolve(part) for part in _parts(text))
