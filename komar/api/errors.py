"""The API's error answers: always JSON, always keyed by the field at fault.

Services raise Django's ``ValidationError`` with a dict of field errors (a nested
object's fields as ``"screening.acts"``), ``PermissionDenied`` when the role lacks the
right, and chokepoints raise ``Http404`` for missing and forbidden records alike. This
handler turns each into the same JSON shape DRF uses for its own errors.
"""

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from komar.access.chokepoint import RecordRefused, record_refusal
from komar.core.exceptions import ConfirmationRequired

logger = logging.getLogger(__name__)


def _add(node: dict[str, Any], path: list[str], messages: list[str]) -> None:
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    head, rest = path[0], path[1:]
    if not rest:
        existing = node.get(head)
        if isinstance(existing, dict):
            existing.setdefault(non_field, []).extend(messages)
        else:
            node.setdefault(head, []).extend(messages)
        return
    child = node.get(head)
    if isinstance(child, list):  # the object itself already has errors: keep both
        child = {non_field: child}
    elif child is None:
        child = {}
    node[head] = child
    _add(child, rest, messages)


def service_error_detail(error: DjangoValidationError) -> dict[str, Any]:
    """Return a service's validation error as the API's error body.

    ``{"screening.acts": [...]}`` becomes ``{"screening": {"acts": [...]}}``; errors
    that belong to no field go under DRF's ``non_field_errors``.
    """
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(error, "error_dict"):
        return {non_field: [str(m) for m in error.messages]}
    detail: dict[str, Any] = {}
    for key, messages in error.message_dict.items():
        path = [non_field] if key == NON_FIELD_ERRORS else key.split(".")
        _add(detail, path, [str(m) for m in messages])
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Return the JSON answer for any exception raised by an API view."""
    if isinstance(exc, RecordRefused):
        record_refusal(exc)  # after the view's transaction was rolled back
    if isinstance(exc, ConfirmationRequired):
        # Nothing was written: the caller confirms (and says why) and sends it again.
        return Response(
            {"code": exc.code, "detail": exc.message, **exc.details},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        # Never the exception's own text: it could name the model or the query.
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(service_error_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    # An unexpected error is still answered in JSON; the traceback goes to the log,
    # never to the client.
    logger.error("Unhandled error in an API view", exc_info=exc)
    set_rollback()
    return Response(
        {"detail": _("Something went wrong on the server. The error has been logged.")},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
