"""The JSON API for machine clients, version 1: ``/api/v1/`` (schema at ``schema/``, docs at ``docs/``).

Every error leaves in the one shape of ``baocao.errors``; what a token's user may not see is a 404 and what
they may not do a 403, decided by ``baocao.access`` as on the web.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from baocao.api import analysis, asking, invalid, reports
from baocao.api.auth import BearerToken
from baocao.api.docs import OfflineSwagger
from baocao.errors import error_body
from baocao.reports.services import ConflictError, WorkflowError
from baocao.rounds.services import RoundError, RoundForbidden

MSG_UNAUTHORIZED = "Thiếu mã truy cập, hoặc mã không đúng hay đã bị thu hồi (Authorization: Bearer …)."
MSG_NOT_FOUND = "Không tìm thấy, hoặc bạn không có quyền xem."
MSG_FORBIDDEN = "Bạn không có quyền làm việc này với báo cáo ở trạng thái hiện tại."
MSG_BAD_REQUEST = "Không đọc được nội dung yêu cầu: cần JSON hợp lệ, mã hóa UTF-8."
MSG_INVALID = "Dữ liệu gửi lên không hợp lệ: {details}."
MSG_ROUND_REFUSED = "Chưa tạo kỳ báo cáo, chưa ghi gì: {problems}."
MSG_SERVER_ERROR = "Máy chủ gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Hãy thử lại sau."

DESCRIPTION = """API cho hệ thống khác (hệ thống báo cáo của tỉnh, của Bộ): kỳ báo cáo, đơn vị, báo cáo
(số liệu, trạng thái, phát hiện, lịch sử), tổng hợp, tiến độ, so sánh; gửi số liệu của đơn vị được phép;
yêu cầu báo cáo (tạo kỳ báo cáo) nhân danh đơn vị được phép.

Xác thực: `Authorization: Bearer <mã>` (mã cấp bằng `baocao token create --user TÊN`). Số thập phân là chuỗi
dạng "36.06" (dấu chấm, không tách hàng nghìn, làm tròn như báo cáo hiển thị). Mọi lỗi có dạng
`{"ok": false, "error": "...", "code": "..."}`."""

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="baocao API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs=OfflineSwagger(),
    docs_decorator=require_safe,  # the schema and the docs page only read: any other method is a 405
    docs_url="/docs/",
    auth=BearerToken(),
)
api.add_router("/", reports.router)
api.add_router("/", analysis.router)
api.add_router("/", asking.router)


def _error(request: HttpRequest, message: str, status: int, **extra: object) -> HttpResponse:
    response = api.create_response(request, error_body(message, status, **extra), status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, MSG_UNAUTHORIZED, 401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, str(exc) or MSG_NOT_FOUND, 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, str(exc) or MSG_FORBIDDEN, 403)


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _error(request, str(exc), 409, conflict={"theirs": exc.theirs, "yours": exc.yours})


@api.exception_handler(WorkflowError)
def _refused(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
    return _error(request, str(exc), 422)


@api.exception_handler(RoundForbidden)
def _round_forbidden(request: HttpRequest, exc: RoundForbidden) -> HttpResponse:
    return _error(request, str(exc), 403)


@api.exception_handler(RoundError)
def _round_refused(request: HttpRequest, exc: RoundError) -> HttpResponse:
    return _error(request, MSG_ROUND_REFUSED.format(problems="; ".join(exc.problems)), 422)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = "; ".join(invalid.problem(error) for error in exc.errors)
    return _error(request, MSG_INVALID.format(details=details), 422)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: the traceback goes to the log (Django then logs the 500 as for any page), the client gets the
    one shape."""
    logger.error("Lỗi khi xử lý %s %s", request.method, request.path, exc_info=exc)
    return _error(request, MSG_SERVER_ERROR, 500)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = MSG_BAD_REQUEST if exc.status_code == 400 else exc.message
    return _error(request, message, exc.status_code)
