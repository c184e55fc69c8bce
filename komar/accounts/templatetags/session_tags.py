"""Template tags for the session warning and the drafts kept on the user's device."""

from django import template
from django.http import HttpRequest

from komar.accounts.session_views import draft_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def session_draft_slot(context: template.Context) -> str:
    """Return the signed-in user's opaque draft name on devices ("" when signed out)."""
    request: HttpRequest | None = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return draft_slot(user_pk=user.pk)


@register.simple_tag(takes_context=True)
def session_seconds_left(context: template.Context) -> int:
    """Return the idle seconds this page's request gave the session (0 when signed out)."""
    request: HttpRequest | None = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return int(request.session.get_expiry_age())
