"""Creating, finding and revoking API tokens: one function each, called by the CLI and the API's auth."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from baocao.accounts.models import User
from baocao.api.models import ApiToken

__all__ = ["TOKEN_PREFIX", "TokenError", "token_create", "token_list", "token_revoke", "token_user"]

TOKEN_PREFIX = "bc_"
SHOWN = 10  # characters kept in the clear to tell tokens apart ("bc_" and 7 more)
SECRET_BYTES = 32
SECRET_LENGTH = len(TOKEN_PREFIX) + len(secrets.token_urlsafe(SECRET_BYTES))  # always 43 after the prefix
LAST_USED_STEP = timedelta(minutes=5)  # last_used_at is written at most this often per token


class TokenError(ValueError):
    """A token operation that cannot be done; ``str(error)`` is Vietnamese."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, username: str, name: str = "") -> NewToken:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise TokenError(f"Không có người dùng {username}.")
    if not user.is_active:
        raise TokenError(f"Tài khoản {username} đã bị khóa; không cấp mã được.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=secret[:SHOWN], digest=_digest(secret)
    )
    return NewToken(token, secret)


def token_list(username: str | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    return tokens.filter(user__username=username) if username else tokens.all()


@transaction.atomic
def token_revoke(*, key: str) -> ApiToken:
    """Revoke by the number ``baocao token list`` shows, or by the token's first characters."""
    matches = ApiToken.objects.filter(pk=int(key)) if key.isdigit() else ApiToken.objects.filter(prefix=key)
    found = list(matches.select_for_update()[:2])
    if not found:
        raise TokenError(f"Không có mã truy cập {key}.")
    if len(found) > 1:
        raise TokenError(f"Có nhiều mã bắt đầu bằng {key}; hãy dùng số thứ tự trong baocao token list.")
    token = found[0]
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_user(secret: str) -> User | None:
    """The active user a presented token acts for; None for an unknown, revoked or disabled one."""
    if len(secret) != SECRET_LENGTH or not secret.startswith(TOKEN_PREFIX):
        return None  # no token of ours has this shape: no need to ask the database
    # The digest is unique: no ordering (the model's would cost each request an ORDER BY).
    found = ApiToken.objects.select_related("user").filter(digest=_digest(secret)).order_by()[:1]
    token = next(iter(found), None)
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
