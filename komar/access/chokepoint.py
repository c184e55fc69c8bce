"""The shared step of every record chokepoint: fetch one visible record, for a purpose.

Every read of a protected record states why it reads (:class:`Purpose`); none opts out
of the audit. A view writes a ``view`` event in the read's transaction. An edit or a
reference (looking a record up to link it to another) must run inside the transaction
of the write that follows, whose own event records it. A refused read (a malformed,
missing or forbidden id) answers the same 404 in every case and is audited as
``refused``, so an insider probing for records leaves a trace.
"""

import uuid
from typing import TypeVar

from django.db import models, transaction
from django.http import Http404

from komar.accounts.models import User
from komar.audit import events

M = TypeVar("M", bound=models.Model)


class Purpose(models.TextChoices):
    VIEW = "view", "view"  # shown to the user: a page, an API answer
    HISTORY = "history", "history"  # its access log and change history is shown
    EDIT = "edit", "edit"  # read to be changed in the same transaction
    REFERENCE = "reference", "reference"  # read to be linked from another record's write


_AUDITED_READS = {Purpose.VIEW: "", Purpose.HISTORY: "history"}


class RecordRefused(Http404):
    """The 404 of a refused read. Inside a caller's transaction the refusal cannot be
    audited there (the transaction is rolled back with the 404): it is written once the
    exception has left it, by :func:`record_refusal`."""

    def __init__(self, *, actor: User | None, object_type: str, requested_id: str) -> None:
        super().__init__()
        self.actor = actor
        self.object_type = object_type
        self.requested_id = requested_id
        self.recorded = False


def record_refusal(refused: RecordRefused) -> None:
    """Write the audit event of a refused read once, outside any rolled-back transaction."""
    if refused.recorded:
        return
    with transaction.atomic():
        events.read_refused(
            actor=refused.actor, object_type=refused.object_type, requested_id=refused.requested_id
        )
    refused.recorded = True


def _printable(pk: object) -> str:
    """Return what was asked for as the audit can store it: printable, at most 64 characters.

    A probe may send anything (a NUL byte, control characters), which PostgreSQL would
    refuse to store; they are kept as "?" so the trace still shows the attempt.
    """
    return "".join(c if c.isprintable() else "?" for c in str(pk)[:64])


def visible_record_get(
    *, visible: "models.QuerySet[M]", pk: object, actor: User, purpose: Purpose
) -> M:
    """Return the record ``pk`` from the queryset of records the actor may see.

    A malformed id, a missing record and a forbidden one all raise the same 404 (the
    answer must not reveal that the record exists), audited as a refused read.
    """
    refused = RecordRefused(
        actor=actor, object_type=visible.model._meta.label_lower, requested_id=_printable(pk)
    )
    outer = transaction.get_connection().in_atomic_block
    if purpose in (Purpose.EDIT, Purpose.REFERENCE) and not outer:
        raise RuntimeError("An edit or a reference reads inside the write's transaction.")
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        key = None
    record = None
    with transaction.atomic():
        if key is not None:
            record = visible.filter(pk=key).first()
        if record is not None and purpose in _AUDITED_READS:
            events.record_viewed(actor=actor, obj=record, purpose=_AUDITED_READS[purpose])
    if record is None:
        if not outer:
            record_refusal(refused)
        raise refused
    return record


def read_purpose(method: str | None, write: Purpose) -> Purpose:
    """Return the purpose of a page's read: a view on GET, else the write it prepares."""
    return Purpose.VIEW if method in ("GET", "HEAD") else write
