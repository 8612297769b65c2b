"""The API's addresses: version 1, and the one error shape for whatever no operation answers (an unknown
address, a method an address does not take), never Django's plain-text or HTML pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt

from baocao.api.api import MSG_NOT_FOUND, api
from baocao.errors import json_error

MSG_METHOD = "Địa chỉ này không nhận yêu cầu {method}; chỉ nhận: {allowed}."

View = Callable[..., HttpResponseBase]


def method_not_allowed(request: HttpRequest, allowed: str) -> JsonResponse:
    """405 in the one shape, with the ``Allow`` header HTTP asks for."""
    response = json_error(MSG_METHOD.format(method=request.method, allowed=allowed), 405)
    response["Allow"] = allowed
    return response


def one_error_shape(view: View) -> View:
    """django-ninja answers a method no operation of the address takes with a plain-text 405: give it in the
    one shape. No view of the API uses the session, so none needs Django's CSRF check (ninja's own views are
    exempt already; the schema and the docs only read)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not isinstance(response, JsonResponse):
            allowed = sorted(method.strip() for method in response["Allow"].split(","))
            return method_not_allowed(request, ", ".join(allowed))
        return response

    return csrf_exempt(wrapped)


@csrf_exempt
def unknown(request: HttpRequest) -> JsonResponse:
    """An address under /api/ that names nothing: the one error shape, not the web's HTML 404 page."""
    return json_error(MSG_NOT_FOUND, 404)


def _v1() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = one_error_shape(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [path("v1/", _v1()), re_path(r"^.*$", unknown)]
