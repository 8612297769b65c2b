from django.urls import path

from baocao.web import views

app_name = "web"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("healthz", views.healthz, name="healthz"),
]
