from django.urls import path

from baocao.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/tep/", views.job_file, name="file"),
    path("<int:pk>/thu-lai/", views.job_retry_view, name="retry"),
]
