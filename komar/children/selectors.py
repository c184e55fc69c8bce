"""Reads of children. Every read of a child goes through :func:`child_get_for_user`."""

from django.db.models import QuerySet

from komar.access.chokepoint import Purpose, visible_record_get
from komar.accounts.models import User
from komar.children.models import Child, ConsentRecord, Guardian
from komar.children.permissions import child_scope_q
from komar.children.search import children_ranked


def children_visible_to(user: User) -> QuerySet[Child]:
    """Return the children the user may see."""
    return Child.objects.filter(child_scope_q(user))


def child_get_for_user(*, user: User, child_id: object, purpose: Purpose) -> Child:
    """Return one child the user may see, for a stated purpose (audited as such).

    A missing child and a forbidden one raise the same Http404: the answer must not
    reveal that the record exists.
    """
    visible = children_visible_to(user).select_related("village", "organisation")
    return visible_record_get(visible=visible, pk=child_id, actor=user, purpose=purpose)


def children_search(
    *,
    user: User,
    q: str = "",
    birth_year: int | None = None,
    sex: str = "",
    province: str = "",
) -> QuerySet[Child]:
    """Return the children the user may see that match a name query and narrowing filters."""
    qs = children_visible_to(user)
    if birth_year:
        qs = qs.filter(birth_year=birth_year)
    if sex:
        qs = qs.filter(sex=sex)
    if province:
        qs = qs.filter(village__code__startswith=province)
    if q.strip():
        return children_ranked(qs, q)
    return qs.order_by("-registered_at")


def child_guardians(child: Child) -> QuerySet[Guardian]:
    """Return a child's guardians and contacts (the caller holds the child)."""
    return child.guardians.order_by("-is_primary_contact", "pk")


def child_consent_history(child: Child) -> QuerySet[ConsentRecord]:
    """Return a child's consent records, newest first (the caller holds the child)."""
    return child.consent_records.select_related("recorded_by")
