from django.contrib import admin

from baocao.forms.models import FormVersion


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "version", "title", "level", "status", "owner", "published_at")
    list_filter = ("status", "level")
    search_fields = ("code", "title")

    # A stored version is never edited in place: changes come as a new version through forms.services.
    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
