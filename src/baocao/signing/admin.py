"""Read-only admin lists: keys are registered with ``baocao signing add-key``, copies only by signing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from baocao.signing.models import SealKeeper, SignedCopy, SigningKey


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(_ReadOnly):
    list_display = ("unit", "holder", "user", "kind", "active", "created_at")
    list_filter = ("holder", "kind", "active")
    exclude = ("certificate", "image")


@admin.register(SealKeeper)
class SealKeeperAdmin(_ReadOnly):
    list_display = ("unit", "user", "created_at")


@admin.register(SignedCopy)
class SignedCopyAdmin(_ReadOnly):
    list_display = ("report", "version", "level", "sha256", "created_at")
