from django.urls import path

from baocao.documents import views

app_name = "documents"

_report = "reports/<slug:round_code>/<str:unit_code>/"

urlpatterns = [
    path(_report + "tai-ve/<str:format_name>/", views.download, name="download"),
    path(_report + "xem-xet/", views.review, name="review"),
    path(_report + "nhap-excel/", views.xlsx_import, name="import"),
    path(_report + "ban-in/", views.print_view, name="print"),
    path("rounds/<slug:round_code>/tai-ve.zip", views.round_download, name="round_zip"),
]
