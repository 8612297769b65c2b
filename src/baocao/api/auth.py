"""Bearer tokens: ``Authorization: Bearer bc_…``; the token's user is then ``request.user``, as on the web."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from baocao.accounts.models import User
from baocao.api.tokens import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user: User | None = token_user(token.strip())
        if user is not None:
            request.user = user
        return user
