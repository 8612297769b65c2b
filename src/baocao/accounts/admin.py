from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from baocao.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    raw_id_fields = ("unit",)
    extra = 1


@admin.register(User)
class BaocaoUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]
    list_display = ("username", "full_name", "job_title", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Chức danh", {"fields": ("full_name", "job_title")}))  # type: ignore[misc]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    raw_id_fields = ("unit", "user")
