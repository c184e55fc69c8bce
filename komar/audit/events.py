"""Typed helpers that write audit events, one per kind of event.

Call them inside the transaction of the action they record, so the action and its
event are committed together or not at all. The actor is the signed-in user, or None
for the system (a command, a background job). Events never carry a name or the value
of an identifying field: lists and searches record their filters and how many records
they returned, never what was typed in a name box.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from komar.audit.context import current_origin
from komar.audit.models import AuditAction, AuditEvent
from komar.core.crypto import EncryptedField

if TYPE_CHECKING:
    from komar.accounts.models import User

# Filters that carry what a user typed to find a person: recorded as "given", never as text.
FREE_TEXT_FILTERS = frozenset({"q", "search"})


def _label(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def _write(
    *,
    actor: User | None,
    action: AuditAction,
    object_type: str,
    object_id: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are written inside the action's transaction.")
    origin = current_origin()
    known = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if known else None,
        actor_username=actor.username if known and actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id[:64],
        changes=dict(changes or {}),
        ip=origin.ip,
        channel=origin.channel,
    )


def is_sensitive(model: type[models.Model], field_name: str) -> bool:
    """Return True when a field's values must never be copied into the audit trail."""
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # a derived value (consents, guardians): treat as sensitive
        return True
    return isinstance(field, EncryptedField) or getattr(field, "audit_sensitive", False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def field_changes(
    model: type[models.Model], before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the audit form of what changed between two snapshots of a record.

    Non-sensitive fields keep old and new values; sensitive ones only that they changed.
    """
    out: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if is_sensitive(model, name):
            out[name] = {"changed": True}
        else:
            out[name] = {"old": _jsonable(old), "new": _jsonable(new)}
    return out


def safe_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Return the filters of a list or search as the audit may keep them.

    Empty filters are dropped; a free-text query (a name, a phone, a number) is kept
    only as the fact that one was given.
    """
    out: dict[str, Any] = {}
    for name, value in sorted(filters.items()):
        if value in (None, "", [], ()):
            continue
        out[name] = True if name in FREE_TEXT_FILTERS else _jsonable(value)
    return out


# --- one record ------------------------------------------------------------------------


def record_created(*, actor: User | None, obj: models.Model, fields: Iterable[str]) -> AuditEvent:
    """Record that ``actor`` created ``obj``, naming the fields it was given."""
    return _write(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=_label(obj),
        object_id=str(obj.pk),
        changes={"fields": sorted(fields)},
    )


def record_viewed(*, actor: User | None, obj: models.Model, purpose: str = "") -> AuditEvent:
    """Record that ``actor`` looked at ``obj`` (its page, its API answer, its history)."""
    return _write(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=_label(obj),
        object_id=str(obj.pk),
        changes={"purpose": purpose} if purpose else None,
    )


def record_updated(
    *, actor: User | None, obj: models.Model, changes: Mapping[str, Any]
) -> AuditEvent | None:
    """Record that ``actor`` changed ``obj``; nothing is written when nothing changed."""
    if not changes:
        return None
    return _write(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=_label(obj),
        object_id=str(obj.pk),
        changes=changes,
    )


def record_deleted(*, actor: User | None, obj: models.Model) -> AuditEvent:
    """Record that ``actor`` deleted ``obj``."""
    return _write(
        actor=actor, action=AuditAction.DELETE, object_type=_label(obj), object_id=str(obj.pk)
    )


def read_refused(*, actor: User | None, object_type: str, requested_id: str) -> AuditEvent:
    """Record that ``actor`` asked for a record it may not see, or that does not exist.

    The caller got the same 404 either way; the trail keeps what was asked for, so
    that an insider probing for records leaves a trace.
    """
    return _write(
        actor=actor,
        action=AuditAction.REFUSED,
        object_type=object_type,
        object_id=requested_id,
    )


# --- many records ----------------------------------------------------------------------


def records_listed(
    *, actor: User | None, model: type[models.Model], filters: Mapping[str, Any], count: int
) -> AuditEvent:
    """Record that ``actor`` listed records of ``model``: the filters and how many matched."""
    return _write(
        actor=actor,
        action=AuditAction.LISTED,
        object_type=_label(model),
        changes={"filters": safe_filters(filters), "count": count},
    )


def records_searched(
    *, actor: User | None, model: type[models.Model], filters: Mapping[str, Any], count: int
) -> AuditEvent:
    """Record that ``actor`` searched records of ``model`` by name or number.

    The query itself is never stored (it is a name, a phone or an id): only that one
    was given, the other filters and how many records matched.
    """
    return _write(
        actor=actor,
        action=AuditAction.SEARCHED,
        object_type=_label(model),
        changes={"filters": safe_filters(filters), "count": count},
    )


def list_or_search(
    *, actor: User | None, model: type[models.Model], filters: Mapping[str, Any], count: int
) -> AuditEvent:
    """Record a list request as a search when a free-text query was given, else as a list."""
    searched = any(filters.get(name) for name in FREE_TEXT_FILTERS)
    writer = records_searched if searched else records_listed
    return writer(actor=actor, model=model, filters=filters, count=count)


def records_exported(
    *,
    actor: User | None,
    model: type[models.Model],
    export_format: str,
    filters: Mapping[str, Any],
    count: int,
) -> AuditEvent:
    """Record that ``actor`` exported records of ``model`` in a format."""
    return _write(
        actor=actor,
        action=AuditAction.EXPORTED,
        object_type=_label(model),
        changes={"format": export_format, "filters": safe_filters(filters), "count": count},
    )


def record_printed(*, actor: User | None, obj: models.Model, language: str) -> AuditEvent:
    """Record that ``actor`` printed (or saved as PDF) a summary of ``obj``."""
    return _write(
        actor=actor,
        action=AuditAction.PRINTED,
        object_type=_label(obj),
        object_id=str(obj.pk),
        changes={"language": language},
    )


# --- consent and access ----------------------------------------------------------------


def consent_changed(
    *, actor: User | None, obj: models.Model, kind: str, granted: bool
) -> AuditEvent:
    """Record that a consent of the person ``obj`` was given or withdrawn."""
    return _write(
        actor=actor,
        action=AuditAction.CONSENT_GIVEN if granted else AuditAction.CONSENT_WITHDRAWN,
        object_type=_label(obj),
        object_id=str(obj.pk),
        changes={"consent": kind},
    )


def grant_given(
    *, actor: User | None, grant: models.Model, details: Mapping[str, Any]
) -> AuditEvent:
    """Record that a grant (who may see which record, and why) was given."""
    return _write(
        actor=actor,
        action=AuditAction.GRANT_GIVEN,
        object_type=_label(grant),
        object_id=str(grant.pk),
        changes=details,
    )


def grant_ended(*, actor: User | None, grant: models.Model, reason: str) -> AuditEvent:
    """Record that a grant ended (referral closed, consent withdrawn, reassignment ...)."""
    return _write(
        actor=actor,
        action=AuditAction.GRANT_ENDED,
        object_type=_label(grant),
        object_id=str(grant.pk),
        changes={"reason": reason},
    )


# --- accounts --------------------------------------------------------------------------


def _user_event(
    action: AuditAction, *, actor: User | None, user: User, changes: Mapping[str, Any] | None = None
) -> AuditEvent:
    return _write(
        actor=actor,
        action=action,
        object_type=_label(user),
        object_id=str(user.pk),
        changes=changes,
    )


def user_created(*, actor: User | None, user: User) -> AuditEvent:
    """Record that ``actor`` created the account ``user`` (its role and team are kept)."""
    return _user_event(
        AuditAction.USER_CREATED,
        actor=actor,
        user=user,
        changes={
            "username": user.username,
            "role": user.role,
            "team": user.team_id,
            "organisation": user.organisation_id,
        },
    )


def user_changed(
    *, actor: User | None, user: User, changes: Mapping[str, Any]
) -> AuditEvent | None:
    """Record a change to an account other than its role or team (names, language)."""
    if not changes:
        return None
    return _user_event(AuditAction.USER_CHANGED, actor=actor, user=user, changes=changes)


def role_changed(
    *, actor: User | None, user: User, changes: Mapping[str, Any]
) -> AuditEvent | None:
    """Record that an account's role or team changed: what it may see changed with it."""
    if not changes:
        return None
    return _user_event(AuditAction.ROLE_CHANGED, actor=actor, user=user, changes=changes)


def user_active_changed(*, actor: User | None, user: User, active: bool) -> AuditEvent:
    """Record that an account was deactivated or reactivated."""
    action = AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED
    return _user_event(action, actor=actor, user=user)


def password_reset(*, actor: User | None, user: User) -> AuditEvent:
    """Record that ``actor`` issued a one-time password reset for ``user`` (never the code)."""
    return _user_event(AuditAction.PASSWORD_RESET, actor=actor, user=user)


def user_unlocked(*, actor: User | None, user: User) -> AuditEvent:
    """Record that ``actor`` lifted a sign-in lockout of ``user``."""
    return _user_event(AuditAction.USER_UNLOCKED, actor=actor, user=user)


def two_factor_reset(*, actor: User | None, user: User) -> AuditEvent:
    """Record that ``actor`` removed ``user``'s second factor so they can enrol again."""
    return _user_event(AuditAction.TWO_FACTOR_RESET, actor=actor, user=user)


def tokens_revoked(*, actor: User | None, user: User, count: int, reason: str) -> AuditEvent:
    """Record that ``user``'s API tokens were revoked (sign-out, password change ...)."""
    return _user_event(
        AuditAction.TOKENS_REVOKED,
        actor=actor,
        user=user,
        changes={"count": count, "reason": reason},
    )


# --- keys ------------------------------------------------------------------------------


def keys_rotated(
    *, actor: User | None, table: str, rows: int, columns: Iterable[str]
) -> AuditEvent:
    """Record that a batch of a table's encrypted columns was re-encrypted under the new key."""
    return _write(
        actor=actor,
        action=AuditAction.KEYS_ROTATED,
        object_type=table,
        changes={"rows": rows, "columns": sorted(columns)},
    )


def name_index_rebuilt(*, actor: User | None, children: int, key_id: str) -> AuditEvent:
    """Record that the name index was rebuilt (under the index key ``key_id``)."""
    return _write(
        actor=actor,
        action=AuditAction.INDEX_REBUILT,
        object_type="children.childnamekey",
        changes={"children": children, "key_id": key_id},
    )
