from django.urls import path

from baocao.rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.create, name="create"),
]
