"""URLs for the geo tests: the app's own, the API view, what login redirects need, and a
page with a village picker and one with two for the browser tests."""

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from komar.geo.apis import LocationSearchApi
from komar.geo.forms import VillageField

PAGE = """{% load static %}<!doctype html>
<html><head><script src="{% static 'vendor/htmx/htmx.min.js' %}"></script></head>
<body><form method="post" id="place-form">{% csrf_token %}{{ form.as_div }}
<button id="save" type="submit">Save</button></form>
{% if saved %}<p id="saved">{{ saved }}</p>{% endif %}</body></html>"""


class PlaceForm(forms.Form):
    village = VillageField()


class ScreeningPlacesForm(forms.Form):
    """Two pickers on one page, prefixed as on the screening form."""

    recruitment_village_code = VillageField(required=False)
    exploitation_village_code = VillageField(required=False)


@login_required
def two_pickers_page(request: HttpRequest) -> HttpResponse:
    form = ScreeningPlacesForm(request.POST or None, prefix="screening")
    saved = ""
    if form.is_valid():
        data = form.cleaned_data
        saved = f"{data['recruitment_village_code']}|{data['exploitation_village_code']}"
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form, "saved": saved}, request))


@login_required
def picker_page(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None, initial={"village": request.GET.get("initial", "")})
    saved = form.cleaned_data["village"] if form.is_valid() else ""
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form, "saved": saved}, request))


urlpatterns = [
    path("geo/", include("komar.geo.urls")),
    path("api/v1/geo/locations/", LocationSearchApi.as_view(), name="geo-locations-search"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("picker-page/", picker_page, name="picker-page"),
    path("two-pickers/", two_pickers_page, name="two-pickers"),
]
