"""Tokens of machine clients: each acts as one user, so the one access check decides what it may do."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """Only the SHA-256 digest of a token is kept: the token itself is printed once, when it is created.

    Tokens are 256 random bits, so a plain digest is enough (a slow password hash would protect nothing more
    and cost every request)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="người dùng",
    )
    name = models.CharField("tên gợi nhớ", max_length=100, blank=True)
    prefix = models.CharField("phần đầu của mã", max_length=12, help_text="để nhận ra mã, không đủ để dùng")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
