"""``baocao manage export_openapi_schema --api baocao.api.api.api``: django-ninja's command, which its app
gave while it was in INSTALLED_APPS (the settings say why it no longer is)."""

from __future__ import annotations

from ninja.management.commands.export_openapi_schema import Command

__all__ = ["Command"]
