"""Request types for code that only signed-in users reach, for the type checker.

Django types ``request.user`` as possibly anonymous. Behind ``@login_required`` (web
views) or ``IsAuthenticated`` (API views) it is always a Komar ``User``; annotate the
``request`` parameter with these classes to say so. They are never instantiated.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from komar.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A web request whose user has signed in."""

    user: User


class AuthenticatedRequest(Request):
    """An API request whose user has signed in."""

    user: User
