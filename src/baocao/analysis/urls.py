from django.urls import path

from baocao.analysis import views

app_name = "analysis"

urlpatterns = [
    path("tong-hop/<slug:round_code>/", views.rollup_page, name="rollup"),
    path("lap-bao-cao/<slug:round_code>/<str:unit_code>/", views.compile_start, name="compile"),
    path("dien-tu-quy/<slug:round_code>/<str:unit_code>/", views.period_prefill, name="period_prefill"),
    path("api/rollup/<slug:round_code>/", views.rollup_json, name="rollup_json"),
    path("tien-do/<slug:round_code>/", views.completeness_page, name="completeness"),
    path("nhac/<slug:round_code>/<str:unit_code>/", views.remind, name="remind"),
    path("nhac-chua-gui/<slug:round_code>/", views.remind_unsent, name="remind_unsent"),
    path("so-sanh/<slug:round_code>/", views.compare_page, name="compare"),
    path("xu-huong/<str:unit_code>/", views.trend_page, name="trend"),
    path("xu-huong/<str:unit_code>/<str:code>.<str:fmt>", views.trend_chart, name="trend_chart"),
]
