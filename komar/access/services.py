"""Writes of grants. Each is called inside the transaction of the action that gives or
ends the reason for the grant, and audits itself in that transaction."""

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from komar.access.models import Grant, GrantReason
from komar.accounts.models import Organisation, User
from komar.audit import events


@transaction.atomic
def grant_give(
    *,
    actor: User | None,
    child_id: UUID,
    case_id: UUID | None = None,
    holder_user: User | None = None,
    holder_organisation: Organisation | None = None,
    reason: GrantReason,
    source: str = "",
    needs_disclosure_consent: bool = False,
) -> Grant:
    """Let a user or an organisation see a child (and a case of the child), for a reason.

    A partner's grant (a referral) needs the child's consent to disclosure: it stops
    working while that consent is withdrawn.
    """
    if (holder_user is None) == (holder_organisation is None):
        raise ValueError("A grant has exactly one holder: a user or an organisation.")
    grant = Grant(
        child_id=child_id,
        case_id=case_id,
        holder_user=holder_user,
        holder_organisation=holder_organisation,
        reason=reason,
        source=source,
        needs_disclosure_consent=needs_disclosure_consent,
        granted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    grant.full_clean(exclude=["child", "case", "holder_user", "holder_organisation", "granted_by"])
    grant.save()
    events.grant_given(
        actor=actor,
        grant=grant,
        details={
            "child": str(child_id),
            "case": str(case_id) if case_id else None,
            "holder_user": holder_user.pk if holder_user else None,
            "holder_organisation": holder_organisation.pk if holder_organisation else None,
            "reason": str(reason),
            "source": source,
        },
    )
    return grant


@transaction.atomic
def grants_end(
    *,
    actor: User | None,
    reason: str,
    child_id: UUID | None = None,
    case_id: UUID | None = None,
    grant_reason: GrantReason | None = None,
    source: str | None = None,
    holder_user: User | None = None,
    holder_organisation: Organisation | None = None,
) -> int:
    """End the active grants that match, each with its own audit event; return how many.

    At least one of ``child_id``, ``case_id`` or ``source`` must be given: nothing ends
    every grant at once.
    """
    if child_id is None and case_id is None and not source:
        raise ValueError("Name the child, the case or the source whose grants end.")
    grants = Grant.objects.active().select_for_update()
    if child_id is not None:
        grants = grants.filter(child_id=child_id)
    if case_id is not None:
        grants = grants.filter(case_id=case_id)
    if grant_reason is not None:
        grants = grants.filter(reason=grant_reason)
    if source:
        grants = grants.filter(source=source)
    if holder_user is not None:
        grants = grants.filter(holder_user=holder_user)
    if holder_organisation is not None:
        grants = grants.filter(holder_organisation=holder_organisation)
    now = timezone.now()
    ended_by = actor if actor is not None and actor.is_authenticated else None
    count = 0
    for grant in grants.order_by("pk"):
        grant.ended_at = now
        grant.ended_by = ended_by
        grant.end_reason = reason[:64]
        grant.save(update_fields=["ended_at", "ended_by", "end_reason"])
        events.grant_ended(actor=actor, grant=grant, reason=reason)
        count += 1
    return count
