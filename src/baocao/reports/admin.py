from django.contrib import admin

from baocao.reports.models import AuditEvent, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only here: reports change only through their workflow (reports.services)."""

    list_display = ("unit", "round", "status", "sent_at")
    list_filter = ("status", "round")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReportAdmin):
    list_display = ("at", "report", "user", "action", "target", "old", "new")  # type: ignore[assignment]
    list_filter = ("action",)  # type: ignore[assignment]
