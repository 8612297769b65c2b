from django.urls import path

from baocao.legacy import views

app_name = "legacy"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("nhap/", views.import_as_draft, name="import"),
    path("ket-qua/<int:pk>/", views.folder_result, name="folder_result"),
    path("ket-qua-tep/<int:pk>/", views.file_result, name="file_result"),
]
