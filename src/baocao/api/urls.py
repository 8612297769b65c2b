from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from baocao.api.api import MSG_NOT_FOUND, api
from baocao.errors import json_error


def unknown(request: HttpRequest) -> JsonResponse:
    """An address under /api/ that names nothing: the one error shape, not the web's HTML 404 page."""
    return json_error(MSG_NOT_FOUND, 404)


urlpatterns = [path("v1/", api.urls), re_path(r"^.*$", unknown)]
