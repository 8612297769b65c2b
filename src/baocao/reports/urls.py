from django.urls import path

from baocao.reports import views

app_name = "reports"

_report = "reports/<slug:round_code>/<str:unit_code>/"

urlpatterns = [
    path(_report, views.report_page, name="report"),
    path(_report + "start/", views.report_start, name="start"),
    path(_report + "value/", views.value_save, name="value"),
    path(_report + "note/", views.note_save, name="note"),
    path(_report + "state/", views.report_state, name="state"),
    path(_report + "copy-previous/", views.copy_previous, name="copy_previous"),
    path(_report + "confirm-copied/", views.confirm_copied, name="confirm_copied"),
    path(_report + "narrative/", views.narrative_save, name="narrative"),
    path(_report + "header/", views.header_save, name="header"),
    path(_report + "explain/", views.explain, name="explain"),
    path(_report + "action/<str:action>/", views.workflow_action, name="action"),
    path(_report + "history/", views.history, name="history"),
    path("rounds/<slug:round_code>/", views.round_page, name="round"),
]
