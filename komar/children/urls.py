from django.urls import path

from komar.children import views

app_name = "children"
urlpatterns = [
    path("register/", views.child_register, name="register"),
    path("<str:child_id>/", views.child_detail, name="detail"),
    path("<str:child_id>/edit/", views.child_edit, name="edit"),
]
