from django.urls import path

from komar.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/<str:child_id>/", views.case_open, name="open"),
    path("<str:case_id>/", views.case_detail, name="detail"),
    path("<str:case_id>/edit/", views.case_edit, name="edit"),
    path("<str:case_id>/screening/", views.case_screen, name="screen"),
]
