"""The API's docs page (``/api/v1/docs/``): ninja's Swagger UI page, its scripts served by this server."""

from __future__ import annotations

from ninja import Swagger
from ninja.openapi.docs import ABS_TPL_PATH


class OfflineSwagger(Swagger):
    """ninja renders its offline page (``ninja/swagger.html``: scripts from ``static/ninja/``) only when the
    literal "ninja" is in INSTALLED_APPS, and otherwise the file ``template_cdn`` names (scripts from a CDN,
    which the Content-Security-Policy refuses and an offline server cannot reach). The settings leave ninja
    out of INSTALLED_APPS (its loading is costly in every process) and find its templates and static files
    themselves, so that file is the offline page here."""

    template_cdn = str(ABS_TPL_PATH / "swagger.html")
