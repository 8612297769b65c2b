from django.urls import path

from baocao.forms import views

app_name = "forms"
urlpatterns = [
    path("", views.form_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("<slug:code>/v<int:version>/", views.detail, name="detail"),
    path("<slug:code>/v<int:version>/mau.docx", views.sample_docx, name="sample_docx"),
    path("<slug:code>/v<int:version>/bieu-mau.xlsx", views.workbook, name="workbook"),
    path("<slug:code>/v<int:version>/ban-hanh/", views.publish, name="publish"),
]
