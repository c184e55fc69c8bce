"""Reads of grants (the caller already holds the record they concern)."""

from uuid import UUID

from django.db.models import QuerySet

from komar.access.models import Grant


def grants_of_child(*, child_id: UUID, active_only: bool = True) -> QuerySet[Grant]:
    """Return the grants on a child, newest first: who may see it beyond its owners, and why."""
    grants = Grant.objects.filter(child_id=child_id)
    if active_only:
        grants = grants.active()
    return grants.select_related("holder_user", "holder_organisation").order_by("-granted_at")
