"""Sign-in and sign-out. Lockout after repeated failures is django-axes' (settings.AXES_*); before that, from
the third failure on, a further attempt for the same user name from the same address is refused at once
(429) until a growing pause has passed since the last failure. Guessing is slowed as much as by sleeping in
the request, but no server thread waits: eight guessers cannot hold eight of the server's threads."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from baocao.config.proxy import client_ip

MSG_WAIT = "Đăng nhập sai nhiều lần. Hãy đợi {seconds} giây rồi thử lại."
FREE_FAILURES = 2  # the pause starts after the third failure


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget = forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username"}
        )


def seconds_to_wait(request: HttpRequest, username: str) -> float:
    """How long this address must still wait before its next attempt for ``username`` is even checked."""
    failures = AxesProxyHandler.get_failures(request, {"username": username})
    if failures <= FREE_FAILURES or not username:
        return 0.0
    step = float(settings.LOGIN_SLOWDOWN_SECONDS)
    pause = min(step * (failures - FREE_FAILURES), 5 * step)
    attempts = AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
    last: datetime | None = attempts.aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return 0.0
    return max(0.0, (last + timedelta(seconds=pause) - timezone.now()).total_seconds())


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = seconds_to_wait(request, request.POST.get("username", "").strip())
        if wait > 0:
            # Answered at once, without checking the password (and without counting a failure).
            form = self.form_class(request, initial={"username": request.POST.get("username", "")})
            message = MSG_WAIT.format(seconds=math.ceil(wait))
            response = self.render_to_response(self.get_context_data(form=form, wait_message=message))
            response.status_code = 429
            response["Retry-After"] = str(math.ceil(wait))
            return response
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    pass
