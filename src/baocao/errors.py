"""The one JSON error shape, used by the web's JSON endpoints and by the API alike:

    {"ok": false, "error": "<what went wrong, in Vietnamese>", "code": "<machine-readable kind>"}

plus ``"conflict": {"theirs": …, "yours": …}`` when someone else changed the same thing first. A test pins it.
"""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

__all__ = ["ERROR_CODES", "error_body", "json_error"]

# HTTP status → the ``code`` a client can branch on without reading the Vietnamese message.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}


def error_body(message: str, status: int, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": message, "code": ERROR_CODES.get(status, "error"), **extra}


def json_error(message: str, status: int = 422, **extra: Any) -> JsonResponse:
    return JsonResponse(error_body(message, status, **extra), status=status)
