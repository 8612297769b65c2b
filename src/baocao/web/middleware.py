"""The web's one boundary for typed text: every submitted form field reaches views and services with LF, and
no address carries a NUL character.

Browsers send each newline of a form (a textarea, and a hidden field holding what the page showed) as
CRLF, while stored text has LF. Comparing the two refused saves as concurrent edits; normalising here,
once, for every field of every form, keeps views and services free of the distinction.

A NUL character (``%00``) in the path or the query string would reach a lookup by code, and PostgreSQL
stores no NUL in text: the query failed (a server error) where a wrong code gives "not found". Such a
request is refused here, once, for every page and every API route (the API's JSON bodies and the pages'
forms refuse NUL themselves: ``schemas.NO_NUL``, Django's form fields).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.http.multipartparser import MultiPartParserError

from baocao.core.text import normalize_newlines
from baocao.errors import json_error

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
API_PREFIX = "/api/"
MSG_UNREADABLE_FORM = "Không đọc được nội dung gửi lên (dữ liệu multipart hỏng): {reason}."
MSG_NUL = "Địa chỉ yêu cầu có ký tự NUL (mã 0), không được phép."


def refuse_nul_characters(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith(API_PREFIX):
                return json_error(MSG_NUL, 400)
            return HttpResponseBadRequest(MSG_NUL, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


def normalize_form_newlines(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST = _normalized(request.POST)  # type: ignore[assignment]
            except MultiPartParserError as error:
                # A machine client of the API gets the one JSON error shape; a page keeps Django's 400.
                if request.path.startswith(API_PREFIX):
                    return json_error(MSG_UNREADABLE_FORM.format(reason=error), 400)
                raise
        return get_response(request)

    return middleware


def _normalized(data: QueryDict) -> QueryDict:
    if not any("\r" in value for _, values in data.lists() for value in values):
        return data
    copy = data.copy()
    for key, values in data.lists():
        copy.setlist(key, [normalize_newlines(value) for value in values])
    copy._mutable = False
    return copy
