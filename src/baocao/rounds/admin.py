from django.contrib import admin

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
