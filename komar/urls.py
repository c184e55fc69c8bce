from django.contrib import admin
from django.urls import include, path

from komar.accounts.language import set_language
from komar.core import views as core_views

urlpatterns = [
    path("", include("komar.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("children/", include("komar.children.urls")),
    path("cases/", include("komar.cases.urls")),
    path("geo/", include("komar.geo.urls")),
    path("audit/", include("komar.audit.urls")),
    path("users/", include("komar.accounts.urls")),
    path("session/", include("komar.accounts.session_urls")),
    path("api/v1/", include("komar.api.urls")),
    path("admin/login/", core_views.admin_login),
    path("admin/", admin.site.urls),
]
