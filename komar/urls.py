from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("komar.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("children/", include("komar.children.urls")),
    path("cases/", include("komar.cases.urls")),
    path("geo/", include("komar.geo.urls")),
    path("audit/", include("komar.audit.urls")),
    path("users/", include("komar.accounts.urls")),
    path("api/v1/", include("komar.api.urls")),
    path("admin/", admin.site.urls),
]
