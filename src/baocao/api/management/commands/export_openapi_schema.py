"""``baocao manage export_openapi_schema [--output FILE]``: the API's OpenAPI document (the one served at
``/api/v1/schema/``), by django-ninja's command, which its app gave while it was in INSTALLED_APPS (the
settings say why it no longer is). Without ``--api`` it is this project's API: ninja's own default looks for
one at ``/api/``, where there is none."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.management.commands.export_openapi_schema import Command as NinjaCommand

__all__ = ["Command"]

API = "baocao.api.api.api"


class Command(NinjaCommand):
    def _get_api_instance(self, api_path: str | None = None) -> NinjaAPI:
        return super()._get_api_instance(api_path or API)
