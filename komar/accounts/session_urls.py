"""The session's clock and the drafts' keys (``/session/``), used by the pages' scripts."""

from django.urls import path

from komar.accounts import session_views

app_name = "session"

urlpatterns = [
    path("status/", session_views.session_status, name="status"),
    path("keep-alive/", session_views.session_keep_alive, name="keep_alive"),
    path("draft-key/", session_views.draft_keys, name="draft_key"),
]
