"""Administrators' changes to rounds, units and roles, recorded old → new like changes to reports.

The admin pages of those models inherit ``AuditedAdmin``; each save, delete and change of a many-to-many list
(a round's respondents) or of an inline role writes one ``AdminChange`` per field that changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction

from baocao.accounts.models import AdminChange

if TYPE_CHECKING:
    from django.forms import BaseFormSet, ModelForm
    from django.http import HttpRequest

__all__ = ["AuditedAdmin", "AuditedInlineParent", "ReadOnlyAdmin", "record", "snapshot"]


def _text(obj: models.Model, field: models.Field[Any, Any]) -> str:
    value = getattr(obj, field.name)
    if value is None:
        return ""
    return str(value)


def snapshot(obj: models.Model) -> dict[str, str]:
    """Every editable field of ``obj`` as text; a foreign key as the related object's name."""
    return {
        field.name: _text(obj, field)
        for field in obj._meta.concrete_fields
        if field.editable and not field.primary_key
    }


def _many(obj: models.Model) -> dict[str, str]:
    return {
        field.name: ", ".join(sorted(str(related) for related in getattr(obj, field.name).all()))
        for field in obj._meta.many_to_many
    }


def _label(obj: models.Model, name: str) -> str:
    field = obj._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def record(user: Any, obj: models.Model, action: str, before: dict[str, str], after: dict[str, str]) -> None:
    """One row per field whose text changed (every field for a creation or a deletion)."""
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, ""), after.get(name, "")
        if old != new:
            AdminChange.objects.create(
                user=user if getattr(user, "is_authenticated", False) else None,
                action=action,
                model=str(obj._meta.verbose_name),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                field=_label(obj, name),
                old=old,
                new=new,
            )


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            record(
                request.user,
                obj,
                AdminChange.Action.CHANGE if change else AdminChange.Action.ADD,
                before,
                snapshot(obj),
            )

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        obj = form.instance
        with transaction.atomic():
            before = _many(type(obj).objects.get(pk=obj.pk)) if change else {name: "" for name in _many(obj)}
            super().save_related(request, form, formsets, change)
            record(request.user, obj, AdminChange.Action.CHANGE, before, _many(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record(request.user, obj, AdminChange.Action.DELETE, snapshot(obj), {})
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                record(request.user, obj, AdminChange.Action.DELETE, snapshot(obj), {})
            super().delete_queryset(request, queryset)


class AuditedInlineParent(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin whose inline rows (a user's roles) are recorded like the rows' own admin page."""

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: BaseFormSet[Any], change: bool
    ) -> None:
        with transaction.atomic():
            changed = {
                row.instance.pk: snapshot(type(row.instance).objects.get(pk=row.instance.pk))
                for row in formset.forms
                if row.instance.pk is not None and row.has_changed()
            }
            super().save_formset(request, form, formset, change)
            for obj in formset.deleted_objects:  # type: ignore[attr-defined]
                record(request.user, obj, AdminChange.Action.DELETE, snapshot(obj), {})
            for obj in formset.new_objects:  # type: ignore[attr-defined]
                record(request.user, obj, AdminChange.Action.ADD, {}, snapshot(obj))
            for obj, _ in formset.changed_objects:  # type: ignore[attr-defined]
                record(request.user, obj, AdminChange.Action.CHANGE, changed.get(obj.pk, {}), snapshot(obj))


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records shown in the admin but never changed there (reports change through their workflow)."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
