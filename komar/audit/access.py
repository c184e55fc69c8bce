"""The shared step of every record chokepoint: fetch one visible record, audit the view."""

import uuid
from typing import TypeVar

from django.db import models, transaction
from django.http import Http404

from komar.audit import events

M = TypeVar("M", bound=models.Model)


def visible_record_get(
    *, visible: "models.QuerySet[M]", pk: object, actor: object, record_view: bool
) -> M:
    """Return the record ``pk`` from the queryset of records the actor may see.

    A malformed id, a missing record and a forbidden one all raise the same Http404:
    the answer must not reveal that the record exists. With ``record_view`` the view
    is audited in the same transaction as the read.
    """
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise Http404 from None
    with transaction.atomic():
        record = visible.filter(pk=key).first()
        if record is None:
            raise Http404
        if record_view:
            events.record_viewed(actor=actor, obj=record)
    return record
