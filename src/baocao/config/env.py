"""Small strict readers of environment variables: a bad value stops start-up with a clear message."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

__all__ = ["EnvError", "env_bool", "env_int", "env_list", "env_networks", "env_path", "env_str"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    pass


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"Biến môi trường {name}={raw!r}: chỉ nhận 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"Biến môi trường {name}={raw!r}: phải là số nguyên") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def env_networks(name: str) -> list[str]:
    """Addresses or networks ("10.0.0.5, 10.1.0.0/16"), each checked at start-up."""
    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise EnvError(
                f"Biến môi trường {name}: “{entry}” không phải địa chỉ hay dải địa chỉ IP"
            ) from None
    return entries
