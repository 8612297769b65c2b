from django.contrib import admin

from baocao.accounts.audit import ReadOnlyAdmin
from baocao.reports.models import AuditEvent, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only here: reports change only through their workflow (reports.services)."""

    list_display = ("unit", "round", "status", "sent_at")
    list_filter = ("status", "round")


@admin.register(AuditEvent)
class AuditEventAdmin(ReportAdmin):
    list_display = ("at", "report", "user", "action", "target", "old", "new")  # type: ignore[assignment]
    list_filter = ("action",)  # type: ignore[assignment]
