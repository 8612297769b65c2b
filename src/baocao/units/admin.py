from django.contrib import admin

from baocao.accounts.audit import AuditedAdmin
from baocao.units.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "full_name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
