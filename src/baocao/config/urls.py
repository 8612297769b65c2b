from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("baocao.web.urls")),
    path("", include("baocao.accounts.urls")),
    path("", include("baocao.reports.urls")),
    path("phan-tich/", include("baocao.analysis.urls")),
    path("", include("baocao.documents.urls")),
    path("bao-cao-cu/", include("baocao.legacy.urls")),
    path("bieu-mau/", include("baocao.forms.urls")),
    path("yeu-cau-bao-cao/", include("baocao.rounds.urls")),
    path("", include("baocao.signing.urls")),
    path("viec/", include("baocao.jobs.urls")),
    path("api/", include("baocao.api.urls")),
    path("quan-tri/", admin.site.urls),
]
