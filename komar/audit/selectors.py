"""Reads of the audit trail."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from komar.accounts.models import User
from komar.accounts.roles import Perm, Scope
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


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""  # a username
    date_from: date | None = None
    date_to: date | None = None


def _actors_q(user: User) -> Q:
    """Return whose actions ``user`` may read in the access log.

    A supervisor reads their team's (and their own); an administrator their
    organisation's, and, in the host organisation, the system's own (commands, jobs).
    """
    scope = user.policy.scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.ORGANISATION:
        q = Q(actor__organisation_id=user.organisation_id)
        if user.organisation is not None and user.organisation.is_host:
            q |= Q(actor__isnull=True)
        return q
    if scope == Scope.TEAM and user.team_id is not None:
        return Q(actor_id=user.pk) | Q(
            actor__team_id=user.team_id, actor__organisation_id=user.organisation_id
        )
    return Q(actor_id=user.pk)


def events_visible_to(*, user: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Return the access log a supervisor or administrator may read, newest first.

    Raise PermissionDenied for a role that may not read access logs.
    """
    if not user.has_role_perm(Perm.AUDIT_VIEW):
        raise PermissionDenied
    events = AuditEvent.objects.filter(_actors_q(user))
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_username=filters.actor)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        events = events.filter(at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz)
        events = events.filter(at__lt=end)
    return events.select_related("actor").order_by("-at", "-id")
