from collections.abc import Sequence

from django.db import models
from django.db.models import QuerySet

from komar.audit.models import AuditEvent


def events_for_record(
    *, obj: models.Model, related: Sequence[models.Model] | None = None
) -> QuerySet[AuditEvent]:
    """Return the audit events of a record (and of records that belong to it), newest first.

    The caller has already checked that the user may see the record's log.
    """
    q = models.Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    for other in related or []:
        q |= models.Q(object_type=other._meta.label_lower, object_id=str(other.pk))
    return AuditEvent.objects.filter(q).select_related("actor").order_by("-at", "-id")
