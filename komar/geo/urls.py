from django.urls import path

from komar.geo import views

app_name = "geo"

urlpatterns = [
    path("options/districts/", views.district_options, name="district_options"),
    path("options/communes/", views.commune_options, name="commune_options"),
    path("options/villages/", views.village_options, name="village_options"),
    path("picker/code/", views.village_code_input, name="village_code_input"),
    path("picker/selects/", views.picker_selects, name="picker_selects"),
    path("picker/search/", views.picker_search, name="picker_search"),
    path("picker/place/", views.picker_place, name="picker_place"),
]
