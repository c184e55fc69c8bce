"""The session's clock and the key of drafts kept on the user's device.

- ``GET /session/status/`` tells the page how long the session has left, without
  lengthening it (every other request does: ``SESSION_SAVE_EVERY_REQUEST``), so the
  warning before the idle sign-out comes from the server's clock, not a guess, and one
  tab sees what another tab's work did.
- ``POST /session/keep-alive/`` is "Stay signed in": an ordinary signed-in request,
  so the session starts a new idle period.
- ``GET /session/draft-key/`` hands the signed-in user the keys that encrypt what they
  type on their own device (``komar/core/static/komar/drafts.js``). The keys are
  derived on the server from the secret key, the user and the day, never stored, and
  only given to that user's session: see ``docs/decisions/0006-drafts-on-the-device.md``.
"""

import base64
import math
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET, require_POST

DRAFT_WINDOW_SECONDS = 24 * 60 * 60
DRAFT_KEY_SALT = "komar.accounts.session_views.draft_key"
DRAFT_SLOT_SALT = "komar.accounts.session_views.draft_slot"


def session_seconds_left(session: SessionBase) -> int:
    """Return how many seconds the session has before its idle end, as stored.

    Database-backed sessions keep their end in the session table; other engines do not
    expose it, and answer the full idle period (they are lengthened by every request).
    """
    get_model = getattr(type(session), "get_model_class", None)
    if get_model is not None and session.session_key:
        ends = (
            get_model()
            .objects.filter(session_key=session.session_key)
            .values_list("expire_date", flat=True)
            .first()
        )
        if ends is None:
            return 0
        # Rounded up: "0 seconds left" must mean the session has ended.
        return max(0, math.ceil((ends - timezone.now()).total_seconds()))
    return int(settings.SESSION_COOKIE_AGE)


class _UnchangedSession:
    """Wrap a session so the response does not store it again (nor lengthen it)."""

    def __init__(self, session: SessionBase) -> None:
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def save(self, must_create: bool = False) -> None:
        """Do nothing: reading the clock must not wind it."""


@login_not_required
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Answer whether the visitor is signed in and how long the session has left."""
    signed_in = bool(request.user.is_authenticated)
    seconds = session_seconds_left(request.session) if signed_in else 0
    # Session middleware saves every session after each request; this one must not.
    request.session = _UnchangedSession(request.session)  # type: ignore[assignment]  # same interface
    return JsonResponse(
        {
            "signed_in": signed_in and seconds > 0,
            "seconds_left": seconds,
            "idle_seconds": int(settings.SESSION_COOKIE_AGE),
        }
    )


@login_not_required
@require_POST
def session_keep_alive(request: HttpRequest) -> JsonResponse:
    """Start a new idle period for a signed-in user (CSRF-protected: it is a POST)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    request.session.modified = True
    return JsonResponse({"signed_in": True, "seconds_left": int(settings.SESSION_COOKIE_AGE)})


def draft_window(now: float | None = None) -> int:
    """Return the number of the day-long window a draft saved ``now`` belongs to."""
    return int((time.time() if now is None else now) // DRAFT_WINDOW_SECONDS)


def draft_key(*, user_pk: Any, window: int) -> bytes:
    """Return the 256-bit AES key of one user's drafts saved in one window."""
    return salted_hmac(DRAFT_KEY_SALT, f"{user_pk}:{window}", algorithm="sha256").digest()


def draft_slot(*, user_pk: Any) -> str:
    """Return the opaque name under which a user's drafts are kept on a device.

    It tells drafts of different users apart on a shared PC without naming anyone.
    """
    return salted_hmac(DRAFT_SLOT_SALT, str(user_pk), algorithm="sha256").hexdigest()[:24]


@login_not_required
@require_GET
def draft_keys(request: HttpRequest) -> JsonResponse:
    """Give the signed-in user the keys of their drafts: today's and yesterday's.

    A draft is readable for one to two days after it was saved: past that, the server
    gives out its key to nobody, whatever the device kept.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    window = draft_window()
    keys = {
        str(w): base64.b64encode(draft_key(user_pk=request.user.pk, window=w)).decode()
        for w in (window, window - 1)
    }
    return JsonResponse(
        {
            "slot": draft_slot(user_pk=request.user.pk),
            "window": window,
            "keys": keys,
            "max_age_seconds": int(timedelta(hours=24).total_seconds()),
        }
    )
