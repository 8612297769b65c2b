"""Sign-in and sign-out. Lockout after repeated failures is django-axes' (settings.AXES_*); this view adds
a growing delay before answering a failed attempt, so that guessing is slow long before the lock."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse


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


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        failures = AxesProxyHandler.get_failures(self.request, {"username": form.data.get("username", "")})
        if failures >= 3:
            time.sleep(
                min(settings.LOGIN_SLOWDOWN_SECONDS * (failures - 2), 5 * settings.LOGIN_SLOWDOWN_SECONDS)
            )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    pass
