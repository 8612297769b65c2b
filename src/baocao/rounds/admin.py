from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from baocao.accounts.audit import AuditedAdmin
from baocao.rounds.models import Round


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    list_display = (
        "code",
        "title",
        "definition_code",
        "definition_version",
        "window_start",
        "window_end",
        "due_date",
        "lock_date",
    )
    search_fields = ("code", "title")
    raw_id_fields = ("requested_by",)
    filter_horizontal = ("respondents",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A round is created on the page "Yêu cầu báo cáo" (or ``baocao round create``) by the one service
        # that checks the asker's right, the form's scope and period, and the respondents; never here.
        return False
