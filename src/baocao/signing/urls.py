from django.urls import path

from baocao.signing import views

app_name = "signing"

_report = "reports/<slug:round_code>/<str:unit_code>/ky-so/"

urlpatterns = [
    path(_report + "gui/", views.sign_and_send, name="send"),
    path(_report + "chuan-bi/", views.prepare, name="prepare"),
    path(_report, views.copies, name="copies"),
    path(_report + "ban/<int:version>/", views.copy_download, name="download"),
]
