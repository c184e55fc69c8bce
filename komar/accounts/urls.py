"""Pages of user administration (``/users/``) and the public set-password page."""

from django.urls import path

from komar.accounts import views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    # Open to people who are not signed in: a new password with a one-time code.
    path("set-password/", views.set_password_with_code, name="set_password_with_code"),
    # Account ids are matched as text: a malformed id gets the same 404 as a missing one.
    path("<str:user_id>/", views.user_edit, name="edit"),
    path("<str:user_id>/reset-password/", views.user_reset_password, name="reset_password"),
    path("<str:user_id>/unlock/", views.user_unlock, name="unlock"),
    path("<str:user_id>/reset-two-factor/", views.user_reset_two_factor, name="reset_two_factor"),
    path("<str:user_id>/deactivate/", views.user_deactivate, name="deactivate"),
    path("<str:user_id>/reactivate/", views.user_reactivate, name="reactivate"),
]
